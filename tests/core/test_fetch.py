"""The safe fetcher (bot/core/fetch.py): address rules in every spelling, limits, redirects, against a
real HTTP server on loopback (tests.helpers.ReviewSite), never a mock of the client."""

from __future__ import annotations

import ipaddress

import pytest

from bot.core.config import ConfigError, Settings
from bot.core.fetch import (
    USER_AGENT,
    FetchPolicy,
    FetchRefused,
    check_hop,
    fetch_page,
    forbidden_address,
    url_key,
)
from tests.helpers import least_loop_gap

PRIVATE = [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
    "100.100.100.200", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
    "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001:db8::1",
]


@pytest.mark.parametrize("address", PRIVATE)
def test_non_public_addresses_are_refused_in_every_spelling(address):
    """Loopback, private, link-local, CGNAT, multicast, reserved, unspecified; IPv4 inside IPv6 too."""
    assert forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
                                     "64:ff9b::5db8:d70e", "::ffff:93.184.215.14"])
def test_public_addresses_pass(address):
    """A public address (also a public IPv4 behind NAT64 or mapped) may be fetched."""
    assert forbidden_address(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("http://2130706433/", "non-standard"),
        ("http://0177.0.0.1/", "non-standard"),
        ("http://0x7f.0.0.1/", "non-standard"),
        ("http://127.1/", "non-standard"),
        ("http://0x7f000001/", "non-standard"),
        ("http://0/", "non-standard"),
        ("http://127.0.0.1./", "loopback"),
        ("http://[fe80::1%25eth0]/", "link-local"),
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://100.64.1.1/", "CGNAT"),
        ("http://127.0.0.1/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:7f00:1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://0.0.0.0:8080/", "unspecified"),
        ("http://user:secret@example.com/", "password"),
        ("http://user@example.com/", "password"),
        ("file:///etc/passwd", "Only http"),
        ("ftp://example.com/review.txt", "Only http"),
        ("gopher://example.com/", "Only http"),
        ("http:///nohost", "no host"),
        ("http://exa mple.com/", "not a web address"),
        ("http://[::1/", "not a valid"),
    ],
)
def test_hostile_urls_are_refused_before_any_request(url, needle):
    """Each refused with one line naming the reason; nothing is requested."""
    with pytest.raises(FetchRefused) as caught:
        check_hop(url, FetchPolicy())
    assert needle in caught.value.message and "\n" not in caught.value.message


def test_allow_list_opens_exactly_the_listed_host_and_port():
    """FILMBOT_FETCH_ALLOW lets 127.0.0.1:8080 through, not 127.0.0.1:8081 nor localhost:8080."""
    policy = FetchPolicy(allow=frozenset({("127.0.0.1", 8080)}))
    check_hop("http://127.0.0.1:8080/x", policy)
    for url in ("http://127.0.0.1:8081/x", "http://127.0.0.1/x"):
        with pytest.raises(FetchRefused):
            check_hop(url, policy)


def test_allow_setting_is_read_from_the_environment_and_checked():
    """FILMBOT_FETCH_ALLOW: comma/space separated host:port; anything else fails at start-up."""
    settings = Settings.from_env({"FILMBOT_FETCH_ALLOW": "127.0.0.1:8080, [::1]:9000"})
    assert settings.fetch_allow == ("127.0.0.1:8080", "[::1]:9000")
    assert FetchPolicy.from_settings(settings).allows("::1", 9000)
    assert Settings.from_env({}).fetch_allow == ()
    with pytest.raises(ConfigError, match="host:port"):
        Settings.from_env({"FILMBOT_FETCH_ALLOW": "localhost"})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.Example.com/film/review/?utm_source=x&utm_medium=y#comments",
         "http://example.com/film/review"),
        ("https://example.com/r?id=3&fbclid=abc&gclid=z", "https://EXAMPLE.com/r?id=3"),
        ("https://example.com:443/r/", "https://example.com/r"),
    ],
)
def test_url_key_ignores_scheme_host_case_tracking_slash_and_fragment(a, b):
    """The same article under two spellings has one key."""
    assert url_key(a) == url_key(b)


def test_url_key_keeps_what_names_the_article():
    """A different path or a meaningful query parameter is a different article."""
    assert url_key("https://example.com/r?id=3") != url_key("https://example.com/r?id=4")
    assert url_key("https://example.com/a") != url_key("https://example.com/b")


def policy_for(site, timeout: float = 3.0) -> FetchPolicy:
    return FetchPolicy.from_settings(Settings(fetch_allow=site.allow, fetch_timeout=timeout))


async def test_fetches_a_page_with_an_identifying_user_agent(review_site):
    """A page on an allowed host:port comes back whole; the request named filmbot."""
    page = await fetch_page(review_site.url("/page/newspaper"), policy_for(review_site))
    assert b"drum solo" in page.body and page.content_type == "text/html" and page.charset == "utf-8"
    assert any(r.get("User-Agent") == USER_AGENT for r in review_site.requests)


async def test_gzip_is_inflated_and_a_redirect_chain_followed(review_site):
    """gzip pages are read decompressed; 5 redirects are followed, each checked."""
    zipped = await fetch_page(review_site.url("/page/newspaper?gz=1"), policy_for(review_site))
    assert b"drum solo" in zipped.body
    chained = await fetch_page(review_site.url("/hop/5"), policy_for(review_site))
    assert chained.url.endswith("/hop/0") and b"La La Land" in chained.body


@pytest.mark.parametrize("kind", ["zlib", "raw"])
async def test_deflate_pages_are_read_in_both_forms_servers_send(review_site, kind):
    """Content-Encoding: deflate as zlib data (RFC 9110) and as bare deflate (which some servers send and
    browsers read; it was refused as "corrupt"): the page comes back whole."""
    page = await fetch_page(review_site.url(f"/page/newspaper?deflate={kind}"), policy_for(review_site))
    assert b"drum solo" in page.body and page.body.rstrip().endswith(b"</html>")


def hostile(site) -> list[tuple[str, str]]:
    to = site.url("/to?u=")
    return [
        (to + "http://127.0.0.1/", "loopback"),
        (to + f"http://127.0.0.1:{site.port + 1 if site.port < 65535 else 1}/", "loopback"),
        (to + "http://[::1]/", "loopback"),
        (to + "http://169.254.169.254/latest/meta-data/", "link-local"),
        (to + "http://0.0.0.0/", "unspecified"),
        (to + "http://2130706433/", "non-standard"),
        (to + "file:///etc/passwd", "Only http"),
        (f"http://localhost:{site.port}/page/blog", "resolves to"),
        (site.url("/big"), "larger than 2 MB"),
        (site.url("/bomb"), "larger than 2 MB"),
        (site.url("/drip"), "within 1 s"),
        (site.url("/image"), "not a web page"),
        (site.url("/hop/10"), "more than 5 times"),
        (site.url("/page/missing"), "HTTP 404"),
    ]


async def test_hostile_links_are_refused_with_one_line_and_the_loop_keeps_ticking(review_site):
    """Redirects to private addresses, private names, 50 MB, a gzip bomb, a drip, an image, 10 redirects."""
    policy = policy_for(review_site, timeout=1.0)
    for url, needle in hostile(review_site):
        gap, result = await least_loop_gap(lambda url=url: fetch_page(url, policy))
        assert isinstance(result, FetchRefused), (url, result)
        assert needle in result.message and "\n" not in result.message, (url, result.message)
        assert gap < 0.1, f"{url}: the event loop stalled for {gap * 1000:.0f} ms"
