"""Posting a suggestion in the moderators' log channel, once, even when Discord answers 5xx after making it.

A 5xx (a gateway timeout, a dropped connection) can come after Discord created the message. The suggestion
was then withdrawn while its message stood in the log channel: its buttons said "already decided", the
member (told "nothing was kept") sent it again, and `/rate forget-me` could never reach that message, which
holds their words and name. So a 5xx is followed by a look at the log channel: the message carrying this
suggestion's buttons is proof it was posted.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.core.closing import own_post_since
from bot.core.ratelimits import transient
from bot.core.render import NO_MENTIONS

log = logging.getLogger(__name__)


def carries_suggestion(suggestion_id: int) -> Any:
    """Whether a message is this suggestion's (its Approve/Reject buttons carry the suggestion's id)."""
    ids = {f"filmbot:suggest:approve:{suggestion_id}", f"filmbot:suggest:reject:{suggestion_id}"}

    def carries(message: discord.Message) -> bool:
        return any(getattr(item, "custom_id", None) in ids
                   for row in message.components for item in getattr(row, "children", ()))

    return carries


async def post_suggestion(bot: Any, channel: discord.TextChannel, suggestion_id: int, embed: discord.Embed,
                          view: discord.ui.View) -> int | None:
    """The log message's id, or None when Discord refused it (nothing is in the channel, as far as can be seen)."""
    since = bot.now()
    try:
        return (await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)).id
    except discord.HTTPException as error:
        if not transient(error):
            return None
        try:
            found = await own_post_since(bot, channel, since, carries_suggestion(suggestion_id), limit=50)
        except discord.HTTPException:
            log.warning("suggestion %s: a 5xx on its log post and its channel unreadable", suggestion_id)
            return None
        if found is not None:
            log.info("suggestion %s: Discord made its log message despite the %s", suggestion_id, error.status)
        return None if found is None else int(found.id)
