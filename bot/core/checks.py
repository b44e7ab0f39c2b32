"""Who may do what: moderator = Manage Server, or the role set with /config moderator-role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord
from discord import app_commands

from bot.core.refusals import NotModerator, UserError

if TYPE_CHECKING:
    from bot.client import FilmBot

# What Discord's own permission check asks of a member to see a moderator-only command: the same Manage
# Server that is_moderator accepts. A server re-grants the hidden commands to its moderator role under
# Server Settings → Integrations → filmbot; the run-time check below stays the one that decides.
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)
_MODERATOR_ONLY = "filmbot:moderator_only"
CommandT = TypeVar("CommandT", bound=app_commands.Command[Any, Any, Any])


def moderator_only(command: CommandT) -> CommandT:
    """Mark a command whose every use needs a moderator (put it above `@….command(...)`).

    The mark hides it from members the Discord way (see inputs.hide_moderator_commands) and puts it in
    /help's moderator part; the command still calls require_moderator itself.
    """
    command.extras[_MODERATOR_ONLY] = True
    return command


def is_moderator_only(command: app_commands.Command[Any, Any, Any] | app_commands.Group) -> bool:
    """A command marked moderator_only, or a group whose every command is."""
    if isinstance(command, app_commands.Group):
        leaves = [c for c in command.walk_commands() if isinstance(c, app_commands.Command)]
        return bool(leaves) and all(is_moderator_only(c) for c in leaves)
    return bool(command.extras.get(_MODERATOR_ONLY))


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


# What the bot needs in a channel to post there later (a poll's results, a game's next round, a pick's result).
POST_PERMISSIONS = (("view_channel", "View Channel"), ("send_messages", "Send Messages"),
                    ("embed_links", "Embed Links"), ("read_message_history", "Read Message History"))


def require_message_channel(interaction: discord.Interaction, doing: str) -> None:
    """Refuse, before anything is stored, where the bot can never post later: a forum (or media) channel holds
    posts, not messages, so a poll's results, a game's rounds or a screening's reminders sent there would fail
    on every retry. A forum's posts are threads and take messages."""
    if isinstance(interaction.channel, discord.ForumChannel | discord.CategoryChannel):
        raise UserError(f"I can't {doing} here: a forum channel takes posts, not messages. Run it inside one of"
                        " its posts or in a text channel.")


def missing_post_permission(interaction: discord.Interaction) -> str | None:
    """The first permission the bot lacks to post in the interaction's channel later (threads need Send
    Messages in Threads), or None: an interaction's reply needs none, the messages that follow do."""
    perms = interaction.app_permissions
    in_thread = isinstance(interaction.channel, discord.Thread)
    for attribute, name in POST_PERMISSIONS:
        if attribute == "send_messages" and in_thread:
            attribute, name = "send_messages_in_threads", "Send Messages in Threads"
        if not getattr(perms, attribute):
            return name
    return None


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
