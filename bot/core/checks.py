"""Who may do what: moderator = Manage Server, or the role set with /config moderator-role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.core.refusals import NotModerator, UserError

if TYPE_CHECKING:
    from bot.client import FilmBot


def client_of(interaction: discord.Interaction) -> FilmBot:
    """The FilmBot behind an interaction, typed (discord.py types `interaction.client` as a plain Client)."""
    return cast("FilmBot", interaction.client)


def interaction_data(interaction: discord.Interaction) -> dict[str, Any]:
    """The raw payload of an interaction as a plain dict (discord.py types it as a union of TypedDicts)."""
    return cast("dict[str, Any]", interaction.data or {})


def require_channel_id(interaction: discord.Interaction) -> int:
    """The channel a command ran in (every guild command has one)."""
    if interaction.channel_id is None:
        raise UserError("This command only works in a server channel.")
    return interaction.channel_id


def require_guild(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("This command only works in a server.")
    return interaction.guild


async def is_moderator(interaction: discord.Interaction) -> bool:
    """Checked at run time on every change, whatever Discord's command permissions say."""
    member = interaction.user
    if not isinstance(member, discord.Member) or interaction.guild is None:
        return False
    if member.guild_permissions.manage_guild:
        return True
    settings = await client_of(interaction).store.guilds.get(interaction.guild.id)
    role_id = settings.moderator_role_id
    # @everyone is never a moderator role, even if one was stored before that was refused.
    return role_id is not None and role_id != member.guild.id and any(role.id == role_id for role in member.roles)


async def require_moderator(interaction: discord.Interaction, action: str = "do that") -> discord.Member:
    require_guild(interaction)
    if not await is_moderator(interaction):
        raise NotModerator(action)
    assert isinstance(interaction.user, discord.Member)
    return interaction.user
