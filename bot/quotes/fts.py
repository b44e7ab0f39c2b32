"""Turn untrusted keywords into a safe FTS5 MATCH expression."""

from __future__ import annotations

import re

# Word characters only: FTS5 operators (AND OR NOT NEAR * ^ : ( ) " -) can never survive.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def keywords(text: str) -> list[str]:
    """The distinct search words in `text`, lowercased, in order, capped in number and length."""
    seen: list[str] = []
    for match in _WORD.finditer(text or ""):
        word = match.group(0).lower()[:MAX_TERM_LENGTH]
        # Bare FTS keywords are harmless once quoted, but they carry no meaning as search words.
        if word in seen or word in {"and", "or", "not", "near"}:
            continue
        seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen


def match_expression(text: str, *, any_word: bool = False) -> str | None:
    """Each keyword as a quoted FTS5 string, joined by AND (default) or OR; None when no words."""
    words = keywords(text)
    if not words:
        return None
    joiner = " OR " if any_word else " "
    return joiner.join(f'"{word}"' for word in words)
