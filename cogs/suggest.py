"""/suggest question: members put a discussion question in the moderators' queue (bot/discussion does the work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import require_guild
from bot.core.decisions import post_for_decision
from bot.core.errors import send_ephemeral, user_errors
from bot.core.films import option
from bot.core.refusals import UserError
from bot.core.spoilers import server_gate
from bot.core.text import inert
from bot.corpus.lookup import film_choices, film_scope, may_be_spoiler_theme, resolve_theme, theme_choices
from bot.discussion.suggestion_job import SuggestionRetractJob
from bot.discussion.suggestion_rules import clean_question
from bot.discussion.suggestion_views import SuggestionButton, suggestion_embed

if TYPE_CHECKING:
    from bot.client import FilmBot


@app_commands.guild_only()
class Suggest(commands.Cog):
    """Members suggest; moderators approve or reject from the log channel."""

    suggest = app_commands.Group(name="suggest", description="Suggest something to the club's moderators.")

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.job = SuggestionRetractJob(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SuggestionButton)
        self.bot.scheduler.register(self.job)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.job.name)
        self.bot.remove_dynamic_items(SuggestionButton)

    @suggest.command(name="question", description="Suggest a discussion question; moderators approve it.")
    @app_commands.describe(
        text="Your question, e.g. Which song from the film is still in your head?",
        theme="The theme it belongs to (empty: any theme without spoilers)",
        film="Only for this film (empty: any film)",
        credit="Name you with the question when moderators approve it",
    )
    async def question(
        self, interaction: discord.Interaction, text: str, theme: str | None = None, film: str | None = None,
        credit: bool = False,
    ) -> None:
        """Put a question in the moderators' queue: one suggestion per member per hour, no mentions or links."""
        hidden = may_be_spoiler_theme(self.bot.themes, theme)
        async with user_errors(interaction, typed=[("question", text, hidden)]):
            guild = require_guild(interaction)
            question = clean_question(text)
            scope = await film_scope(self.bot.store, option(film), guild.id)
            chosen = resolve_theme(self.bot.themes, option(theme))
            log_id = (await self.bot.store.guilds.get(guild.id)).log_channel_id
            channel = guild.get_channel(log_id) if log_id else None
            if not isinstance(channel, discord.TextChannel):
                raise UserError(
                    "This server has no moderators' log channel yet, so suggestions have nowhere to go."
                    " A moderator can set one with `/config log-channel`."
                )
            suggestion_id, again = await self.bot.store.suggestions.create(
                guild_id=guild.id, user_id=interaction.user.id, question=question,
                theme=chosen.key if chosen else None, film_id=int(scope.key) if scope.key else None,
                credit=credit, now=self.bot.now(),
            )
            if suggestion_id is None:
                assert again is not None
                raise UserError(
                    f"You can suggest one question an hour: your next one <t:{int(again.timestamp())}:R>."
                )
            suggestion = await self.bot.store.suggestions.get(suggestion_id)
            assert suggestion is not None
            embed = suggestion_embed(
                suggestion, theme_name=chosen.name if chosen else None, spoiler_theme=bool(chosen and chosen.spoiler),
                film_label=scope.label, gate=await server_gate(self.bot.store, guild.id, self.bot.themes),
            )
            posted = await post_for_decision(self.bot, channel, SuggestionButton, suggestion_id, embed)  # a 5xx Discord applied: kept
            if posted is None:
                await self.bot.store.suggestions.withdraw(suggestion_id)  # never a suggestion nobody can see
                raise UserError("Your suggestion couldn't reach the moderators just now; nothing was kept. Try again later.")
            await self.bot.store.suggestions.set_log_message(suggestion_id, channel.id, posted)
            await send_ephemeral(
                interaction, f"Thanks! Your question is with the moderators: “{inert(question, 300)}”"
            )

    @question.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)

    @question.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        film = getattr(interaction.namespace, "film", None)
        return await theme_choices(self.bot.store, self.bot.themes, current, film, interaction.guild_id)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Suggest(bot))
