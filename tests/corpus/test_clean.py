"""Cleaning of scraped reviews: boilerplate removal, lost-word gaps, hashing."""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

from bot.corpus.clean import (
    clean_review,
    content_hash,
    is_boilerplate,
    normalise_for_hash,
    strip_control,
)
from bot.corpus.segment import segment

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "data" / "corpus" / "la-la-land"


@cache
def seed(prefix: str) -> str:
    """Raw text of the seed review whose file name starts with prefix."""
    (path,) = SEED_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def all_passage_texts() -> tuple[str, ...]:
    """Text of every passage of the three seed reviews."""
    return tuple(p.text for prefix in ("000", "001", "002") for p in segment(clean_review(seed(prefix))))


BOILERPLATE = [
    "Summit Entertainment",
    "Related:",
    "Best Ryan Gosling Movies",
    "Musicals That Need",
    "FreewayShot",
    "gosling-stone",
    "Brody-La-La-Land",
    "bittersweet-ending",
    "Lionsgate",
    "Sourced via",
    "Two Deeply Confused Leads",
    "A Natural Romance for Life",
    "The Heightened Emotion of a Musical Number",
    "A Bittersweet End",
    "This post contains spoilers",
]


@pytest.mark.parametrize("fragment", BOILERPLATE)
def test_no_boilerplate_reaches_a_passage(fragment: str) -> None:
    """Captions, credits, promo links, headings and disclaimers never appear in a passage."""
    assert all(fragment not in text for text in all_passage_texts())


def test_no_passage_has_double_spaces() -> None:
    """Whitespace runs are collapsed or marked, never left as '  '."""
    assert all("  " not in text for text in all_passage_texts())


@pytest.mark.parametrize(
    "marked",
    [
        "performs her […] show",
        "numbers and […] Hollywood mythmaking",
        "she’s an […] actress",
        "classic Hollywood […] story",
        "both oddly […] and strangely",
        "given a […] happy ending",
        "the surreal, […] sets",
        "has a […] poppy sound",
        "Cherbourg, a […] tale",
        "shop very […] to the titular",
        "turns into a […] number with",
    ],
)
def test_lost_word_gaps_are_marked(marked: str) -> None:
    """Every known lost word in review 002 becomes an omission mark inside a passage."""
    assert any(marked in text for text in all_passage_texts())


def test_gap_after_sentence_end_is_not_a_lost_word() -> None:
    """'old wounds.   Far earlier' is a sentence boundary, so no omission mark is added."""
    (paragraph,) = clean_review(seed("002"))
    assert "old wounds. Far earlier" in paragraph


def test_gap_after_em_dash_is_not_a_lost_word() -> None:
    """An em dash followed by spaces is spacing, not a lost word."""
    (paragraph,) = clean_review(seed("002"))
    assert "aspirations are — she’s crashed" in paragraph and "— […]" not in paragraph


def test_detached_closing_quote_is_reattached() -> None:
    """'“fools who dream. ”' is normalised to '“fools who dream.”'."""
    (paragraph,) = clean_review(seed("002"))
    assert "“fools who dream.”" in paragraph and "dream. ”" not in paragraph


def test_paragraphs_follow_source_lines() -> None:
    """Review 000 has 13 prose lines and keeps them as 13 paragraphs."""
    assert len(clean_review(seed("000"))) == 13


@pytest.mark.parametrize(
    "line",
    [
        "la-la-land-bittersweet-ending",
        "FreewayShotLionsgate-58b8a7d33df78c353ce22d5c",
        "Lionsgate",
        "Sourced via Summit Entertainment",
        "Photo by Dale Robinette.",
        "Related: Best Ryan Gosling Movies, Ranked",
        "Read more: Is La La Land Overrated?",
        "Why The Ending Still Hurts Audiences Everywhere?",
        "https://example.com/la-la-land",
        "A Natural Romance for Life",
    ],
)
def test_boilerplate_lines_are_detected(line: str) -> None:
    """General rules recognise slugs, studio names, credits, promo lines, URLs and headings."""
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Sebastian shrugs.", "It's a classic Hollywood story, and it works."])
def test_short_prose_lines_are_kept(line: str) -> None:
    """A short real sentence is not mistaken for a heading."""
    assert not is_boilerplate(line)


def test_strip_control_removes_nul_and_keeps_newlines_and_tabs() -> None:
    """NUL, bell and escape go; newline and tab stay; CRLF becomes LF."""
    assert strip_control("a\x00b\x07c\x1b\td\r\ne") == "abc\td\ne"


def test_hash_ignores_whitespace_and_quote_style() -> None:
    """Two scrapes differing only in whitespace, quote style and dashes hash the same."""
    one = "“It feels really nostalgic to me,” she says.  Sebastian   shrugs — fine."
    two = '"It feels really nostalgic to me," she says.\nSebastian shrugs - fine. '
    assert normalise_for_hash(one) == normalise_for_hash(two)
    assert content_hash(one) == content_hash(two)


def test_hash_differs_for_different_words() -> None:
    """Changing a word changes the hash."""
    assert content_hash("Sebastian shrugs.") != content_hash("Sebastian smiles.")


def test_hash_ignores_omission_marks_and_accents() -> None:
    """A cleaned copy (with '[…]') of a review hashes like the raw one with a gap."""
    assert normalise_for_hash("Geneviève, an […] actress") == normalise_for_hash("Genevieve, an   actress")


def test_corpus_package_imports_only_standard_library() -> None:
    """bot.corpus's text modules import only the standard library and each other (store and bundle do I/O)."""
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for path in (ROOT / "bot" / "corpus").glob("*.py"):
        if path.stem in IO_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed or name.startswith("bot.corpus"), (path.name, name)


# Not pure text: the corpus SQL (and `filter_store`, the SQL of a film or critic filter), the bundled import,
# the Discord-side lookup (autocomplete choices), article extraction (trafilatura, run in the worker), the
# preview CLI (it fetches a URL with the bot's fetch rules) and passage (the Quote type every feature shares;
# pure, but it names core.films' label for unattributed reviews), changes_store (what a corpus write changed,
# read inside its transaction for the summaries), summary (those summaries in memory, kept at the database's
# corpus version), catalogue_store (the films, critics and theme counts every feature reads) and
# quote_rows_store (a passage read as a Quote).
IO_MODULES = {"store", "bundle", "bundle_store", "filter_store", "lookup", "article", "preview", "passage",
              "changes_store", "summary", "catalogue_store", "quote_rows_store"}
