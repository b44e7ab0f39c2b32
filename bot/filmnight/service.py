"""What film night does with Discord and the store together (`bot.filmnight`).

Order matters everywhere: validate, then ask Discord, then write; if the write fails the Discord side
is undone, so a refused event never leaves a "now showing" behind.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.core import closing
from bot.core.channels import resolve_channel
from bot.core.checks import (
    missing_post_permission,
    require_channel_id,
    require_guild,
    require_message_channel,
)
from bot.core.closing import CLOSE_BACKOFF, CLOSE_LEASE, AnnounceError, own_post_since
from bot.core.errors import answer_with_message
from bot.core.nonce import post_nonce
from bot.core.persistent import custom_ids
from bot.core.ratelimits import transient
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.text import clip, inert
from bot.core.time import ended_late_note, from_iso, iso
from bot.corpus.lookup import FilmScope
from bot.filmnight import gate, rules
from bot.filmnight.ballot_count import BallotCountJob
from bot.filmnight.people import reminder_payload
from bot.filmnight.reconcile import posted_since
from bot.filmnight.render import pick_embed, reminder_text, result_embed
from bot.filmnight.rules import Pick, Screening
from bot.filmnight.views import next_rank_view, ordinal, pick_view
from bot.filmnight.watch_views import WatchedButton, watched_view
from bot.films.rules import ref

if TYPE_CHECKING:
    from bot.client import FilmBot
    from bot.filmnight.store import FilmNightStore

log = logging.getLogger(__name__)
INVITE_TAIL = "\nWatched it? Press the button: `/history` keeps your films."


class InvitationFailed(Exception):
    """The after-screening prompt is posted but its rating invitation is not (Discord answered 5xx or 429): the end
    step is tried again through the job loop, which finds the prompt and posts only the invitation."""


async def invite_ratings(bot: FilmBot, where: discord.abc.Messageable, screening: Screening,
                         after: datetime | None = None) -> None:
    """The club's rating invitation (`bot.club.rating_invite`) after the screening, with "I've watched it", once.

    `after`: a retry; the invitation is looked for in `where` from that moment (the end step's message) first, as
    an attempt that failed may have made it. A transient failure raises InvitationFailed (the end step is retried);
    a refusal (no permission, the thread gone) is logged: trying again would not change it."""
    try:
        if after is not None:
            invited = WatchedButton.id_for(screening.id)
            if await own_post_since(bot, where, after, lambda m: invited in custom_ids(m), limit=500) is not None:
                return
        late = ended_late_note(screening.ends_at, bot.now())
        await where.send((f"{late}\n" if late else "") + bot.club.rating_invite(screening.label) + INVITE_TAIL,
                         view=watched_view(screening.id), allowed_mentions=NO_MENTIONS,
                         nonce=post_nonce("rating-invite", screening.id))
    except discord.HTTPException as error:
        if transient(error):
            raise InvitationFailed(closing.describe_error(error)) from error
        log.warning("could not post the rating invitation of screening %s (%s)", screening.id, error)


def refusal(error: discord.HTTPException) -> str:
    """Discord's reason, short and inert (a missing Create Events permission is the usual one: since 23 February
    2026 a bot needs it to create an event, Manage Events alone no longer does)."""
    if isinstance(error, discord.Forbidden):
        return "I need the **Create Events** permission (since February 2026 **Manage Events** alone no longer lets a bot create events)"
    return inert(f"HTTP {error.status}: {error.text}", 150)


class FilmNightService:
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.ballots = BallotCountJob(self)  # the pick message's live count (registered by the cog)

    @property
    def store(self) -> FilmNightStore:
        return self.bot.store.filmnight

    async def zone(self, guild_id: int) -> str:
        return (await self.bot.store.guilds.get(guild_id)).timezone or self.bot.settings.default_timezone

    # ------------------------------------------------------------------ now showing (bot.now_showing)

    async def current_film(self, guild_id: int) -> FilmScope | None:
        return await gate.current_film(self.bot.store, guild_id)

    async def film_or_current(self, guild_id: int | None, film: str | None) -> tuple[str | None, bool]:
        return await gate.film_or_current(self.bot.store, guild_id, film)

    # ------------------------------------------------------------------ picks

    async def post_pick(self, interaction: discord.Interaction, candidates: int, hours: int, method: str) -> Pick:
        guild = require_guild(interaction)
        entries = await self.store.entries(guild.id)
        if len(entries) < rules.MIN_CANDIDATES:  # a refusal then: say whether suggestions wait for approval
            rules.check_pick(candidates, hours, len(entries), len(await self.store.entries(guild.id, ("pending",))))
        rules.check_pick(candidates, hours, len(entries))
        require_message_channel(interaction, "run a pick")
        missing = missing_post_permission(interaction)
        if missing is not None:  # the ballot is the reply; its result is a post when the pick closes
            raise UserError(f"I can't run a pick in this channel: I need the **{missing}** permission here to post"
                            " its result. Ask a moderator to grant it, or start the pick in another channel.")
        if await self.store.open_pick(guild.id) is not None:
            raise UserError(rules.PICK_OPEN)
        chosen = entries[:candidates]
        now = self.bot.now()
        pick_id = await self.store.create_pick(
            guild.id, require_channel_id(interaction), interaction.user.id, method, now,
            now + timedelta(hours=hours), chosen,
        )
        pick = await self.store.pick(pick_id)
        assert pick is not None
        try:
            message = await answer_with_message(
                interaction, embed=pick_embed(pick, 0, closed=False), view=pick_view(pick, disabled=False),
                allowed_mentions=NO_MENTIONS,
            )
        except BaseException:
            await self.store.delete_pick(pick_id)
            raise
        await self.store.set_pick_message(pick_id, message.id)
        self.bot.scheduler.wake()
        return pick

    async def cast(self, interaction: discord.Interaction, pick_id: int, ranking: tuple[int, ...]) -> None:
        pick = await self.store.pick(pick_id)
        # A ballot comes from the pick's own message (or its private follow-ups, in the same channel): never
        # another server's pick, nor one in a channel the member cannot view.
        if pick is None or pick.guild_id != interaction.guild_id or pick.channel_id != interaction.channel_id:
            raise UserError("This pick no longer exists.")
        if len(ranking) > pick.ranks:
            raise UserError("This pick takes a single choice.")
        ballot = rules.ballot(list(ranking), len(pick.candidates))
        if not await self.store.cast(pick_id, interaction.user.id, ballot, self.bot.now()):
            self.bot.scheduler.wake()
            raise UserError("This pick has closed: your ballot was not changed.")
        self.ballots.touch(pick_id, self.bot.now())
        listed = "\n".join(
            f"{ordinal(n)}: {inert(pick.candidates[c - 1][1], 100)}" for n, c in enumerate(ballot, start=1)
        )
        follow = next_rank_view(pick, ballot)
        text = f"Your ballot for pick #{pick.id}:\n{listed}"
        if follow is not None:
            text += f"\nAdd your {ordinal(len(ballot) + 1)} choice below (optional)."
            await interaction.response.send_message(text, view=follow, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def close_pick(self, pick_id: int, actor_id: int | None = None) -> rules.Count | None:
        """Close once (only the caller whose UPDATE flipped closed_at gets the count), then try to announce.

        The pick is 'closing' from that same UPDATE: if announcing fails here, or the process dies before
        it, the film-night job finishes it (see announce_pick), as the poll job does for polls.
        """
        now = self.bot.now()
        ballots = await self.store.close_pick(pick_id, now, actor_id, retry_at=now + CLOSE_LEASE)
        if ballots is None:
            return None
        self.ballots.forget(pick_id)
        pick = await self.store.pick(pick_id)
        assert pick is not None
        await self.announce_pick(pick_id, first_attempt=True)
        return rules.instant_runoff(ballots, len(pick.candidates))

    async def announce_pick(self, pick_id: int, *, first_attempt: bool = False) -> bool:
        """One attempt to finish a closed pick: store the count, disable the menu, post the result.

        Failures are retried with back-off and end in a moderator notice (bot/core/closing.py). Any attempt
        but the first looks for an earlier attempt's result first: one pick gets one result message.
        """
        pick = await self.store.pick(pick_id)
        if pick is None or pick.closed_at is None:
            return False
        return await closing.finish(
            self.bot, self.store.closing, pick.id, lambda: self._announce_pick(pick, not first_attempt),
            what=f"the result of pick {pick.id}", guild_id=pick.guild_id, channel_id=pick.channel_id,
            notice=lambda attempts, reason: (
                f"⚠️ Pick #{pick.id} closed, but I could not post its result after {attempts} attempts:"
                f" {reason}. Its winner is stored; schedule it with `/filmnight schedule`."),
        )

    async def _announce_pick(self, pick: Pick, look_for_earlier: bool) -> None:
        # Ballots are frozen once closed_at is set: counting again gives the same result every attempt.
        ballots = await self.store.ballots(pick.id)
        count = rules.instant_runoff(ballots, len(pick.candidates))
        await self.store.set_result(pick.id, count.winner, {
            "rounds": [{"counts": r.counts, "exhausted": r.exhausted, "eliminated": r.eliminated} for r in count.rounds],
            "ballots": len(ballots),
        })
        channel = await resolve_channel(self.bot, pick.channel_id)
        if channel is None:
            raise AnnounceError(f"its channel <#{pick.channel_id}> is gone or I can no longer see it")
        result = result_embed(pick, count, self.bot.now())
        if look_for_earlier and (earlier := await closing.earlier_post(
                self.bot, channel, from_iso(pick.closed_at or iso(self.bot.now())), result.title or "")) is not None:
            await self.store.closing.announced(pick.id, earlier)
            return
        if pick.message_id:
            try:
                await channel.get_partial_message(pick.message_id).edit(
                    embed=pick_embed(pick, len(ballots), closed=True), view=pick_view(pick, disabled=True),
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.NotFound:
                log.info("the message of pick %s was deleted", pick.id)
        message = await channel.send(embed=result, allowed_mentions=NO_MENTIONS, nonce=post_nonce("pick", pick.id))
        await self.store.closing.announced(pick.id, message.id)

    # ------------------------------------------------------------------ screenings

    async def length(self, film_id: int) -> timedelta:
        """The screening's length from the catalogue's runtime (filled by the metadata provider)."""
        film = await self.bot.store.films.get(film_id)
        return rules.screening_length(film.runtime_minutes if film else None)

    async def schedule(
        self, interaction: discord.Interaction, film: FilmScope, when: str, where: str | None,
        place: discord.VoiceChannel | discord.StageChannel | None,
    ) -> Screening:
        """Validate everything, create the event, then store the screening (and the film's watchlist
        entry if it had none) in one transaction: a refusal stores nothing."""
        guild = require_guild(interaction)
        zone = await self.zone(guild.id)
        now = self.bot.now()
        start = rules.parse_when(when, zone, now)
        assert film.film_id is not None and film.label is not None
        end = start + await self.length(film.film_id)
        location = rules.clean_location(where)
        if place is None and location is None:
            raise UserError("Say where: `where:` a place or link, or `channel:` a voice or stage channel.")
        require_message_channel(interaction, "schedule a film night")
        missing = missing_post_permission(interaction)
        if missing is not None:  # its reminders and after-screening thread are posts in this channel
            raise UserError(f"I can't schedule a film night from this channel: I need the **{missing}** permission"
                            " here to post its reminders. Ask a moderator to grant it, or schedule it from another"
                            " channel.")
        upcoming = await self.store.upcoming(guild.id)
        if upcoming is not None and await self.has_event(guild, upcoming):
            raise UserError("This server already has an upcoming screening: `/filmnight move` or cancel it first.")
        label = film.label
        name = clip(f"Film night: {label}", 100)
        description = clip(f"The club watches {label}. Press Interested to be reminded.", 1000)
        try:
            event = await self._create_event(guild, name, description, start, end, place, location)
        except discord.HTTPException as error:
            made = await self._event_made_anyway(guild, name, start, error)
            if made is None:
                raise UserError(
                    f"Discord refused to create the server event ({refusal(error)}). Nothing was scheduled."
                ) from error
            event = made
        try:
            screening_id = await self.store.create_screening(
                guild_id=guild.id, film_id=film.film_id, channel_id=require_channel_id(interaction),
                event_id=event.id, start=start, end=end, location=place.mention if place else location,
                actor_id=interaction.user.id, now=now, reminders=rules.reminder_times(start, now),
            )
        except BaseException:
            try:
                await event.delete()
            except discord.HTTPException:
                log.warning("could not remove event %s after a failed save", event.id)
            raise
        await self._drop_twins(guild, event, name, start)
        self.bot.scheduler.wake()
        screening = await self.store.screening(screening_id)
        assert screening is not None
        return screening

    async def _drop_twins(self, guild: discord.Guild, event: discord.ScheduledEvent, name: str,
                          start: datetime) -> None:
        """Delete this bot's other events of this name and start that no screening holds: a create that
        discord.py retried by itself after a 5xx (Discord had made the first; an event create takes no nonce)
        leaves one the bot was never told of. Read from the gateway's cache (no extra request); best effort."""
        me = self.bot.user.id if self.bot.user is not None else None
        for twin in guild.scheduled_events:
            if twin.id != event.id and twin.creator_id == me and twin.name == name and twin.start_time == start \
                    and twin.status is discord.EventStatus.scheduled and await self.store.by_event(twin.id) is None:
                try:
                    await twin.delete()
                except discord.HTTPException:
                    log.warning("could not remove the doubled event %s", twin.id)

    async def _event_made_anyway(self, guild: discord.Guild, name: str, start: datetime,
                                 error: discord.HTTPException) -> discord.ScheduledEvent | None:
        """After a 5xx, the event Discord may have created all the same (this bot's, this name and start, no
        screening's yet): kept as the screening's, or it would stay orphaned and a retry would add another."""
        if error.status < 500:
            return None
        try:
            events = await guild.fetch_scheduled_events()
        except discord.HTTPException:
            return None
        me = self.bot.user.id if self.bot.user is not None else None
        for event in events:
            if event.creator_id == me and event.name == name and event.start_time == start \
                    and event.status is discord.EventStatus.scheduled and await self.store.by_event(event.id) is None:
                return event
        return None

    @staticmethod
    async def _create_event(
        guild: discord.Guild, name: str, description: str, start: datetime, end: datetime,
        place: discord.VoiceChannel | discord.StageChannel | None, location: str | None,
    ) -> discord.ScheduledEvent:
        if place is not None:
            return await guild.create_scheduled_event(
                name=name, start_time=start, end_time=end, channel=place,
                description=description, privacy_level=discord.PrivacyLevel.guild_only,
            )
        assert location is not None
        return await guild.create_scheduled_event(
            name=name, start_time=start, end_time=end, entity_type=discord.EntityType.external,
            location=location, description=description, privacy_level=discord.PrivacyLevel.guild_only,
        )

    async def cancel(self, screening: Screening, actor_id: int | None) -> None:
        guild = self.bot.get_guild(screening.guild_id)
        event = guild.get_scheduled_event(screening.event_id) if guild else None
        if event is not None:
            try:
                await event.delete()
            except discord.NotFound:
                pass  # already gone in Discord: follow anyway
            except discord.HTTPException as error:
                if not await self._deleted_anyway(guild, screening.event_id, error):
                    raise UserError(
                        f"Discord refused to delete the server event ({refusal(error)}). Nothing changed.") from error
        await self.store.cancel(screening, actor_id, "cancelled with /filmnight cancel")
        self.bot.scheduler.wake()

    async def move(self, interaction: discord.Interaction, screening: Screening, when: str) -> Screening:
        guild = require_guild(interaction)
        now = self.bot.now()
        start = rules.parse_when(when, await self.zone(guild.id), now)
        end = start + await self.length(screening.film_id)
        try:  # Discord first: a refusal changes nothing here
            event = guild.get_scheduled_event(screening.event_id) or await guild.fetch_scheduled_event(screening.event_id)
            await event.edit(start_time=start, end_time=end)
        except discord.NotFound as error:  # deleted in Discord while nobody told us (offline, a missed event)
            await self.event_gone(screening.event_id, "event deleted in Discord (found when moving it)")
            raise UserError(
                f"The server event of **{inert(screening.label, 150)}** was deleted in Discord, so that screening"
                " is cancelled now. Schedule it again with `/filmnight schedule`."
            ) from error
        except discord.HTTPException as error:
            if not await self._moved_anyway(guild, screening, start, error):
                raise UserError(
                    f"Discord refused to move the server event ({refusal(error)}). Nothing changed.") from error
        await self.follow_times(screening, start, end, interaction.user.id)
        moved = await self.store.screening(screening.id)
        assert moved is not None
        return moved

    @staticmethod
    async def _deleted_anyway(guild: discord.Guild | None, event_id: int, error: discord.HTTPException) -> bool:
        """After a 5xx, whether Discord deleted the event all the same: the night is off then, and the moderator must
        not be told "nothing changed" (the gateway's delete cancels the screening a moment later anyway)."""
        if guild is None or error.status < 500:
            return False
        try:
            await guild.fetch_scheduled_event(event_id)
        except discord.NotFound:
            return True
        except discord.HTTPException:
            return False
        return False

    @staticmethod
    async def _moved_anyway(guild: discord.Guild, screening: Screening, start: datetime,
                            error: discord.HTTPException) -> bool:
        """After a 5xx, whether Discord moved the event all the same (the screening must then follow it, or its
        reminders go out at the old time)."""
        if error.status < 500:
            return False
        try:
            event = await guild.fetch_scheduled_event(screening.event_id)
        except discord.HTTPException:
            return False
        return event.start_time == start

    async def has_event(self, guild: discord.Guild, screening: Screening) -> bool:
        """False (and the screening cancelled) when Discord says its event is gone; True when it is there
        or Discord cannot say (the reconciliation at start then decides)."""
        if guild.get_scheduled_event(screening.event_id) is not None:
            return True
        try:
            await guild.fetch_scheduled_event(screening.event_id)
        except discord.NotFound:
            await self.event_gone(screening.event_id, "event deleted in Discord (found when scheduling another)")
            return False
        except discord.HTTPException:
            return True
        return True

    async def follow_event(self, screening: Screening, event: discord.ScheduledEvent) -> None:
        """Bring a scheduled screening in line with its event as Discord has it now."""
        if event.status is discord.EventStatus.cancelled:
            await self.event_gone(event.id, "event cancelled in Discord")
        elif event.status is discord.EventStatus.completed:
            await self.end_now(screening)
        elif event.status is discord.EventStatus.scheduled:
            await self.follow_times(screening, event.start_time, event.end_time, None)

    async def follow_times(self, screening: Screening, start: datetime, end: datetime | None,
                           actor_id: int | None) -> None:
        end = end or start + await self.length(screening.film_id)
        if iso(start) == screening.starts_at and iso(end) == screening.ends_at:
            return
        await self.store.move(screening, start, end, rules.reminder_times(start, self.bot.now()), actor_id)
        self.bot.scheduler.wake()

    async def event_gone(self, event_id: int, reason: str) -> None:
        screening = await self.store.by_event(event_id)
        if screening is not None and screening.status == "scheduled":
            await self.store.cancel(screening, None, reason)
            self.bot.scheduler.wake()

    # ------------------------------------------------------------------ reminders and the end

    async def run_reminders(self, now: datetime) -> None:
        for screening_id, kind in await self.store.claim_reminders(now, self.bot.instance, self.bot.own_shards):
            try:
                await self.deliver(screening_id, kind)
            except Exception as error:  # noqa: BLE001  (one broken reminder must not hold back the others;
                # reminder_failed logs it and retries or reports it)
                await self.reminder_failed(screening_id, kind, error)

    async def reminder_failed(self, screening_id: int, kind: str, error: Exception) -> None:
        """A transient failure is tried again through the job loop (the closing back-off); anything else, or
        the last attempt, leaves it 'failed' and tells the moderators."""
        retryable = isinstance(error, (sqlite3.OperationalError, InvitationFailed)) or transient(error)
        attempts = await self.store.reminder_attempts(screening_id, kind) + 1
        reason = closing.describe_error(error)
        if retryable and attempts <= len(CLOSE_BACKOFF):
            log.warning("reminder %s of screening %s failed (%s); retrying", kind, screening_id, reason)
            await self.store.retry_reminder(screening_id, kind, reason, self.bot.now() + CLOSE_BACKOFF[attempts - 1])
            self.bot.scheduler.wake()
            return
        log.error("reminder %s of screening %s failed for good: %s", kind, screening_id, reason, exc_info=error)
        told = await self.store.failed_alike(screening_id, kind, reason)
        await self.store.retry_reminder(screening_id, kind, reason, None)
        screening = await self.store.screening(screening_id)
        if screening is not None and not told:
            what = ("the invitation to rate (the after-screening thread is posted)"
                    if isinstance(error, InvitationFailed) else
                    "the after-screening thread" if kind == "end" else f"the {kind} reminder")
            await closing.tell_moderators(
                self.bot, screening.guild_id, screening.channel_id,
                f"⚠️ I could not post {what} of **{inert(screening.label, 100)}** after {attempts} attempt(s): {reason}."
                + ("" if kind == "end" else " Its later posts are tried at their time; if they fail the same way,"
                   " I will not say so again."),
            )

    async def deliver(self, screening_id: int, kind: str) -> None:
        """Send one claimed reminder (or run the end step); raises on failure (see reminder_failed)."""
        screening = await self.store.screening(screening_id)
        ending = kind == "end" and screening is not None and screening.status == "ended"  # a retried end step
        if screening is None or (screening.status != "scheduled" and not ending):
            await self.store.settle_reminder(screening_id, kind, "skipped", None)
            return
        if rules.reminder_stale(kind, from_iso(screening.starts_at), self.bot.now()):
            log.info("reminder %s of screening %s is past its moment: not sent late", kind, screening_id)
            await self.store.settle_reminder(screening_id, kind, "skipped", None)
            return
        posted = await self._posted_by_failed_attempt(screening, kind)
        if posted is not None:
            log.info("reminder %s of screening %s was posted by the attempt that failed (message %s)", kind,
                     screening_id, posted)
            if kind == "end":  # settled only once its invitation is there too (InvitationFailed: tried again)
                await self.complete_end(screening, posted)
            await self.store.settle_reminder(screening_id, kind, "sent", posted)
            return
        channel = self.bot.get_channel(screening.channel_id)
        if kind == "end":
            await self.end(screening, channel)
            return
        if not isinstance(channel, discord.TextChannel):
            raise AnnounceError(f"its channel <#{screening.channel_id}> is gone or I can no longer see it")
        _, role_id = await self.store.settings(screening.guild_id)
        payload = await reminder_payload(self.bot, screening, reminder_text(screening, kind, None), role_id)
        if payload is None:  # the event is gone: the night is off, nobody is reminded
            await self.store.settle_reminder(screening_id, kind, "failed", None)
            await self.event_gone(screening.event_id, "event gone when a reminder was due")
            return
        content, mentions = payload
        message = await channel.send(content, allowed_mentions=mentions,
                                     nonce=post_nonce("reminder", screening_id, kind, screening.starts_at))
        await self.store.settle_reminder(screening_id, kind, "sent", message.id)

    async def _posted_by_failed_attempt(self, screening: Screening, kind: str) -> int | None:
        """A retry: the message of the attempt that failed if Discord made it anyway (a 5xx after the post)."""
        if kind == "end" and screening.status == "ended" and screening.unlocked_at:
            # An end step that ran before (a retry, or one given up and revived when the bot was invited back, its
            # attempts counted from 0 again): what any earlier attempt posted since the screening unlocked.
            return await posted_since(self, screening, kind, from_iso(screening.unlocked_at) - timedelta(minutes=1))
        attempts, due_at = await self.store.reminder_due(screening.id, kind)
        if attempts == 0 or due_at is None:
            return None
        last_try = from_iso(due_at) - CLOSE_BACKOFF[min(attempts, len(CLOSE_BACKOFF)) - 1] - timedelta(minutes=1)
        return await posted_since(self, screening, kind, last_try)

    async def end_now(self, screening: Screening) -> None:
        """The event ended in Discord before its end time: the job runs the end step now (with its retries)."""
        if await self.store.due_now(screening.id, "end", self.bot.now()):
            self.bot.scheduler.wake()

    async def end(self, screening: Screening, channel: object) -> None:
        """The screening ended: count who was interested, unlock, post the after-screening prompt.

        Unlocking happens once; a retry (the post failed) only posts."""
        if screening.status == "scheduled":
            interested = await self.interested(screening)
            await self.store.finish(screening, self.bot.now(), interested)
        if not isinstance(channel, discord.TextChannel):
            raise AnnounceError(f"its channel <#{screening.channel_id}> is gone or I can no longer see it")
        message_id = await self.after_prompt(screening, channel)
        await self.store.settle_reminder(screening.id, "end", "sent", message_id)

    async def complete_end(self, screening: Screening, message_id: int) -> None:
        """The end step's message, found after a failed attempt or a crash: the after-screening prompt gets the
        thread and rotation record it lacks (bot.prompts.complete), and the rating invitation is posted where
        after_prompt puts it unless it is there already. Raises InvitationFailed when the invitation meets a
        5xx or 429 (tried again); anything else is logged."""
        channel = self.bot.get_channel(screening.channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        try:
            message = await channel.fetch_message(message_id)
            if message.embeds:  # the prompt (else the plain "Film night is over" line, which has no thread)
                await self.bot.prompts.complete(message, f"screening:{screening.id}")
            thread = channel.guild.get_thread(message.id)
            where: discord.TextChannel | discord.Thread = thread if thread is not None else channel
        except discord.HTTPException as error:
            log.warning("could not complete the end step of screening %s (%s)", screening.id, error)
            return
        await invite_ratings(self.bot, where, screening, after=message.created_at)

    async def interested(self, screening: Screening) -> int | None:
        guild = self.bot.get_guild(screening.guild_id)
        if guild is None:
            return None
        try:
            event = await guild.fetch_scheduled_event(screening.event_id, with_counts=True)
        except discord.HTTPException:
            return None
        return event.user_count

    async def after_prompt(self, screening: Screening, channel: discord.TextChannel) -> int:
        """The ending question, in a thread named as containing spoilers (bot.prompts does that)."""
        spoilers = [key for key, theme in self.bot.themes.items() if theme.spoiler]
        for theme in spoilers:
            try:
                posted = await self.bot.prompts.post(
                    channel, guild_id=screening.guild_id, theme=theme, film=ref(screening.film_id),
                    source=f"screening:{screening.id}", marker=rules.end_marker(screening.id),
                )
            except UserError:
                continue  # no passages on this theme for this film
            await invite_ratings(self.bot, posted.thread or channel, screening)
            return posted.message.id
        late = ended_late_note(screening.ends_at, self.bot.now())
        message = await channel.send(
            f"🎬 Film night is over: **{inert(screening.label, 150)}**. Spoiler talk is open now."
            + (f"\n{late}" if late else ""),
            allowed_mentions=NO_MENTIONS, nonce=post_nonce("screening-end", screening.id),
        )
        await invite_ratings(self.bot, channel, screening)
        return message.id

    async def next_due(self) -> datetime | None:
        shards = self.bot.own_shards  # this process's servers only (FILMBOT_SHARD_IDS)
        moments = [m for m in (await self.store.next_reminder(shards), await self.store.next_pick_deadline(shards),
                               await self.store.closing.next_at(shards)) if m]
        return min((from_iso(m) for m in moments), default=None)
