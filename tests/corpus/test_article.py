"""bot/corpus/article.py: a fetched page's article and metadata (trafilatura), and the worker it runs in."""

from __future__ import annotations

import time

import pytest

from bot.corpus.article import extract_article
from bot.corpus.pool import WorkerTimeout, run_isolated
from tests.helpers import REVIEW_PAGES


def page(name: str) -> bytes:
    return (REVIEW_PAGES / f"{name}.html").read_bytes()


def test_byline_only_in_json_ld_is_found_with_the_film_it_reviews():
    """No byline in the HTML: the author, publisher and reviewed film come from schema.org JSON-LD."""
    article = extract_article(page("jsonld"), "text/html", "utf-8", "http://site.test/moonlight")
    assert (article.author, article.sitename, article.film) == ("Samuel Okafor", "Screen Notes Quarterly", "Moonlight")
    assert not article.paragraphs[0].startswith("Moonlight is a quiet revolution"), "the headline is not a paragraph"


def test_windows_1252_page_without_a_header_charset_is_decoded_from_its_meta():
    """Accents survive: the page's meta charset is honoured when the header names none."""
    article = extract_article(page("latin1"), "text/html", None, "http://site.test/lalaland")
    assert article.author == "Élodie Marchand" and "embouteillage géant" in article.text


@pytest.mark.parametrize("declared", [None, "utf-8"], ids=["no header charset", "a header that lies"])
def test_json_ld_of_a_windows_1252_page_is_read_in_its_encoding(declared):
    """The film and critic named only in JSON-LD keep their accents on a Windows-1252 page (they were read
    as UTF-8 whatever the page: 'Am\ufffdlie', a new film of that name on Save)."""
    text = page("jsonld").decode("utf-8").replace('"Moonlight", "dateCreated"', '"Amélie", "dateCreated"')
    text = text.replace("Samuel Okafor", "Zoë Okafor").replace('<meta charset="utf-8">',
                                                              '<meta charset="windows-1252">')
    article = extract_article(text.encode("cp1252", errors="replace"), "text/html", declared, "http://site.test/a")
    assert article.film == "Amélie" and article.author == "Zoë Okafor"


def test_paywall_teaser_is_refused_as_paywalled():
    """isAccessibleForFree: false and a subscription prompt over a teaser: refused, saying so."""
    article = extract_article(page("paywall"), "text/html", "utf-8", "http://site.test/arrival")
    assert article.refusal and "paywalled" in article.refusal and not article.text


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"<html><head><title>x</title></head><body></body></html>", "no article text"),
        (b"<html><body><p>Too short to be a review of anything at all, really.</p></body></html>", "article"),
    ],
)
def test_empty_or_tiny_pages_are_refused(body, needle):
    """An empty page or a stub holds no review."""
    article = extract_article(body, "text/html", "utf-8", "http://site.test/")
    assert article.refusal and needle in article.refusal


def test_plain_text_keeps_its_paragraphs_and_states_no_byline():
    """text/plain: the text as it is, one paragraph per line, no critic or outlet made up."""
    article = extract_article((REVIEW_PAGES / "plain.txt").read_bytes(), "text/plain", "utf-8", "http://t/")
    assert article.author is None and article.sitename is None and len(article.paragraphs) == 4


async def test_worker_job_past_its_time_is_killed_and_the_next_job_runs():
    """run_isolated: a runaway job ends in WorkerTimeout; the worker is replaced for the next one."""
    with pytest.raises(WorkerTimeout):
        await run_isolated(time.sleep, 30, timeout=0.5)
    assert await run_isolated(sum, [1, 2, 3], timeout=30) == 6


def test_a_json_ld_block_nested_too_deeply_is_skipped_not_fatal():
    """A hostile page opening with a JSON-LD block 5,000 arrays deep: that block is skipped and the page's
    own JSON-LD still names the critic (json's RecursionError escaped extract_article before, so
    /review add-link and `filmbot preview URL` failed on the page)."""
    deep = '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>\n"
    text = page("jsonld").decode("utf-8").replace('<script type="application/ld+json">', deep + '<script type="application/ld+json">', 1)
    article = extract_article(text.encode("utf-8"), "text/html", "utf-8", "http://site.test/moonlight")
    assert article.refusal is None and article.author == "Samuel Okafor" and article.film == "Moonlight"


