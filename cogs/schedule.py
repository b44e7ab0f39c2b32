"""/schedule: discussion prompts posted on a schedule, durably, once per slot.

Everything but `/schedule list` is for moderators. `list` is open to every member (read-only, and
members see only the schedules of channels they can view), answered privately.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.channels import visible_to
from bot.core.checks import is_moderator, moderator_only, require_guild, require_moderator
from bot.core.errors import send_ephemeral, user_errors
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.text import clip, inert
from bot.core.time import from_iso, zone_suggestions
from bot.corpus.lookup import film_choices, film_scope, resolve_theme, scope_themes, theme_choices
from bot.discussion.post import PostedPrompt, check_bot_permissions, post_prompt
from bot.films.rules import parse_ref
from bot.schedules.job import ScheduleJob, unusable
from bot.schedules.rules import Cadence, ScheduleInputError, discord_timestamp
from bot.schedules.store import Schedule

if TYPE_CHECKING:
    from bot.client import FilmBot

MAX_SCHEDULES = 15  # per server: enough for daily + weekly prompts, and /schedule list stays readable
ROTATION = "rotation"


def input_error(error: ScheduleInputError) -> UserError:
    given = f"“{inert(error.value, 64)}”" if error.value.strip() else "an empty value"
    return UserError(f"{given} is not a valid {error.what}. Example: {error.example}.")


@app_commands.guild_only()
class ScheduleCog(commands.GroupCog, group_name="schedule", group_description="Post discussion prompts on a schedule"):
    """Scheduled discussion prompts: set, list, pause, resume, remove, skip, test."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.job = ScheduleJob(bot)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self.job)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.job.name)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Invited back: schedules paused while the bot could not reach their channel resume (ScheduleJob.rejoined)."""
        await self.job.rejoined(guild)

    async def server_zone(self, guild_id: int) -> str:
        settings = await self.bot.store.guilds.get(guild_id)
        return settings.timezone or self.bot.settings.default_timezone

    async def owned(self, interaction: discord.Interaction, schedule_id: int) -> Schedule:
        schedule = await self.bot.store.schedules.get(schedule_id, require_guild(interaction).id)
        if schedule is None:
            raise UserError(f"There is no schedule #{schedule_id} on this server. See `/schedule list`.")
        return schedule

    @moderator_only
    @app_commands.command(name="set", description="Post a discussion prompt on a schedule (moderators).")
    @app_commands.describe(
        channel="Where to post", time="Time of day, 24-hour HH:MM, e.g. 09:00",
        days="daily (default), weekdays, weekends or days like mon,wed,fri",
        timezone="IANA time zone, e.g. Europe/Paris (default: the server's /config timezone)",
        theme="One theme, or rotation (default) to go through the themes in turn",
        film="Only passages about this film", ping_role="A role to mention in each prompt",
        thread="Open a discussion thread on each prompt (default: yes)",
    )
    async def set_(
        self, interaction: discord.Interaction, channel: discord.TextChannel, time: str, days: str = "daily",
        timezone: str | None = None, theme: str | None = None, film: str | None = None,
        ping_role: discord.Role | None = None, thread: bool = True,
    ) -> None:
        """Post a discussion prompt in a channel at a time of day, daily or on chosen weekdays."""
        async with user_errors(interaction):
            member = await require_moderator(interaction, "set schedules")
            zone = timezone if timezone and timezone.strip() else await self.server_zone(require_guild(interaction).id)
            try:
                cadence = Cadence.parse(time, days, zone)
            except ScheduleInputError as error:
                raise input_error(error) from None
            theme_key = None
            scope = await film_scope(self.bot.store, film, interaction.guild_id)
            if theme and theme.strip() and theme.strip().casefold() != ROTATION:
                resolved = resolve_theme(scope_themes(self.bot.themes, scope), theme[:100])  # the film's themes
                theme_key = resolved.key if resolved else None
            film_ref = scope.ref  # the film by id (`film:<id>`), shown by its label
            if ping_role is not None and ping_role.is_default():
                raise UserError("Pick a specific role to ping, not @everyone.")
            check_bot_permissions(channel, make_thread=thread)
            existing = await self.bot.store.schedules.for_guild(require_guild(interaction).id)
            wanted = (channel.id, cadence, theme_key, film_ref, ping_role.id if ping_role else None, thread)
            same = next((s for s in existing if not s.paused and (
                s.channel_id, s.cadence, s.theme, s.film, s.ping_role_id, s.make_thread) == wanted), None)
            if same is not None:  # a retry after a lost reply, or a repeat: one schedule, never two posts a slot
                lines = await self.describe(same, await self.server_zone(require_guild(interaction).id))
                await send_ephemeral(interaction, f"Schedule set (it already existed).\n{lines}")
                return
            if len(existing) >= MAX_SCHEDULES:
                raise UserError(f"This server already has {MAX_SCHEDULES} schedules, the most allowed."
                                " Remove one with `/schedule remove` first.")
            schedule = await self.bot.store.schedules.create(
                guild_id=require_guild(interaction).id, channel_id=channel.id, cadence=cadence, theme=theme_key,
                film=film_ref, ping_role_id=ping_role.id if ping_role else None, make_thread=thread,
                actor_id=member.id, now=self.bot.now(),
            )
            self.bot.scheduler.wake()
            lines = await self.describe(schedule, await self.server_zone(require_guild(interaction).id))
            await send_ephemeral(interaction, f"Schedule set.\n{lines}")

    @set_.autocomplete("timezone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice]:
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(current)]

    @set_.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice]:
        """rotation, then the themes labelled "(N quotes)" exactly as /discuss and /quote label them."""
        film = getattr(interaction.namespace, "film", None)
        themes = await theme_choices(self.bot.store, self.bot.themes, current, film, interaction.guild_id)
        rotation = [app_commands.Choice(name=ROTATION, value=ROTATION)] if ROTATION.startswith(
            (current or "").casefold().strip()) else []
        return [*rotation, *themes][:25]

    @set_.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice]:
        return await film_choices(self.bot.store, current, interaction.guild_id)

    async def describe(self, schedule: Schedule, server_zone: str) -> str:
        """One schedule as shown by set and list: settings, state, next three runs, last outcome."""
        problem = unusable(schedule)
        cadence = (schedule.cadence.describe() if problem is None
                   else inert(f"{schedule.time_of_day} {schedule.days} ({schedule.timezone})", 120))
        theme = f"`{schedule.theme}`" if schedule.theme else "rotation"
        film_id = parse_ref(schedule.film)
        named = await self.bot.store.films.get(film_id) if film_id is not None else None
        film = named.label if named else schedule.film
        head = (f"**#{schedule.id}** · {cadence} · <#{schedule.channel_id}> · theme {theme}"
                + (f" · film *{inert(film, 100)}*" if film else "")
                + (f" · pings <@&{schedule.ping_role_id}>" if schedule.ping_role_id else "")
                + ("" if schedule.make_thread else " · no thread"))
        if problem is not None and not schedule.paused:  # the job pauses it at its next run
            return f"{head}\n⚠️ **Cannot run**: {problem}"
        if schedule.paused:
            since = f" (since {discord_timestamp(from_iso(schedule.paused_at), 'R')})" if schedule.paused_at else ""
            return f"{head}\n⏸️ **Paused**{since}: {schedule.paused_reason or 'no reason given'}"
        upcoming = await self.bot.store.schedules.upcoming(schedule, self.bot.now(), 3)
        # One time format: Discord shows <t:…> in each reader's own zone and language.
        slots = [slot for slot, skipped in upcoming if not skipped]
        runs = [discord_timestamp(slot) for slot in slots]
        if runs:
            runs[0] += f" ({discord_timestamp(slots[0], 'R')})"
        skipped = [discord_timestamp(s) for s, was_skipped in upcoming if was_skipped]
        text = f"{head}\nNext: " + "; ".join(runs)
        if skipped:
            text += "\nSkipped: " + ", ".join(skipped)
        return text

    @app_commands.command(name="list", description="This server's schedules and their next run times.")
    async def list_(self, interaction: discord.Interaction) -> None:
        """Every schedule of this server: settings, paused state and reason, next three run times."""
        async with user_errors(interaction):
            schedules = await self.bot.store.schedules.for_guild(require_guild(interaction).id)
            if not schedules:
                raise UserError("No schedules yet. A moderator can add one with `/schedule set`.")
            # A staff-only channel's schedules (and the role they ping) stay with those who see it.
            # Moderators manage every schedule (even one whose channel was deleted), so they see all.
            if not await is_moderator(interaction):
                schedules = await visible_to(self.bot, interaction.user, schedules, lambda s: s.channel_id,
                                             if_gone=True)
            if not schedules:
                raise UserError("No schedules post in channels you can see.")
            zone = await self.server_zone(require_guild(interaction).id)
            blocks = [await self.describe(s, zone) for s in schedules]
            pages: list[str] = []
            for block in blocks:
                block = clip(block, 1900)
                if pages and len(pages[-1]) + len(block) + 2 <= 2000:
                    pages[-1] += "\n\n" + block
                else:
                    pages.append(block)
            await interaction.response.send_message(pages[0], ephemeral=True, allowed_mentions=NO_MENTIONS)
            for page in pages[1:]:
                await interaction.followup.send(page, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @moderator_only
    @app_commands.command(name="pause", description="Stop a schedule from posting until resumed (moderators).")
    @app_commands.describe(id="The schedule number from /schedule list")
    async def pause(self, interaction: discord.Interaction, id: int) -> None:
        """Stop a schedule from posting until it is resumed."""
        async with user_errors(interaction):
            member = await require_moderator(interaction, "pause schedules")
            schedule = await self.owned(interaction, id)
            reason = f"paused by {inert(member.display_name, 80)}"
            if not await self.bot.store.schedules.set_paused(
                schedule.id, paused=True, reason=reason, actor_id=member.id, now=self.bot.now()
            ):
                raise UserError(f"Schedule #{id} is already paused.")
            self.bot.scheduler.wake()
            await send_ephemeral(interaction, f"Schedule #{id} paused. `/schedule resume id:{id}` restarts it.")

    @moderator_only
    @app_commands.command(name="resume", description="Restart a paused schedule from its next slot (moderators).")
    @app_commands.describe(id="The schedule number from /schedule list")
    async def resume(self, interaction: discord.Interaction, id: int) -> None:
        """Restart a paused schedule; slots missed while paused are not posted."""
        async with user_errors(interaction):
            member = await require_moderator(interaction, "resume schedules")
            schedule = await self.owned(interaction, id)
            if not schedule.paused:
                raise UserError(f"Schedule #{id} is not paused.")
            channel = require_guild(interaction).get_channel(schedule.channel_id)
            if not isinstance(channel, discord.TextChannel):
                raise UserError(f"Schedule #{id}'s channel no longer exists: remove it and set a new one.")
            check_bot_permissions(channel, make_thread=schedule.make_thread)
            await self.bot.store.schedules.set_paused(
                schedule.id, paused=False, reason=None, actor_id=member.id, now=self.bot.now()
            )
            self.bot.scheduler.wake()
            resumed = await self.bot.store.schedules.get(schedule.id) or schedule
            text = await self.describe(resumed, await self.server_zone(require_guild(interaction).id))
            await send_ephemeral(interaction, f"Schedule resumed.\n{text}")

    @moderator_only
    @app_commands.command(name="remove", description="Delete a schedule for good (moderators).")
    @app_commands.describe(id="The schedule number from /schedule list")
    async def remove(self, interaction: discord.Interaction, id: int) -> None:
        """Delete a schedule and its post history."""
        async with user_errors(interaction):
            member = await require_moderator(interaction, "remove schedules")
            schedule = await self.owned(interaction, id)
            await self.bot.store.schedules.remove(schedule.id, actor_id=member.id)
            self.bot.scheduler.wake()
            await send_ephemeral(interaction, f"Schedule #{id} removed.")

    @moderator_only
    @app_commands.command(name="skip", description="Skip a schedule's next post (moderators).")
    @app_commands.describe(id="The schedule number from /schedule list")
    async def skip(self, interaction: discord.Interaction, id: int) -> None:
        """Skip the next post of a schedule; run it again to skip the one after."""
        async with user_errors(interaction):
            member = await require_moderator(interaction, "skip scheduled posts")
            schedule = await self.owned(interaction, id)
            if schedule.paused:
                raise UserError(f"Schedule #{id} is paused, so it has no next post to skip.")
            now = self.bot.now()
            slot = await self.job.next_slot(schedule, now)
            if slot is None or not await self.bot.store.schedules.skip_slot(schedule, slot, actor_id=member.id, now=now):
                raise UserError(f"Schedule #{id}'s next post is being made right now; try again in a moment.")
            self.bot.scheduler.wake()
            after = await self.job.next_slot(schedule, now)
            await send_ephemeral(interaction, f"Skipped schedule #{id}'s post of {discord_timestamp(slot)}."
                                              f" Next: {discord_timestamp(after) if after else 'none'}.")

    @moderator_only
    @app_commands.command(name="test", description="Post one of a schedule's prompts now, as a try-out (moderators).")
    @app_commands.describe(id="The schedule number from /schedule list")
    async def test(self, interaction: discord.Interaction, id: int) -> None:
        """Post a prompt now with a schedule's settings; its regular slots are unaffected."""
        async with user_errors(interaction):
            await require_moderator(interaction, "test schedules")
            schedule = await self.owned(interaction, id)
            channel = require_guild(interaction).get_channel(schedule.channel_id)
            if not isinstance(channel, discord.TextChannel):
                raise UserError(f"Schedule #{id}'s channel no longer exists.")
            check_bot_permissions(channel, make_thread=schedule.make_thread)
            await interaction.response.defer(ephemeral=True, thinking=True)
            posted = await self._post_test(channel, schedule)
            where = posted.thread.mention if posted.thread else channel.mention
            await send_ephemeral(interaction, f"Test prompt posted in {where}.")

    async def _post_test(self, channel: discord.TextChannel, schedule: Schedule) -> PostedPrompt:
        try:
            posted = await post_prompt(
                self.bot, channel, guild_id=schedule.guild_id, theme=schedule.theme, film=schedule.film,
                make_thread=schedule.make_thread, mention_role_id=schedule.ping_role_id, source="schedule-test",
            )
        except discord.HTTPException as error:
            raise UserError(f"Discord refused the test post (HTTP {error.status}); nothing was posted.") from None
        return posted

    @pause.autocomplete("id")
    @resume.autocomplete("id")
    @remove.autocomplete("id")
    @skip.autocomplete("id")
    @test.autocomplete("id")
    async def id_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice]:
        """This server's schedules as "#id · cadence · #channel"; a member sees only channels they can view."""
        if interaction.guild is None:
            return []
        schedules = await self.bot.store.schedules.for_guild(interaction.guild.id)
        if not await is_moderator(interaction):
            schedules = await visible_to(self.bot, interaction.user, schedules, lambda s: s.channel_id)
        typed = str(current or "").strip().lstrip("#").casefold()
        choices = []
        for schedule in schedules:
            channel = interaction.guild.get_channel(schedule.channel_id)
            where = f"#{channel.name}" if channel is not None else "deleted channel"
            what = schedule.cadence.describe() if unusable(schedule) is None else schedule.time_of_day
            label = f"#{schedule.id} · {what} · {where} · {schedule.theme or ROTATION}"
            if schedule.paused:
                label += " · paused"
            if typed in label.casefold():
                choices.append(app_commands.Choice(name=clip(label, 100), value=schedule.id))
        return choices[:25]


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(ScheduleCog(bot))
