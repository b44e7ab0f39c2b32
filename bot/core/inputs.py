"""The boundary for what members type: applied to every slash-command option before any cog sees it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.core.checks import MODERATOR_PERMISSIONS, interaction_data, is_moderator_only
from bot.core.refusals import UserError
from bot.core.slow import acknowledged

_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = discord.AppCommandOptionType.string.value


def scrub(text: str) -> str:
    """Lone UTF-16 surrogates (JSON can carry them, UTF-8 and so SQLite cannot) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def chosen_number(values: Sequence[object]) -> int | None:
    """The first value of a select menu as a number, None unless it is 1–9 ASCII digits. A forged menu can
    send any text: str.isdigit() also takes '²', which int() refuses (an error code instead of a refusal)."""
    text = str(values[0]) if values else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def scrub_options(options: list[dict[str, Any]]) -> None:
    """Clean every string option in place, through subcommand groups."""
    for option in options:
        if option.get("type") == _STRING and isinstance(option.get("value"), str):
            option["value"] = scrub(option["value"])
        scrub_options(option.get("options") or [])


# Options with a fixed set of values ("on"/"off", a mode) are string options that autocomplete their values
# and are checked here, not Discord choices: Discord (and simcord) refuse a value outside the choices before
# the bot sees it, so a member typing "ON " or "yes" would never get the bot's clear private answer.
ON_OFF = ("on", "off")


def suggest(values: Sequence[str]) -> list[app_commands.Choice[str]]:
    """The autocomplete of a fixed-value option: every value it takes."""
    return [app_commands.Choice(name=value, value=value) for value in values]


def one_of(typed: str, values: Sequence[str], refusal: str) -> str:
    """The value a fixed-value option names (any case, spaces around ignored); UserError(refusal) otherwise."""
    value = (typed or "").strip().casefold()
    if value not in values:
        raise UserError(refusal)
    return value


class FilmTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # Runs before options are parsed into the command's arguments, so cleaning here reaches them all.
        scrub_options(interaction_data(interaction).get("options") or [])
        # Corpus caches follow writes made by other processes before a command or autocomplete uses them.
        follow = getattr(interaction.client, "follow_corpus", None)
        if follow is not None:
            await follow()
        return True

    async def _call(self, interaction: discord.Interaction, /) -> None:
        # A slash command whose first answer waits (behind another process's write lock, say) is acknowledged
        # before Discord's 3 s pass (bot/core/slow.acknowledged); autocomplete and context menus run as before.
        if interaction.type is discord.InteractionType.application_command and \
                interaction_data(interaction).get("type", 1) == 1:
            await acknowledged(interaction, super()._call(interaction))
        else:
            await super()._call(interaction)


def hide_moderator_commands(tree: app_commands.CommandTree) -> list[str]:
    """Give Discord's default_member_permissions to every top-level command or group that only moderators
    can use, so members do not see it; the names of those hidden.

    Discord keeps these permissions per top-level command: a group mixing member and moderator commands
    stays visible to all (its moderator commands refuse members at run time), and nothing is renamed.
    """
    hidden = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.Command | app_commands.Group) and is_moderator_only(command):
            command.default_permissions = MODERATOR_PERMISSIONS
            hidden.append(command.name)
    return hidden