def shape(name: str, url: str = "http://127.0.0.1:8000/page/x", charset: str | None = "utf-8"):
    return extract_article(page(f"shapes_{name}"), "text/html", charset, url)


def test_iso_8859_1_declared_in_a_meta_tag_is_read_as_windows_1252():
    """A page whose <meta> says ISO-8859-1 keeps its curly quotes and dashes, as browsers read it (they were
    decoded as C1 control characters and vanished: "Tatis Playtime")."""
    article = shape("iso8859", charset=None)
    assert "Jacques Tati’s “Playtime”" in article.text and "release – Tati" in article.text
    assert "façade" in article.text and article.author == "Hélène Duprée"
    assert not any("\x80" <= ch <= "\x9f" for ch in article.text)


def test_a_header_saying_iso_8859_1_is_read_as_windows_1252_too():
    """The same rule for the HTTP header's charset."""
    assert "Tati’s" in shape("cp1252", charset="iso-8859-1").text


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/page/x", "https://www.framerate.example/reviews/aftersun",
                                 "https://framerate.example/a"])
def test_a_page_that_names_no_site_has_no_outlet_not_its_address(url):
    """No site name in the page: no outlet (trafilatura's fallback, the URL's host, was stored as the outlet)."""
    article = shape("anonymous", url=url)
    assert (article.author, article.sitename) == (None, None) and article.text


def test_a_site_name_the_page_states_is_the_outlet():
    """og:site_name and JSON-LD publisher are the page's own statement."""
    assert shape("no_byline").sitename == "Nightjar Cinema Club"
    assert shape("jsonld_review").sitename == "Frame Rate"


def test_a_list_of_the_years_best_films_is_refused_as_no_review_of_one_film():
    """'The 10 best films of 2024' is an article, but of ten films: refused, saying so (it was accepted)."""
    article = shape("listicle")
    assert article.refusal and "list of films" in article.refusal and not article.text


def test_a_teaser_whose_subscribe_prompt_is_page_furniture_is_refused_as_paywalled():
    """Two paragraphs, then 'Subscribe to read the full review.' in a box trafilatura leaves out: refused as a
    teaser (it was stored as if it were the whole review)."""
    article = shape("paywall_teaser")
    assert article.refusal and "paywalled" in article.refusal


def test_the_film_the_json_ld_reviews_comes_with_its_year_and_a_page_2_link_is_noted():
    """itemReviewed's dateCreated gives the film's year; "Page 2 →" is where the review goes on."""
    article = shape("jsonld_review")
    assert (article.film, article.film_year, article.continues) == ("Aftersun", 2022, None)
    paged = shape("paged", url="http://127.0.0.1:8000/page/shapes_paged")
    assert paged.continues == "http://127.0.0.1:8000/page/shapes_paged_2"


@pytest.mark.parametrize("name", ["og_only", "byline_markup", "two_authors", "amp"])
def test_the_critic_is_read_from_opengraph_markup_json_ld_and_amp_pages(name):
    """Each way a page names its critic is found; two authors are both named."""
    expected = {"og_only": "Tomasz Weller", "byline_markup": "Rosa Lindqvist", "two_authors": "Ines Halloran; Dev Raman",
                "amp": "Ines Halloran"}
    assert shape(name).author == expected[name]


@pytest.mark.parametrize("unit", [b"<script x ", b'<script type="application/ld+json">{', b"<a href=x ", b"<style>",
                                  b"<meta charset=", b"<a>Page 2 <a "])
