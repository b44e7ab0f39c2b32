"""Neighbouring sentences of a passage, for the "More context" button.

Showing the whole source paragraph works for ordinary reviews, but a scraped
review can be one 8,000-character line: the paragraph would not fit a Discord
message and would bury the quote.  context_window returns a bounded window of
whole sentences around the passage instead.  Pure function, linear time.
"""

from __future__ import annotations

from bot.corpus.segment import join_sentences, split_sentences

MAX_CONTEXT = 1000


def _locate(sentences: list[str], passage: list[str]) -> int | None:
    """Index of the first sentence where `passage` occurs as a run, or None."""
    width = len(passage)
    for start in range(len(sentences) - width + 1):
        if sentences[start:start + width] == passage:
            return start
    return None


def _widen(sentences: list[str], first: int, last: int, before: int, after: int, limit: int) -> tuple[int, int]:
    """Add sentences alternately before and after [first, last] while the text stays within limit."""
    size = len(join_sentences(sentences[first:last + 1]))
    want_before, want_after = before, after
    while want_before or want_after:
        grew = False
        for side in ("before", "after"):
            index = first - 1 if side == "before" else last + 1
            wanted = want_before if side == "before" else want_after
            if not wanted or not 0 <= index < len(sentences):
                continue
            if size + 1 + len(sentences[index]) > limit:
                continue
            size += 1 + len(sentences[index])
            if side == "before":
                first, want_before = index, want_before - 1
            else:
                last, want_after = index, want_after - 1
            grew = True
        if not grew:
            break
    return first, last


def context_window(
    paragraph: str | list[str], passage_text: str, before: int = 2, after: int = 2, limit: int = MAX_CONTEXT
) -> str:
    """The passage with up to `before`/`after` neighbouring sentences, within `limit` characters.

    `paragraph` is the source paragraph (text or its sentences).  Sentences are
    added nearest first, alternating sides, and never cut; a passage longer than
    the limit is returned alone.  If the passage is not found in the paragraph,
    the passage alone is returned rather than unrelated text.
    """
    sentences = split_sentences(paragraph) if isinstance(paragraph, str) else list(paragraph)
    start = _locate(sentences, split_sentences(passage_text))
    if start is None:
        return passage_text
    last = start + len(split_sentences(passage_text)) - 1
    first, last = _widen(sentences, start, last, before, after, limit)
    return join_sentences(sentences[first:last + 1])
