"""The one door out for spoilers: how corpus text, spoiler-theme text and members' takes reach Discord.

Pure (no discord, no store). Every message part that carries a passage, a spoiler theme's question or
description, or a member's take is built here, knowing the passage's spoiler state and the server's gate:

- a spoiler passage, and the question and description of a spoiler theme, go behind spoiler tags (`||…||`);
- text Discord cannot hide (thread names, embed titles, field names, autocomplete choices, select labels,
  event fields, notifications) never carries them: `spoiler_thread_name` and `UNSEEN` stand in;
- a member's own `||…||` in a take stays a spoiler, everything else in it stays escaped;
- while a server's screening of a film is upcoming (`Gate`), no spoiler passage or spoiler question of that
  film is shown at all: the stores drop them in SQL (`Gate.film_id`, `Gate.spoiler_themes`), the cogs refuse
  with `Gate.refusal`, saying when it unlocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.core.text import SPOILER_WARNING, THREAD_NAME_MAX, clip, inert, spoiler

if TYPE_CHECKING:
    from bot.stores import Store

UNSEEN = "[spoiler]"  # what a place that cannot hide text shows instead of a spoiler
_PIPES = re.compile(r"\|\|")
_LEFT_OUT = "[spoiler left out]"  # a member's own `||…||` in text quoted back to them (typed_back)


def has_spoiler_bars(text: str) -> bool:
    """True when a member's text hides words behind `||` spoiler bars. Refused wherever Discord shows text as
    written and could not hide them: thread names, choices and select labels, native polls' question and answers."""
    return "||" in text


class _Themed(Protocol):
    @property
    def spoiler(self) -> bool: ...


@dataclass(frozen=True)
class Gate:
    """A server's upcoming screening: the film (by id) whose spoilers wait until `ends_at` (ISO, UTC)."""

    film_id: int
    label: str
    ends_at: str
    spoiler_themes: tuple[str, ...]  # the theme keys whose passages and questions are spoilers

    @property
    def unlocks(self) -> str:
        """When it unlocks, as a Discord relative timestamp ("in 2 days")."""
        return f"<t:{int(datetime.fromisoformat(self.ends_at).timestamp())}:R>"

    def covers(self, film_id: int | None) -> bool:
        return film_id is not None and film_id == self.film_id

    def held(self, film_id: int | None, hidden: bool) -> bool:
        """True when a passage (of `film_id`, a spoiler or not) must not be shown at all, even hidden."""
        return hidden and self.covers(film_id)

    @property
    def held_line(self) -> str:
        """What stands where a held-back spoiler would be."""
        return f"*A spoiler of {inert(self.label, 120)}, held back until the screening ends {self.unlocks}.*"

    @property
    def note(self) -> str:
        """One line for a search that came back empty while the gate holds a film back."""
        return f"Spoilers of *{inert(self.label, 120)}* are held back until the screening ends {self.unlocks}."

    def take(self, text: str, film_id: int | None, limit: int = 400) -> str:
        """A member's take (or watchlist note) on `film_id`: their own `||…||` left out while this gate holds
        that film back, as the game leaves such takes out; shown hidden, as everywhere, once it unlocks."""
        return take_text(text, limit, held_until=self.unlocks if self.covers(film_id) else None)

    def file_take(self, text: str, film_id: int | None) -> tuple[str, str | None]:
        """A member's take in a file (the moderators' /rate export), which no Discord bar can hide: as written,
        except that on the film this gate holds back what they hid behind `||` is left out, a note saying
        until when in its place. (take, the ISO time it is held back until, or None when nothing is)."""
        if not self.covers(film_id) or not has_spoiler_bars(text):
            return text, None
        parts = _PIPES.split(text)
        note = f"[spoiler held back until the screening ends, {self.ends_at}]"
        # Odd parts are what the member hid (an unbalanced `||` hides the rest, as in take_text); an empty
        # pair hides nothing and keeps its bars.
        hid = [index % 2 == 1 and bool(part.strip()) for index, part in enumerate(parts)]
        kept = [note if hidden else ("||" + part + "||" if index % 2 else part)
                for index, (part, hidden) in enumerate(zip(parts, hid, strict=True))]
        return ("".join(kept), self.ends_at) if any(hid) else (text, None)

    def refusal(self, what: str) -> str:
        """A refusal naming what is held back and when it unlocks."""
        return (
            f"{what} would give away *{inert(self.label, 120)}*, which the club hasn't watched yet:"
            f" its spoilers unlock {self.unlocks}, when the screening ends."
        )


def spoiler_keys(themes: Mapping[str, _Themed]) -> frozenset[str]:
    return frozenset(key for key, theme in themes.items() if theme.spoiler)


def passage_hidden(review_spoiler: bool, theme_keys: Iterable[str], themes: Mapping[str, _Themed]) -> bool:
    """A passage is a spoiler when its review spoils throughout or it carries a spoiler theme."""
    return bool(review_spoiler) or any(key in themes and themes[key].spoiler for key in theme_keys)


