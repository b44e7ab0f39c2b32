"""What members type to name a film or a critic: pure parsing and the honest unattributed label."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The one cap on a typed name option (film, critic, theme): nothing real is longer, and a cap keeps
# 10k-character input out of every query and message.
OPTION_MAX = 200

TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")
_ARTICLE_FRONT = re.compile(r"^(?:the|a|an)\s+(?=\S)")
_ARTICLE_BACK = re.compile(r",\s*(?:the|a|an)$")
_KEPT = ("L", "N", "M", "S")  # Unicode categories a film key keeps: letters, numbers, marks, symbols
_UNATTRIBUTED = re.compile(r"^\s*unattributed(?:\s+review)?\s*#?\s*([0-9]{1,18})?\s*$", re.IGNORECASE)


@lru_cache(maxsize=4096)  # pure; a prompt or a film lookup keys the same few titles again and again
def norm_key(title: str) -> str:
    """The film catalogue's key (bot/films): NFC, casefold, no leading English article (or trailing
    ", The"), letters/digits/marks/symbols only. Also the SQL function film_key(title)."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", title or "").casefold())
    text = " ".join(text.split())
    kept = "".join(ch for ch in _ARTICLE_BACK.sub("", _ARTICLE_FRONT.sub("", text)) if key_char(ch))
    return kept or text.replace(" ", "")  # a title of punctuation only (stored before 030) keeps its own key


def key_char(ch: str) -> bool:
    """A character the film key keeps."""
    return unicodedata.category(ch)[0] in _KEPT


def option(value: str | None) -> str | None:
    """A typed option stripped and capped; empty means "not given"."""
    if value is None or not value.strip():
        return None
    return value.strip()[:OPTION_MAX]


def critic_key(critic: str | None, review_id: int) -> str:
    """Who wrote a review, for rotations: a named critic across their reviews (case and spacing
    ignored), else each unattributed review on its own. Also the SQL function critic_key(critic, id)."""
    return critic.strip().casefold() if critic else f"review:{review_id}"


def unattributed_label(review_id: int) -> str:
    """How a review without a byline is named everywhere: stable (its id), never an invented critic."""
    return f"Unattributed review #{review_id}"


def looks_like_unattributed_label(name: str) -> bool:
    """True for names that `critic:` filters read as the label of a review without a byline."""
    return bool(_UNATTRIBUTED.match(name))


def unattributed_target(name: str) -> tuple[bool, int | None]:
    """(is an unattributed label, the review id it names or None for "any unattributed review")."""
    match = _UNATTRIBUTED.match(name)
    if match is None:
        return False, None
    return True, int(match.group(1)) if match.group(1) else None
