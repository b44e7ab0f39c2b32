"""/help: a private overview of what a member (and, for moderators, a moderator) can do, from the command tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import is_moderator
from bot.core.help import help_pages, messages
from bot.core.render import FILM_CLUB_COLOUR, NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import FilmBot

FOOTER = "Type / and pick a command to see all its options."


class Help(commands.Cog):
    """/help, generated from the registered commands so it never goes stale."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What you can do with filmbot, with an example of each command.")
    async def help(self, interaction: discord.Interaction) -> None:
        """What you can do with filmbot, with an example of each command (only you see it)."""
        pages = help_pages(self.bot.tree, moderator=await is_moderator(interaction))
        grouped = messages(pages)
        for number, group in enumerate(grouped):
            embeds = [discord.Embed(title=p.title, description=p.description, colour=FILM_CLUB_COLOUR) for p in group]
            if number == len(grouped) - 1:
                embeds[-1].set_footer(text=FOOTER)
            if number == 0:
                await interaction.response.send_message(embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.followup.send(embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Help(bot))
