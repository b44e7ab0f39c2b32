"""Now showing: the server's current film and the spoiler gate, for the cogs that default to it.

`/quote`, `/discuss`, `/debate`, `/poll theme` and schedules call these (no discord needed).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.refusals import UserError
from bot.core.text import inert
from bot.corpus.lookup import FilmScope, film_scope
from bot.filmnight.rules import Screening

if TYPE_CHECKING:
    from bot.corpus import Theme
    from bot.stores import Store


async def current_film(store: Store, guild_id: int, now: datetime | None = None) -> FilmScope | None:
    """The film of the upcoming (or last ended) screening, as the film scope commands default to."""
    screening = await store.filmnight.current(guild_id)
    if screening is None:
        return None
    # The screened film itself, by id: any film of the catalogue, with critic reviews or without.
    return FilmScope(str(screening.film_id), screening.label, screening.title, screening.year)


async def locked_screening(store: Store, guild_id: int, film: str | None) -> Screening | None:
    """The screening whose spoilers are still held back, if `film` (typed, a label or `film:<id>`;
    None = any) names its film."""
    screening = await store.filmnight.upcoming(guild_id)
    if screening is None or not screening.locked:
        return None
    if film is not None:
        try:
            scope = await film_scope(store, film)
        except UserError:
            return None
        if scope.film_id != screening.film_id:
            return None
    return screening


async def refuse_spoilers(store: Store, guild_id: int, film_label: str | None, theme: Theme | None) -> None:
    """UserError when `theme` is a spoiler theme of the film still waiting to be screened."""
    if theme is None or not theme.spoiler:
        return
    screening = await locked_screening(store, guild_id, film_label)
    if screening is not None:
        ends = int(datetime.fromisoformat(screening.ends_at).timestamp())
        raise UserError(
            f"**{inert(theme.name, 80)}** is a spoiler theme and the club hasn't watched"
            f" *{inert(screening.label, 120)}* yet: it unlocks <t:{ends}:R>, when the screening ends."
        )


async def film_or_current(store: Store, guild_id: int | None, film: str | None) -> tuple[str | None, bool]:
    """(the film typed, else the current film's `film:<id>`; True when spoiler themes of it are held back)."""
    if guild_id is None:
        return film, False
    if film is None:
        current = await current_film(store, guild_id)
        film = current.ref if current else None
    locked = film is not None and await locked_screening(store, guild_id, (await film_scope(store, film)).ref) is not None
    return film, locked
