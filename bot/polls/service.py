"""What /poll and its buttons do: store and post a poll, record votes, refresh and close it.

One PollService per bot (`bot.polls`): the cog's commands, the vote buttons and the deadline job
all go through it, so a view never needs to find the cog.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.club.service import critics_vs_club_fields
from bot.core.checks import require_channel_id, require_guild
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.text import clip, inert
from bot.core.time import iso
from bot.polls import rules as logic
from bot.polls.rules import Poll
from bot.polls.views import poll_embed, poll_view

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


class PollService:
    """Every poll action that touches Discord and the store together."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self._refreshing: dict[int, bool] = {}  # poll id → another edit was requested meanwhile

    # ------------------------------------------------------------------ posting

    async def store_poll(
        self, interaction: discord.Interaction, spec: logic.PollSpec, theme: str | None
    ) -> Poll:
        guild = require_guild(interaction)
        now = self.bot.now()
        poll_id = await self.bot.store.polls.create(
            guild_id=guild.id, channel_id=require_channel_id(interaction), creator_id=interaction.user.id,
            kind="native" if spec.native else "buttons", question=spec.question, options=spec.options,
            multiple=spec.multiple, anonymous=spec.anonymous, hide_results=spec.hide_results,
            created_at=iso(now), deadline=iso(now + timedelta(hours=spec.hours)), theme=theme,
        )
        poll = await self.bot.store.polls.get(poll_id)
        assert poll is not None
        return poll

    async def post(
        self, interaction: discord.Interaction, spec: logic.PollSpec, theme: str | None = None
    ) -> None:
        """Store, then post (the button custom ids need the poll id), then record the message id."""
        poll = await self.store_poll(interaction, spec, theme)
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
            if interaction.response.is_done():
                message = await interaction.followup.send(wait=True, **kwargs)
            else:
                await interaction.response.send_message(**kwargs)
                message = await interaction.original_response()
        except BaseException:
            await self.bot.store.polls.delete(poll.id)
            raise
        await self.bot.store.polls.set_message(poll.id, message.id)
        self.bot.scheduler.wake()

    # ------------------------------------------------------------------ votes

    async def record_vote(self, interaction: discord.Interaction, poll_id: int, option_id: int) -> None:
        now = iso(self.bot.now())
        outcome = await self.bot.store.polls.vote(poll_id, interaction.user.id, option_id, now)
        poll = await self.bot.store.polls.get(poll_id)
        if outcome is None or poll is None:
            raise UserError("This poll no longer exists.")
        if outcome.closed:
            self.bot.scheduler.wake()  # past its deadline: let the job close it now
            raise UserError("This poll has closed: your vote was not changed.")
        await interaction.response.send_message(
            logic.confirmation(poll.options, outcome.choices, poll.multiple), ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        await self.refresh_message(poll_id)

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
        channel = poll and self.bot.get_channel(poll.channel_id)
        if poll is None or poll.message_id is None or poll.kind != "buttons" or channel is None:
            return
        tally = await self.bot.store.polls.tally(poll_id)
        try:
            await channel.get_partial_message(poll.message_id).edit(  # type: ignore[union-attr]
                embed=poll_embed(poll, tally.counts, tally.voters, closed=not poll.is_open),
                view=poll_view(poll, disabled=not poll.is_open), allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not update the message of poll %s", poll_id, exc_info=True)

    # ------------------------------------------------------------------ closing

    async def close_poll(self, poll_id: int, closed_by: int | None) -> bool:
        """Close at most once: only the caller whose UPDATE flipped closed_at disables and announces."""
        tally = await self.bot.store.polls.close(poll_id, iso(self.bot.now()), closed_by)
        if tally is None:
            return False
        poll = await self.bot.store.polls.get(poll_id)
        assert poll is not None
        counts: tuple[int, ...] | None = tally.counts
        voters: int | None = tally.voters
        if poll.kind == "native":
            counts, voters = await self.native_counts(poll, end=True), None
        else:
            await self.refresh_message(poll_id)
        channel = self.bot.get_channel(poll.channel_id)
        if counts is None or channel is None:
            log.warning("poll %s closed but its results could not be read or posted", poll_id)
            return True
        embed = poll_embed(poll, counts, voters, closed=True, announce=True)
        if poll.message_id:
            embed.add_field(name="Poll", value=f"[Jump to the poll]({logic.jump_url(poll)})")
        for name, value in await critics_vs_club_fields(self.bot, poll, counts):  # theme polls only
            embed.add_field(name=name, value=value, inline=False)
        try:
            message = await channel.send(  # type: ignore[union-attr]
                embed=embed, allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException:
            log.warning("could not post the results of poll %s", poll_id, exc_info=True)
            return True
        await self.bot.store.polls.set_results_message(poll_id, message.id)
        return True

    async def native_counts(self, poll: Poll, *, end: bool) -> tuple[int, ...] | None:
        """Vote counts straight from Discord; with end=True an unfinished poll is ended first."""
        channel = self.bot.get_channel(poll.channel_id)
        if channel is None or poll.message_id is None:
            return None
        try:
            message = await channel.fetch_message(poll.message_id)  # type: ignore[union-attr]
            if end and message.poll is not None and not message.poll.is_finalised():
                message = await message.end_poll()
        except discord.HTTPException:
            log.warning("could not read native poll %s", poll.id, exc_info=True)
            return None
        if message.poll is None:
            return None
        return tuple(answer.vote_count for answer in message.poll.answers)

    async def poll_in_guild(self, interaction: discord.Interaction, value: str) -> Poll:
        guild = require_guild(interaction)
        poll = await self.bot.store.polls.get(logic.parse_poll_id(value))
        if poll is None or poll.guild_id != guild.id or poll.message_id is None:
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
