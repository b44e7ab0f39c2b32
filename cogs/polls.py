"""/poll: native Discord polls where they fit, durable button polls (anonymous, hidden, > 10 options)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import closing
from bot.core.channels import visible_to
from bot.core.checks import is_moderator, require_guild
from bot.core.errors import user_errors
from bot.core.refusals import UserError
from bot.core.render import FILM_CLUB_COLOUR, NO_MENTIONS
from bot.core.slow import answers_publicly
from bot.core.text import clip, inert
from bot.corpus import themes_for_film
from bot.corpus.lookup import film_choices, film_scope, resolve_theme, scope_themes, theme_list
from bot.corpus.passage import QuoteFilters
from bot.filmnight.gate import film_or_current, refuse_spoilers, spoiler_gate
from bot.polls import rules as logic
from bot.polls.job import PollDeadlineJob
from bot.polls.views import VoteButton, VoteSelect, poll_embed
from bot.quotes.render import quote_embed

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
class Polls(commands.GroupCog, group_name="poll", group_description="Polls: native, anonymous or hidden."):
    """Create, close and read polls."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.polls = bot.polls
        self.job = PollDeadlineJob(self.polls)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoteButton, VoteSelect)
        self.bot.scheduler.register(self.job)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.job.name)
        self.bot.remove_dynamic_items(VoteButton, VoteSelect)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Invited back: results given up while the bot was removed are posted now (core/closing.rejoined)."""
        await closing.rejoined(self.bot, self.bot.store.polls.closing, guild.id, reads_history=self._native)

    async def _native(self, poll_id: int) -> bool:
        """A native poll: its results are read off its message (Read Message History), not counted by the bot."""
        poll = await self.bot.store.polls.get(poll_id)
        return poll is not None and poll.kind == "native"

    # ------------------------------------------------------------------ commands

    @answers_publicly
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
        async with user_errors(interaction, typed=[("question", question), ("options", options)]):
            require_guild(interaction)
            spec = logic.validate(question, options, hours, multiple, anonymous, hide_results)
            await self.polls.post(interaction, spec)

    @answers_publicly
    @app_commands.command(name="theme", description="A ready-made poll on a theme, under a critic's excerpt.")
    @app_commands.describe(theme="A discussion theme, e.g. ending", film="Film title, e.g. La La Land")
    async def theme(self, interaction: discord.Interaction, theme: str, film: str | None = None) -> None:
        """Post one critic excerpt on a theme, with that theme's ready-made poll below it."""
        async with user_errors(interaction):
            require_guild(interaction)
            film, locked = await film_or_current(self.bot.store, require_guild(interaction).id, film)
            scope = await film_scope(self.bot.store, film, interaction.guild_id)
            offered = scope_themes(self.bot.themes, scope)  # a film's own polls, or the generic ones
            found = resolve_theme(offered, theme)
            if found is None:
                raise UserError(f"Pick a theme for the poll. Themes: {theme_list(offered)}.")
            if found.poll_for(scope.title) is None:
                with_polls = ", ".join(f"`{k}`" for k, t in offered.items() if t.poll_for(scope.title))
                raise UserError(
                    f"The theme “{inert(found.name)}” has no ready-made poll. "
                    f"Themes with one: {with_polls or 'none'}."
                )
            if locked:  # film night: the current film's spoiler themes wait for the screening to end
                await refuse_spoilers(self.bot.store, require_guild(interaction).id, film, found)
            film = scope.label
            gate = await spoiler_gate(self.bot.store, interaction.guild_id, self.bot.themes)
            quote = await self.bot.store.quotes.pick(QuoteFilters(theme=found.key, film=film), gate=gate)
            if quote is None and gate is not None and found.spoiler:
                raise UserError(f"**{inert(found.name, 80)}** is a spoiler theme: " + gate.refusal("It"))
            if quote is None:
                raise UserError(f"No critic excerpt on “{inert(found.name)}”"
                                + (f" for {inert(film, 100)}" if film else "") + " to put above the poll.")
            # The quote's film names the poll (and picks its own wording): never another film's.
            bound = themes_for_film(self.bot.themes, quote.film_title, quote.film_year).get(found.key, found)
            question, answers = bound.poll_for(quote.film_title) or found.poll_for(scope.title) or ("", ())
            spec = logic.validate_parts(question, [a.strip() for a in answers],
                                        logic.DEFAULT_HOURS, False, False, False)
            await interaction.response.send_message(embed=quote_embed(quote, self.bot.themes),
                                                    allowed_mentions=NO_MENTIONS)
            await self.polls.post(interaction, spec, theme=found.key, film_id=quote.film_id)

    @app_commands.command(name="close", description="Close a poll now and post its results.")
    @app_commands.describe(poll="The poll to close (its id, or pick it from the list)")
    async def close(self, interaction: discord.Interaction, poll: str) -> None:
        """Close a poll now (its creator or a moderator) and post the results."""
        async with user_errors(interaction):
            found = await self.polls.poll_in_guild(interaction, poll)
            if found.creator_id != interaction.user.id and not await is_moderator(interaction):
                raise UserError("Only the poll's creator or a moderator can close it.")
            if not found.is_open:
                raise UserError(f"Poll #{found.id} is already closed.")
            await interaction.response.defer(ephemeral=True, thinking=True)
            if not await self.polls.close_poll(found.id, closed_by=interaction.user.id):
                raise UserError(f"Poll #{found.id} is already closed.")
            text = (
                f"Closed poll #{found.id}; the results are posted."
                if await self.bot.store.polls.results_message(found.id)
                else f"Closed poll #{found.id}, but I couldn't post the results yet. I'll keep trying and tell"
                " the moderators if I can't; `/poll results` shows them meanwhile."
            )
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="results", description="See a poll's current results (only you see them).")
    @app_commands.describe(poll="The poll (its id, or pick it from the list)")
    async def results(self, interaction: discord.Interaction, poll: str) -> None:
        """A poll's current results, only to you; hidden polls show only the number of voters until closed."""
        async with user_errors(interaction):
            found = await self.polls.poll_in_guild(interaction, poll)
            if found.kind == "native":
                counts = await self.polls.native_counts(found, end=False)
                if counts is None:
                    raise UserError("I couldn't read that poll's message: was it deleted?")
                embed = poll_embed(found, counts, None, closed=not found.is_open)
            else:
                tally = await self.bot.store.polls.tally(found.id)
                embed = poll_embed(found, tally.counts, tally.voters, closed=not found.is_open)
                await self.polls.add_voters(embed, found)
            embed.add_field(name="Poll", value=f"[Jump to the poll]({logic.jump_url(found)})", inline=False)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="list", description="The open polls in this server and when they close.")
    async def list_polls(self, interaction: discord.Interaction) -> None:
        """The open polls in this server, soonest deadline first."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            polls = await self.visible_polls(interaction, await self.bot.store.polls.open_polls(guild.id))
            lines = [logic.list_line(poll) for poll in polls]
            text = "\n".join(lines) or "No open polls. Start one with `/poll create`."
            embed = discord.Embed(title="Open polls", description=clip(text, 4096), colour=FILM_CLUB_COLOUR)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @close.autocomplete("poll")
    async def close_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Open polls only: a closed one cannot be closed again."""
        return await self.poll_choices(interaction, current, closed=False)

    @results.autocomplete("poll")
    async def results_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Open polls, then closed ones (their final results), most recently closed first."""
        return await self.poll_choices(interaction, current, closed=True)

    async def poll_choices(self, interaction: discord.Interaction, current: str, *, closed: bool) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        typed = (current or "").strip().lstrip("#").casefold()
        polls = await self.bot.store.polls.open_polls(interaction.guild.id)
        if closed:
            polls += await self.bot.store.polls.closed_polls(interaction.guild.id)
        matching = [poll for poll in polls if typed in poll.question.casefold() or typed == str(poll.id)]
        return [
            app_commands.Choice(
                name=clip(f"#{poll.id} · {poll.question}", 100 - len(" (closed)"))
                + ("" if poll.is_open else " (closed)"),
                value=str(poll.id),
            )
            for poll in await self.visible_polls(interaction, matching)
        ][:25]

    async def visible_polls(self, interaction: discord.Interaction, polls: list) -> list:
        """Only polls in channels this member may view: a staff channel's polls stay there."""
        return await visible_to(self.bot, interaction.user, polls, lambda poll: poll.channel_id)

    @theme.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Films this server knows, 'Title (Year)': remakes told apart, as every other film option."""
        return await film_choices(self.bot.store, current, interaction.guild_id)

    @theme.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = (current or "").casefold()
        try:  # the film chosen so far picks the themes and names the poll
            scope = await film_scope(self.bot.store, getattr(interaction.namespace, "film", None), interaction.guild_id)
        except UserError:
            scope = await film_scope(self.bot.store, None, interaction.guild_id)
        choices = []
        for key, t in scope_themes(self.bot.themes, scope).items():
            poll = t.poll_for(scope.title)
            if poll and (typed in key or typed in t.name.casefold()):
                choices.append(app_commands.Choice(name=clip(f"{t.name}: {poll[0]}", 100), value=key))
        return choices[:25]

async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Polls(bot))
