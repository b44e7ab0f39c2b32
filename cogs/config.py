"""/config: per-server settings (moderator role, time zone, log channel). Moderators only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.club.rules import validate_digest_hours
from bot.core.checks import is_moderator, moderator_only, require_guild, require_moderator
from bot.core.errors import send_ephemeral, user_errors
from bot.core.inputs import ON_OFF, one_of, suggest
from bot.core.refusals import UserError
from bot.core.text import counted, typed_value
from bot.core.time import abbreviation_hint, canonical_zone, zone_suggestions

if TYPE_CHECKING:
    from bot.client import FilmBot


def parse_timezone(value: str) -> str:
    """The canonical IANA zone name, or UserError naming the bad value with an example."""
    name = canonical_zone(value)
    if name is None and (hint := abbreviation_hint(value)):
        raise UserError(hint)
    if name is None:
        raise UserError(
            f"“{typed_value(value, 64)}” is not a time zone I know. Use an IANA name such as"
            " `Europe/Paris`, `America/New_York` or `UTC`."
        )
    return name


@app_commands.guild_only()
class Config(commands.GroupCog, group_name="config", group_description="Server settings for filmbot"):
    """Server settings: who moderates, which time zone, where moderator notices go."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        super().__init__()

    @moderator_only
    @app_commands.command(name="moderator-role", description="Members with this role can manage reviews and schedules.")
    @app_commands.describe(role="The role; leave empty to rely on Manage Server only")
    async def moderator_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        """Members with this role can manage reviews and schedules."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            if role is not None and role.is_default():
                raise UserError("@everyone can't be the moderator role: that would make every member a moderator.")
            await self.bot.store.guilds.update(
                require_guild(interaction).id, actor_id=interaction.user.id, moderator_role_id=role.id if role else None)
            text = f"Moderator role set to {role.mention}." if role else "Moderator role cleared: only Manage Server counts."
            await send_ephemeral(interaction, text)

    @moderator_only
    @app_commands.command(name="timezone", description="The server's time zone for schedules, e.g. Europe/Paris.")
    @app_commands.describe(zone="IANA time zone name, e.g. Europe/Paris")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        """The server's time zone for schedules, e.g. Europe/Paris."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            name = parse_timezone(zone)
            await self.bot.store.guilds.update(
                require_guild(interaction).id, actor_id=interaction.user.id, timezone=name)
            await send_ephemeral(interaction, f"Server time zone set to `{name}`.")

    @timezone.autocomplete("zone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(current)]

    @moderator_only
    @app_commands.command(name="log-channel", description="Where filmbot tells moderators about problems.")
    @app_commands.describe(channel="A text channel; leave empty to clear")
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Where filmbot tells moderators about problems (e.g. a paused schedule)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            guild = require_guild(interaction)
            await self.bot.store.guilds.update(
                guild.id, actor_id=interaction.user.id, log_channel_id=channel.id if channel else None)
            if channel is None:
                await send_ephemeral(interaction, "Log channel cleared.")
                return
            # Suggestions made before (or while Discord refused their post) have no message there: say where they are.
            waiting = len(await self.bot.store.filmnight.entries(guild.id, ("pending",)))
            await send_ephemeral(interaction, f"Log channel set to {channel.mention}." + (
                f" {counted(waiting, 'watchlist suggestion')} already waiting for approval:"
                " `/watchlist pending` shows them." if waiting else ""))

    @moderator_only
    @app_commands.command(name="watchlist-approval", description="Whether moderators approve watchlist suggestions.")
    @app_commands.describe(state="on: members' suggestions wait for a moderator in the log channel")
    async def watchlist_approval(self, interaction: discord.Interaction, state: str) -> None:
        """Whether members' /watchlist add suggestions wait for a moderator's approval."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            state = one_of(state, ON_OFF, f"“{typed_value(state, 32)}” is neither `on` nor `off`:"
                           " `/config watchlist-approval state:on` makes members' suggestions wait for a moderator,"
                           " `state:off` lists them at once.")
            guild_id = require_guild(interaction).id
            await self.bot.store.filmnight.set_setting(
                guild_id, interaction.user.id, "watchlist_approval", int(state == "on"))
            await send_ephemeral(interaction, await self._approval_said(guild_id, state == "on"))

    async def _approval_said(self, guild_id: int, on: bool) -> str:
        """What the setting now does, and where the moderator decides: a moderator who turns approval on with no
        log channel learns that suggestions wait only in /watchlist pending."""
        if not on:
            return "Watchlist approval is off: members' new `/watchlist add` suggestions go on the watchlist at once."
        log_channel_id = (await self.bot.store.guilds.get(guild_id)).log_channel_id
        where = (f"in <#{log_channel_id}> and in `/watchlist pending`" if log_channel_id else
                 "in `/watchlist pending` (set `/config log-channel` to have each one posted there as well)")
        return (f"Watchlist approval is on: members' `/watchlist add` suggestions now wait for **Approve** or"
                f" **Reject** {where}.")

    @watchlist_approval.autocomplete("state")
    async def state_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return suggest(ON_OFF)

    @moderator_only
    @app_commands.command(name="digest-hours", description="Hours after a discussion prompt for its thread digest.")
    @app_commands.describe(hours="0 turns digests off; 1 to 168 hours after the prompt (default 24)")
    async def digest_hours(self, interaction: discord.Interaction, hours: int) -> None:
        """When the bot posts a short digest in each discussion thread (0 = off)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            hours = validate_digest_hours(hours)
            await self.bot.store.club.set_digest_hours(require_guild(interaction).id, hours, interaction.user.id)
            when = f"come {counted(hours, 'hour')} after a prompt" if hours else "are off"
            await send_ephemeral(interaction, f"Thread digests {when}.")

    @app_commands.command(name="show", description="Show this server's filmbot settings.")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show this server's filmbot settings (privately). The moderators' log channel only to moderators: it
        is where suggestions wait and problems are reported, and naming it to every member points at a
        channel they are usually not meant to see; the rest (time zone, digests, reminders) is what members
        meet, so it stays open to them."""
        guild_id = require_guild(interaction).id
        moderator = await is_moderator(interaction)
        settings = await self.bot.store.guilds.get(guild_id)
        approval, reminder_role_id = await self.bot.store.filmnight.settings(guild_id)
        hours = await self.bot.store.club.digest_hours(guild_id)
        role = f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else "none: Manage Server only"
        channel = f"<#{settings.log_channel_id}>" if settings.log_channel_id else "none"
        zone = f"`{settings.timezone}`" if settings.timezone else f"`{self.bot.settings.default_timezone}` (default)"
        digests = f"{counted(hours, 'hour')} after a prompt" if hours else "off"
        reminders = f"<@&{reminder_role_id}>" if reminder_role_id else "none"
        await send_ephemeral(interaction, "\n".join([
            f"**Moderator role:** {role} (`/config moderator-role`)",
            f"**Time zone:** {zone} (`/config timezone`)",
            *([f"**Log channel:** {channel} (`/config log-channel`)"] if moderator else []),
            f"**Watchlist approval:** {'on' if approval else 'off'} (`/config watchlist-approval`)",
            f"**Thread digests:** {digests} (`/config digest-hours`)",
            f"**Film-night reminder role:** {reminders} (`/filmnight reminder-role`)",
        ]))


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Config(bot))
