"""Text the bot shows, made inert and cut to Discord's limits: pure functions, no discord import.

Rendering modules build embeds from these; rules modules use them for text without loading discord.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

from bot.core.films import fold

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits …).
CONTENT_MAX = 2000
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELD_VALUE_MAX = 1024
TEXT_INPUT_VALUE_MAX = 4000
THREAD_NAME_MAX = 100
AUTOCOMPLETE_NAME_MAX = 100

SPOILER_WARNING = "⚠️ Spoilers"

# The same escaping as discord.utils.escape_markdown(as_needed=False) and escape_mentions (discord.py,
# MIT), copied so pure code can make text inert without importing discord; a test keeps them equal.
_URL = r"(?P<url><[^: >]+:\/[^ >]+>|(?:https?|steam):\/\/[^\s<]+[^<.,:;\"\'\]\s])"
_MARKDOWN = r"(?P<markdown>[_\\~|\*`]|^>(?:>>)?\s|\[.+\]\(.+\)|^#{1,3}|^\s*-)"
_ESCAPE = re.compile(f"(?:{_URL}|{_MARKDOWN})", re.MULTILINE)
# Where any markdown alternative of _ESCAPE could match: a markdown character, a bracket, or a quote,
# heading or list mark at a line's start. Text without one comes back unchanged (a link is kept as it
# is), so the full pattern only runs on text that may need it: most passages (3 µs instead of 14).
_MAY_ESCAPE = re.compile(r"[_\\~|*`\[]|^(?:>|#|\s*-)", re.MULTILINE)
_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{17,20})")
# A ping in any spelling Discord parses: a user, role or channel mention, @everyone or @here. Members'
# text that is shown to a whole server (takes, suggested questions) may carry none.
PING = re.compile(r"<[@#][!&]?\d+>|@(?:everyone|here)\b", re.IGNORECASE)
# C0 controls and DEL, except tab, newline and carriage return: never part of what a member means to type.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# The member id of a record a member asked to be forgotten from (/rate forget-me) but that stays the
# club's (a watchlist film they suggested): shown as nobody's.
FORGOTTEN_MEMBER = 0


def member_mention(user_id: int) -> str:
    """A member's mention, or "a former member" for one forgotten (`FORGOTTEN_MEMBER`)."""
    return "a former member" if user_id == FORGOTTEN_MEMBER else f"<@{user_id}>"


def escape_markdown(text: str) -> str:
    """Backslash every markdown character, leaving links alone."""
    if _MAY_ESCAPE.search(text) is None:
        return text
    return _ESCAPE.sub(lambda m: m.group("url") or "\\" + m.group("markdown"), text)


def escape_mentions(text: str) -> str:
    """Break @everyone, @here, user and role mentions with a zero-width space."""
    return _MENTION.sub("@\u200b\\1", text)


def clip(text: str, limit: int, *, ellipsis: str = "…") -> str:
    """Cut to `limit` characters at a word boundary when possible, marking the cut; never inside a grapheme
    (an emoji's ZWJ sequence, a letter and its accents), and a film label's year kept: 'Title… (2001)'."""
    text = text or ""
    if len(text) <= limit:
        return text
    tail = _YEAR_TAIL.search(text)
    # A 200-character title clipped to a thread name or a menu label must still say which film of that title.
    kept = tail.group(0) if tail and len(tail.group(0)) + len(ellipsis) <= limit // 2 else ""
    body = text[: len(text) - len(kept)]
    room = max(0, limit - len(ellipsis) - len(kept))
    cut = body[: grapheme_start(body, room)]
    space = cut.rfind(" ")
    if space > room * 0.6:
        cut = cut[:space]
    return cut.rstrip() + ellipsis + kept


_YEAR_TAIL = re.compile(r" \((?:18[7-9][0-9]|19[0-9]{2}|2[0-9]{3})\)$")  # films.rules.label's ' (Year)'
_ZWJ = "\u200d"


def _extends(ch: str) -> bool:
    """True for a code point that belongs to the grapheme before it: accents, joiners, selectors, skin tones, tags."""
    code = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch == _ZWJ or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F or 0xE0100 <= code <= 0xE01EF)


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


# The longest grapheme a cut steps back over: Unicode's stream-safe text has at most 30 marks on a letter, and the
# longest emoji sequences (a kiss with two skin tones, a subdivision flag) are 10 code points. Past it the text is
# no grapheme a reader sees but a pile (zalgo, a chain of joiners): cut where it falls, so the text before it stays
# and a hostile 10k-mark string costs a few steps, not one per character up to the limit.
GRAPHEME_MAX = 32
_REGIONALS = "".join(map(chr, range(0x1F1E6, 0x1F200)))


