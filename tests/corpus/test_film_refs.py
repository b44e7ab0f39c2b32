"""The film's own title as a pattern: one matcher for theme anchors and for recaps that must name their film."""

from __future__ import annotations

import pytest

from bot.corpus.film_refs import title_anchor
from bot.corpus.standalone import standalone_problem


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Pan's Labyrinth", "Pan’s Labyrinth ends in a garden."),
        ("The Worst Person in the World", "Worst Person in the World never settles."),
        ("A Star Is Born", "Star Is Born turns on a rooftop."),
        ("An Education", "An Education lets its heroine choose."),
        ("La La Land (2016)", "la-la land closes on a smile."),
    ],
)
def test_the_title_is_found_with_or_without_its_article_and_punctuation(title: str, text: str) -> None:
    anchor = title_anchor(title)
    assert anchor is not None and anchor.search(text)


@pytest.mark.parametrize("title", ["", "The", "A", None])
def test_no_title_no_pattern_or_only_the_word_itself(title: str | None) -> None:
    anchor = title_anchor(title)
    assert anchor is None or anchor.pattern.lower().count(r"\b") == 2  # "The" alone is a one-word title


def test_a_recap_naming_its_film_without_the_article_is_its_film() -> None:
    """"Star Is Born ends…" names A Star Is Born: the recap is this film's and may be offered."""
    recap = "In the end, Star Is Born lets its heroine walk onto the stage alone, and the song carries her."
    untied = "In the end, the heroine walks onto the stage alone, and the song carries her."
    assert standalone_problem(recap, "A Star Is Born") is None
    assert standalone_problem(untied, "A Star Is Born") is not None
