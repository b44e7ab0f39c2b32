"""Pure-text corpus core: clean scraped reviews, cut passages, tag themes.

Standard library only: no discord, no database, so the pipeline can run in
import scripts and tests without a bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus.clean import clean_review, content_hash, normalise_for_hash, strip_control
from bot.corpus.context import context_window
from bot.corpus.segment import Passage, segment, split_sentences
from bot.corpus.themes import (
    Film,
    Theme,
    ThemeSet,
    contrast_side,
    is_about_other_film,
    load_themes,
    tag_bound,
    tag_passage,
    themes_for_film,
)

__all__ = [
    "Film",
    "Passage",
    "TaggedPassage",
    "Theme",
    "ThemeSet",
    "clean_review",
    "content_hash",
    "context_window",
    "contrast_side",
    "load_themes",
    "normalise_for_hash",
    "process_review",
    "segment",
    "split_sentences",
    "strip_control",
    "tag_passage",
    "themes_for_film",
]

# A passage opening with one of these continues the previous one's argument
# ("...they don't speak." / "But the reality seems crueler.").
_CONTINUATION = re.compile(r"^(?:But|Yet|Still|And|Even so|Ultimately|Instead)\b")


@dataclass(frozen=True)
class TaggedPassage:
    """A Passage plus its theme scores (theme key -> score)."""

    ordinal: int
    paragraph: int
    text: str
    quotable: bool
    themes: dict[str, float] = field(default_factory=dict)


def _context_tags(
    passage: Passage, previous: Passage | None, prev_tags: dict[str, float], themes: dict[str, Theme]
) -> dict[str, float]:
    """Tag one passage, using the passage before it in the same paragraph.

    Two rules need context a single passage lacks:
    - a passage that names no film while the previous one was about another
      film ("At the end of the film, he's returned to her") is about that film;
    - a passage opening with "But/Yet/..." that uses a theme's contrast words
      carries on the previous passage's theme ("But the reality seems crueler.").
    """
    tags = tag_bound(passage.text, themes)  # `themes` are already bound to the film
    if previous is None:
        return tags
    for key, theme in themes.items():
        carried_over = theme.this_film_only and is_about_other_film(previous.text, theme) and not any(
            p.search(passage.text) for p in theme.anchors
        )
        if carried_over:
            tags.pop(key, None)
        elif (
            key in prev_tags
            and key not in tags
            and _CONTINUATION.match(passage.text)
            and contrast_side(passage.text, theme) != 0
            and theme.cued(passage.text)
        ):
            tags[key] = theme.threshold
    return tags


def process_review(
    raw: str, themes: dict[str, Theme], film: str | None = None, year: int | None = None
) -> list[TaggedPassage]:
    """clean -> segment -> tag. Only quotable passages get themes.

    film/year say which film the review is about: generic themes apply to every
    film, a film's own themes (La La Land's "jazz") only to its reviews.
    film None = unknown: generic themes only.
    """
    themes = themes_for_film(themes, film, year)
    result: list[TaggedPassage] = []
    previous: Passage | None = None
    prev_tags: dict[str, float] = {}
    for passage in segment(clean_review(raw), film):
        if previous is not None and previous.paragraph != passage.paragraph:
            previous, prev_tags = None, {}
        tags = _context_tags(passage, previous, prev_tags, themes) if passage.quotable else {}
        result.append(TaggedPassage(passage.ordinal, passage.paragraph, passage.text, passage.quotable, tags))
        previous, prev_tags = passage, tags
    return result
