"""The Discord pieces of /quote: posting a quote with its persistent Another / More context buttons.

Buttons are DynamicItems with namespaced custom ids; their state (the saved search, the passage) is
read from SQLite by id, so they keep working after a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.checks import client_of
from bot.core.errors import user_errors
from bot.core.persistent import Persistent, PrebuiltView
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.spoilers import Gate, server_gate
from bot.core.text import clip, context_window, film_label, inert, spoiler
from bot.corpus.lookup import film_names, shown_film
from bot.corpus.passage import QuoteFilters
from bot.quotes.render import is_spoiler, quote_embed

if TYPE_CHECKING:
    from bot.client import FilmBot


class AnotherQuoteButton(
    Persistent[discord.ui.Button],
    template=r"filmbot:quote:another:(?P<query>\d{1,18}):(?P<passage>\d{1,18})",
):
    """Another quote with the same filters; the filters live in SQLite so this survives restarts."""

    def __init__(self, query_id: int, passage_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Another",
                emoji="🎲",
                style=discord.ButtonStyle.primary,
                custom_id=self.id_for(query_id, passage_id),
            )
        )
        self.query_id = query_id
        self.passage_id = passage_id

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            filters = await client_of(interaction).store.queries.load(self.query_id, interaction.guild_id)
            if filters is None:
                raise UserError("That quote's search is no longer available; run /quote again.")
            await send_quote(interaction, filters, exclude=self.passage_id)


class ContextButton(
    Persistent[discord.ui.Button], template=r"filmbot:quote:context:(?P<passage>\d{1,18})"
):
    """The whole paragraph around a quote, shown only to whoever asked."""

    def __init__(self, passage_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="More context",
                emoji="📖",
                style=discord.ButtonStyle.secondary,
                custom_id=self.id_for(passage_id),
            )
        )
        self.passage_id = passage_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            gate = await gate_here(bot, interaction)
            quote = await bot.store.quotes.get(self.passage_id)
            paragraph = await bot.store.quotes.context(self.passage_id, gate)
            if quote is None or paragraph is None:
                raise UserError("That passage was removed from the corpus.")
            if quote.hidden:
                raise UserError("A moderator hid that passage: it is no longer quoted.")
            themes = bot.themes
            if gate is not None and gate.covers(quote.film_id) and is_spoiler(quote, themes):
                raise UserError(gate.refusal("That passage"))
            spoiler_keys = {key for key, theme in themes.items() if theme.spoiler}
            if is_spoiler(quote, themes):  # the whole context goes behind one set of spoiler tags
                body = spoiler(context_window([(text, own, False) for text, own, _, _ in paragraph], 1500))
            else:  # a harmless quote can sit next to an ending: hide each spoiler neighbour
                body = context_window(
                    [(text, own, marked or bool(spoiler_keys & set(keys))) for text, own, keys, marked in paragraph],
                    1500,
                )
            film = film_label(quote.film_title, quote.film_year)
            text = f"**Context** ({inert(quote.attribution, 100)} on *{inert(film, 120)}*):\n" + body
            await interaction.response.send_message(clip(text, 2000), ephemeral=True, allowed_mentions=NO_MENTIONS)


def quote_view(bot: FilmBot, query_id: int, passage_id: int) -> discord.ui.View:
    return bot.flags.flag_view(  # the buttons' payloads: what a View of the DynamicItems sends, built for less
        [passage_id], PrebuiltView(AnotherQuoteButton.payload((query_id, passage_id)), ContextButton.payload((passage_id,)))
    )


async def send_quote(
    interaction: discord.Interaction, filters: QuoteFilters, *, exclude: int | None = None
) -> None:
    """Post a random quote matching `filters` (not `exclude`) with its Another / More context buttons."""
    bot = client_of(interaction)
    gate = await gate_here(bot, interaction)
    quote = await bot.store.quotes.pick(filters, exclude=exclude, gate=gate)
    if quote is None:
        if gate is not None and filters.theme in gate.spoiler_themes:
            raise UserError(gate.refusal("A quote on that theme"))
        found = await nothing_found(bot, filters, interaction.guild_id)
        raise UserError(found if gate is None else clip(f"{found}\n{gate.note}", 2000))
    query_id = await bot.store.queries.save(filters, interaction.guild_id)
    if exclude is not None and quote.passage_id == exclude:
        # "Another" found nothing else: say so instead of silently repeating the same quote.
        raise UserError("That is the only passage matching these filters: try `/quote` with fewer of them.")
    await interaction.response.send_message(
        embed=quote_embed(quote, bot.themes),
        view=quote_view(bot, query_id, quote.passage_id),
        allowed_mentions=NO_MENTIONS,
    )

async def gate_here(bot: FilmBot, interaction: discord.Interaction) -> Gate | None:
    """The spoiler gate of the server this interaction comes from (none in DMs)."""
    return await server_gate(bot.store, interaction.guild_id, bot.themes)


async def nothing_found(bot: FilmBot, filters: QuoteFilters, guild_id: int | None) -> str:
    film = await shown_film(bot.store, filters.film, guild_id)  # a saved search may be another server's
    searched = [
        f"{label} “{inert(value, 80)}”"
        for label, value in (
            ("film", film), ("critic", filters.critic), ("theme", filters.theme),
            ("about", filters.about),
        )
        if value
    ]
    counts = await bot.store.catalogue.theme_counts(filters.film)
    themes = ", ".join(f"`{k}` ({n})" for k, n in sorted(counts.items())) or "none"
    films = ", ".join(inert(name) for name in await film_names(bot.store)) or "none yet"
    return clip(
        f"No quote matches {' and '.join(searched) or 'that'}.\n"
        f"Films: {films}\nThemes with quotes: {themes}\n"
        "Try fewer filters, or `/search` with a single word.",
        1900,
    )
