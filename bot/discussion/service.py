"""What other features ask of discussion (`bot.prompts`, core.services.Prompts): post a prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.services import PostedPrompt
from bot.discussion.post import complete_prompt, post_prompt

if TYPE_CHECKING:
    from bot.client import FilmBot


class PromptService:
    """Implements core.services.Prompts for film night's after-screening prompt and scheduled prompts."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def post(
        self,
        channel: discord.TextChannel,
        *,
        guild_id: int,
        theme: str | None = None,
        film: str | None = None,
        make_thread: bool = True,
        mention_role_id: int | None = None,
        source: str = "command",
        exclude_spoilers: bool = False,
        marker: str | None = None,
    ) -> PostedPrompt:
        return await post_prompt(
            self.bot, channel, guild_id=guild_id, theme=theme, film=film, make_thread=make_thread,
            mention_role_id=mention_role_id, source=source, exclude_spoilers=exclude_spoilers, marker=marker,
        )

    async def complete(self, message: discord.Message, source: str) -> bool:
        return await complete_prompt(self.bot, message, source)
