"""Now showing: the server's current film and the spoiler gate, for every command, button and job.

The gate keys on the film's identity (films.id: the screening's film_id against reviews.film_id), never
on a title. `spoiler_gate` is what every door asks before it shows corpus text in a server; the stores
take the Gate and leave the film's spoiler passages out in SQL (bot/core/spoilers.py says what is hidden).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.core.refusals import UserError
from bot.core.spoilers import Gate, server_gate
from bot.core.text import inert
from bot.corpus.lookup import FilmScope, film_scope
from bot.filmnight.rules import Screening

if TYPE_CHECKING:
    from bot.corpus import Theme
    from bot.stores import Store


async def current_film(store: Store, guild_id: int) -> FilmScope | None:
    """The film of the upcoming (or last ended) screening, as the film scope commands default to."""
    screening = await store.filmnight.current(guild_id)
    if screening is None:
        return None
    # The screened film itself, by id: any film of the catalogue, with critic reviews or without.
    return FilmScope(str(screening.film_id), screening.label, screening.title, screening.year)


async def locked_screening(store: Store, guild_id: int, film_id: int | None = None) -> Screening | None:
    """The screening whose spoilers are still held back, if its film is `film_id` (None = any film)."""
    screening = await store.filmnight.upcoming(guild_id)
    if screening is None or not screening.locked:
        return None
    if film_id is not None and film_id != screening.film_id:
        return None
    return screening


async def spoiler_gate(store: Store, guild_id: int | None, themes: Mapping[str, Theme]) -> Gate | None:
    """This server's gate: the film whose spoilers wait for its screening to end, or None (nothing held)."""
    return await server_gate(store, guild_id, themes)


async def refuse_spoilers(store: Store, guild_id: int, film: str | None, theme: Theme | None) -> None:
    """UserError when `theme` is a spoiler theme of `film` (matched by id) and that film is held back."""
    if theme is None or not theme.spoiler or film is None:
        return
    scope = await film_scope(store, film, guild_id)
    screening = await locked_screening(store, guild_id, int(scope.key)) if scope.key else None
    if screening is not None:
        gate = Gate(screening.film_id, screening.label, screening.ends_at, ())
        raise UserError(f"**{inert(theme.name, 80)}** is a spoiler theme: " + gate.refusal("It"))


async def film_or_current(store: Store, guild_id: int | None, film: str | None) -> tuple[str | None, bool]:
    """(the film typed, else the current film's `film:<id>`; True when spoiler themes of it are held back)."""
    if guild_id is None:
        return film, False
    if film is None:
        current = await current_film(store, guild_id)
        film = current.ref if current else None
    if film is None:
        return None, False
    scope = await film_scope(store, film, guild_id)
    if not scope.key:  # a blank film option: every film
        return film, False
    return film, await locked_screening(store, guild_id, int(scope.key)) is not None
