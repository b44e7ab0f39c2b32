"""/rate, /ratings, /compare and /game: the club's own voice beside the critics (bot/club does the work)."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.club import charts
from bot.club.job import DigestJob, GameJob
from bot.club.service import ClubService
from bot.club.views import DYNAMIC_ITEMS, forget, forget_view
from bot.core.checks import is_moderator, moderator_only, require_guild, require_moderator
from bot.core.errors import send_ephemeral, user_errors
from bot.core.inputs import ON_OFF, one_of, suggest
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import answers_publicly
from bot.core.spoilers import server_gate
from bot.core.text import counted, inert, typed_value
from bot.core.time import iso
from bot.corpus.lookup import film_choices

if TYPE_CHECKING:
    from bot.client import FilmBot

@app_commands.guild_only()
class Rate(commands.GroupCog, group_name="rate", group_description="Rate films and share a short take."):
    """Ratings and takes, consent, forget-me; the club's jobs and buttons are registered here."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.service = ClubService(bot)
        self.jobs = (GameJob(bot), DigestJob(bot))

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        charts.start()  # the chart thread, warmed (fonts, one chart) while the bot starts
        for job in self.jobs:
            self.bot.scheduler.register(job)

    async def cog_unload(self) -> None:
        for job in self.jobs:
            self.bot.scheduler.unregister(job.name)
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    @app_commands.command(name="film", description="Rate a film from 0.5 to 5 stars, with an optional short take.")
    @app_commands.describe(film="Film title, e.g. La La Land (default: the club's current film)",
                           stars="0.5 to 5, in half stars (e.g. 3.5)",
                           take="Your take in up to 280 characters (no mentions, no links)")
    async def rate(self, interaction: discord.Interaction, stars: float, film: str | None = None,
                   take: str | None = None) -> None:
        """Rate a film (re-rating replaces your rating and take)."""
        async with user_errors(interaction, typed=[("take", take)]):
            text = await self.service.rate(interaction, film, stars, take)
            await send_ephemeral(interaction, text)

    @app_commands.command(name="remove", description="Remove your rating; moderators can remove a member's take.")
    @app_commands.describe(film="Film title", member="Moderators: remove this member's take (their stars stay)")
    async def remove(self, interaction: discord.Interaction, film: str, member: discord.Member | None = None) -> None:
        """Your own rating and take, or (moderators) another member's take, audited."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            scope = await self.service.film(guild.id, film)
            label = inert(scope.label or "", 150)
            if member is None or member.id == interaction.user.id:
                if not await self.bot.store.club.remove(guild.id, int(scope.key), interaction.user.id):
                    raise UserError(f"You haven't rated *{label}*.")
                await send_ephemeral(interaction, f"Removed your rating of *{label}*.")
                return
            if not await is_moderator(interaction):
                raise UserError("Only moderators can remove another member's take.")
            if not await self.bot.store.club.remove_take(guild.id, int(scope.key), member.id, interaction.user.id):
                raise UserError(f"{inert(member.display_name, 80)} has no take on *{label}*.")
            await send_ephemeral(interaction, f"Removed {inert(member.display_name, 80)}'s take on *{label}*.")

    @app_commands.command(name="consent", description="Whether your takes may appear in data exports and the game.")
    @app_commands.describe(state="on: your takes may be exported and quoted in /game; off: never")
    async def consent(self, interaction: discord.Interaction, state: str) -> None:
        async with user_errors(interaction):
            guild = require_guild(interaction)
            state = one_of(state, ON_OFF, f"“{typed_value(state, 32)}” is neither `on` nor `off`:"
                           " `/rate consent state:on` lets your takes appear in exports and the game, `state:off`"
                           " keeps them out.")
            await self.bot.store.club.set_consent(guild.id, interaction.user.id, state == "on",
                                                  iso(self.bot.now()))
            await send_ephemeral(
                interaction,
                "Thanks: your takes may appear in exports and in `/game critic-or-club`." if state == "on"
                else "Your takes stay out of exports and the game.",
            )

    @consent.autocomplete("state")
    async def state_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return suggest(ON_OFF)

    @app_commands.command(name="forget-me", description="Delete every rating, take, game answer and watched film of yours.")
    @app_commands.describe(confirm="True: delete now, without the confirmation button")
    async def forget_me(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        async with user_errors(interaction):
            require_guild(interaction)
            if confirm:
                await send_ephemeral(interaction, await forget(interaction))
                return
            await interaction.response.send_message(
                ("This deletes every rating, take, consent, game answer, watched film, vote, ballot and suggestion of"
                 " yours, in every server. Sure?"),
                view=forget_view(interaction.user.id), ephemeral=True, allowed_mentions=NO_MENTIONS,
            )

    @moderator_only
    @app_commands.command(name="export", description="Download this server's ratings as JSON (moderators).")
    async def export(self, interaction: discord.Interaction) -> None:
        """This server's ratings as a JSON file; a take is included only if its author consented."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            await require_moderator(interaction, "export the club's ratings")
            gate = await server_gate(self.bot.store, guild.id, self.bot.themes)
            items = await self.bot.store.club.export(guild.id, gate)
            data = json.dumps({"format": "filmbot-ratings", "version": 1, "ratings": items},
                              ensure_ascii=False, indent=1).encode()
            if len(data) > guild.filesize_limit:
                raise UserError(f"The export is {len(data):,} bytes, over this server's upload limit.")
            takes = sum(1 for item in items if "take" in item)
            held = sum(1 for item in items if "take_held_back_until" in item)
            note = (f" What {counted(held, 'take')} on *{inert(gate.label, 120)}* hid behind spoiler bars is held back"
                    f" until the screening ends {gate.unlocks}." if held and gate is not None else "")
            await interaction.response.send_message(
                f"{counted(len(items), 'rating')}; {counted(takes, 'take')} whose authors agreed to share them"
                f" (`/rate consent`).{note}",
                file=discord.File(io.BytesIO(data), filename="filmbot-ratings.json"),
                ephemeral=True, allowed_mentions=NO_MENTIONS,
            )

    @rate.autocomplete("film")
    @remove.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)


