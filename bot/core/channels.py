"""Reaching channels later (jobs, lists) and deciding who may see what is in them.

The cache (`get_channel`) is not the truth: archived threads, channels of a server after a restart
before the guild is streamed, … are missing from it while they still exist. Code that acts later
(closing a poll, posting a slot) resolves channels here, which falls back to an API fetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord

Messageable = discord.TextChannel | discord.Thread | discord.VoiceChannel | discord.StageChannel


async def resolve_channel(bot: discord.Client, channel_id: int) -> Any | None:
    """The channel or thread, from the cache or else fetched; None if it is gone or hidden from the bot.

    Other Discord errors (5xx) propagate: "could not look" is not "does not exist".
    """
    channel = bot.get_channel(channel_id)
    if channel is not None:
        return channel
    try:
        return await bot.fetch_channel(channel_id)
    except (discord.NotFound, discord.Forbidden):
        return None


def permissions_channel(channel: Any) -> Any:
    """Threads take their permissions from their parent channel."""
    return channel.parent if isinstance(channel, discord.Thread) else channel


async def member_can_view(bot: discord.Client, member: Any, channel_id: int, *, if_gone: bool = False) -> bool:
    """Whether this member may see the channel (threads: its parent; a private thread: also its members only).

    A channel that no longer exists hides nothing any more: `if_gone` says whether to show what was in
    it (e.g. a schedule paused because its channel was deleted). "Could not check" is never shown.
    """
    if not isinstance(member, discord.Member):
        return False
    try:
        channel = await resolve_channel(bot, channel_id)
    except discord.HTTPException:
        return False  # cannot check: do not show
    if channel is None:
        return if_gone
    target = permissions_channel(channel)
    if target is None or getattr(target, "guild", None) is None or target.guild.id != member.guild.id:
        return False
    allowed = target.permissions_for(member)
    if not allowed.view_channel:
        return False
    if isinstance(channel, discord.Thread) and channel.is_private() and not allowed.manage_threads:
        return await in_thread(channel, member.id)
    return True


async def in_thread(thread: discord.Thread, user_id: int) -> bool:
    """Whether the member was added to this (private) thread: the parent's View Channel does not show it.

    The cache first (the bot sees its threads' member updates), else one read of that member only."""
    if thread.owner_id == user_id or any(m.id == user_id for m in thread.members):
        return True
    try:
        await thread.fetch_member(user_id)
    except discord.HTTPException:
        return False  # not a member (404), or cannot check: do not show
    return True


async def visible_to(bot: discord.Client, member: Any, items: list[Any], channel_of: Any, *, if_gone: bool = False
                     ) -> list[Any]:
    """The items whose channel the member may view, in order; each channel is checked once."""
    seen: dict[int, bool] = {}
    out = []
    for item in items:
        channel_id = channel_of(item)
        if channel_id not in seen:
            seen[channel_id] = await member_can_view(bot, member, channel_id, if_gone=if_gone)
        if seen[channel_id]:
            out.append(item)
    return out


async def readers_can_view(bot: discord.Client, posted_in_id: int, channel_id: int) -> bool:
    """Whether everyone reading a public post in `posted_in_id` may see the channel or thread `channel_id`.

    Who reads a channel cannot be listed cheaply, so the answer is conservative: the posting channel itself
    and its public threads (their readers are its readers), or a channel and public thread @everyone may view.
    A private thread, a channel only some roles see, one gone or unreadable: no."""
    try:
        channel = await resolve_channel(bot, channel_id)
        posted_in = await resolve_channel(bot, posted_in_id)
    except discord.HTTPException:
        return False  # cannot check: do not show
    if channel is None or posted_in is None:
        return False
    if isinstance(channel, discord.Thread) and channel.is_private():
        return False
    target, here = permissions_channel(channel), permissions_channel(posted_in)
    if target is None or here is None or getattr(target, "guild", None) is None:
        return False
    if target.guild.id != here.guild.id:
        return False
    return bool(target.id == here.id or target.permissions_for(target.guild.default_role).view_channel)


async def readable_channels(bot: discord.Client, posted_in_id: int, channel_ids: Iterable[int]) -> set[int]:
    """Those of `channel_ids` every reader of a public post in `posted_in_id` may see (`readers_can_view`),
    each looked at once: what a public card may count or name."""
    return {c for c in set(channel_ids) if await readers_can_view(bot, posted_in_id, c)}
