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
_KEPT = ("L", "N", "M", "S")  # Unicode categories a title must hold one of: letters, numbers, marks, symbols
# What the key leaves out of those since 226: emoji and other pictographs (So), modifier symbols (Sk: skin tones,
# a lone ^), and the variation selectors that ask for emoji or text presentation (Mn, but no letter's part), so
# "Tick, Tick... Boom! 🎹" is "ticktickboom" as members type it. Maths and currency signs stay: "+1" is not "1".
_KEY_DROPPED_CATEGORIES = ("So", "Sk")
VARIATION_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
# Letters and symbols that draw nothing: the Hangul fillers (U+3164 and U+FFA0 fold to U+1160) and the blank braille
# cell, the usual way to make a name look empty on Discord. With the variation selectors, a title of these alone
# showed as a blank line in every list and autocomplete.
BLANK_CHARS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_UNATTRIBUTED = re.compile(r"^\s*unattributed(?:\s+review)?\s*#?\s*([0-9]{1,18})?\s*$", re.IGNORECASE)


# The combining accents Latin, Greek and Cyrillic letters decompose into (NFKD): "é" is "e" + U+0301. Marks that
# are letters' own parts in other scripts (kana's dakuten, Indic vowel signs) are not here and stay in the key.
# (The Combining Diacritical Marks blocks; tools/pg_unicode.py writes the same ranges into SQL film_key().)
ACCENT_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
_ACCENTS = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ACCENT_RANGES) + "]")
# Latin letters with a stroke or a ligature have no NFKD decomposition, so dropping accents left them: "Bølgerne"
# never met "Bolgerne", nor "Łódź" "Lodz". Each folds as the keyboard spelling members type (migration 180). After
# casefold, so "Ø", "Æ" and "Þ" are covered; "ß" and "ẞ" casefold to "ss" already.
LETTER_FOLDS = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i",
                "æ": "ae", "œ": "oe", "þ": "th"}
_LETTERS = str.maketrans(LETTER_FOLDS)


def fold(text: str) -> str:
    """Text as members may type it: casefolded, accents dropped, compatibility forms plain ("Amélie", "AMELIE"
    and "Ａｍｅｌｉｅ" are "amelie"), stroked letters and ligatures spelled out ("Bølgerne" is "bolgerne",
    "Łódź" "lodz", "Æon" "aeon": `LETTER_FOLDS`), in NFC. The catalogue key's first step; the title shown stays as
    written."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed).translate(_LETTERS))


@lru_cache(maxsize=4096)  # pure; a prompt or a film lookup keys the same few titles again and again
def norm_key(title: str) -> str:
    """The film catalogue's key (bot/films): folded (casefold, no accents: `fold`), no leading English article
    (or trailing ", The"), letters/digits/marks and maths or currency signs only: no emoji (`key_char`, migration
    226); a title of nothing else keeps its folded text as its key. Also the SQL function film_key(title)."""
    text = " ".join(fold(title or "").split())
    kept = "".join(ch for ch in _ARTICLE_BACK.sub("", _ARTICLE_FRONT.sub("", text)) if key_char(ch))
    return kept or text.replace(" ", "")  # a title of punctuation only (stored before 030) keeps its own key


def key_before_226(title: str) -> str:
    """The key migration 180 gave a title, emoji and symbols kept. A film 226 could not re-key (another film of
    its year already held the new key: "Boom! 🎹" beside "Boom!") still holds this one, so a title typed with its
    emoji is looked up under it first (`FilmStore.find`, `ensure`): the film stays reachable by its own title."""
    text = " ".join(fold(title or "").split())
    kept = "".join(ch for ch in _ARTICLE_BACK.sub("", _ARTICLE_FRONT.sub("", text)) if title_char(ch))
    return kept or text.replace(" ", "")


def title_char(ch: str) -> bool:
    """A character that makes a title a title (a letter, number, mark or symbol, an emoji included)."""
    return unicodedata.category(ch)[0] in _KEPT


def variation_selector(ch: str) -> bool:
    """A selector asking for emoji or text presentation of the character before it: it draws nothing itself."""
    code = ord(ch)
    return any(low <= code <= high for low, high in VARIATION_SELECTORS)


def visible_char(ch: str) -> bool:
    """A title character that draws something: neither a variation selector nor a blank letter (`BLANK_CHARS`)."""
    return title_char(ch) and ch not in BLANK_CHARS and not variation_selector(ch)


def key_char(ch: str) -> bool:
    """A character the film key keeps: a title character, but no emoji, pictograph or variation selector."""
    return title_char(ch) and unicodedata.category(ch) not in _KEY_DROPPED_CATEGORIES and not variation_selector(ch)


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
