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
