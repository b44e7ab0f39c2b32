"""What /poll and its buttons do: store and post a poll, record votes, refresh and close it.

One PollService per bot (`bot.polls`): the cog's commands, the vote buttons and the deadline job
all go through it, so a view never needs to find the cog.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.core import closing
from bot.core.channels import member_can_view, resolve_channel
from bot.core.checks import (
    missing_post_permission,
    require_channel_id,
    require_guild,
    require_message_channel,
)
from bot.core.closing import CLOSE_LEASE, AnnounceError, NothingToAnnounce
from bot.core.nonce import post_nonce
from bot.core.persistent import custom_ids
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import in_time, reply
from bot.core.text import clip, inert
from bot.core.time import from_iso, iso
from bot.polls import rules as logic
from bot.polls.rules import Poll
from bot.polls.views import poll_embed, poll_view

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

EDIT_RETRY_SECONDS = 6.0  # a tally edit answered 5xx is tried again after 6, 12, 18 s
EDIT_RETRIES = 3

# Seconds between attempts to store a posted poll's message id: another process holding the write lock for
# tens of seconds is waited out (each attempt also waits SQLite's busy timeout); after that the message
# is withdrawn, never left live and unknown.
RECORD_RETRY = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)

# What the bot needs in a channel to run a poll there to the end (results are posted as embeds).
def carries_poll(message: discord.Message, poll: Poll) -> bool:
    """Whether `message` is this poll's: it shows the poll's title and its vote buttons or menu carry the poll's id
    (or, for one of Discord's own polls, it holds a poll with this question)."""
    if message.poll is not None:
        return message.poll.question == poll.question
    mine = (f"filmbot:poll:vote:{poll.id}:", f"filmbot:poll:select:{poll.id}")
    ids = custom_ids(message)
    # Its title too: a component is all a vote forged from another of the bot's messages (a /quote) brings along.
    title = logic.message_title(poll)
    titled = any(embed.title in (title, f"{title} · closed") for embed in message.embeds)
    return titled and any(i.startswith(mine) for i in ids)


def check_can_post_here(interaction: discord.Interaction) -> None:
    """Refuse before storing anything when the bot could not post this poll's results here."""
    require_message_channel(interaction, "run a poll")
    name = missing_post_permission(interaction)
    if name is not None:
        raise UserError(
            f"I can't run a poll in this channel: I need the **{name}** permission here to post its"
            " results. Ask a moderator to grant it, or start the poll in another channel."
        )


class PollService:
    """Every poll action that touches Discord and the store together."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self._refreshing: dict[int, bool] = {}  # poll id → another edit was requested meanwhile
        self._edit_retries: dict[int, int] = {}  # poll id → tally edits in a row that Discord answered 5xx
        self._edit_pending: set[int] = set()  # polls whose tally edit waits for its retry
        self._edit_tasks: set[asyncio.Task[None]] = set()  # (held: the loop keeps only weak references)

    # ------------------------------------------------------------------ posting

    async def store_poll(
        self, interaction: discord.Interaction, spec: logic.PollSpec, theme: str | None, film_id: int | None = None
    ) -> Poll:
        guild = require_guild(interaction)
        now = self.bot.now()
        poll_id = await self.bot.store.polls.create(
            guild_id=guild.id, channel_id=require_channel_id(interaction), creator_id=interaction.user.id,
            kind="native" if spec.native else "buttons", question=spec.question, options=spec.options,
            multiple=spec.multiple, anonymous=spec.anonymous, hide_results=spec.hide_results,
            created_at=iso(now), deadline=iso(now + timedelta(hours=spec.hours)), theme=theme, film_id=film_id,
        )
        poll = await self.bot.store.polls.get(poll_id)
        assert poll is not None
        return poll

    async def post(
        self, interaction: discord.Interaction, spec: logic.PollSpec, theme: str | None = None,
        film_id: int | None = None,
    ) -> None:
        """Store, then post (the button custom ids need the poll id), then record the message id."""
        check_can_post_here(interaction)
        poll = await self.store_poll(interaction, spec, theme, film_id)
        sent = False
        try:
            if spec.native:
                native = discord.Poll(spec.question, timedelta(hours=spec.hours), multiple=spec.multiple)
                for option in spec.options:
                    native.add_answer(text=option)
                kwargs: dict[str, Any] = {"poll": native, "allowed_mentions": NO_MENTIONS}
            else:
                tally = await self.bot.store.polls.tally(poll.id)
                kwargs = {
                    "embed": poll_embed(poll, tally.counts, tally.voters, closed=False),
                    "view": poll_view(poll, disabled=False), "allowed_mentions": NO_MENTIONS,
                }
            message: discord.Message
            followup = interaction.response.is_done()
            try:
                if followup:
                    message = await interaction.followup.send(wait=True, **kwargs)
                    sent = True
                    await self._drop_twins(poll, message)
                else:
                    callback = await interaction.response.send_message(**kwargs)
                    sent = True
                    # The callback response carries the message: no second request that could fail.
                    resource = getattr(callback, "resource", None)
                    message = (resource if isinstance(resource, discord.Message)
                               else await interaction.original_response())
            except discord.DiscordServerError:
                if sent:
                    raise
                found = await self._shown_anyway(interaction, poll, followup)
                if found is None:
                    raise
                message, sent = found, True
        except BaseException:
            # Only a poll that was never shown is forgotten. Once its message exists the row stays: its
            # deadline job still closes it and posts the results (a vote click records the message id).
            if not sent:
                await self.bot.store.polls.delete(poll.id)
            raise
        try:
            await self._record_message(poll.id, message.id)
        except sqlite3.OperationalError as error:
            await self._withdraw(interaction, message, poll.id)
            raise UserError(
                "I could not save this poll (the database stayed busy), so I withdrew its message. Please try again."
            ) from error
        self.bot.scheduler.wake()

    async def _drop_twins(self, poll: Poll, message: discord.Message) -> None:
        """A follow-up is a webhook execute, which takes no nonce: a 5xx after Discord made it, retried by
        discord.py itself, shows the poll twice and the bot hears only of the second. The first, seen in the
        gateway's message cache (no extra request), is deleted. Best effort."""
        me = self.bot.user.id if self.bot.user is not None else 0
        since = from_iso(poll.created_at) - timedelta(seconds=1)
        for cached in reversed(self.bot.cached_messages):
            if cached.created_at < since:
                break
            if cached.id != message.id and cached.channel.id == message.channel.id and cached.author.id == me \
                    and carries_poll(cached, poll):
                try:
                    await cached.delete()
                except discord.HTTPException:
                    log.warning("could not remove the doubled message of poll %s", poll.id)

    async def _shown_anyway(self, interaction: discord.Interaction, poll: Poll,
                            followup: bool) -> discord.Message | None:
        """After a 5xx, the poll's message if Discord posted it all the same: the interaction's own response,
        or (a follow-up) the bot's newest message carrying this poll's buttons or, native, its question."""
        try:
            if not followup:  # the response; still "thinking…" (deferred late meanwhile, bot/core/slow): not made
                made = await interaction.original_response()
                return made if carries_poll(made, poll) else None
            channel = interaction.channel
            if not isinstance(channel, discord.abc.Messageable):
                return None
            me = self.bot.user.id if self.bot.user is not None else 0
            since = from_iso(poll.created_at) - timedelta(seconds=1)
            async for message in channel.history(limit=20):
                if message.created_at < since:
                    break
                if message.author.id == me and carries_poll(message, poll):
                    return message
        except discord.HTTPException:
            return None
        return None

    async def _withdraw(self, interaction: discord.Interaction, message: discord.Message, poll_id: int) -> None:
        """A posted poll the database cannot record: delete its message, then (if it can) its row. A row left
        behind has no message id; the deadline job finds no message of it and forgets it (see close_poll)."""
        try:
            await message.delete()
        except discord.HTTPException:
            try:
                await interaction.delete_original_response()
            except discord.HTTPException:
                log.error("poll %s: its message %s could not be recorded nor withdrawn", poll_id, message.id)
        try:
            await self.bot.store.polls.delete(poll_id)
        except sqlite3.OperationalError:
            log.warning("poll %s: its withdrawn row stays until its deadline", poll_id)
            self.bot.scheduler.wake()

    async def _record_message(self, poll_id: int, message_id: int) -> None:
        """The message exists: its id must be stored (a locked database is waited out, not fatal)."""
        for pause in (*RECORD_RETRY, None):
            try:
                await self.bot.store.polls.set_message(poll_id, message_id)
                return
            except sqlite3.OperationalError:
                if pause is None:
                    raise
                log.warning("recording the message of poll %s failed; retrying", poll_id, exc_info=True)
                await asyncio.sleep(pause)

    # ------------------------------------------------------------------ votes

    async def record_vote(self, interaction: discord.Interaction, poll_id: int, option_id: int) -> None:
        # The write may wait for another connection's write lock (up to the busy timeout): past 1.5 s the click is
        # acknowledged first, or Discord's 3 s would run out and the member see "This interaction failed".
        poll, outcome = await in_time(interaction, self._vote(interaction, poll_id, option_id), ephemeral=True)
        if outcome.closed:
            self.bot.scheduler.wake()  # past its deadline: let the job close it now
            raise UserError("This poll has closed: your vote was not changed.")
        await reply(interaction, content=logic.confirmation(poll.options, outcome.choices, poll.multiple),
                    ephemeral=True, allowed_mentions=NO_MENTIONS)
        await self.refresh_message(poll_id)

    async def _vote(self, interaction: discord.Interaction, poll_id: int, option_id: int) -> tuple[Poll, logic.VoteOutcome]:
        now = iso(self.bot.now())
        poll = await self.bot.store.polls.get(poll_id)
        if poll is None or poll.channel_id != interaction.channel_id:  # a vote comes from the poll's own message:
            raise UserError("This poll no longer exists.")  # never another server's poll, nor a hidden channel's
        if poll.kind != "buttons":  # forged: Discord counts a native poll's votes, a stored one would count nowhere
            raise UserError("This is one of Discord's own polls: vote on it in the poll itself.")
        if not 1 <= option_id <= len(poll.options):  # forged: the poll is there, that option never was
            raise UserError("That is not one of this poll's options: pick one on the poll.")
        outcome = await self.bot.store.polls.vote(poll_id, interaction.user.id, option_id, now)
        if outcome is None:
            raise UserError("This poll no longer exists.")
        message = interaction.message  # recording it failed at post: the vote's message is the poll's, if it
        if poll.message_id is None and message is not None and carries_poll(message, poll):  # carries the poll
            await self.bot.store.polls.set_message(poll_id, message.id)  # (a vote forged on a /quote must not)
        return poll, outcome

    async def refresh_message(self, poll_id: int) -> None:
        """Edit the public poll message to the current state, coalescing edits for fast clicks.

        While one edit is in flight, later requests only mark it stale; the running edit then
        re-reads the database and edits again, so the last edit always shows the latest state
        (an older edit can never land after a newer one, nor re-enable the buttons of a closed poll).
        """
        if poll_id in self._refreshing:
            self._refreshing[poll_id] = True
            return
        self._refreshing[poll_id] = False
        try:
            while True:
                await self._edit_poll_message(poll_id)
                if not self._refreshing[poll_id]:
                    break
                self._refreshing[poll_id] = False
        finally:
            del self._refreshing[poll_id]

    async def _edit_poll_message(self, poll_id: int) -> None:
        poll = await self.bot.store.polls.get(poll_id)
        if poll is None or poll.message_id is None or poll.kind != "buttons":
            return
        try:
            channel = await resolve_channel(self.bot, poll.channel_id)
            if channel is not None:
                await self._edit_buttons(channel, poll)
        except discord.DiscordServerError:
            # Discord is down for now: the tally is edited again shortly, not left stale until the next vote
            # (one retry pending per poll, EDIT_RETRIES in a row at most; then the next vote's edit shows it)
            tries = self._edit_retries.get(poll_id, 0) + 1
            if poll_id in self._edit_pending:
                return  # a retry is already on its way: it re-reads the tally
            if tries > EDIT_RETRIES:
                self._edit_retries.pop(poll_id, None)
                log.warning("could not update the message of poll %s after %d tries", poll_id, tries)
                return
            log.warning("could not update the message of poll %s (HTTP 5xx); retrying", poll_id)
            self._edit_retries[poll_id] = tries
            self._edit_pending.add(poll_id)
            task = asyncio.get_running_loop().create_task(self._edit_again(poll_id, tries),
                                                              name=f"filmbot-poll-tally-{poll_id}")
            self._edit_tasks.add(task)
            task.add_done_callback(self._edit_tasks.discard)
        except discord.HTTPException:
            log.warning("could not update the message of poll %s", poll_id, exc_info=True)
        else:
            self._edit_retries.pop(poll_id, None)

    async def _edit_again(self, poll_id: int, tries: int) -> None:
        await asyncio.sleep(EDIT_RETRY_SECONDS * tries)
        self._edit_pending.discard(poll_id)
        try:
            await self.refresh_message(poll_id)
        except Exception:  # the bot closed meanwhile, the database went away: the next vote's edit shows it
            log.warning("could not retry the tally of poll %s", poll_id, exc_info=True)

    async def _edit_buttons(self, channel: Any, poll: Poll) -> None:
        """Show the current tally (and, once closed, disabled buttons); a deleted message is left alone."""
        tally = await self.bot.store.polls.tally(poll.id)
        try:
            await channel.get_partial_message(poll.message_id).edit(
                embed=poll_embed(poll, tally.counts, tally.voters, closed=not poll.is_open),
                view=poll_view(poll, disabled=not poll.is_open), allowed_mentions=NO_MENTIONS,
            )
        except discord.NotFound:
            log.info("the message of poll %s was deleted", poll.id)

    # ------------------------------------------------------------------ closing

    async def close_poll(self, poll_id: int, closed_by: int | None) -> bool:
        """Close at most once (only the caller whose UPDATE flipped closed_at), then try to announce.

        The poll is now 'closing' in the database: if announcing fails here, or the process dies before
        it, the deadline job finishes it (see announce).
        """
        poll = await self.bot.store.polls.get(poll_id)
        if poll is not None and poll.message_id is None and poll.is_open and not await self._adopt_message(poll):
            await self.bot.store.polls.delete(poll_id)  # never shown, or withdrawn: nothing to close or announce
            return False
        lease = iso(self.bot.now() + CLOSE_LEASE)  # the job leaves this attempt alone meanwhile
        tally = await self.bot.store.polls.close(poll_id, iso(self.bot.now()), closed_by, retry_at=lease)
        if tally is None:
            return False
        await self.announce(poll_id, first_attempt=True)
        return True

    async def _adopt_message(self, poll: Poll) -> bool:
        """A poll reaching its deadline with no message id: find its message (recording the id failed, or
        fetching it after posting did) and record it. False when no such message exists (the post failed,
        or the message was withdrawn); True too when the channel cannot be read (announcing beats losing)."""
        try:
            channel = await resolve_channel(self.bot, poll.channel_id)
            if channel is None:
                return True

            found = await closing.own_post_since(self.bot, channel, from_iso(poll.created_at),
                                                 lambda message: carries_poll(message, poll))
            if found is not None:
                await self.bot.store.polls.set_message(poll.id, found.id)
                return True
        except discord.HTTPException:
            log.warning("could not look for the message of poll %s", poll.id, exc_info=True)
            return True
        return False

    async def announce(self, poll_id: int, *, first_attempt: bool = False) -> bool:
        """One attempt to finish closing: disable the buttons or end the native poll, post the results.

        On failure the poll stays 'closing' with a back-off for the next try; after the last one it is
        'abandoned' and the moderators are told. True once the results are posted. Any attempt but the
        first looks for an earlier attempt's results first: the post may have gone out before recording
        its id failed (a locked database) or the process died, and one poll gets one results message.
        """
        poll = await self.bot.store.polls.get(poll_id)
        if poll is None or poll.is_open:
            return False
        return await closing.finish(
            self.bot, self.bot.store.polls.closing, poll.id,
            lambda: self._announce_once(poll, look_for_earlier=not first_attempt),
            what=f"the results of poll {poll.id}", guild_id=poll.guild_id, channel_id=poll.channel_id,
            notice=lambda attempts, reason: (
                f"⚠️ Poll #{poll.id} (“{inert(poll.question, 100)}”) closed, but I could not post its results"
                f" after {attempts} attempts: {reason}. `/poll results poll:{poll.id}` still shows them."),
        )

    async def _announce_once(self, poll: Poll, *, look_for_earlier: bool) -> None:
        channel = await resolve_channel(self.bot, poll.channel_id)
        if channel is None:
            raise AnnounceError(f"its channel <#{poll.channel_id}> is gone or I can no longer see it")
        since = from_iso(poll.closed_at or iso(self.bot.now()))
        if look_for_earlier and (earlier := await closing.earlier_post(
                self.bot, channel, since, logic.results_title(poll))) is not None:
            await self.bot.store.polls.set_results_message(poll.id, earlier)
            return
        voters: int | None = None
        if poll.kind == "native":
            counts = await self._read_native(channel, poll, end=True)
        else:
            tally = await self.bot.store.polls.tally(poll.id)
            counts, voters = tally.counts, tally.voters
            if poll.message_id:
                await self._edit_buttons(channel, poll)
        embed = poll_embed(poll, counts, voters, closed=True, announce=True, posted_at=self.bot.now())
        if poll.message_id:
            embed.add_field(name="Poll", value=f"[Jump to the poll]({logic.jump_url(poll)})")
        for name, value in await self.bot.club.critics_vs_club_fields(poll, counts):  # theme polls only
            embed.add_field(name=name, value=value, inline=False)
        message = await channel.send(embed=embed, allowed_mentions=NO_MENTIONS, nonce=post_nonce("poll", poll.id))
        await self.bot.store.polls.set_results_message(poll.id, message.id)

    async def native_counts(self, poll: Poll, *, end: bool) -> tuple[int, ...] | None:
        """Vote counts straight from Discord (None if unreadable); with end=True an unfinished poll is ended."""
        try:
            channel = await resolve_channel(self.bot, poll.channel_id)
            if channel is None:
                return None
            return await self._read_native(channel, poll, end=end)
        except (discord.HTTPException, AnnounceError):
            log.warning("could not read native poll %s", poll.id, exc_info=True)
            return None

    async def _read_native(self, channel: Any, poll: Poll, *, end: bool) -> tuple[int, ...]:
        if poll.message_id is None:
            raise AnnounceError("its message was never recorded")
        try:
            message = await channel.fetch_message(poll.message_id)
        except discord.NotFound as error:
            # A moderator deleted it: a native poll's votes live only on its message, so they are gone for good.
            raise NothingToAnnounce(
                "its message was deleted", f"⚠️ Poll #{poll.id} (“{inert(poll.question, 100)}”) closed, but its"
                " message was deleted, and its votes with it (Discord keeps a native poll's votes only on its"
                " message): there are no results to post.") from error
        if end and message.poll is not None and not message.poll.is_finalised():
            message = await message.end_poll()
        if message.poll is None:
            raise AnnounceError("its message no longer carries the poll")
        return tuple(answer.vote_count for answer in message.poll.answers)

    async def poll_in_guild(self, interaction: discord.Interaction, value: str) -> Poll:
        guild = require_guild(interaction)
        poll = await self.bot.store.polls.get(logic.parse_poll_id(value))
        # A poll in a channel the member cannot view is answered exactly like one that does not exist.
        if (poll is None or poll.guild_id != guild.id or poll.message_id is None
                or not await member_can_view(self.bot, interaction.user, poll.channel_id)):
            shown = inert(logic.shown(value.strip().lstrip("#"), 20))
            raise UserError(f"There is no poll #{shown} in this server. `/poll list` shows the open ones.")
        return poll

    async def add_voters(self, embed: discord.Embed, poll: Poll) -> None:
        """Who chose what, for polls that are neither anonymous nor (while open) hidden."""
        if poll.anonymous or (poll.hide_results and poll.is_open):
            return
        voters = await self.bot.store.polls.voters_by_option(poll.id)
        # One field per option with voters, within Discord's 25 fields (one is kept for the jump link)
        # and 6,000 characters; whatever does not fit is counted, not silently dropped.
        chosen = [(n, label) for n, label in enumerate(poll.options, start=1) if voters.get(n)]
        for shown, (number, label) in enumerate(chosen):
            name = inert(f"{number}. {label}", 256)
            value = clip(" ".join(f"<@{user}>" for user in voters[number]), 1024)
            if len(embed.fields) >= 23 or len(embed) + len(name) + len(value) > 5_600:
                embed.add_field(name="…", value=f"{len(chosen) - shown} more options have voters.")
                return
            embed.add_field(name=name, value=value)
