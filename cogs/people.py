"""/watched, /history and /club stats: who has watched what, and the club over time (issue 27)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.club import stats_rules
from bot.club.stats import send_stats
from bot.core.checks import require_guild
from bot.core.errors import user_errors
from bot.core.render import NO_MENTIONS
from bot.core.slow import answers_publicly
from bot.corpus.lookup import film_choices, film_scope
from bot.filmnight import people_rules
from bot.filmnight.people import history_embed, record_watch, today
from bot.filmnight.watch_views import DYNAMIC_ITEMS, history_view, spoilers_view

if TYPE_CHECKING:
    from bot.client import FilmBot


@app_commands.guild_only()
class People(commands.Cog):
    """Members' watches and history; the club's year in numbers."""

    club = app_commands.Group(name="club", description="The club over time")

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    @app_commands.command(name="watched", description="Record that you watched a film (once per film).")
    @app_commands.describe(film="Film title, e.g. La La Land (2016)", date="When, as YYYY-MM-DD (default: today)")
    async def watched(self, interaction: discord.Interaction, film: str, date: str | None = None) -> None:
        """Record a film you watched; then its spoiler passages are yours to see, privately."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            day = people_rules.parse_watch_date(date, await today(self.bot, guild.id))
            scope = await film_scope(self.bot.store, film, guild.id)
            text, _ = await record_watch(interaction, int(scope.key), scope.label or film, day, None)
            await interaction.response.send_message(
                text, view=spoilers_view(int(scope.key)), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="history", description="A member's films, with dates and their ratings.")
    @app_commands.describe(member="Whose films (default: yours)")
    async def history(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        """The films a member recorded, newest first, with their own ratings."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            user = member or interaction.user
            embed, page, pages = await history_embed(self.bot, guild, user, 0)
            view = history_view(user.id, page, pages)
            if view is None:
                await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(
                    embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @answers_publicly
    @club.command(name="stats", description="The club's year: films, members, ratings, critics, discussions.")
    @app_commands.describe(year="Which year (default: this year)")
    async def stats(self, interaction: discord.Interaction, year: int | None = None) -> None:
        """Films watched, members who took part, the average rating, the most divisive film and more."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            chosen = stats_rules.check_year(year, self.bot.now().year)
            await send_stats(interaction, self.bot, guild.id, chosen)

    @watched.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(People(bot))