def test_hostile_markup_after_a_review_costs_linear_time(unit: bytes) -> None:
    """Unclosed scripts, JSON-LD blocks, links and tags after a real review: 30 KB → 300 KB of them costs less
    than 20× more and under 2 s (the lazy `<script.*?</script>` and `<a[^>]*>` scans were quadratic: 290 KB 31 s)."""
    review = page("shapes_comments")

    def cost(size: int) -> float:
        body = review.replace(b"</body>", unit * (size // len(unit)) + b"</body>")
        best = float("inf")
        for _ in range(3):  # CPU time, best of three: a loaded CI machine stretches wall time, not the work done
            started = time.process_time()
            assert extract_article(body, "text/html", "utf-8", "http://x.example/r").refusal is None
            best = min(best, time.process_time() - started)
        return best

    small, large = cost(30_000), cost(300_000)
    assert large < 4.0, f"{large:.2f} s for 300 KB"
    assert large / max(small, 0.01) < 20, f"30 KB {small * 1000:.0f} ms, 300 KB {large * 1000:.0f} ms"


def test_a_page_declaring_utf_16_in_its_meta_is_read_as_utf_8() -> None:
    """A <meta charset="utf-16"> in a page whose markup reads as ASCII is a mistake browsers correct (UTF-8, per the
    Encoding standard); read as UTF-16 its text was CJK noise and the review was refused."""
    body = page("shapes_cp1252").replace(b"windows-1252", b"utf-16").replace(b"\x92", b"'")
    article = extract_article(body, "text/html", None, "http://x.example/r")
    assert article.refusal is None and "film" in article.text.lower()


_CAPSULE = (
    "<p>Charlotte Wells builds Aftersun out of a holiday that seems, at first, to contain nothing at all: a father"
    " and his eleven-year-old daughter at a cheap Turkish resort, a pool, a karaoke night, a mud bath.</p>"
    "<p>The camcorder footage turns from a souvenir into evidence, and Paul Mescal plays the father as a man"
    " performing calm for an audience of one. It is a small film that leaves a very large bruise.</p>"
    "<p>See it on the biggest screen you can find, and then sit in the dark a little longer than you meant to.</p>"
)


def capsule_page(title: str, header: str = "", after: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<header>{header}</header><main><article><h1>{title}</h1>{_CAPSULE}{after}</article></main>"
            "<footer>Frame Rate is written by volunteers. Contact us about corrections.</footer></body></html>"
            ).encode()


def test_a_short_review_under_a_header_offering_subscriber_sign_in_is_kept():
    """A complete capsule review on a site whose header says "Already a subscriber? Sign in to continue": the
    prompt is above the review, not where its text stops, so it is no wall (it was refused as paywalled)."""
    header = "<a href='/'>Frame Rate</a> <a href='/login'>Already a subscriber? Sign in to continue</a>"
    article = extract_article(capsule_page("Aftersun review", header=header), "text/html", "utf-8", "http://x/r")
    assert article.refusal is None and article.text.endswith("a little longer than you meant to.")


def test_the_same_short_review_stopped_by_a_subscription_prompt_is_a_teaser():
    """The prompt right where the text stops is still a wall: refused as paywalled."""
    wall = "<div class='paywall'><p>Subscribe to read the full review.</p></div>"
    article = extract_article(capsule_page("Aftersun review", after=wall), "text/html", "utf-8", "http://x/r")
    assert article.refusal and "paywalled" in article.refusal


@pytest.mark.parametrize("title", [
    "The best horror films don't explain: Aftersun review", "The worst thing movies do is explain – Aftersun review",
    "The most beautiful films are quiet | Frame Rate"])
def test_a_review_headline_opening_with_a_superlative_is_not_a_list(title):
    """A one-film review whose headline starts "The best … films" is kept (it was refused as a list of films)."""
    article = extract_article(capsule_page(title), "text/html", "utf-8", "http://x/r")
    assert article.refusal is None and article.text


@pytest.mark.parametrize("title", ["The best films of 2024 | Frame Rate", "Top 5 movies to watch this week",
                                   "The greatest films ever made", "Our favourite films | Frame Rate",
                                   "Best movies on Netflix right now", "12 documentaries about grief"])
def test_a_ranking_headline_is_still_a_list(title):
    """Headlines that gather films (a number, or a superlative with a list's scope) stay refused."""
    article = extract_article(capsule_page(title), "text/html", "utf-8", "http://x/r")
    assert article.refusal and "list of films" in article.refusal


@pytest.mark.parametrize("label", ["undefined", "unicode_escape", "rot13", "cp500"])
def test_a_charset_only_python_knows_is_ignored_as_a_browser_would(label: str) -> None:
    """`undefined` failed on every byte (the review refused as empty), `unicode_escape` rewrote the critic's
    backslashes, `rot13` and EBCDIC are no web page's charset: the label is ignored and the page read as UTF-8."""
    body = page("shapes_cp1252").replace(b"windows-1252", label.encode()).replace(b"\x92", b"'")
    body = body.replace(b"</p>", b" C:\\u0041\\n</p>", 1)
    article = extract_article(body, "text/html", None, "http://x.example/r")
    assert article.refusal is None, article.refusal
    assert "C:\\u0041\\n" in article.text
