"""context_window: a bounded window of whole sentences around a passage."""

from __future__ import annotations

from pathlib import Path

from bot.corpus import clean_review, context_window, segment, split_sentences

SEED_002 = Path(__file__).resolve().parents[2] / "data" / "corpus" / "la-la-land" / "002_68a50970d831e85b.txt"
PARAGRAPH = "One is short. Two follows. Three is the passage. Four comes after. Five ends it."


def test_window_takes_two_sentences_each_side() -> None:
    """Default before=2/after=2 around a one-sentence passage."""
    assert context_window(PARAGRAPH, "Three is the passage.") == PARAGRAPH


def test_window_respects_before_and_after_counts() -> None:
    """before/after bound how many neighbours are added on each side."""
    assert context_window(PARAGRAPH, "Three is the passage.", before=1, after=0) == "Two follows. Three is the passage."


def test_window_accepts_sentence_list() -> None:
    """The paragraph may be given as its sentences."""
    window = context_window(split_sentences(PARAGRAPH), "Four comes after.", before=1, after=5)
    assert window == "Three is the passage. Four comes after. Five ends it."


def test_window_stays_within_limit_and_never_cuts_a_sentence() -> None:
    """Neighbours that would overflow the limit are left out whole."""
    long = "A" + "a" * 300 + "."
    paragraph = f"{long} Short one. Middle passage here. {long}"
    window = context_window(paragraph, "Middle passage here.", limit=100)
    assert window == "Short one. Middle passage here."


def test_unknown_passage_returns_passage_alone() -> None:
    """A passage not in the paragraph is returned as is, never unrelated text."""
    assert context_window(PARAGRAPH, "Not here at all.") == "Not here at all."


def test_one_line_review_gets_a_window_not_the_whole_line() -> None:
    """Review 002 is one 8,000-char line: each passage's context is <= 1,000 chars and contains it."""
    (paragraph,) = clean_review(SEED_002.read_text(encoding="utf-8"))
    assert len(paragraph) > 8000
    for passage in segment([paragraph]):
        window = context_window(paragraph, passage.text)
        assert passage.text in window
        assert len(window) <= max(1000, len(passage.text))
        assert len(window) > len(passage.text) or len(passage.text) > 600
