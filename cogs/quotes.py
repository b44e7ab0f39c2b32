"""/quote, /search, /critics: what critics actually wrote, with honest attribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import user_errors
from bot.core.films import option
from bot.core.refusals import UserError
from bot.core.render import FILM_CLUB_COLOUR, NO_MENTIONS
from bot.core.slow import answers_publicly
from bot.core.spoilers import has_spoiler_bars, take_text
from bot.core.text import clip, film_label, inert, spoiler, typed_value
from bot.corpus.lookup import (
    critic_choices,
    critic_names,
    film_choices,
    film_scope,
    resolve_theme,
    scope_themes,
    theme_choices,
    themes_with_passages,
)
from bot.corpus.passage import SEARCH_CANDIDATES, QuoteFilters, is_spoiler
from bot.filmnight.gate import film_or_current
from bot.quotes.fts import keywords
from bot.quotes.render import critic_line, search_miss
from bot.quotes.views import AnotherQuoteButton, ContextButton, gate_here, send_quote

if TYPE_CHECKING:
    from bot.client import FilmBot

CRITICS_READ = 80  # /critics reads this many reviews: more lines (50+ characters each) than 3,900 characters hold


class Quotes(commands.Cog):
    """Quote critics by film, critic, theme or keywords."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnotherQuoteButton, ContextButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnotherQuoteButton, ContextButton)

    async def validated_filters(
        self, guild_id: int | None, film: str | None, critic: str | None, theme: str | None, about: str | None
    ) -> QuoteFilters:
        store, themes = self.bot.store, self.bot.themes
        scope = await film_scope(store, film, guild_id)
        # The film's own themes, as /discuss and /poll theme offer them: La La Land's `jazz` is no theme of
        # another film, and its unknown-theme answer lists only what this film can be quoted on.
        resolved = resolve_theme(scope_themes(themes, scope), option(theme))
        critic = option(critic)
        if critic and not await store.catalogue.knows_critic(critic):
            names = ", ".join(inert(name) for name in await critic_names(store))
            raise UserError(f"No critic or outlet called “{inert(critic, 80)}”. Known: {clip(names, 900)}.")
        if about is not None and not keywords(about):
            raise UserError(
                f"There's nothing to search for in “{inert(about, 80)}”: use plain words,"
                " e.g. `about: jazz piano` or `about: ending`."
            )
        return QuoteFilters(film=scope.ref, critic=critic, theme=resolved.key if resolved else None, about=about)

    @answers_publicly
    @app_commands.command(name="quote", description="Quote a critic: filter by film, critic, theme or keywords.")
    @app_commands.describe(
        film="Film title, e.g. La La Land",
        critic="Critic or outlet name, or an 'Unattributed review #N' label",
        theme="A discussion theme, e.g. ending or nostalgia",
        about="Keywords the passage must contain, e.g. jazz piano",
    )
    async def quote(
        self,
        interaction: discord.Interaction,
        film: str | None = None,
        critic: str | None = None,
        theme: str | None = None,
        about: str | None = None,
    ) -> None:
        """Quote a critic: filter by film, critic, theme or keywords."""
        async with user_errors(interaction):
            if option(film) is None and option(critic) is None and interaction.guild is not None:
                film, _ = await film_or_current(self.bot.store, interaction.guild.id, None)  # now showing
            filters = await self.validated_filters(interaction.guild_id, film, critic, theme, about)
            await send_quote(interaction, filters)

    @answers_publicly
    @app_commands.command(name="search", description="Search every review for words; shows the 5 best passages.")
    @app_commands.describe(query="Words to look for, e.g. jazz club")
    async def search(self, interaction: discord.Interaction, query: str) -> None:
        """Search every review for words; shows the 5 best passages."""
        async with user_errors(interaction):
            if not keywords(query):
                raise UserError(f"There's nothing to search for in “{typed_value(query, 80)}”: try plain words.")
            gate = await gate_here(self.bot, interaction)
            results, partial = await self.bot.store.quotes.search_bounded(query, gate=gate)
            if not results:
                with_passages = await themes_with_passages(self.bot.store, self.bot.themes)
                raise UserError(search_miss(query, with_passages) + (f"\n{gate.note}" if gate is not None else ""))
            if has_spoiler_bars(query):  # a title shows bars as written: the member's hidden words go below, hidden
                embed = discord.Embed(title="Passages matching your search", colour=FILM_CLUB_COLOUR,
                                      description=f"Searched for: {take_text(query, 300)}")
            else:
                embed = discord.Embed(
                    title=clip(f"Passages matching “{typed_value(query, 100)}”", 256), colour=FILM_CLUB_COLOUR
                )
            for quote, snippet in results:
                film = film_label(quote.film_title, quote.film_year)
                # The field name (attribution · film) cannot hide text; the snippet below can.
                text = inert(snippet.replace("\x02", "STARTHL").replace("\x03", "ENDHL"), 900)
                text = text.replace("STARTHL", "**").replace("ENDHL", "**")
                if is_spoiler(quote, self.bot.themes):
                    text = spoiler(text)
                embed.add_field(
                    name=inert(f"{quote.attribution} · {film}", 256), value=clip(text, 1024), inline=False
                )
            if partial:
                embed.set_footer(text=f"Ranked among the first {SEARCH_CANDIDATES:,} matches: add words to narrow it.")
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="critics", description="List the critics and reviews in the corpus.")
    async def critics(self, interaction: discord.Interaction) -> None:
        """List the critics and reviews in the corpus."""
        # The first reviews only (CRITICS_READ fill the message), and how many there are in all.
        rows = await self.bot.store.catalogue.critics(limit=CRITICS_READ)
        total = await self.bot.store.catalogue.reviews_count()
        lines: list[str] = []
        budget = 3_900  # of the description's 4,096, leaving room for the "and N more" line
        for shown, row in enumerate(rows):
            line = critic_line(row)
            if sum(len(x) + 1 for x in lines) + len(line) > budget:
                lines.append(f"…and {total - shown} more reviews: `/review list` pages through them all.")
                break
            lines.append(line)
        else:
            if total > len(rows):
                lines.append(f"…and {total - len(rows)} more reviews: `/review list` pages through them all.")
        embed = discord.Embed(
            title="Critics in the corpus", description="\n".join(lines) or "No reviews yet.", colour=FILM_CLUB_COLOUR
        )
        embed.set_footer(text="Reviews without a byline stay unattributed until a moderator sets the critic.")
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @quote.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)

    @quote.autocomplete("critic")
    async def critic_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await critic_choices(self.bot.store, current)

    @quote.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        film = getattr(interaction.namespace, "film", None)
        return await theme_choices(self.bot.store, self.bot.themes, current, film, interaction.guild_id)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Quotes(bot))
