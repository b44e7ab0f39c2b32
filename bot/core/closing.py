"""Finishing what closed: the durable closing → announced (or abandoned) state machine of polls and picks.

A feature's row becomes 'closing' in the same UPDATE that closes it (the at-most-once guard). `finish`
then makes one attempt to announce it; a failure is written down with the time of the next try (the
CLOSE_BACKOFF ladder), and after the last one the row is 'abandoned' and the moderators are told. The
feature's job (through bot/core/jobs.py) calls `finish` again for rows whose next try is due: a failed
attempt's back-off ended, or the process died between closing and announcing. The store side is
`bot.core.store.CloseStates`, the same columns on each feature's table.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.core.channels import resolve_channel
from bot.core.render import NO_MENTIONS
from bot.core.store import NOTHING_TO_ANNOUNCE
from bot.core.text import clip
from bot.core.time import iso

if TYPE_CHECKING:
    from bot.core.store import CloseStates

log = logging.getLogger(__name__)

# Announcing is retried this long after each failure; then moderators are told.
CLOSE_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(hours=1),
                 timedelta(hours=6))
CLOSE_LEASE = timedelta(minutes=2)  # the closer's own attempt; the job takes over after (e.g. a crash)
# What one attempt may fail with and still be tried again later.
RETRYABLE = (discord.HTTPException, sqlite3.OperationalError)


class AnnounceError(Exception):
    """Results cannot be posted for a reason that is not a Discord error (a channel gone, say)."""


class NothingToAnnounce(AnnounceError):
    """Results that no later attempt could post (a native poll's message deleted: its votes went with it):
    given up at once, the moderators told `notice`, instead of the back-off's hours of tries and a notice
    promising what is no longer there."""

    def __init__(self, reason: str, notice: str) -> None:
        super().__init__(reason)
        self.notice = notice


def describe_error(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        return f"Discord error HTTP {error.status} ({clip(error.text or type(error).__name__, 120)})"
    return clip(str(error), 200)


async def finish(bot: Any, states: CloseStates, row_id: int, attempt: Callable[[], Awaitable[None]], *,
                 what: str, guild_id: int, channel_id: int, notice: Callable[[int, str], str]) -> bool:
    """One attempt to announce row `row_id`; True once announced. A failure schedules the next try, or
    after the last one abandons the row and posts `notice(attempts, reason)` for the moderators."""
    try:
        await attempt()
    except NothingToAnnounce as error:
        log.warning("announcing %s given up: %s", what, error)
        await states.failed(row_id, NOTHING_TO_ANNOUNCE + str(error), None)
        await tell_moderators(bot, guild_id, channel_id, error.notice)
        return False
    except (*RETRYABLE, AnnounceError) as error:
        log.warning("announcing %s failed: %s", what, error)
        reason = describe_error(error)
        attempts = await states.attempts(row_id) + 1
        if attempts <= len(CLOSE_BACKOFF):
            await states.failed(row_id, reason, iso(bot.now() + CLOSE_BACKOFF[attempts - 1]))
            bot.scheduler.wake()
            return False
        await states.failed(row_id, reason, None)
        await tell_moderators(bot, guild_id, channel_id, notice(attempts, reason))
        return False
    return True


async def tell_moderators(bot: Any, guild_id: int, channel_id: int | None, text: str) -> None:
    """The server's log channel if one is set, else `channel_id` (where it happened), else only the log."""
    settings = await bot.store.guilds.get(guild_id)
    for target in (settings.log_channel_id, channel_id):
        if target is None:
            continue
        try:
            channel = await resolve_channel(bot, target)
            if channel is not None:
                await channel.send(clip(text, 2000), allowed_mentions=NO_MENTIONS)
                return
        except discord.HTTPException:
            log.warning("could not tell the moderators in channel %s", target, exc_info=True)
    log.error("moderator notice for guild %s: %s", guild_id, text)


# How long after it was due something the bot could not post while removed from a server is still worth posting once
# it is invited back (a screening's end step, a game's end notice): after a week the club has moved on.
REJOIN_WINDOW = timedelta(days=7)


async def rejoined(bot: Any, states: CloseStates, guild_id: int,
                   reads_history: Callable[[int], Awaitable[bool]] | None = None) -> int:
    """The bot was invited back into a server: announcements given up while it could not reach their channel (it
    had been removed, so every try found the channel gone and the notice had nowhere to go) are tried again, once
    their channel is there again; one whose channel is still gone stays given up, and so does one given up for a
    refusal (403) while the bot still may not do there what it needs: the moderators were told that once.
    `reads_history(row_id)`: that announcement must read a message first (a native poll's votes live on its
    message), so Read Message History is needed too. Returns how many."""
    revived = 0
    for row_id, channel_id, error in await states.abandoned_in(guild_id):
        needs_history = reads_history is not None and await reads_history(row_id)
        if await worth_retrying(bot, channel_id, error, reads_history=needs_history):
            revived += await states.revive(row_id, iso(bot.now()))
    if revived:
        log.info("back in server %s: %d given-up %s announcement(s) tried again", guild_id, revived, states.table)
        bot.scheduler.wake()
    return revived


async def worth_retrying(bot: Any, channel_id: int, error: str | None, *, reads_history: bool = False) -> bool:
    """Whether a post given up with `error` (describe_error's text) is worth trying again now that the bot is back in
    the server: its channel is there, and a refusal (403) no longer holds. Discord failing the look itself (a 5xx)
    does not settle it: a post given up for anything but a refusal is tried (its own back-off and notice follow,
    which is the first the moderators hear: the earlier notice had nowhere to go); one given up for a refusal is not
    tried blind, as that would only repeat the notice the moderators had. `reads_history`: as `can_post`'s."""
    try:
        channel = await resolve_channel(bot, channel_id)
    except discord.HTTPException:
        log.warning("could not look for channel %s after the invitation", channel_id, exc_info=True)
        return not refused(error)
    return channel is not None and not (refused(error) and not can_post(channel, reads_history=reads_history))


def refused(error: str | None) -> bool:
    """A given-up announcement's `close_error` (describe_error's text) that is Discord's 403: no permission."""
    return (error or "").startswith("Discord error HTTP 403")


def can_post(channel: Any, *, reads_history: bool = False) -> bool:
    """The bot may post results (an embed) in `channel` as its permissions stand now, and, with `reads_history`,
    read a message there first (a 403 for that alone looks the same as one for posting)."""
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None or not hasattr(channel, "permissions_for"):
        return True  # cannot tell: a try will say
    perms = channel.permissions_for(guild.me)
    return bool(perms.view_channel and perms.send_messages and perms.embed_links
                and (perms.read_message_history or not reads_history))


async def own_post_since(
    bot: Any, channel: Any, since: datetime, matches: Callable[[Any], bool], limit: int = 200
) -> Any | None:
    """The bot's first message in `channel` from `since` on (a second's slack for clocks) that `matches`, else
    None: what an earlier attempt may have posted before a fault. Raises what reading the history raises."""
    me = bot.user
    if me is None:  # only before login
        return None
    async for message in channel.history(after=since - timedelta(seconds=1), limit=limit, oldest_first=True):
        if message.author.id == me.id and matches(message):
            return message
    return None


async def earlier_post(bot: Any, channel: Any, since: datetime, title: str) -> int | None:
    """The id of the bot's message titled `title` posted in `channel` after `since`, else None.

    An earlier attempt may have posted before recording the id failed (a locked database) or the process
    died; only the row's own title is proof, other bot messages since say nothing.
    """
    try:
        found = await own_post_since(bot, channel, since, lambda m: any(e.title == title for e in m.embeds))
        return None if found is None else int(found.id)
    except discord.Forbidden:
        # Without Read Message History nothing can be proven; announcing (rarely twice) beats never.
        log.warning("cannot read the history of channel %s to look for %r", channel.id, title)
    return None
