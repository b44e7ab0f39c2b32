"""What a quote is (a corpus passage with its attribution) and what a member can filter quotes by: pure
domain types every feature that shows passages shares (quotes, discussion, flags, reviews)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.films import unattributed_label

if TYPE_CHECKING:
    from bot.corpus.themes_model import Theme


@dataclass(frozen=True)
class QuoteFilters:
    film: str | None = None
    critic: str | None = None
    theme: str | None = None
    about: str | None = None


@dataclass(frozen=True)
class Quote:
    passage_id: int
    review_id: int
    text: str
    paragraph: int
    ordinal: int
    critic: str | None
    outlet: str | None
    url: str | None
    published: str | None
    review_spoiler: bool
    film_title: str
    film_year: int | None
    themes: tuple[str, ...]
    # Moderators' corpus-wide decisions (passage_marks): shown behind spoiler bars, never picked,
    # quoted as the one sentence kept (then `text` is that sentence).
    marked_spoiler: bool = False
    hidden: bool = False
    trimmed: bool = False
    # Why the passage's own text is a spoiler (bot/corpus/reasons.py SpoilerReason key), None if it is not.
    spoiler_reason: str | None = None
    film_id: int | None = None  # films.id: what the spoiler gate keys on

    @property
    def ref(self) -> str:
        """How every screen names this passage: `passage_ref`."""
        return passage_ref(self.review_id, self.ordinal)

    @property
    def attribution(self) -> str:
        """The critic's name, or a stable honest label when the review has no byline."""
        return self.critic or unattributed_label(self.review_id)


def passage_ref(review_id: int, ordinal: int) -> str:
    """'Review #12 · passage 3' (ordinal 0-based, shown from 1): the one name of a passage, under /quote, /discuss,
    /debate, in the flags queue and /passage's answers, and what /passage's `passage:` options are pasted with."""
    return f"Review #{review_id} · passage {ordinal + 1}"


SEARCH_CANDIDATES = 2000  # matches /search ranks at most (the earliest in corpus order)


# A server's discussion rotation, as the discussion feature picks from it in SQL (discussion/rotation_store
# pick), records and reads it (discussion/rotation, discussion/store).

# How many of a server's latest prompts count as "just seen" (discussion/rotation RotationState.recent).
RECENT_PROMPTS = 30


@dataclass(frozen=True)
class RotationKey:
    """One rotation: a server's prompts on one theme for one film scope (its posted_prompts rows)."""

    guild_id: int
    theme: str
    film_key: str  # films.id as text, '' = every film


@dataclass(frozen=True)
class RotationPick:
    """A /discuss passage chosen by the store, and the cycle it is recorded in."""

    quote: Quote
    cycle: int
    cycle_restarted: bool


def is_spoiler(quote: Quote, themes: dict[str, Theme]) -> bool:
    """Hidden when the review spoils throughout, a moderator marked the passage, the passage's text was
    found to give the ending away (its stored spoiler reason), or it carries a spoiler theme."""
    return (
        quote.review_spoiler
        or quote.marked_spoiler
        or quote.spoiler_reason is not None
        or any(themes[t].spoiler for t in quote.themes if t in themes)
    )
