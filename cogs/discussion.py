"""/discuss, /debate, /themes: critic-grounded discussion prompts, each opening its own thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import message_for, user_errors
from bot.core.films import option
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.text import inert
from bot.corpus.lookup import film_choices, resolve_theme, theme_choices
from bot.discussion.post import Kind, PostedPrompt, post_prompt, prompt_queued
from bot.discussion.theme_list import themes_embed
from bot.filmnight.gate import film_or_current, refuse_spoilers

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


def posted_reply(posted: PostedPrompt, theme_name: str, kind: Kind) -> str:
    """The invoker's private reply: where the conversation lives, and whether the rotation restarted."""
    what = "debate" if kind == "debate" else "discussion"
    # A mention renders as the thread's (or channel's) name in Discord; a raw URL reads as noise.
    link = posted.thread.mention if posted.thread else f"<#{posted.message.channel.id}>"
    text = f"Started a {what} on **{inert(theme_name, 100)}** in {link}."
    if posted.thread_error:
        text = (f"Posted the {what} on **{inert(theme_name, 100)}** in {link}, but the thread could not be"
                f" opened ({posted.thread_error}). Members can reply in the channel.")
    if posted.cycle_restarted:
        text += (
            "\n🔁 Every passage on this theme has now been used in this server, so the rotation started a"
            " new cycle: excerpts may repeat from here on."
        )
    return text


@app_commands.guild_only()
class Discussion(commands.Cog):
    """Discussion prompts grounded in what critics wrote."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def start_prompt(
        self, interaction: discord.Interaction, theme: str | None, film: str | None, kind: Kind
    ) -> None:
        channel = interaction.channel
        if not isinstance(channel, discord.TextChannel) or interaction.guild is None:
            raise UserError(
                "Prompts need a server text channel (not a thread, forum or DM) to start a thread in."
            )
        film, locked = await film_or_current(self.bot.store, interaction.guild.id, option(film))
        if locked:  # the club hasn't screened it yet: its spoiler themes wait (bot/filmnight/gate.py)
            await refuse_spoilers(self.bot.store, interaction.guild.id, film, resolve_theme(self.bot.themes, theme))
        # Discord wants a first response within 3 s. A prompt posts in milliseconds plus two Discord
        # calls, so the invoker's reply is that first response (one call fewer than defer + follow-up);
        # one queued behind another prompt of this server may wait, so it acknowledges first.
        if prompt_queued(self.bot, interaction.guild.id):
            await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            posted = await post_prompt(
                self.bot,
                channel,
                guild_id=interaction.guild.id,
                theme=option(theme),
                film=film,
                kind=kind,
                source="command",
                exclude_spoilers=locked,
                # the bot's permissions in this channel, sent with the interaction (parsed once, not
                # recomputed from the cached roles and overwrites)
                bot_permissions=interaction.app_permissions,
            )
        except discord.HTTPException as error:
            # post_prompt already removed anything half-posted and recorded nothing.
            log.warning("posting a %s prompt failed: %s", kind, error)
            reason = message_for(error) or "Discord refused the request."
            raise UserError(f"{reason} Nothing was posted and the rotation is unchanged.") from error
        theme_name = self.bot.themes[posted.theme_key].name
        reply = posted_reply(posted, theme_name, kind)
        if interaction.response.is_done():
            await interaction.followup.send(reply, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(reply, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(
        name="discuss", description="Post a discussion prompt with a critic's excerpt, in a new thread."
    )
    @app_commands.describe(
        theme="A discussion theme, e.g. ending or nostalgia (default: the next one in rotation)",
        film="Film title, e.g. La La Land",
    )
    async def discuss(
        self, interaction: discord.Interaction, theme: str | None = None, film: str | None = None
    ) -> None:
        """Post a discussion prompt: an open question and one critic's excerpt, with its own thread."""
        async with user_errors(interaction):
            await self.start_prompt(interaction, theme, film, "discuss")

    @app_commands.command(
        name="debate", description="Post two critics who disagree and ask members to take a side."
    )
    @app_commands.describe(
        theme="A discussion theme, e.g. ending or nostalgia (default: the next one in rotation)",
        film="Film title, e.g. La La Land",
    )
    async def debate(
        self, interaction: discord.Interaction, theme: str | None = None, film: str | None = None
    ) -> None:
        """Post a debate: excerpts from two reviews pulling different ways, and a take-a-side question."""
        async with user_errors(interaction):
            await self.start_prompt(interaction, theme, film, "debate")

    @app_commands.command(
        name="themes", description="List the discussion themes and how many passages each has."
    )
    @app_commands.describe(film="Only count passages about this film, e.g. La La Land")
    async def themes(self, interaction: discord.Interaction, film: str | None = None) -> None:
        """List the discussion themes and how many critic passages each has."""
        async with user_errors(interaction):
            embed = await themes_embed(self.bot.store, self.bot.themes, film, interaction.guild_id)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @discuss.autocomplete("theme")
    @debate.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Themes that have passages for the film chosen so far (all films when none)."""
        film = getattr(interaction.namespace, "film", None)
        return await theme_choices(self.bot.store, self.bot.themes, current, film, interaction.guild_id)

    @discuss.autocomplete("film")
    @debate.autocomplete("film")
    @themes.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Discussion(bot))
