"""Sentence splitting and passage grouping."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.clean import clean_review
from bot.corpus.segment import (
    MAX_GLUED,
    MAX_SENTENCE,
    MIN_QUOTABLE,
    Passage,
    segment,
    split_sentences,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "corpus" / "la-la-land"
SENTENCE_START = re.compile(r"^[\"“‘'(]*[A-Z0-9]")
SENTENCE_END = re.compile(r"[.?!…][\"”’')\]]*$")


@cache
def seed_paragraphs(prefix: str) -> tuple[str, ...]:
    """Cleaned paragraphs of one seed review."""
    (path,) = SEED_DIR.glob(f"{prefix}_*.txt")
    return tuple(clean_review(path.read_text(encoding="utf-8")))


@cache
def seed_passages(prefix: str) -> tuple[Passage, ...]:
    """Passages of one seed review."""
    return tuple(segment(list(seed_paragraphs(prefix))))


ALL = ("000", "001", "002")


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Dr. Mia met Mr. Jones in St. Louis. They talked.",
         ["Dr. Mia met Mr. Jones in St. Louis.", "They talked."]),
        ("A jam set amid an L. A. traffic jam recalls Demy. It works.",
         ["A jam set amid an L. A. traffic jam recalls Demy.", "It works."]),
        ("It opened in the U.S. in December. Then it won.",
         ["It opened in the U.S. in December.", "Then it won."]),
        ("Written by J. K. Smith. Fine.", ["Written by J. K. Smith.", "Fine."]),
        ("“Are people going to like it?” she asks. Sebastian shrugs.",
         ["“Are people going to like it?” she asks.", "Sebastian shrugs."]),
        ("“Fuck ‘em!” In the end, he is right.", ["“Fuck ‘em!”", "In the end, he is right."]),
        ("the other “fools who dream.” It’s a wistful number.",
         ["the other “fools who dream.”", "It’s a wistful number."]),
        ("“I thought—” She stopped.", ["“I thought—”", "She stopped."]),
        ("He hates jargon. (A writer boasts of “world-building”.) Funny.",
         ["He hates jargon.", "(A writer boasts of “world-building”.)", "Funny."]),
        ("numbers and […] Hollywood mythmaking, it works.",
         ["numbers and […] Hollywood mythmaking, it works."]),
        ("She waits... Nothing happens.", ["She waits...", "Nothing happens."]),
        ("It ended in 2016. 2017 was different.", ["It ended in 2016.", "2017 was different."]),
        ("that ending—that jaw dropping release—has become legend.",
         ["that ending—that jaw dropping release—has become legend."]),
    ],
)
def test_split_sentences_cases(paragraph: str, expected: list[str]) -> None:
    """Abbreviations, initials, quotes, dashes and omission marks are handled."""
    assert split_sentences(paragraph) == expected


def test_splitter_handles_the_one_line_review() -> None:
    """Review 002 (one 8,000-char line) splits into many sentences, none huge."""
    sentences = split_sentences(seed_paragraphs("002")[0])
    assert len(sentences) > 50 and max(map(len, sentences)) < 450


@pytest.mark.parametrize("prefix", ALL)
def test_no_passage_exceeds_the_cap(prefix: str) -> None:
    """Several sentences stay within 600 chars (450 unless glued to the one they lean on); one within 1,000."""
    for passage in seed_passages(prefix):
        cap = MAX_SENTENCE if len(split_sentences(passage.text)) == 1 else MAX_GLUED
        assert len(passage.text) <= cap, passage.text


@pytest.mark.parametrize("prefix", ALL)
def test_quotable_passages_are_whole_sentences_in_bounds(prefix: str) -> None:
    """Quotable passages have 1-3 sentences, 40-600 chars (one sentence: up to 1,000), capital start, terminal end."""
    for passage in (p for p in seed_passages(prefix) if p.quotable):
        sentences = split_sentences(passage.text)
        assert 1 <= len(sentences) <= 3, passage.text
        cap = MAX_SENTENCE if len(sentences) == 1 else MAX_GLUED
        assert MIN_QUOTABLE <= len(passage.text) <= cap, passage.text
        assert SENTENCE_START.match(passage.text) and SENTENCE_END.search(passage.text), passage.text


@pytest.mark.parametrize("prefix", ALL)
def test_passages_rebuild_their_paragraphs(prefix: str) -> None:
    """Passages never cross a paragraph and together drop no text of it."""
    paragraphs = seed_paragraphs(prefix)
    for index, paragraph in enumerate(paragraphs):
        parts = [p.text for p in seed_passages(prefix) if p.paragraph == index]
        assert " ".join(parts) == paragraph


@pytest.mark.parametrize("prefix", ALL)
def test_ordinals_are_consecutive(prefix: str) -> None:
    """Ordinals run 0..n-1 across the review."""
    assert [p.ordinal for p in seed_passages(prefix)] == list(range(len(seed_passages(prefix))))


def test_long_whole_sentence_is_one_quotable_passage() -> None:
    """The 486-char homage sentence of review 000 stays one passage (was 2 pieces); it opens with "But", a
    reply to the paragraph before, so it is kept but not offered as a quote on its own."""
    (passage,) = [p for p in seed_passages("000") if p.paragraph == 7]
    assert len(passage.text) == 486 and passage.text.startswith("But ") and not passage.quotable


def test_short_fragment_is_not_quotable() -> None:
    """A paragraph that is a single short sentence is kept but not quotable."""
    (passage,) = segment(["Sebastian shrugs."])
    assert passage.text == "Sebastian shrugs." and not passage.quotable


def test_question_only_passage_is_not_quotable() -> None:
    """Rhetorical questions alone are not offered as a critic's view."""
    (passage,) = segment(["Has she finally lost her mind, and hallucinated a vision of her dead lover?"])
    assert not passage.quotable


