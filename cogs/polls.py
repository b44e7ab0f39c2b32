"""/poll: native Discord polls where they fit, durable button polls (anonymous, hidden, > 10 options)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import is_moderator, require_guild
from bot.core.errors import UserError, user_errors
from bot.core.lookup import check_film, resolve_theme, theme_list
from bot.core.render import FILM_CLUB_COLOUR, NO_MENTIONS, clip, inert
from bot.polls import rules as logic
from bot.polls.store import Poll
from bot.polls.views import VoteButton, VoteSelect, poll_embed, poll_view
from bot.quotes.render import quote_embed
from bot.quotes.store import QuoteFilters

log = logging.getLogger(__name__)


class PollDeadlineJob:
    """Closes polls at their deadline through the durable scheduler (at most once, see PollStore.close)."""

    name = "polls"

    def __init__(self, cog: Polls) -> None:
        self.cog = cog

    async def next_due(self) -> datetime | None:
        due = await self.cog.bot.store.polls.next_deadline()
        return datetime.fromisoformat(due) if due else None

    async def run_due(self, now: datetime) -> None:
        for poll_id in await self.cog.bot.store.polls.due(logic.iso(now)):
            try:
                await self.cog.close_poll(poll_id, closed_by=None)
            except Exception:  # one broken poll must not keep the others open
                log.exception("closing poll %s at its deadline failed", poll_id)


@app_commands.guild_only()
class Polls(commands.GroupCog, group_name="poll", group_description="Polls: native, anonymous or hidden."):
    """Create, close and read polls."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.job = PollDeadlineJob(self)
        self._refreshing: dict[int, bool] = {}  # poll id → another edit was requested meanwhile

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoteButton, VoteSelect)
        self.bot.scheduler.register(self.job)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.job.name)
        self.bot.remove_dynamic_items(VoteButton, VoteSelect)

    # ------------------------------------------------------------------ posting

    async def store_poll(
        self, interaction: discord.Interaction, spec: logic.PollSpec, theme: str | None
    ) -> Poll:
        guild = require_guild(interaction)
        now = self.bot.now()
        poll_id = await self.bot.store.polls.create(
            guild_id=guild.id, channel_id=interaction.channel_id, creator_id=interaction.user.id,
            kind="native" if spec.native else "buttons", question=spec.question, options=spec.options,
            multiple=spec.multiple, anonymous=spec.anonymous, hide_results=spec.hide_results,
            created_at=logic.iso(now), deadline=logic.iso(now + timedelta(hours=spec.hours)), theme=theme,
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
                kwargs = {"poll": native, "allowed_mentions": NO_MENTIONS}
            else:
                tally = await self.bot.store.polls.tally(poll.id)
                kwargs = {
                    "embed": poll_embed(poll, tally.counts, tally.voters, closed=False),
                    "view": poll_view(poll, disabled=False), "allowed_mentions": NO_MENTIONS,
                }
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
        now = logic.iso(self.bot.now())
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
        tally = await self.bot.store.polls.close(poll_id, logic.iso(self.bot.now()), closed_by)
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

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="create", description="Start a poll; options separated by |, e.g. Happy | Sad")
    @app_commands.describe(
        question="What members vote on (up to 300 characters)",
        options="2 to 25 options separated by |, e.g. Happy | Sad | Both",
        hours="How long it stays open: 1 to 768 hours (default 24)",
        multiple="Let members choose several options",
        anonymous="Nobody, not even moderators, can see who voted (button poll)",
        hide_results="Show only the number of voters until the poll closes (button poll)",
    )
    async def create(
        self, interaction: discord.Interaction, question: str, options: str, hours: int | None = None,
        multiple: bool = False, anonymous: bool = False, hide_results: bool = False,
    ) -> None:
        """Start a poll: a Discord poll when it fits, otherwise a button poll that survives restarts."""
        async with user_errors(interaction):
            require_guild(interaction)
            spec = logic.validate(question, options, hours, multiple, anonymous, hide_results)
            await self.post(interaction, spec)

    @app_commands.command(name="theme", description="A ready-made poll on a theme, under a critic's excerpt.")
    @app_commands.describe(theme="A discussion theme, e.g. ending", film="Film title, e.g. La La Land")
    async def theme(self, interaction: discord.Interaction, theme: str, film: str | None = None) -> None:
        """Post one critic excerpt on a theme, with that theme's ready-made poll below it."""
        async with user_errors(interaction):
            require_guild(interaction)
            found = resolve_theme(self.bot.themes, theme)
            if found is None:
                raise UserError(f"Pick a theme for the poll. Themes: {theme_list(self.bot.themes)}.")
            if not found.poll_question or not found.poll_answers:
                with_polls = ", ".join(f"`{k}`" for k, t in self.bot.themes.items() if t.poll_question)
                raise UserError(
                    f"The theme “{inert(found.name)}” has no ready-made poll. "
                    f"Themes with one: {with_polls or 'none'}."
                )
            film = await check_film(self.bot.store, film and film[:200])
            quote = await self.bot.store.quotes.pick(QuoteFilters(theme=found.key, film=film))
            if quote is None:
                raise UserError(f"No critic excerpt on “{inert(found.name)}”"
                                + (f" for {inert(film, 100)}" if film else "") + " to put above the poll.")
            spec = logic.validate_parts(found.poll_question, [a.strip() for a in found.poll_answers],
                                        logic.DEFAULT_HOURS, False, False, False)
            await interaction.response.send_message(embed=quote_embed(quote, self.bot.themes),
                                                    allowed_mentions=NO_MENTIONS)
            await self.post(interaction, spec, theme=found.key)

    async def poll_in_guild(self, interaction: discord.Interaction, value: str) -> Poll:
        guild = require_guild(interaction)
        poll = await self.bot.store.polls.get(logic.parse_poll_id(value))
        if poll is None or poll.guild_id != guild.id or poll.message_id is None:
            shown = inert(logic.shown(value.strip().lstrip("#"), 20))
            raise UserError(f"There is no poll #{shown} in this server. `/poll list` shows the open ones.")
        return poll

    @app_commands.command(name="close", description="Close a poll now and post its results.")
    @app_commands.describe(poll="The poll to close (its id, or pick it from the list)")
    async def close(self, interaction: discord.Interaction, poll: str) -> None:
        """Close a poll now (its creator or a moderator) and post the results."""
        async with user_errors(interaction):
            found = await self.poll_in_guild(interaction, poll)
            if found.creator_id != interaction.user.id and not await is_moderator(interaction):
                raise UserError("Only the poll's creator or a moderator can close it.")
            if not found.is_open:
                raise UserError(f"Poll #{found.id} is already closed.")
            await interaction.response.defer(ephemeral=True, thinking=True)
            if not await self.close_poll(found.id, closed_by=interaction.user.id):
                raise UserError(f"Poll #{found.id} is already closed.")
            text = (
                f"Closed poll #{found.id}; the results are posted."
                if await self.bot.store.polls.results_message(found.id)
                else f"Closed poll #{found.id}, but I couldn't post the results in its channel (missing"
                " permission, or the channel is gone). `/poll results` still shows them."
            )
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="results", description="See a poll's current results (only you see them).")
    @app_commands.describe(poll="The poll (its id, or pick it from the list)")
    async def results(self, interaction: discord.Interaction, poll: str) -> None:
        """A poll's current results, only to you; hidden polls show only the number of voters until closed."""
        async with user_errors(interaction):
            found = await self.poll_in_guild(interaction, poll)
            if found.kind == "native":
                counts = await self.native_counts(found, end=False)
                if counts is None:
                    raise UserError("I couldn't read that poll's message: was it deleted?")
                embed = poll_embed(found, counts, None, closed=not found.is_open)
            else:
                tally = await self.bot.store.polls.tally(found.id)
                embed = poll_embed(found, tally.counts, tally.voters, closed=not found.is_open)
                await self.add_voters(embed, found)
            embed.add_field(name="Poll", value=f"[Jump to the poll]({logic.jump_url(found)})", inline=False)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

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

    @app_commands.command(name="list", description="The open polls in this server and when they close.")
    async def list_polls(self, interaction: discord.Interaction) -> None:
        """The open polls in this server, soonest deadline first."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            lines = [logic.list_line(poll) for poll in await self.bot.store.polls.open_polls(guild.id)]
            text = "\n".join(lines) or "No open polls. Start one with `/poll create`."
            embed = discord.Embed(title="Open polls", description=clip(text, 4096), colour=FILM_CLUB_COLOUR)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @close.autocomplete("poll")
    @results.autocomplete("poll")
    async def poll_autocomplete(self, interaction: discord.Interaction, current: str):
        if interaction.guild is None:
            return []
        typed = (current or "").strip().lstrip("#").casefold()
        return [
            app_commands.Choice(name=clip(f"#{poll.id} · {poll.question}", 100), value=str(poll.id))
            for poll in await self.bot.store.polls.open_polls(interaction.guild.id)
            if typed in poll.question.casefold() or typed == str(poll.id)
        ][:25]

    @theme.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str):
        typed = (current or "").casefold()
        return [
            app_commands.Choice(name=clip(f"{t.name}: {t.poll_question}", 100), value=key)
            for key, t in self.bot.themes.items()
            if t.poll_question and (typed in key or typed in t.name.casefold())
        ][:25]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Polls(bot))
