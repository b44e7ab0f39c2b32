"""Resolve what a member typed (film, critic, theme) against what exists; shared by every cog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from discord import app_commands

from bot.core.films import option
from bot.core.refusals import UserError
from bot.core.text import AUTOCOMPLETE_NAME_MAX, clip, counted, film_label, inert
from bot.corpus import Theme, themes_for_film
from bot.films.rules import Film, parse_ref, ref

if TYPE_CHECKING:  # types only: core never imports a feature at run time
    from bot.stores import Store


@dataclass(frozen=True)
class FilmScope:
    """The film a command is limited to."""

    key: str  # films.id as text, '' = every film (the rotation key)
    label: str | None  # 'Title (Year)' shown and stored, None = every film
    title: str | None = None  # the film's own title and year (which themes and questions apply)
    year: int | None = None

    @property
    def ref(self) -> str | None:
        """The explicit `film:<id>` filter for this film (quotes, theme counts); None = every film."""
        return ref(int(self.key)) if self.key else None

    @property
    def film_id(self) -> int | None:
        return int(self.key) if self.key else None


def scope_of(film: Film) -> FilmScope:
    return FilmScope(str(film.id), film.label, film.title, film.year)


def resolve_theme(themes: dict[str, Theme], value: str | None) -> Theme | None:
    """A theme by key or display name, case-insensitively; unknown → UserError listing them."""
    if value is None or not value.strip():
        return None
    wanted = value.strip().casefold()
    for theme in themes.values():
        if wanted in {theme.key.casefold(), theme.name.casefold(), theme.key.replace("-", " ").casefold()}:
            return theme
    raise UserError(f"There is no theme called “{inert(value, 80)}”. Themes: {theme_list(themes)}.")


def may_be_spoiler_theme(themes: dict[str, Theme], value: str | None) -> bool:
    """Whether text typed for the theme `value` names must be quoted back hidden: a spoiler theme, or a name
    that is no theme at all (it may have meant one); no theme named is false (any theme without spoilers)."""
    if value is None or not value.strip():
        return False
    try:
        found = resolve_theme(themes, value)
    except UserError:
        return True
    return found is None or found.spoiler


def theme_list(themes: dict[str, Theme]) -> str:
    return ", ".join(f"`{key}`" for key in themes)


async def themes_with_passages(store: Store, themes: dict[str, Theme], film_key: str | None = None) -> dict[str, Theme]:
    """The themes worth suggesting: those with at least one quotable passage (of the film, when given)."""
    counts = await store.catalogue.theme_counts(film_key)
    return {key: theme for key, theme in themes.items() if counts.get(key)}


def scope_themes(themes: dict[str, Theme], scope: FilmScope) -> dict[str, Theme]:
    """The themes offered for the scope: every theme, or those of its film (themes_for_film)."""
    return themes_for_film(themes, scope.title, scope.year) if scope.title else themes


async def film_names(store: Store) -> list[str]:
    """The labels of the films with reviews (what /quote can quote)."""
    return [film_label(title, year) for _, title, year, _ in await store.catalogue.films()]


async def film_scope(store: Store, value: str | None, guild_id: int | None) -> FilmScope:
    """The one film resolver for commands, in the server `guild_id` (None: a DM): the explicit `film:<id>` an
    autocomplete value carries, or 'Title (Year)', or a title naming exactly one film this server sees
    (reviewed, or one it refers to: `FilmStore.visible`), the films its autocomplete offers.

    Unknown → UserError, the same for a film another server listed as for one that does not exist; a title
    without a year that names several films here → UserError listing them.
    """
    text = option(value)
    if text is None:
        return FilmScope("", None)
    film = await store.films.lookup(text, guild_id=guild_id)
    if film is None:
        names = ", ".join(inert(name) for name in await film_names(store)) or "none yet"
        raise UserError(
            f"I don't know a film called “{inert(text, 80)}”: pick one from the list as you type, or add"
            f" it with `/watchlist add`. Films with reviews: {clip(names, 900)}."
        )
    return scope_of(film)


async def film_text(store: Store, value: str | None, guild_id: int | None) -> str | None:
    """Typed text with an explicit `film:<id>` replaced by that film's 'Title (Year)' (for commands
    that take a title to create a film, e.g. /review add), and 'Halloween 2018' by 'Halloween (2018)' where the
    server sees that film and none called 'Halloween 2018' (`FilmStore.dated`); an id this server does not see is
    refused."""
    film_id = parse_ref(value)
    if film_id is None:
        dated = await store.films.dated(value, guild_id) if value else None
        return dated.label if dated else value
    film = await store.films.visible(film_id, guild_id)
    if film is None:
        raise UserError("That film is no longer in the catalogue: pick it again from the list.")
    return film.label


async def shown_film(store: Store, value: str | None, guild_id: int | None) -> str | None:
    """A film filter as a message shows it: a `film:<id>` this server sees as its 'Title (Year)'; typed text,
    and an id it does not see (a saved search or a forged button may carry another server's), as they are."""
    film_id = parse_ref(value)
    if film_id is None:
        return value
    film = await store.films.visible(film_id, guild_id)
    return film.label if film is not None else value


async def critic_names(store: Store) -> list[str]:
    """Named critics and outlets once each, then each unattributed review by its stable label."""
    return await store.catalogue.critic_names()


def choices(current: str, names: list[str]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for what was typed, from a list of names (value = name)."""
    return [app_commands.Choice(name=n, value=v) for n, v in autocomplete_matches(current, names)]


async def film_choices(store: Store, current: str, guild_id: int | None) -> list[app_commands.Choice[str]]:
    """Films this server knows: shown 'Title (Year) — Director', valued `film:<id>`."""
    return [
        app_commands.Choice(name=_choice_name(film), value=film.ref)
        for film in await store.films.choices(guild_id, current)
    ]


def _choice_name(film: Film) -> str:
    """'Title (Year) — Director' within a choice's 100 characters: the director left out before the year, so
    two films of one long title (a remake) are never two identical choices."""
    name = film.choice_name
    return name if len(name) <= AUTOCOMPLETE_NAME_MAX else clip(film.label, AUTOCOMPLETE_NAME_MAX)


async def critic_choices(store: Store, current: str, *, named_only: bool = False) -> list[app_commands.Choice[str]]:
    """Critics, outlets and unattributed labels (or critics only) for what was typed, from a prefix index."""
    return _named(await store.catalogue.name_matches("named_critics" if named_only else "critics", current))


def _named(names: list[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=clip(n, 100), value=clip(n, 100)) for n in names]


def autocomplete_matches(current: str, names: list[str]) -> list[tuple[str, str]]:
    """Up to 25 (name, value) pairs whose name contains what was typed, prefix matches first."""
    typed = (current or "").casefold().strip()
    hits = [n for n in names if typed in n.casefold()]
    hits.sort(key=lambda n: (not n.casefold().startswith(typed), n.casefold()))
    return [(clip(n, 100), clip(n, 100)) for n in hits[:25]]


async def theme_choices(
    store: Store, themes: dict[str, Theme], current: str, film: str | None, guild_id: int | None
) -> list[app_commands.Choice[str]]:
    """Themes with quotable passages (for the film chosen so far, as this server sees it), labelled with how many."""
    try:
        scope = await film_scope(store, film, guild_id)
    except UserError:
        return []  # the film option is refused with a message when the command runs
    counts = await store.catalogue.theme_counts(scope.ref)
    typed = (current or "").casefold().strip()
    return [
        app_commands.Choice(name=clip(f"{t.name} ({counted(counts[key], 'quote')})", 100), value=key)
        for key, t in scope_themes(themes, scope).items()
        if counts.get(key) and (typed in key or typed in t.name.casefold())
    ][:25]
