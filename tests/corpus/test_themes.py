"""Theme loading, validation and precise tagging on the seed reviews."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from bot.corpus import TaggedPassage, contrast_side, load_themes, process_review, tag_passage
from bot.corpus.themes import Theme

ROOT = Path(__file__).resolve().parents[2]
THEMES_PATH = ROOT / "data" / "themes.toml"
SEED_DIR = ROOT / "data" / "corpus" / "la-la-land"


@cache
def themes() -> dict[str, Theme]:
    """The real theme file."""
    return load_themes(THEMES_PATH)


@cache
def tagged() -> tuple[tuple[str, TaggedPassage], ...]:
    """(review prefix, passage) for every passage of the three seeds."""
    out = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        for passage in process_review(path.read_text(encoding="utf-8"), themes(), "La La Land", 2016):
            out.append((path.name[:3], passage))
    return tuple(out)


def with_theme(key: str) -> list[tuple[str, TaggedPassage]]:
    """The quotable passages tagged `key`: what quotes and prompts can show under the theme."""
    return [(review, p) for review, p in tagged() if key in p.themes and p.quotable]


def passage_containing(fragment: str) -> TaggedPassage:
    (passage,) = [p for _, p in tagged() if fragment in p.text]
    return passage


# Opening words of every passage that should be tagged "ending", by review.
# Passages as cut since dangling sentences are glued to the sentence they lean
# on and run-ons/headings/dialogue recaps are no longer quotable (bot/corpus/standalone.py).
EXPECTED_ENDING = {
    ("001", "The chemistry between Ryan Gosling and Emma Stone"),  # "And that ending—that jaw dropping release"
    ("001", "What makes this such a powerfully affecting love story"),  # "the end: ... reunite"; the epilogue
    ("001", "The last musical number is a masterful moment of catharsis"),  # the epilogue is that number
    ("002", "In La La Land, Mia gets her happy ending"),  # without Sebastian; the film's climax
    # Known miss: "Of course, Mia does eventually snap back to the present…" recounts the ending with no
    # ending word; the labelled seed set keeps it as gold, so it counts against recall, not precision.
    ("002", "Later, a first date"),  # reunite at the end of La La Land
    ("002", "Chazelle hands his audiences a surprisingly bitter pill"),  # "imagine an ending"
}

EXPECTED_NOSTALGIA = {
    ("000", "The film is literally inscribed with Hollywood's mythic past"),
    ("001", "La La Land is a movie about a romance"),  # "the romance of old Hollywood"
    # ("002", "But for all its colorful musical numbers…"): opens with "But", so not offered alone
    ("002", "Sebastian might encourage Mia’s backward gaze"),
    ("002", "La La Land delights in its throwbacks"),  # "clinging to the past"
    ("002", "To Keith, the best way"),  # "You hold onto the past"
}


def _matches(expected: set[tuple[str, str]], key: str) -> bool:
    got = with_theme(key)
    found = {
        (r, start) for r, start in expected for review, p in got if review == r and p.text.startswith(start)
    }
    return found == expected and len(got) == len(expected)


def test_ending_passages_are_exactly_about_la_la_lands_ending() -> None:
    """The ending tag lands on the La La Land epilogue passages listed above, and nowhere else."""
    assert _matches(EXPECTED_ENDING, "ending"), [p.text[:60] for _, p in with_theme("ending")]


def test_nostalgia_passages_are_exactly_the_nostalgia_ones() -> None:
    """The nostalgia tag lands on the passages listed above, and nowhere else."""
    assert _matches(EXPECTED_NOSTALGIA, "nostalgia"), [p.text[:60] for _, p in with_theme("nostalgia")]


def test_ending_quotes_name_the_ending() -> None:
    """A passage shown alone under "ending" contains an ending cue word."""
    cue = re.compile(r"\b(end|ends|ending|ended|epilogue|final|finale|last|climax|closing)\b", re.IGNORECASE)
    assert all(cue.search(p.text) for _, p in with_theme("ending"))


@pytest.mark.parametrize("key", ["ending", "nostalgia", "jazz", "los-angeles", "performances"])
def test_every_tagged_passage_carries_its_themes_cue(key: str) -> None:
    """A passage shown alone under a theme visibly talks about it (the theme's `requires` cue)."""
    theme = themes()[key]
    assert theme.requires is not None
    assert all(theme.requires.search(p.text) for _, p in with_theme(key))


def test_idiom_in_the_end_is_not_the_ending() -> None:
    """'In the end, Sebastian is right to encourage her' is an idiom, not the film's ending."""
    assert "ending" not in tag_passage("In the end, Sebastian is right to encourage her.", themes())
    assert "ending" not in passage_containing("In the end, Sebastian is right").themes


def test_ends_entirely_well_is_not_the_ending() -> None:
    """'an approach that ends entirely well' does not make a passage about the ending."""
    assert "ending" not in passage_containing("ends entirely well").themes


@pytest.mark.parametrize(
    "fragment",
    ["At the end of the film, he’s somehow returned", "Is Diane being given", "Demy’s film is sharp"],
)
def test_other_films_endings_are_not_tagged_ending(fragment: str) -> None:
    """Passages about the endings of 7th Heaven or Umbrellas of Cherbourg alone are not 'ending'."""
    assert "ending" not in passage_containing(fragment).themes


def test_ending_has_opposing_sides_from_two_reviews() -> None:
    """Ending passages come from 2+ reviews and include both cathartic and bitter wording."""
    ending = themes()["ending"]
    sides = {(review, contrast_side(p.text, ending)) for review, p in with_theme("ending")}
    assert ("001", -1) in sides and ("002", 1) in sides


@pytest.mark.parametrize("key", ["ending", "nostalgia", "jazz", "ambition-vs-love", "los-angeles",
                                 "musical-homage", "performances"])
def test_every_theme_has_at_least_two_passages(key: str) -> None:
    """Each required theme is found in at least two seed passages."""
    assert len(with_theme(key)) >= 2


def test_nostalgia_spans_reviews() -> None:
    """Nostalgia passages come from all three reviews."""
    assert {review for review, _ in with_theme("nostalgia")} == {"000", "001", "002"}


def test_jazz_club_as_location_is_not_jazz() -> None:
    """The climax passage mentions 'jazz club' only as a place, so it is not tagged jazz."""
    assert "jazz" not in passage_containing("In the film’s climax").themes


def test_la_of_la_la_land_is_not_los_angeles() -> None:
    """'La La Land' alone does not tag los-angeles (case-sensitive LA)."""
    assert "los-angeles" not in tag_passage("Here's what makes La La Land the perfect love story.", themes())


def test_refused_passages_get_themes_too() -> None:
    """Every passage is tagged, quotable or not (context, digests, spoiler handling use them all)."""
    refused = passage_containing("But for all its colorful musical numbers")
    assert not refused.quotable and "nostalgia" in refused.themes
    assert refused.refusal is not None


def test_contrast_side_reads_wording() -> None:
    """Cathartic wording leans to side -1, bitter wording to +1, neutral to 0."""
    ending = themes()["ending"]
    assert contrast_side("A moment of catharsis and joy.", ending) == -1
    assert contrast_side("A bitter pill; the reality seems crueler.", ending) == 1
    assert contrast_side("They walk out of the club.", ending) == 0


def test_contrast_star_matches_word_endings_only_when_asked() -> None:
    """'pain' (no star) does not match 'painterly'; 'cruel*' matches 'crueler'."""
    ending = themes()["ending"]
    assert contrast_side("the painterly Parisian tableaus", ending) == 0
    assert contrast_side("crueler", ending) == 1


def test_real_theme_file_is_complete() -> None:
    """Every theme has questions, a debate question, a sane poll and two contrast lists."""
    for theme in themes().values():
        assert len(theme.questions) >= 2 and theme.debate_question
        assert theme.poll_question is None or 2 <= len(theme.poll_answers) <= 5
        assert all(theme.contrasts) and theme.patterns
    assert themes()["ending"].spoiler and not themes()["jazz"].spoiler


VALID = """
[themes.demo]
name = "Demo"
description = "d"
spoiler = false
phrases = [{ pattern = '\\bdemo\\b', weight = 2 }]
questions = ["q1?", "q2?"]
debate_question = "Pick a side?"
contrasts = [["a"], ["b"]]
"""


def _load(tmp_path: Path, text: str) -> dict[str, Theme]:
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    return load_themes(path)


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    """A minimal theme without a poll loads and tags its phrase."""
    loaded = _load(tmp_path, VALID)
    assert loaded["demo"].poll_question is None and tag_passage("A demo text.", loaded) == {"demo": 2.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (VALID + "colour = 'red'\n", "unknown field(s): colour"),
        (VALID.replace('debate_question = "Pick a side?"\n', ""), "missing field(s): debate_question"),
        (VALID.replace("\\bdemo\\b", "(unclosed"), "bad regex"),
        (VALID.replace('["q1?", "q2?"]', '["q1?"]'), "'questions' needs at least 2"),
        (VALID + 'poll_question = "P?"\npoll_answers = ["1","2","3","4","5","6"]\n', "at most 5"),
        (VALID.replace("spoiler = false", 'spoiler = "no"'), "'spoiler' must be true or false"),
        (VALID + "\n[extra]\nx = 1\n", "unknown top-level key(s): extra"),
        (VALID.replace("[themes.demo]", "[themes.Demo_Theme]"), "lowercase words"),
    ],
)
def test_invalid_theme_files_raise_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    """Unknown keys, missing fields, bad regexes and bad polls raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _load(tmp_path, text)
