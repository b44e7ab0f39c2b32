"""The boundary for what members type: applied to every slash-command option before any cog sees it."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands

from bot.core.checks import interaction_data

_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = discord.AppCommandOptionType.string.value


def scrub(text: str) -> str:
    """Lone UTF-16 surrogates (JSON can carry them, UTF-8 and so SQLite cannot) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def scrub_options(options: list[dict[str, Any]]) -> None:
    """Clean every string option in place, through subcommand groups."""
    for option in options:
        if option.get("type") == _STRING and isinstance(option.get("value"), str):
            option["value"] = scrub(option["value"])
        scrub_options(option.get("options") or [])


class FilmTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # Runs before options are parsed into the command's arguments, so cleaning here reaches them all.
        scrub_options(interaction_data(interaction).get("options") or [])
        return True