def grapheme_start(text: str, index: int) -> int:
    """The last grapheme boundary at or before `index`: a cut there splits no emoji, flag or accented letter."""
    index = min(index, len(text))
    start = index
    while 0 < index < len(text) and start - index <= GRAPHEME_MAX:
        if _extends(text[index]) or text[index - 1] == _ZWJ:
            index -= 1
        elif _regional(text[index]) and _regional(text[index - 1]):
            before = text[:index]  # flags are pairs of regional indicators: cut between pairs only
            if (len(before) - len(before.rstrip(_REGIONALS))) % 2 == 0:
                break
            index -= 1
        else:
            break
    else:
        if 0 < index < len(text):  # no boundary within GRAPHEME_MAX: a pile, not a grapheme
            return start
    return index


def inert(text: str, limit: int | None = None) -> str:
    """User or corpus text made safe to embed in markdown: formatting escaped, mentions defused.

    allowed_mentions already stops pings; escaping also stops `@everyone` from *looking* live
    and stops `**`/`||`/backticks from breaking our layout.
    """
    if text and len(text) <= _INERT_CACHED_LENGTH:
        return _inert_short(text, limit)
    return _inert(text, limit)


# Names, titles, labels and theme names come back on every prompt and quote (5-7 calls a /discuss): the
# short ones are kept (a pure function of its arguments, so nothing to invalidate); long passages are not.
_INERT_CACHED_LENGTH = 200


def _inert(text: str, limit: int | None) -> str:
    text = (text or "").replace("\x00", "")
    if "[" in text or "]" in text:
        # "](" would let user text plant a masked link: every bracket is escaped once, out of escape_markdown's
        # sight (stand-ins that start with the NUL just removed). Escaped after it, its own "\\" before a whole
        # "[x](url)" became "\\\\[": a literal backslash, then a live bracket, and the link clickable after all.
        text = escape_markdown(text.replace("[", _OPENING).replace("]", _CLOSING))
        text = text.replace(_OPENING, "\\[").replace(_CLOSING, "\\]")
    else:
        text = escape_markdown(text)
    text = escape_mentions(text)
    return clip(text, limit) if limit else text


_OPENING, _CLOSING = "\x00o", "\x00c"  # brackets while escape_markdown runs: no text holds a NUL by then
_inert_short = lru_cache(maxsize=4096)(_inert)


def spoiler(text: str) -> str:
    return f"||{text}||"