def shown(text: str, hidden: bool, limit: int | None = None) -> str:
    """Corpus text made inert and, when hidden, behind one pair of spoiler tags (never cut inside them)."""
    body = inert(text, max(limit - 4, 1) if limit else None)
    return spoiler(body) if hidden and body else body


def unseen(text: str, hidden: bool, limit: int) -> str:
    """For places that cannot hide text (autocomplete, labels, titles): the text, or `UNSEEN`."""
    return UNSEEN if hidden else clip(" ".join(text.split()), limit)


def theme_text(text: str, theme: _Themed, limit: int | None = None) -> str:
    """A theme's question or description: behind spoiler tags when the theme is a spoiler theme."""
    return shown(text, theme.spoiler, limit)


def spoiler_thread_name(film_title: str | None, theme_name: str) -> str:
    """A spoiler prompt's thread name: the film and the theme, never the question or the excerpt."""
    film = " ".join((film_title or "several films").split())
    theme = " ".join(theme_name.split())
    about = f" — {clip(theme[:1].lower() + theme[1:], 40)}"
    # The film is clipped, never the theme: a long title once took the whole name, and its theme with it.
    return f"{SPOILER_WARNING}: {clip(film, THREAD_NAME_MAX - len(SPOILER_WARNING) - 2 - len(about))}{about}"


def take_text(take: str, limit: int = 400, *, held_until: str | None = None) -> str:
    """A member's take: escaped, except that their own `||…||` stays a spoiler.

    An unbalanced `||` hides everything after it (they meant to hide it); empty pairs and a take of
    nothing but bars show the bars as typed. Never cut inside a spoiler: a cut one is closed again.
    With `held_until` (a take on the film the server's gate holds back: `Gate.take`), what the member hid
    is not sent at all, hidden or not: a note saying when it unlocks stands in its place.
    """
    parts = _PIPES.split(take or "")
    out = ""
    for index, part in enumerate(parts):
        hidden = index % 2 == 1
        if hidden and not part.strip():
            piece = inert("||" + part + ("||" if index < len(parts) - 1 else ""))
        elif hidden and held_until is not None:
            piece = f"*[spoiler held back until the screening ends {held_until}]*"
            if len(piece) > limit - len(out):
                break
        else:
            piece = shown(part, hidden)
        room = limit - len(out)
        if len(piece) > room:
            if hidden:
                inner = inert(part)[: max(room - 5, 0)].rstrip("\\")
                out += spoiler(inner + "…") if inner else ""
            else:
                out += clip(piece, room).rstrip("\\") if room > 1 else ""
            break
        out += piece
    return out



def typed_back(typed: Iterable[tuple[str, str | None, bool]], room: int) -> str:
    """What a member typed, quoted back under a refusal so they can paste it again instead of retyping it.

    Each (label, text, hidden) comes back escaped, no mentions; what they hid behind `||` is left out, never sent
    back (the refusal may be about exactly that, or the film may be the one the gate holds back); `hidden` (a
    spoiler theme's question) puts all of it behind tags, as `theme_text` would. Everything fits `room`
    characters: each text gets an equal share, clipped with "…" past it; nothing typed → ""."""
    pieces = [(label, text, hidden) for label, text, hidden in typed if text and text.strip()]
    if not pieces:
        return ""
    head = "What you typed, to paste again:\n>>> "
    share = (room - len(head) - sum(len(label) + 8 for label, _, _ in pieces)) // len(pieces)  # "**label:** " + "\n"
    if share < 20:
        return ""
    lines = []
    for label, text, hidden in pieces:
        kept = "".join(inert(part) if index % 2 == 0 else (_LEFT_OUT if part.strip() else "")
                       for index, part in enumerate(_PIPES.split(text)))
        kept = clip(kept, share - 4).rstrip("\\")  # never end on half an escape; room for the bars
        line = f"**{label}:** " + (spoiler(kept) if hidden else kept)
        lines.append(line)
    return head + "\n".join(lines)


def gated_take(gate: Gate | None, text: str, film_id: int | None, limit: int = 400) -> str:
    """`take_text`, or `Gate.take` when the server has a gate: the one call the doors that show takes make."""
    return take_text(text, limit) if gate is None else gate.take(text, film_id, limit)


async def server_gate(store: Store, guild_id: int | None, themes: Mapping[str, _Themed]) -> Gate | None:
    """The question every door asks first: which film's spoilers this server holds back, if any.

    Reads the server's upcoming screening through the store (film night owns screenings); the one part
    of this module that is not pure, so features reach the gate without importing film night.
    """
    if guild_id is None:
        return None
    screening = await store.filmnight.upcoming(guild_id)
    if screening is None or not screening.locked:
        return None
    return Gate(screening.film_id, screening.label, screening.ends_at, tuple(sorted(spoiler_keys(themes))))
