"""Posting a suggestion in the moderators' log channel, once, even when Discord answers 5xx after making it.

A 5xx (a gateway timeout, a dropped connection) can come after Discord created the message. The suggestion
was then withdrawn while its message stood in the log channel: its buttons said "already decided", the
member (told "nothing was kept") sent it again, and `/rate forget-me` could never reach that message, which
holds their words and name. `bot.core.decisions.post_for_decision` (shared with the watchlist's queue) looks
in the log channel after a 5xx: the message carrying this suggestion's buttons is proof it was posted.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.core.decisions import post_for_decision
from bot.discussion.suggestion_views import SuggestionButton


async def post_suggestion(bot: Any, channel: discord.TextChannel, suggestion_id: int, embed: discord.Embed) -> int | None:
    """The log message's id, or None when Discord refused it (nothing is in the channel, as far as can be seen)."""
    return await post_for_decision(bot, channel, SuggestionButton, suggestion_id, embed)
