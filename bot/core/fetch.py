"""The one door to the outside web: fetch a review page by URL, safely (no SSRF), within limits.

Every hop (the URL given and each redirect) is checked before it is requested: http/https only, no
credentials, no numeric host spelled any way but the canonical one, and an address that is public.
Names are resolved once, by `GuardedResolver`, which hands aiohttp only the addresses it checked, so
the connection goes to exactly the address that was checked (no second lookup to rebind). Bodies are
read streamed and counted after decompression (we decompress ourselves, bounded), within one time
limit for the whole fetch, redirects included. Proxy variables in the environment are ignored.
"""

from __future__ import annotations

import asyncio
import codecs
import contextvars
import ipaddress
import re
import socket
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import aiohttp
from aiohttp.abc import ResolveResult

from bot.core.refusals import UserError
from bot.core.text import inert
from bot.core.time import utc_now_iso

USER_AGENT = "filmbot/0.1 (Discord film-club bot; fetches one review page a moderator asked for)"
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 15.0
CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
URL_MAX = 2000
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_DELTA_SECONDS = re.compile(r"[0-9]{1,9}")  # Retry-After as delta-seconds, ASCII digits (re's \d takes any script's)
RETRY_SHOWN_MAX = 24 * 3600  # a longer Retry-After is shown as "later"
# A host whose last label is a number (decimal, octal, hex) is an IPv4 address in some spelling: only the
# canonical dotted quad is accepted, so 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 never reach a resolver.
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(UserError):
    """The page was not fetched (or not kept): one line saying why, safe to show."""


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of one fetch; `allow` = (host, port) pairs reachable despite the address rules."""

    allow: frozenset[tuple[str, int]] = frozenset()
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def from_settings(cls, settings: Any) -> FetchPolicy:
        return cls(allow=frozenset(parse_allow(settings.fetch_allow)), timeout=settings.fetch_timeout)

    def allows(self, host: str, port: int) -> bool:
        return (host.strip("[]").lower().rstrip("."), port) in self.allow


@dataclass(frozen=True)
class Fetched:
    """A page as received: the URL it finally came from, its type, charset (if declared) and bytes."""

    url: str
    requested: str
    content_type: str
    charset: str | None
    body: bytes
    fetched_at: str


def parse_allow(entries: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
    """'host:port' entries ('[::1]:8080' for IPv6) as (host, port); a malformed one → ValueError."""
    pairs = []
    for entry in entries:
        host, sep, port = entry.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{entry!r} is not host:port")
        pairs.append((host.strip("[]").lower().rstrip("."), int(port)))
    return pairs


def forbidden_address(ip: IPAddress) -> str | None:
    """Why this address may not be fetched from (None: a public address). Embedded IPv4 is unwrapped."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = forbidden_address(embedded)
            return reason and f"{reason} (inside {ip})"
    kinds = (
        ("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast), ("private", ip.is_private), ("reserved", ip.is_reserved),
        ("shared (CGNAT)", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
        ("not public", not ip.is_global),
    )
    for kind, hit in kinds:
        if hit:
            return f"{ip} is a {kind} address"
    return None


def check_hop(url: str, policy: FetchPolicy) -> SplitResult:
    """A URL the fetcher may request, parsed; anything else → FetchRefused with one line."""
    shown = inert(url, 120)
    if len(url) > URL_MAX or any(c.isspace() or ord(c) < 32 for c in url):
        raise FetchRefused(f"“{shown}” is not a web address I can fetch.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(f"“{shown}” is not a valid web address.") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchRefused(f"Only http:// and https:// links can be fetched, not “{inert(parts.scheme, 20)}:”.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("Links with a user name or password in them are refused.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(f"“{shown}” has no host name.")
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    if policy.allows(host, port):
        return parts
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is None and _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        raise FetchRefused(f"“{inert(host, 80)}” is a numeric address in a non-standard spelling: refused.")
    if ip is not None and (reason := forbidden_address(ip)):
        raise FetchRefused(f"Refused: {reason}; only public web pages can be fetched.")
    return parts


class GuardedResolver(aiohttp.ThreadedResolver):
    """Resolves a name once and returns only checked addresses: aiohttp connects to what was checked.

    A name with any non-public address (localhost, a rebinding trick) is refused outright.
    """

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self.policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            found = await super().resolve(host, port, family)
        except OSError:
            raise FetchRefused(f"The name “{inert(host, 80)}” does not resolve.") from None
        if self.policy.allows(host, port):
            return found
        for result in found:
            reason = forbidden_address(ipaddress.ip_address(result["host"].split("%")[0]))
            if reason:
                raise FetchRefused(f"Refused: “{inert(host, 80)}” resolves to {reason}; only public pages.")
        return found


def url_key(url: str) -> str:
    """The URL an article is known by: scheme and host lower-cased, default port, tracking parameters,
    fragment and trailing slash dropped; `http` and `https` are the same article."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref", "ref_src",
             "cmpid", "ocid", "smid", "sr_share", "share", "src", "s_cid", "mkt_tok", "spm", "twclid", "wt_mc"}


def _tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith(("utm_", "at_", "pk_", "hsa_")) or key in _TRACKING


def _content_type(response: aiohttp.ClientResponse) -> tuple[str, str | None]:
    kind = response.content_type.lower()
    if kind not in CONTENT_TYPES:
        raise FetchRefused(
            f"That link is {inert(kind or 'of no declared type', 60)}, not a web page: I read HTML or plain text."
        )
    charset = response.charset
    if charset:
        try:
            charset = codecs.lookup(charset).name
        except LookupError:
            charset = None
    return kind, charset


def _decompressor(encoding: str, first: bytes) -> Any:
    """The decompressor for the page's Content-Encoding, chosen once its first bytes are in.

    "deflate" is the zlib format (RFC 9110), but some servers send bare deflate data under that name, which
    browsers read (and aiohttp too): a first two bytes that are no zlib header mean bare deflate. Read as zlib
    only, such a page was refused as corrupt."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj() if zlib_header else zlib.decompressobj(-zlib.MAX_WBITS)
    raise FetchRefused(f"The site sent the page compressed as “{inert(encoding, 30)}”, which I do not read.")


async def _read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """At most `limit` bytes after decompression (a gzip bomb stops at the limit), read in chunks."""
    encoding = response.headers.get("Content-Encoding", "")
    inflate = _decompressor(encoding, b"")  # an encoding we do not read is refused before any byte is read
    chosen = inflate is None or encoding.strip().lower() != "deflate"  # deflate's kind waits for 2 bytes
    out = bytearray()
    too_big = FetchRefused(f"The page is larger than {limit // (1024 * 1024)} MB: not a review page.")
    raw, head = 0, b""
    async for chunk in response.content.iter_chunked(_CHUNK):
        raw += len(chunk)
        if raw > limit:
            raise too_big
        if not chosen:
            head += chunk
            if len(head) < 2:
                continue
            chunk, chosen, inflate = head, True, _decompressor(encoding, head)
        if inflate is None:
            out += chunk
        else:
            try:
                data = chunk
                while data:  # bounded output per call: a tiny chunk cannot expand into gigabytes
                    out += inflate.decompress(data, limit + 1 - len(out))
                    if len(out) > limit:
                        raise too_big
                    data = inflate.unconsumed_tail
            except zlib.error:
                raise FetchRefused("The page's compressed data is corrupt.") from None
        if len(out) > limit:
            raise too_big
        await asyncio.sleep(0)
    return bytes(out)


async def fetch_page(url: str, policy: FetchPolicy) -> Fetched:
    """The page at `url` (after at most `policy.max_redirects` redirects, each checked); FetchRefused
    with one line for anything outside the rules, any network failure or the time limit.

    The fetch runs on its own event loop in a worker thread, in a fresh context: the bot's loop never
    touches the outside connection (a slow or hostile server costs it nothing), and the time limit is
    kept by a clock nothing else can move (tests run the bot's loop on a virtual clock).
    """
    def run() -> Fetched:
        return contextvars.Context().run(asyncio.run, _fetch(url, policy))

    return await asyncio.to_thread(run)


async def _fetch(url: str, policy: FetchPolicy) -> Fetched:
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(policy), use_dns_cache=False, limit=1)
    session = aiohttp.ClientSession(
        connector=connector,
        trust_env=False,
        auto_decompress=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                 "Accept-Encoding": "gzip, deflate"},
        timeout=aiohttp.ClientTimeout(total=policy.timeout + 1),
        cookie_jar=aiohttp.DummyCookieJar(),
    )
    try:
        async with asyncio.timeout(policy.timeout), session:
            return await _follow(session, url, policy)
    except TimeoutError:
        raise FetchRefused(f"The site did not send the page within {policy.timeout:g} s.") from None
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.os_error, FetchRefused):
            raise error.os_error from None
        raise FetchRefused(
            f"Could not connect to {inert(error.host, 80)}: the site is down or refused the connection;"
            " nothing was stored, try again later."
        ) from None
    except aiohttp.ClientError as error:
        cause = error.__cause__ or error.__context__
        if isinstance(cause, FetchRefused):
            raise cause from None
        raise FetchRefused(f"The site's answer broke off or was malformed ({type(error).__name__}).") from None


