"""Pure-text corpus core: clean scraped reviews, cut passages, tag themes.

Standard library only: no discord, no database, so the pipeline can run in
import scripts and tests without a bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus.clean import (
    Paragraph,
    clean_paragraphs,
    clean_review,
    content_hash,
    normalise_for_hash,
    strip_control,
)
from bot.corpus.narration import read_review
from bot.corpus.reasons import Refusal, SpoilerReason
from bot.corpus.reveal_zone import reveal_zone
from bot.corpus.segment import Passage, segment, split_sentences
from bot.corpus.spoilers import spoiler_reasons
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
    with_cast,
)

__all__ = [
    "Film",
    "Paragraph",
    "Passage",
    "Refusal",
    "SpoilerReason",
    "TaggedPassage",
    "Theme",
    "ThemeSet",
    "clean_paragraphs",
    "clean_review",
    "content_hash",
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
    """A Passage plus its theme scores (theme key -> score), why it is not quotable, why it is a spoiler."""

    ordinal: int
    paragraph: int
    text: str
    quotable: bool
    themes: dict[str, float] = field(default_factory=dict)
    refusal: Refusal | None = None
    spoiler: SpoilerReason | None = None


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
    raw: str, themes: dict[str, Theme], film: str | None = None, year: int | None = None, *, zone: bool = True
) -> list[TaggedPassage]:
    """clean -> segment -> tag -> spoilers. Every passage gets its themes and its spoiler reason,
    quotable or not (only quotable ones are ever quoted or prompted).

    zone False: the rules' own spoiler reasons, without the reveal zone (the tests of each rule; the bot always
    hides the rest of a review after its first reveal).

    film/year say which film the review is about: generic themes apply to every
    film, a film's own themes (La La Land's "jazz") only to its reviews.
    film None = unknown: generic themes only.
    """
    themes = themes_for_film(themes, film, year)
    paragraphs = clean_paragraphs(raw)
    themes = with_cast(themes, "\n".join(p.text for p in paragraphs))
    passages = segment([p.text for p in paragraphs], film)
    tagged: list[dict[str, float]] = []
    previous: Passage | None = None
    prev_tags: dict[str, float] = {}
    for passage in passages:
        if previous is not None and previous.paragraph != passage.paragraph:
            previous, prev_tags = None, {}
        tags = _context_tags(passage, previous, prev_tags, themes)
        tagged.append(tags)
        previous, prev_tags = passage, tags
    # The rules' reasons, then the safe side: the rest of a review after its first reveal (reveal_zone.py). The
    # review's characters and narration flags are read once and shared by both (narration.read_review).
    texts = [p.text for p in passages]
    reading = read_review(texts, film)
    reasons = spoiler_reasons(
        texts,
        [p.paragraph for p in passages],
        [paragraphs[p.paragraph].spoiler_zone for p in passages],
        [any(themes[key].spoiler for key in tags) for tags in tagged],
        film,
        reading=reading,
    )
    if zone:
        reasons = reveal_zone(reasons, texts, tagged, film, reading, [p.paragraph for p in passages])
    return [
        TaggedPassage(p.ordinal, p.paragraph, p.text, p.quotable, tags, p.refusal, reason)
        for p, tags, reason in zip(passages, tagged, reasons, strict=True)
    ]