def film_label(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title


def attribution_line(critic_label: str, outlet: str | None, film: str, published: str | None = None) -> str:
    """'— Critic, Outlet on *Film (Year)* (date)': each value made inert, our own italics kept."""
    parts = [inert(critic_label, 150)]
    if outlet:
        parts.append(inert(outlet, 150))
    line = "— " + ", ".join(parts) + f" on *{inert(film, 200)}*"
    if published:
        line += f" ({inert(published, 20)})"
    return line


def quote_block(text: str, *, hidden: bool, limit: int = 1800) -> str:
    """A passage as a block quote, escaped and, for spoilers, behind spoiler tags."""
    body = inert(text, limit)
    return "> " + (spoiler(body) if hidden else body)


def context_window(parts: list[tuple[str, bool, bool]], limit: int = 1500) -> str:
    """The quoted passage in bold with as many neighbours around it as fit, cuts marked with …

    parts are (text, is the quoted passage, hidden): each hidden passage is behind its own spoiler tags,
    so a spoiler next to a harmless quote stays hidden.
    """
    # Sizes are measured on the rendered pieces (escapes, bold, spoiler bars): the result is never
    # cut afterwards, since a cut could drop the closing || and show a spoiler.
    pieces = [_context_piece(text, own, hidden, limit) for text, own, hidden in parts]
    index = next((i for i, (_, own, _) in enumerate(parts) if own), 0)
    first = last = index
    size = len(pieces[index])
    grew = True
    while grew:
        grew = False
        for candidate in (first - 1, last + 1):
            if 0 <= candidate < len(parts) and size + len(pieces[candidate]) + 1 <= limit:
                size += len(pieces[candidate]) + 1
                first, last = min(first, candidate), max(last, candidate)
                grew = True
    pieces = pieces[first : last + 1]
    return ("… " if first > 0 else "") + " ".join(pieces) + (" …" if last < len(parts) - 1 else "")


def _context_piece(text: str, own: bool, hidden: bool, limit: int) -> str:
    piece = inert(text, max(limit - 8, 1))  # room for ** ** and || ||
    piece = f"**{piece}**" if own else piece
    return spoiler(piece) if hidden else piece


def plural(count: int, noun: str, many: str | None = None) -> str:
    """The noun that goes with `count`: "film" for 1, "films" (or `many`) for 0 and 2 or more."""
    return noun if count == 1 else many or noun + "s"


def counted(count: int, noun: str, plural_form: str | None = None) -> str:
    """"1 film", "0 films", "3 replies": one way to count things in every message."""
    return f"{count} {plural(count, noun, plural_form)}"


def has_control_chars(text: str) -> bool:
    """True when typed text carries a control character (NUL included) other than tab or a line break."""
    return _CONTROL.search(text) is not None


# Bidi overrides/isolates, BOM and zero-width space (the set corpus/clean.py drops from reviews): invisible,
# they reorder or disguise what follows, or make a member's text look empty. ZWJ/ZWNJ stay (emoji, scripts).
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def without_invisibles(text: str) -> str:
    """A member's typed text without the invisible characters that reorder or hide it."""
    return _INVISIBLE.sub("", text)


def typed_value(text: str | None, limit: int) -> str:
    """A value a member typed, quoted back in a refusal or a title: without the invisible characters that would
    reorder the rest of our line (an RTL override turns "” is neither `on` nor `off`" around), spaces around it
    dropped, then inert and clipped."""
    return inert(without_invisibles(text or "").strip(), limit)


_WORD_START = re.compile(r"(?<=\W)\w")


def _position(keys: list[str], names: list[str], key: str, name: str) -> int:
    """Where (key, name) goes in the parallel sorted lists (sorted by key, then name)."""
    at = bisect_left(keys, key)
    while at < len(keys) and keys[at] == key and names[at] < name:
        at += 1
    return at


_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019\u02bc`")


def _name_key(text: str) -> str:
    """How NameIndex compares names: folded (case and accents: "bjork" finds "Björk") and without apostrophes
    ("Pans", "Pan's" and "Pan’s" are one)."""
    return fold(text).translate(_APOSTROPHES)


class NameIndex:
    """Names found by what a member types, per keystroke in O(log n + 25): built once per list of names
    (kept with the summary it comes from), never a fold or sort of every name per keystroke.

    Names starting with the typed text come first, in order; then names with a word starting with it
    (at most WORD_HITS looked at), in order. Case, accents and apostrophes do not count (`_name_key`).
    """

    WORD_HITS = 200

    def __init__(self, names: list[str]) -> None:
        keyed = sorted({(_name_key(name), name) for name in names})
        self._keys = [key for key, _ in keyed]
        self._names = [name for _, name in keyed]
        words = sorted((key[m.start():], name) for key, name in keyed for m in _WORD_START.finditer(key))
        self._word_keys = [key for key, _ in words]
        self._word_names = [name for _, name in words]

    def add(self, name: str) -> None:
        """One more name (a corpus write's new critic or film): O(log n) to find, one list insert each."""
        key = _name_key(name)
        at = bisect_left(self._keys, key)
        while at < len(self._keys) and self._keys[at] == key:
            if self._names[at] == name:
                return
            at += 1
        self._insert(self._keys, self._names, key, name)
        for match in _WORD_START.finditer(key):
            self._insert(self._word_keys, self._word_names, key[match.start():], name)

    def remove(self, name: str) -> None:
        """The name no longer listed (its last review removed)."""
        key = _name_key(name)
        self._delete(self._keys, self._names, key, name)
        for match in _WORD_START.finditer(key):
            self._delete(self._word_keys, self._word_names, key[match.start():], name)

    @staticmethod
    def _insert(keys: list[str], names: list[str], key: str, name: str) -> None:
        at = _position(keys, names, key, name)
        keys.insert(at, key)
        names.insert(at, name)

    @staticmethod
    def _delete(keys: list[str], names: list[str], key: str, name: str) -> None:
        at = bisect_left(keys, key)
        while at < len(keys) and keys[at] == key:
            if names[at] == name:
                del keys[at], names[at]
                return
            at += 1

    def matches(self, typed: str, limit: int = 25) -> list[str]:
        wanted = _name_key(typed or "").strip()
        start = bisect_left(self._keys, wanted)
        found = [name for key, name in zip(self._keys[start:start + limit], self._names[start:start + limit],
                                           strict=True) if key.startswith(wanted)]
        if len(found) < limit and wanted:
            start = bisect_left(self._word_keys, wanted)
            more: dict[str, None] = {}
            for key, name in zip(self._word_keys[start:start + self.WORD_HITS],
                                 self._word_names[start:start + self.WORD_HITS], strict=True):
                if not key.startswith(wanted):
                    break
                more.setdefault(name)
            taken = set(found)
            found += sorted((name for name in more if name not in taken), key=str.casefold)[: limit - len(found)]
        return found