def test_short_last_sentence_joins_previous_passage() -> None:
    """A trailing short sentence is folded into the previous passage rather than orphaned."""
    long_sentence = "The epilogue imagines the life they could have had, " + "and it lingers " * 12 + "there."
    passages = segment([long_sentence + " It hurts."])
    assert len(passages) == 1 and passages[0].text.endswith("It hurts.")


def test_heavily_damaged_passage_is_not_quotable() -> None:
    """More than two omission marks make a passage too damaged to quote."""
    (passage,) = segment(["She is an […] actress, a […] star, a […] wife and a […] mother now."])
    assert not passage.quotable


NASTY = st.sampled_from([
    "\x00", "\u200f", "\u202e", "😀", "👩‍👩‍👧", "  ", "   ", "\n", "\n\n", "\t", "\u00a0",
    ". ", "? ", "!” ", "—  ", "[…]", "L. A. ", "Mr. ", "“", "”", "Related: ", "-", ",",
])
WORDS = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
PIECES = st.lists(st.one_of(NASTY, WORDS, st.sampled_from(["Sebastian", "jazz", "a", "The"])), max_size=400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(PIECES.map("".join), st.text(max_size=2000)))
def test_clean_and_segment_never_break_on_arbitrary_text(raw: str) -> None:
    """Any input gives passages without '  ' and none over 1,000 chars, without raising."""
    for passage in segment(clean_review(raw)):
        assert len(passage.text) <= MAX_SENTENCE and "  " not in passage.text
        assert "\x00" not in passage.text and passage.text == passage.text.strip()


@settings(max_examples=10, deadline=None)
@given(
    st.text(alphabet="ab .\x00😀\u200f\u202e", min_size=1, max_size=300).map(
        lambda chunk: (chunk * (10_000 // len(chunk) + 1))[:10_000]  # Hypothesis caps drawn sizes
    )
)
def test_ten_thousand_chars_without_breaks_are_capped(raw: str) -> None:
    """A 10k-char blob with few or no sentence ends is still cut under the cap."""
    passages = segment(clean_review(raw))
    assert all(len(p.text) <= MAX_SENTENCE and "  " not in p.text for p in passages)


def test_a_lone_capital_before_a_period_is_an_initial_but_not_before_a_question_mark() -> None:
    """The boundary pattern skips "A." itself (hostile text repeats it); "I?" still ends a sentence."""
    from bot.corpus.segment import split_sentences

    assert split_sentences("J. K. Rowling wrote it. Then A. B. Smith read it.") == [
        "J. K. Rowling wrote it.", "Then A. B. Smith read it."]
    assert split_sentences("Was it I? Yes, it was.") == ["Was it I?", "Yes, it was."]
    assert split_sentences("“A. Smith said so. He left.") == ["“A. Smith said so.", "He left."]
