"""/config: per-server settings (moderator role, time zone, log channel). Moderators only."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import require_moderator
from bot.core.errors import UserError, send_ephemeral, user_errors
from bot.core.render import inert
from bot.core.time import canonical_zone


def parse_timezone(value: str) -> str:
    """A valid IANA zone name, or UserError naming the bad value with an example."""
    name = (value or "").strip()
    try:
        if not name or len(name) > 64 or canonical_zone(name) is None:
            raise ValueError
        name = canonical_zone(name)  # stored as the tz database spells it
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            f"“{inert(name, 64)}” is not a time zone I know. Use an IANA name such as `Europe/Paris`,"
            " `America/New_York` or `UTC`."
        ) from None
    return name


@app_commands.guild_only()
class Config(commands.GroupCog, group_name="config", group_description="Server settings for filmbot"):
    """Server settings: who moderates, which time zone, where moderator notices go."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    async def _audit(self, interaction: discord.Interaction, before, after) -> None:
        async with self.bot.store.db.transaction() as conn:
            await self.bot.store.audit.record(
                conn, guild_id=interaction.guild_id, actor_id=interaction.user.id, action="config",
                target_type="guild", target_id=interaction.guild_id,
                before=before.__dict__, after=after.__dict__,
            )

    @app_commands.command(name="moderator-role", description="Members with this role can manage reviews and schedules.")
    @app_commands.describe(role="The role; leave empty to rely on Manage Server only")
    async def moderator_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        """Members with this role can manage reviews and schedules."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            if role is not None and role.is_default():
                raise UserError("@everyone can't be the moderator role: that would make every member a moderator.")
            before = await self.bot.store.guilds.get(interaction.guild_id)
            after = await self.bot.store.guilds.update(interaction.guild_id, moderator_role_id=role.id if role else None)
            await self._audit(interaction, before, after)
            text = f"Moderator role set to {role.mention}." if role else "Moderator role cleared: only Manage Server counts."
            await send_ephemeral(interaction, text)

    @app_commands.command(name="timezone", description="The server's time zone for schedules, e.g. Europe/Paris.")
    @app_commands.describe(zone="IANA time zone name, e.g. Europe/Paris")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        """The server's time zone for schedules, e.g. Europe/Paris."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            name = parse_timezone(zone)
            before = await self.bot.store.guilds.get(interaction.guild_id)
            after = await self.bot.store.guilds.update(interaction.guild_id, timezone=name)
            await self._audit(interaction, before, after)
            await send_ephemeral(interaction, f"Server time zone set to `{name}`.")

    @timezone.autocomplete("zone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str):
        typed = (current or "").casefold()
        names = sorted(z for z in available_timezones() if typed in z.casefold())
        return [app_commands.Choice(name=z, value=z) for z in names[:25]]

    @app_commands.command(name="log-channel", description="Where filmbot tells moderators about problems.")
    @app_commands.describe(channel="A text channel; leave empty to clear")
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Where filmbot tells moderators about problems (e.g. a paused schedule)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "change server settings")
            before = await self.bot.store.guilds.get(interaction.guild_id)
            after = await self.bot.store.guilds.update(interaction.guild_id, log_channel_id=channel.id if channel else None)
            await self._audit(interaction, before, after)
            await send_ephemeral(interaction, f"Log channel set to {channel.mention}." if channel else "Log channel cleared.")

    @app_commands.command(name="show", description="Show this server's filmbot settings.")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show this server's filmbot settings."""
        settings = await self.bot.store.guilds.get(interaction.guild_id)
        role = f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else "none (Manage Server only)"
        channel = f"<#{settings.log_channel_id}>" if settings.log_channel_id else "none"
        zone = settings.timezone or f"{self.bot.settings.default_timezone} (default)"
        await send_ephemeral(interaction, f"**Moderator role:** {role}\n**Time zone:** `{zone}`\n**Log channel:** {channel}")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Config(bot))
