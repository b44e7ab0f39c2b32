"""Does a passage name another film?  Works for any film, without a list of titles.

A critic comparing endings ("De Sica's last scene…", "Compare *Alien*, where…")
must not be filed under this film's ending.  Signals, all case-sensitive on the
title so ordinary lowercase prose never looks like a title:
- a title-cased phrase in double quotes or *italics* / _italics_;
- a title with a year: "Brief Encounter (1945)";
- a title after a comparing cue: "compared with Alien", "cited Bicycle Thieves",
  "Kaufman's earlier Being John Malkovich", "a remake of Stagecoach".
Matches equal to this film's own title are ignored.

Every pattern is linear: alternatives start with distinct tokens (a capital vs
a lowercase small word), so there is no nested ambiguous repetition.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.corpus.themes_model import fold_quotes, normalise_title

_WORD = r"[A-Z0-9][\w'-]*"
_SMALL = r"(?:of|the|a|an|and|in|on|to|for|at|with|from|or|by|is|it|me|my|you|your)"
_TITLE = rf"(?<![\w'-])(?P<title>{_WORD}(?: (?:{_SMALL} )?{_WORD}){{0,6}})"
_CUE = (
    r"(?i:compared? (?:it |this |them )?(?:to|with)|comparisons? (?:to|with)|compare|cited|cites|citing"
    r"|remake of|sequel to|prequel to|homage to|nod to|riff on|echoes of|the makers of)"
)
# "Kaufman's earlier Being John Malkovich", "his previous film Memento": a possessive first, so a
# sentence opening "Earlier, Scottie…" is not read as a title.
_EARLIER = r"(?:'s|\b(?i:his|her|their)) (?i:earlier|previous|debut|first|next|later|other|breakthrough)"
_PATTERNS = (
    re.compile(rf'"{_TITLE}"'),
    re.compile(rf"(?<![\w*])\*{_TITLE}\*(?![\w*])"),
    re.compile(rf"(?<![\w_])_{_TITLE}_(?![\w_])"),
    re.compile(rf"\b{_TITLE} \((?:1[89]|20)\d\d\)"),
    re.compile(rf"\b{_CUE} (?:(?i:the|his|her|their|its) )?(?:(?i:film|movie|classic) )?{_TITLE}"),
    re.compile(rf"{_EARLIER} (?:(?i:film|movie|feature) )?{_TITLE}"),
)
# Words that show the passage is (also) about the film under review.
DEIXIS = re.compile(
    r"\bthis (?:film|movie|picture|ending|epilogue|finale|coda|one|version)\b|\bhere\b", re.IGNORECASE
)
_NOT_TITLES = frozenset({"i", "it", "a", "the", "he", "she", "they", "we", "you", "his", "her", "this", "that"})


def _is_title(candidate: str, own: str) -> bool:
    """A plausible other film's title: not this film's, not a lone pronoun."""
    norm = normalise_title(candidate)
    if not norm or norm in _NOT_TITLES or norm == own:
        return False
    return norm.removeprefix("the ") != own.removeprefix("the ")


@lru_cache(maxsize=4096)
def names_another_film(text: str, own_title: str | None) -> bool:
    """True when the text names a film other than `own_title` by one of the generic signals."""
    folded = fold_quotes(text)
    own = normalise_title(own_title or "")
    return any(
        _is_title(match.group("title"), own) for pattern in _PATTERNS for match in pattern.finditer(folded)
    )


def _without_article(title: str) -> str:
    for article in ("the ", "a ", "an "):
        if title.startswith(article) and len(title) > len(article):
            return title[len(article):]
    return title


@lru_cache(maxsize=2048)  # one per film a prompt or tag is bound to: a corpus can hold thousands
def title_anchor(title: str | None) -> re.Pattern[str] | None:
    """The film's own title as a pattern (a leading 'the', 'a' or 'an' optional, any punctuation between
    words): "Pan’s Labyrinth", "pan's labyrinth", "Worst Person in the World", "Star Is Born"."""
    words = _without_article(normalise_title(title or "")).split()
    if not words:
        return None
    return re.compile(r"\b" + r"\W{1,3}".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)