@app_commands.guild_only()
class Club(commands.Cog):
    """/ratings and /compare (top-level commands) and the listener that makes prompt digests due."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.service = ClubService(bot)

    @answers_publicly
    @app_commands.command(name="ratings", description="The club's average, distribution chart and three takes.")
    @app_commands.describe(film="Film title (default: the club's current film)")
    async def ratings(self, interaction: discord.Interaction, film: str | None = None) -> None:
        async with user_errors(interaction):
            await self.service.ratings(interaction, film)

    @answers_publicly
    @app_commands.command(name="compare", description="Critics' themes beside the themes of the club's takes.")
    @app_commands.describe(film="Film title (default: the club's current film)")
    async def compare(self, interaction: discord.Interaction, film: str | None = None) -> None:
        async with user_errors(interaction):
            embed = await self.service.compare(interaction, film)
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)

    @ratings.autocomplete("film")
    @compare.autocomplete("film")
    async def film_autocomplete_top(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)

@app_commands.guild_only()
class Game(commands.GroupCog, group_name="game", group_description="Critic or club? A blind-quote game."):
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.service = ClubService(bot)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Invited back: a game that ended while the bot was removed is told once (ClubService.rejoined)."""
        await self.service.rejoined(guild.id)

    @answers_publicly
    @app_commands.command(name="critic-or-club", description="Guess whether a quote is a critic's or a member's.")
    @app_commands.describe(rounds="How many rounds: 1 to 10 (default 5), 60 seconds each")
    async def critic_or_club(self, interaction: discord.Interaction, rounds: int | None = None) -> None:
        async with user_errors(interaction):
            await self.service.start_game(interaction, rounds)

    @answers_publicly
    @app_commands.command(name="leaderboard", description="This server's best critic-or-club players.")
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            embed = await self.service.leaderboard(interaction)
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Rate(bot))
    await bot.add_cog(Game(bot))
    await bot.add_cog(Club(bot))
