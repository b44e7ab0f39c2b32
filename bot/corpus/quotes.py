"""Quotation marks: where quotations are, whether they balance, how much is quoted.

The sentence splitter must not cut inside someone else's words ("“Stop. Just
stop,” he says." is one sentence), and a passage made mostly of another
person's words is not the critic's to quote.  Every function is one linear
pass over the text.
"""

from __future__ import annotations

import re

# A quotation longer than this is taken to be a scraping error (a lost closing
# mark) rather than a real quote, so it cannot swallow a whole review.
MAX_QUOTE = 600
# Elisions written with an opening single mark: ‘em, ‘cause, ‘til, ‘n’, ‘90s.
_DOUBLE_MARK = re.compile('[“”"]')
_ELISION = re.compile(r"‘(?:em|cause|til|till|n|tis|twas|bout|\d\d)\b", re.IGNORECASE)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of double quotations, marks included, end exclusive.

    Curly “…” pair by nesting order; a second “ before any ” means the first
    was never closed, so it is dropped.  Straight quotes pair in sequence.
    """
    spans: list[tuple[int, int]] = []
    curly: int | None = None
    straight: int | None = None
    for mark in _DOUBLE_MARK.finditer(text):  # visits only the marks: fast on long quote-free text
        index, char = mark.start(), mark.group()
        if char == "“":
            curly = index
        elif char == "”" and curly is not None:
            if index - curly <= MAX_QUOTE:
                spans.append((curly, index + 1))
            curly = None
        elif char == '"':
            if straight is None:
                straight = index
            else:
                if index - straight <= MAX_QUOTE:
                    spans.append((straight, index + 1))
                straight = None
    return sorted(spans)


class InsideQuote:
    """Answer "is position p inside a quotation?" for increasing p in O(1) amortised."""

    def __init__(self, text: str) -> None:
        self._spans = quote_spans(text)
        self._next = 0

    def __call__(self, pos: int) -> bool:
        """Whether pos is strictly inside a span; positions must not decrease."""
        while self._next < len(self._spans) and self._spans[self._next][1] <= pos:
            self._next += 1
        return self._next < len(self._spans) and self._spans[self._next][0] < pos


def _single_quotes_balance(text: str) -> bool:
    """Every opening ‘ (not an elision) has a later word-final ’ to close it.

    A closing ’ cannot be told from an apostrophe ("critics’ views"), so only
    openers are checked: a dangling ‘ means a quotation was cut.
    """
    pending = 0
    for index, char in enumerate(text):
        if char == "‘" and not _ELISION.match(text, index):
            pending += 1
        elif char == "’" and pending and (index + 1 == len(text) or not text[index + 1].isalpha()):
            pending -= 1
    return pending == 0


def quotes_balanced(text: str) -> bool:
    """Whether “” pair up (in order), straight " are even and every ‘ is closed."""
    depth = 0
    for char in text:
        if char == "“":
            depth += 1
        elif char == "”":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and text.count('"') % 2 == 0 and _single_quotes_balance(text)


def quoted_fraction(text: str) -> float:
    """Share of the text's characters that lie inside double quotations."""
    if not text:
        return 0.0
    return sum(end - start for start, end in quote_spans(text)) / len(text)


def opens_with_quote(text: str) -> bool:
    """Whether the text starts with a quotation (someone else's words, not the critic's)."""
    stripped = text.lstrip("(")
    return stripped[:1] in ("“", '"')