async def _follow(session: aiohttp.ClientSession, url: str, policy: FetchPolicy) -> Fetched:
    current = url.strip()
    for hop in range(policy.max_redirects + 1):
        check_hop(current, policy)
        async with session.get(current, allow_redirects=False) as response:
            if response.status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"The site answered {response.status} (a redirect) without a target.")
                if hop == policy.max_redirects:
                    raise FetchRefused(f"The link redirects more than {policy.max_redirects} times: refused.")
                current = urljoin(current, location)
                continue
            if not 200 <= response.status < 300:
                raise FetchRefused(_status_refusal(response.status, response.headers.get("Retry-After")))
            kind, charset = _content_type(response)
            body = await _read_body(response, policy.max_bytes)
            return Fetched(current, url, kind, charset, body, utc_now_iso())
    raise FetchRefused(f"The link redirects more than {policy.max_redirects} times: refused.")


def _status_refusal(status: int, retry_after: str | None) -> str:
    """One line for a page the site would not give: busy and down say to try later (when, if it said).

    Retry-After is the site's text: only ASCII delta-seconds up to a day are repeated ("²" passed isdigit()
    and broke int(), answering 'Something went wrong'; 10^40 s was shown as a 37-digit number of hours)."""
    if status == 429 or status == 503 and retry_after:
        wait = retry_after.strip() if retry_after else ""
        seconds = int(wait) if _DELTA_SECONDS.fullmatch(wait) else RETRY_SHOWN_MAX + 1
        when = f"in {_seconds_text(seconds)}" if seconds <= RETRY_SHOWN_MAX else "later"
        return f"The site is turning requests away for now (HTTP {status}): nothing was stored; try again {when}."
    if status >= 500:
        return f"The site is having trouble (HTTP {status}): nothing was stored; try again later."
    return f"The site answered HTTP {status}: there is no page to read."


def _seconds_text(seconds: int) -> str:
    if seconds < 90:
        return f"{max(seconds, 1)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600)} h"
