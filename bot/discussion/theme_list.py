"""The themes listed, for a film or all: one implementation behind two commands.

`/themes` is the members' view, for starting a prompt: the themes that have passages to discuss, each
with its description. `/theme list` is the moderators' view, for editing questions: every theme, empty or
not, with every question prompts may ask (➕ added by moderators, struck out: hidden) and the members'
approved questions; a spoiler theme's questions wait while the server's gate holds its film.
Both show each theme's passage count and spoiler warning the same way, privately.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.films import option
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import Gate, server_gate, theme_text
from bot.core.text import SPOILER_WARNING, clip, counted, inert
from bot.corpus import Theme
from bot.corpus.lookup import FilmScope, film_scope, scope_themes
from bot.discussion.questions_store import QuestionRow
from bot.discussion.suggestion_rules import ANY_THEME

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bot.stores import Store


def bundled_questions(theme: Theme, scope: FilmScope) -> list[tuple[str, str]]:
    """(as written in themes.toml, as shown) for the theme's open and debate questions."""
    t = theme.templates
    written = [*(t.questions if t else theme.questions), t.debate_question if t else theme.debate_question]
    shown = [*theme.questions_for(scope.title), theme.debate_question_for(scope.title)]
    return list(zip(written, shown, strict=True))


def _head(key: str, theme: Theme, counts: Mapping[str, int]) -> str:
    """A theme's line: its name, key, passage count and spoiler warning."""
    flag = f" · {SPOILER_WARNING}" if theme.spoiler else ""
    return f"• **{inert(theme.name, 100)}** (`{key}`): {counted(counts.get(key, 0), 'passage')}{flag}"


def _question_lines(
    theme: Theme, scope: FilmScope, edits: list[QuestionRow], films: dict[str, str], gate: Gate | None = None
) -> list[str]:
    """The theme's questions, each behind spoiler tags for a spoiler theme; none while the gate holds the film."""
    if theme.spoiler and gate is not None and scope.key == str(gate.film_id):
        return [f"  ◦ *Held back: the questions unlock {gate.unlocks}, when the screening ends.*"]
    hidden = {r.question.casefold() for r in edits
              if r.action == "remove" and r.theme == theme.key and r.film_key in {"", scope.key}}
    lines = []
    for written, shown in bundled_questions(theme, scope):
        mark = "~~" if written.casefold() in hidden or shown.casefold() in hidden else ""
        lines.append(f"  ◦ {mark}{theme_text(shown, theme, 200)}{mark}")
    for row in edits:
        if row.action == "add" and row.theme == theme.key:
            if theme.spoiler and gate is not None and row.film_key == str(gate.film_id):
                # the held film's own spoiler question, listed with every film's: held back as in its own list
                lines.append(f"  ◦ ➕ *A question for {inert(gate.label, 60)}, held back until the screening ends"
                             f" {gate.unlocks}.*")
                continue
            where = f" *(only {inert(films.get(row.film_key, '?'), 60)})*" if row.film_key else ""
            lines.append(f"  ◦ ➕ {theme_text(row.question, theme, 200)}{where}")
    return lines


def _members_lines(offered: Mapping[str, Theme], counts: Mapping[str, int], where: str) -> list[str]:
    """`/themes`: the themes with passages, described; the empty ones counted in one line."""
    empty = [key for key in offered if not counts.get(key)]  # nothing to discuss: not suggested
    lines = [f"{_head(key, theme, counts)}\n  {theme_text(theme.description, theme, 200)}"
             for key, theme in offered.items() if key not in empty]
    if empty and lines:
        lines.append(f"*{counted(len(empty), 'more theme')} with no passages{where} yet.*")
    return lines


async def _moderators_blocks(
    store: Store, themes: dict[str, Theme], guild_id: int, scope: FilmScope, counts: Mapping[str, int]
) -> list[str]:
    """`/theme list`: every theme with its questions, then the members' questions for any theme."""
    edits = await store.questions.rows(guild_id, film_key=scope.key or None)
    films = {str(f[0]): f"{f[1]} ({f[2]})" if f[2] else f[1] for f in await store.catalogue.films()}
    for key in {row.film_key for row in edits if row.film_key and row.film_key not in films}:
        film = await store.films.get(int(key)) if key.isdigit() else None  # a film with no review yet
        if film is not None:
            films[key] = film.label
    gate = await server_gate(store, guild_id, themes)
    blocks = ["\n".join([_head(key, theme, counts), *_question_lines(theme, scope, edits, films, gate)])
              for key, theme in scope_themes(themes, scope).items()]
    anywhere = [row for row in edits if row.action == "add" and row.theme == ANY_THEME]
    if anywhere:
        lines = [f"  ◦ 💬 {inert(row.question, 200)}" for row in anywhere]
        blocks.append("\n".join(["• **Members' questions** (any theme without spoilers)", *lines]))
    return blocks


def _whole_lines(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut between lines, never inside one: a line cut short could leave a
    spoiler question's ||opening tag|| without its closing one, and Discord then shows it in clear."""
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    size = 0
    for n, line in enumerate(lines):
        more = f"*…and {counted(len(lines) - n, 'more line')} that do not fit in one message.*"
        if size + len(line) + 1 + len(more) > limit:
            return "\n".join([*kept, more])
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


async def themes_embed(
    store: Store, themes: dict[str, Theme], film: str | None, guild_id: int | None, *, moderators_of: int | None = None
) -> discord.Embed:
    """The themes (of `film`, as the server `guild_id` sees it, or all) with their passage counts: the members'
    list, or with `moderators_of` (a server id) the moderators' list of that server's questions."""
    scope = await film_scope(store, option(film), guild_id)
    counts = await store.catalogue.theme_counts(scope.ref)
    where = f" for {scope.label}" if scope.label else ""
    if moderators_of is not None:
        blocks = await _moderators_blocks(store, themes, moderators_of, scope, counts)
        title, nothing = f"Themes and questions{where}", "No themes configured."
        footer = ("➕ added by a moderator · struck out: hidden. Moderators change them with"
                  " /theme question add and /theme question remove.")  # not "add|remove": no such command
    else:
        blocks = _members_lines(scope_themes(themes, scope), counts, where)  # a film's own themes only
        title, nothing = f"Discussion themes{where}", f"No theme has passages{where} yet."
        footer = "Start one with /discuss theme:<name> or /debate theme:<name>."
    embed = discord.Embed(
        title=clip(title, 256), description=_whole_lines("\n".join(blocks), 4000) or nothing, colour=FILM_CLUB_COLOUR
    )
    embed.set_footer(text=footer)
    return embed
