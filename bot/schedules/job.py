"""The scheduler job that posts scheduled prompts: claim, post, then settle the slot.

Every outcome of a claimed slot is written down: posted (with the message id), retrying with a
back-off (transient Discord 5xx/429), failed (outcome unknown or retries exhausted; moderators told)
or failed-and-paused (channel gone, permission missing, nothing to post; moderators told). One
schedule's failure never stops the others, and the bot stays up.

Orphaned claims — the process died between claiming a slot and settling it — are found once the
claim is STALE_CLAIM old and reconciled before anything is re-posted: the prompt record written by
post_prompt (source "schedule:<post id>") or a bot message in the channel since the claim proves it
was posted; only with neither is the slot posted again, once (`recovered`). A recovered claim that
is orphaned again is marked failed rather than risk a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord

from bot.core.channels import resolve_channel
from bot.core.closing import can_post, own_post_since
from bot.core.ratelimits import transient
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.text import clip
from bot.core.time import from_iso
from bot.schedules.rules import ON_TIME_TOLERANCE, ScheduleInputError, discord_timestamp
from bot.schedules.store import Claim, Schedule, SlotPost

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

POST_CONCURRENCY = 8  # due scheduled posts in flight at once
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))


def slot_marker(post_id: int) -> str:
    """Shown first in a scheduled prompt's footer: which slot the message is (proof after a crash)."""
    return f"Scheduled prompt · slot {post_id}"


def carries_marker(message: discord.Message, marker: str) -> bool:
    return any((embed.footer.text or "").split(" · ", 2)[:2] == marker.split(" · ") for embed in message.embeds)


def unusable(schedule: Schedule) -> str | None:
    """Why a stored schedule cannot be used (an unknown zone, a garbled time), None if it can."""
    try:
        ZoneInfo(schedule.timezone)
        schedule.cadence  # noqa: B018  (parses time and days)
    except (ZoneInfoNotFoundError, ValueError, ScheduleInputError) as error:
        return f"its stored settings cannot be used ({type(error).__name__}: {clip(str(error), 100)})"
    return None


# The endings of the pause reasons that mean "I could not reach or post in the channel": `rejoined` resumes those.
CHANNEL_GONE = "was deleted or I can no longer see it."
REFUSED = "Discord refused to let me post in"


