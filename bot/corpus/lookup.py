"""Resolve what a member typed (film, critic, theme) against what exists; shared by every cog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from discord import app_commands

from bot.core.films import TITLE_YEAR, option
from bot.core.refusals import UserError
from bot.core.text import clip, film_label, inert
from bot.corpus import Theme, themes_for_film

if TYPE_CHECKING:  # types only: core never imports a feature at run time
    from bot.stores import Store


@dataclass(frozen=True)
class FilmScope:
    """The film a command is limited to."""

    key: str  # films.id as text, '' = every film (the rotation key)
    label: str | None  # 'Title (Year)' shown and stored, None = every film
    title: str | None = None  # the film's own title and year (which themes and questions apply)
    year: int | None = None


def resolve_theme(themes: dict[str, Theme], value: str | None) -> Theme | None:
    """A theme by key or display name, case-insensitively; unknown → UserError listing them."""
    if value is None or not value.strip():
        return None
    wanted = value.strip().casefold()
    for theme in themes.values():
        if wanted in {theme.key.casefold(), theme.name.casefold(), theme.key.replace("-", " ").casefold()}:
            return theme
    raise UserError(f"There is no theme called “{inert(value, 80)}”. Themes: {theme_list(themes)}.")


def theme_list(themes: dict[str, Theme]) -> str:
    return ", ".join(f"`{key}`" for key in themes)


def scope_themes(themes: dict[str, Theme], scope: FilmScope) -> dict[str, Theme]:
    """The themes offered for the scope: every theme, or those of its film (themes_for_film)."""
    return themes_for_film(themes, scope.title, scope.year) if scope.title else themes


async def film_names(store: Store) -> list[str]:
    return [film_label(title, year) for _, title, year, _ in await store.quotes.films()]


async def film_scope(store: Store, value: str | None) -> FilmScope:
    """The one film matcher: by id, title or 'Title (Year)', case-insensitively; unknown → UserError."""
    text = option(value)
    if text is None:
        return FilmScope("", None)
    films = await store.quotes.films()
    match = TITLE_YEAR.match(text)
    for film_id, title, year, _ in films:
        label = film_label(title, year)
        if text.casefold() in {title.casefold(), label.casefold(), str(film_id)} or (
            match and match["title"].casefold() == title.casefold() and int(match["year"]) == year
        ):
            return FilmScope(str(film_id), label, title, year)
    names = ", ".join(film_label(t, y) for _, t, y, _ in films) or "none yet"
    raise UserError(f"No reviews of a film called “{inert(text, 80)}”. Films: {clip(names, 900)}.")


async def check_film(store: Store, value: str | None) -> str | None:
    """The film filter ('Title (Year)') if such a film exists; none given → None."""
    return (await film_scope(store, value)).label


async def critic_names(store: Store) -> list[str]:
    """Named critics and outlets once each, then each unattributed review by its stable label."""
    return await store.quotes.critic_names()


def choices(current: str, names: list[str]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for what was typed, from a list of names (value = name)."""
    return [app_commands.Choice(name=n, value=v) for n, v in autocomplete_matches(current, names)]


async def film_choices(store: Store, current: str) -> list[app_commands.Choice[str]]:
    return _named(await store.quotes.name_matches("films", current))


async def critic_choices(store: Store, current: str, *, named_only: bool = False) -> list[app_commands.Choice[str]]:
    """Critics, outlets and unattributed labels (or critics only) for what was typed, from a prefix index."""
    return _named(await store.quotes.name_matches("named_critics" if named_only else "critics", current))


def _named(names: list[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=clip(n, 100), value=clip(n, 100)) for n in names]


def autocomplete_matches(current: str, names: list[str]) -> list[tuple[str, str]]:
    """Up to 25 (name, value) pairs whose name contains what was typed, prefix matches first."""
    typed = (current or "").casefold().strip()
    hits = [n for n in names if typed in n.casefold()]
    hits.sort(key=lambda n: (not n.casefold().startswith(typed), n.casefold()))
    return [(clip(n, 100), clip(n, 100)) for n in hits[:25]]


async def theme_choices(
    store: Store, themes: dict[str, Theme], current: str, film: str | None
) -> list[app_commands.Choice[str]]:
    """Themes with quotable passages (for the film chosen so far), labelled with how many."""
    try:
        scope = await film_scope(store, film)
    except UserError:
        return []  # the film option is refused with a message when the command runs
    counts = await store.quotes.theme_counts(scope.key or None)
    typed = (current or "").casefold().strip()
    return [
        app_commands.Choice(name=clip(f"{t.name} ({counts[key]} quotes)", 100), value=key)
        for key, t in scope_themes(themes, scope).items()
        if counts.get(key) and (typed in key or typed in t.name.casefold())
    ][:25]
