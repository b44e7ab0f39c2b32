"""Every reason the text pipeline can give a passage has the line the quote embed shows for it."""

from __future__ import annotations

from bot.corpus.reasons import SpoilerReason
from bot.quotes.render import _TEXT_REASONS


def test_every_text_spoiler_reason_has_an_embed_line() -> None:
    """review_marked and moderator are shown by their own flags; every other reason is the text's (issue 25: the
    structural `narration` reason included)."""
    outside = {SpoilerReason.REVIEW_MARKED, SpoilerReason.MODERATOR}
    assert {reason.value for reason in SpoilerReason if reason not in outside} <= set(_TEXT_REASONS)