class ScheduleJob:
    """Implements bot.core.jobs.Job for every schedule of every server."""

    name = "schedules"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    @property
    def store(self) -> Any:
        return self.bot.store.schedules

    async def next_due(self) -> datetime | None:
        now = self.bot.now()
        await self._refresh(now)
        shards = self.bot.own_shards  # this process's servers only (FILMBOT_SHARD_IDS)
        times = [t for t in (await self.store.next_pending_at(shards), await self.store.earliest_due(shards))
                 if t is not None]
        return min(times, default=None)

    async def _refresh(self, now: datetime) -> None:
        """Compute and store the next slot of the schedules whose one is unknown (only those)."""
        values = []
        for schedule in await self.store.unknown_due(self.bot.own_shards):
            try:
                slot = now if unusable(schedule) is not None else await self.next_slot(schedule, now)
            except Exception:  # one unreadable row: due now, so run_due pauses it and tells moderators
                log.exception("schedule %s: next slot could not be computed", schedule.id)
                slot = now
            if slot is not None:
                values.append((slot, schedule.id))
        await self.store.set_next_due(values)

    async def next_slot(self, schedule: Schedule, now: datetime) -> datetime | None:
        """The next slot that will post (may be in the past when one is due), read from the DB."""
        return next((slot for slot, skipped in await self.store.upcoming(schedule, now, 1) if not skipped), None)

    async def run_due(self, now: datetime) -> None:
        for post in await self.store.pending(now, self.bot.own_shards):
            await self._guarded(self._resume_post(post), f"slot {post.id}")
        grace = timedelta(hours=self.bot.settings.catchup_grace_hours)
        await self._refresh(now)
        claims: list[Claim] = []
        for schedule_id in await self.store.due_ids(now, self.bot.own_shards):  # only what is due: one indexed query
            # Each row on its own: one that cannot be read or claimed must not stop the others.
            await self._guarded(self._claim(schedule_id, now, grace, claims), f"schedule {schedule_id}")
        # Due posts go out together, at most POST_CONCURRENCY at a time, one at a time per server
        # (so per channel too). Per server, because post_prompt holds the server's lock while it
        # posts: eight slots given to one server's posts would wait on each other, not on Discord.
        gate = asyncio.Semaphore(POST_CONCURRENCY)
        by_guild: dict[int, list[Claim]] = {}
        for claim in claims:
            by_guild.setdefault(claim.schedule.guild_id, []).append(claim)

        async def send(queue: list[Claim]) -> None:
            for claim in queue:
                async with gate:
                    await self._guarded(self.post(claim), f"schedule {claim.schedule.id}")

        await asyncio.gather(*(send(queue) for queue in by_guild.values()))

    async def _claim(self, schedule_id: int, now: datetime, grace: timedelta, claims: list[Claim]) -> None:
        schedule = await self.store.get(schedule_id)
        if schedule is None:
            return
        problem = unusable(schedule)
        if problem is not None:
            await self._pause_unusable(schedule, problem)
            return
        claim, skipped = await self.store.claim_due(schedule_id, now, grace)
        for slot, reason in skipped:
            log.warning("schedule %s: slot %s skipped: %s", schedule_id, slot.isoformat(), reason)
        if claim is not None:
            if claim.catch_up:
                log.info("schedule %s: posting missed slot %s as catch-up", schedule_id, claim.slot)
            claims.append(claim)

    async def _pause_unusable(self, schedule: Schedule, problem: str) -> None:
        """A row whose stored settings cannot be used is paused with the reason, and moderators told."""
        if not await self.store.set_paused(schedule.id, paused=True, reason=problem, actor_id=None,
                                           now=self.bot.now()):
            return
        log.warning("schedule %s paused: %s", schedule.id, problem)
        await self.notify(
            schedule,
            f"⏸️ Scheduled prompt #{schedule.id} in <#{schedule.channel_id}> is **paused**: {problem}\n"
            f"Remove it with `/schedule remove id:{schedule.id}` and set it again.",
        )

    async def _guarded(self, work: Any, what: str) -> None:
        try:
            await work
        except Exception:  # a bug in one schedule must not stop the others
            log.exception("scheduled prompt for %s failed unexpectedly", what)

    async def _resume_post(self, post: SlotPost) -> None:
        now = self.bot.now()
        # A retry is the on-time post, not a catch-up: it gets its whole back-off even with grace 0.
        grace = max(timedelta(hours=self.bot.settings.catchup_grace_hours), sum(BACKOFF, ON_TIME_TOLERANCE))
        if now - post.slot > grace and post.status == "retrying":
            # Same rule as a missed slot: a prompt this late is no longer the scheduled one.
            reason = f"still failing {(now - post.slot).total_seconds() / 3600:.1f} h after its time, beyond grace"
            log.warning("schedule %s: slot %s skipped: %s", post.schedule_id, post.slot, reason)
            await self.store.mark_skipped(post.id, reason, now)
            return
        if post.status == "retrying":
            claim = await self.store.take(post, now)
            if claim is not None:
                await self._retry(claim, post)
            return
        schedule = await self.store.get(post.schedule_id)
        if schedule is None:
            return
        if post.recovered:
            await self._give_up(schedule, post.id, "the bot restarted twice while posting this slot; not"
                                " re-posted, to avoid a duplicate")
            return
        message_id = await self._find_posted(schedule, post)
        if message_id == -1:
            return  # history unreadable: _find_posted already settled the slot
        if message_id is not None:
            log.info("schedule %s: orphaned slot %s was in fact posted (message %s)", schedule.id, post.slot,
                     message_id)
            await self.store.mark_posted(post.id, message_id, now)
            await self._complete(schedule, post.id, message_id)
            return
        claim = await self.store.take(post, now, recovered=True)
        if claim is not None:
            await self.post(claim)

    async def _retry(self, claim: Claim, post: SlotPost) -> None:
        """Post a retried slot unless the failed attempt posted it after all (Discord made the message, then
        answered 5xx): its marker in the channel since that attempt's claim settles the slot instead."""
        try:  # since the slot's time, not the last claim: an attempt whose check failed re-claimed the row
            message_id = await self._posted_since(claim.schedule, post, post.slot)
        except discord.HTTPException as error:
            if transient(error):  # still down: this counts as the attempt, retried with the back-off
                await self._retry_later(claim, error)
                return
            message_id = None  # the channel is gone or refused: post() finds out and pauses the schedule
        except UserError:
            message_id = None
        if message_id is not None:
            log.info("schedule %s: slot %s was posted by the attempt that failed (message %s)", claim.schedule.id,
                     claim.slot, message_id)
            await self.store.mark_posted(claim.post_id, message_id, self.bot.now())
            await self._complete(claim.schedule, claim.post_id, message_id)
            return
        await self.post(claim)

    async def _complete(self, schedule: Schedule, post_id: int, message_id: int) -> None:
        """A slot's message found after a failed attempt or a crash: its thread and rotation record, if the
        attempt never made them (bot.prompts.complete: once). Best effort: the slot stays settled."""
        try:
            channel = await self._channel(schedule)
            message = await channel.fetch_message(message_id)
            await self.bot.prompts.complete(message, f"schedule:{post_id}")
        except (discord.HTTPException, UserError) as error:
            log.warning("schedule %s: could not complete the prompt of slot %s (%s)", schedule.id, post_id, error)

    async def _find_posted(self, schedule: Schedule, post: SlotPost) -> int | None:
        """Message id proving an orphaned claim was posted, None if it was not, -1 if unknowable."""
        try:
            return await self._posted_since(schedule, post, from_iso(post.claimed_at or post.slot.isoformat()))
        except (discord.HTTPException, UserError) as error:
            await self._give_up(schedule, post.id, f"could not check whether it was already posted ({error})")
            return -1

    async def _posted_since(self, schedule: Schedule, post: SlotPost, since: datetime) -> int | None:
        """This slot's message if one exists (its prompt record, or its marker in the channel since `since`),
        else None; raises when the channel cannot be read."""
        recorded = await self.store.recorded_message(f"schedule:{post.id}")
        if recorded is not None:
            return recorded
        channel = await self._channel(schedule)
        # Only this slot's own marker is proof: any other bot message (a /discuss, a poll, another
        # schedule) posted since the claim says nothing about this slot.
        marker = slot_marker(post.id)
        found = await own_post_since(self.bot, channel, since, lambda m: carries_marker(m, marker), limit=100)
        return None if found is None else found.id

    async def _channel(self, schedule: Schedule) -> discord.TextChannel:
        channel = self.bot.get_channel(schedule.channel_id)
        if channel is None:  # not cached is not gone: ask Discord
            channel = await self.bot.fetch_channel(schedule.channel_id)  # NotFound if deleted
        if not isinstance(channel, discord.TextChannel) or channel.guild.id != schedule.guild_id:
            raise UserError(f"<#{schedule.channel_id}> is not a text channel of this server any more.")
        return channel

    async def post(self, claim: Claim) -> discord.Message | None:
        """Post a claimed slot and settle its row, whatever happens."""
        schedule = claim.schedule
        try:
            channel = await self._channel(schedule)
            # Film night: no film → the current film, and its spoiler themes wait for the screening's end.
            film, locked = await self.bot.now_showing.film_or_current(schedule.guild_id, schedule.film)
            theme = schedule.theme
            if locked and theme in self.bot.themes and self.bot.themes[theme].spoiler:
                theme = None  # held back until the screening ends: this slot rotates through the others
            posted = await self.bot.prompts.post(
                channel, guild_id=schedule.guild_id, theme=theme, film=film,
                make_thread=schedule.make_thread, mention_role_id=schedule.ping_role_id,
                source=f"schedule:{claim.post_id}", exclude_spoilers=locked, marker=slot_marker(claim.post_id),
            )
        except UserError as error:  # MissingBotPermission, nothing to post, not a text channel
            await self._pause(claim, error.message)
        except discord.NotFound:
            await self._pause(claim, f"the channel <#{schedule.channel_id}> {CHANNEL_GONE}")
        except discord.Forbidden as error:
            await self._pause(claim, f"{REFUSED} <#{schedule.channel_id}> ({error.text}).")
        except discord.HTTPException as error:
            if transient(error):
                await self._retry_later(claim, error)
            else:
                await self._pause(claim, f"Discord rejected the post (HTTP {error.status}: {error.text}).")
        else:
            # The message exists: the slot is settled, with or without its thread.
            await self.store.mark_posted(claim.post_id, posted.message.id, self.bot.now())
            if posted.thread_error:
                log.warning("schedule %s: slot %s posted without its thread (%s)", schedule.id, claim.slot,
                            posted.thread_error)
            log.info("schedule %s: posted slot %s (message %s)", schedule.id, claim.slot, posted.message.id)
            return posted.message
        return None

    async def _retry_later(self, claim: Claim, error: discord.HTTPException) -> None:
        reason = f"Discord error HTTP {error.status} on attempt {claim.attempt}"
        if claim.attempt > len(BACKOFF):
            await self._give_up(claim.schedule, claim.post_id, f"{reason}; gave up after {claim.attempt} attempts")
            return
        next_at = self.bot.now() + BACKOFF[claim.attempt - 1]
        log.warning("schedule %s: %s; retrying at %s", claim.schedule.id, reason, next_at.isoformat())
        await self.store.mark_retrying(claim.post_id, next_at, reason, self.bot.now())

    async def _give_up(self, schedule: Schedule, post_id: int, reason: str) -> None:
        """The slot is lost (not the schedule): record why and tell the moderators."""
        await self.store.mark_failed(post_id, reason, self.bot.now())
        await self.notify(schedule, f"⚠️ Scheduled prompt #{schedule.id} in <#{schedule.channel_id}> did not post:"
                                    f" {reason}. The schedule continues with its next slot.")

    async def rejoined(self, guild: discord.Guild) -> list[int]:
        """The bot invited back into `guild`: the schedules it paused because it could not reach or post in their
        channel (as when it was removed) are resumed, when it can see and post there again; moderators are told
        once. A schedule a moderator paused, or paused for another reason, stays paused. Returns the ids."""
        resumed: list[Schedule] = []
        for schedule in await self.store.paused_unreachable(guild.id, (f"%{CHANNEL_GONE}", f"{REFUSED} %")):
            try:
                channel = await resolve_channel(self.bot, schedule.channel_id)
            except discord.HTTPException:  # could not look (a 5xx): it stays paused, `/schedule resume` resumes it
                log.warning("could not look for schedule %s's channel", schedule.id, exc_info=True)
                continue
            if not isinstance(channel, discord.TextChannel) or channel.guild.id != guild.id or not can_post(channel):
                continue
            if await self.store.set_paused(schedule.id, paused=False, reason=None, actor_id=None, now=self.bot.now()):
                resumed.append(schedule)
        if resumed:
            self.bot.scheduler.wake()
            which = ", ".join(f"#{s.id} in <#{s.channel_id}>" for s in resumed)
            await self.notify(resumed[0], f"▶️ I am back in this server and can post again: scheduled prompt(s) {which}"
                                          " resumed. Posts missed while I was away are not made up.")
        return [s.id for s in resumed]

    async def _pause(self, claim: Claim, reason: str) -> None:
        schedule = claim.schedule
        await self.store.fail_and_pause(claim, reason, self.bot.now())
        log.warning("schedule %s paused: %s", schedule.id, reason)
        await self.notify(
            schedule,
            f"⏸️ Scheduled prompt #{schedule.id} ({schedule.cadence.describe()}) in <#{schedule.channel_id}> is"
            f" **paused**: {reason}\nThe post due {discord_timestamp(claim.slot)} was not made. Fix the problem,"
            f" then run `/schedule resume id:{schedule.id}`.",
        )

    async def notify(self, schedule: Schedule, text: str) -> str:
        """Tell moderators: the log channel, else a DM to whoever set the schedule, else only the log."""
        text = clip(text, 2000)
        settings = await self.bot.store.guilds.get(schedule.guild_id)
        if settings.log_channel_id:
            try:
                channel = await resolve_channel(self.bot, settings.log_channel_id)
                if channel is not None:
                    await channel.send(text, allowed_mentions=NO_MENTIONS)
                    return "log-channel"
            except discord.HTTPException:
                log.warning("could not post in log channel %s", settings.log_channel_id)
        try:
            user = self.bot.get_user(schedule.created_by) or await self.bot.fetch_user(schedule.created_by)
            await user.send(text, allowed_mentions=NO_MENTIONS)
            return "dm"
        except discord.HTTPException:
            log.warning("could not DM the member %s who set schedule %s", schedule.created_by, schedule.id)
        log.warning("moderator notice for guild %s: %s", schedule.guild_id, text)
        return "log"
