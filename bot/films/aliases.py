"""`/film alias`: a moderator gives a club film another title members may type, or takes one back.

The checks keep the one rule of aliases (bot/films/aliases_store.py): an alias names one film of this server
and never a title another film here holds as its own, so a member typing that title still gets that film.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.films import TITLE_YEAR
from bot.core.refusals import UserError
from bot.core.text import inert
from bot.films.rules import ALIASES_MAX, Film, alias_title, clean_title, norm_key, title_problem

if TYPE_CHECKING:
    from bot.films.store import FilmStore


def _checked_title(typed: str) -> str:
    """The typed other title as stored, or a refusal saying what to type instead."""
    title = alias_title(typed)
    if title is not None:
        return title
    cleaned = clean_title(typed)
    if TITLE_YEAR.match(cleaned) and not title_problem(cleaned):
        raise UserError("Type the other title alone, without a year in brackets (the year stays the film's):"
                        " e.g. `Spirited Away`.")
    raise UserError(f"I can't use that as another title: {title_problem(cleaned) or 'it is not a title'}.")


async def add_alias(films: FilmStore, guild_id: int, film: Film, typed: str, user_id: int, at: str) -> str:
    """Store `typed` as another title of `film` in this server; the answer to the moderator. UserError when it
    is the film's own title, another film's title or other title here, or the film has ALIASES_MAX already."""
    title = _checked_title(typed)
    key = norm_key(title)
    shown = f"**{inert(film.label, 120)}**"
    if key == film.norm_key:
        raise UserError(f"“{inert(title, 100)}” already names {shown}: it is its own title as members type it.")
    holders = [f for f in await films.titled(key, guild_id) if f.id != film.id]
    if holders:
        raise UserError(
            f"“{inert(title, 100)}” is the title of **{inert(holders[0].label, 120)}** here: another title never takes"
            " a film's own, so members typing it still get that film. Add the year to tell them apart instead."
        )
    # "Heat 1995" is not a title in the catalogue, yet members typing it get Heat (1995) (`FilmStore.dated`): as
    # another film's alias it would take that from them, since an alias is read before the year typed after a title.
    dated = await films.dated(title, guild_id)
    if dated is not None and dated.id != film.id:
        raise UserError(
            f"“{inert(title, 100)}” names **{inert(dated.label, 120)}** here (its title with the year typed after"
            " it): another title never takes what members type for another film."
        )
    others = [f for f in await films.aliased(key, guild_id) if f.id != film.id]
    if others:
        raise UserError(
            f"“{inert(title, 100)}” already names **{inert(others[0].label, 120)}** here (another title of it):"
            " one other title names one film."
        )
    has = await films.aliases.titles(film.id, guild_id)
    if any(norm_key(t) == key for t in has):  # told it is there, not to remove one to make room for it
        return f"“{inert(title, 100)}” already names {shown} here: nothing to change."
    if await films.aliases.count(film.id, guild_id) >= ALIASES_MAX:
        # Only this server's: a provider's title cannot be taken back, so naming it here would send them in circles.
        own = [t for t in has if not await films.aliases.provider_has(film.id, t)]
        names = ", ".join(f"“{inert(t, 60)}”" for t in own)
        raise UserError(f"{shown} has {ALIASES_MAX} other titles here already ({names}): take one back first,"
                        " with `/film alias`, that title and `remove:True`.")
    if not await films.aliases.add(guild_id, film, title, "moderator", user_id, at):
        return f"“{inert(title, 100)}” already names {shown} here."
    return (f"“{inert(title, 100)}” now names {shown} here: members may type it in every film option, and the"
            " list as they type shows the club's title.")


async def remove_alias(films: FilmStore, guild_id: int, film: Film, typed: str, user_id: int) -> str:
    """Take this server's other title `typed` of `film` back; the answer. UserError when it has none such."""
    title = clean_title(typed)
    shown = f"**{inert(film.label, 120)}**"
    if await films.aliases.remove(guild_id, film, title, user_id):
        return f"“{inert(title, 100)}” no longer names {shown} here."
    if await films.aliases.provider_has(film.id, title):
        raise UserError(f"“{inert(title, 100)}” is a title the film databases give {shown} (its original or"
                        " English title): it names the film wherever the film is known, and stays.")
    names = ", ".join(f"“{inert(t, 80)}”" for t in await films.aliases.titles(film.id, guild_id))
    listed = f"Its other titles: {names}." if names else "It has no other titles here."
    raise UserError(f"{shown} has no other title “{inert(title, 100)}” here, so nothing was taken back. {listed}")
