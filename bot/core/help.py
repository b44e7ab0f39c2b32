"""/help's text, read from the registered command tree: a command added, renamed or re-described shows as it is.

Each command is one line: an example invocation built from its options (the value after "e.g." in an option's
description, else its first choice, else a placeholder) and its description. Members see the commands anyone
can use; moderators (the run-time check) also see the commands marked moderator_only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.core.checks import is_moderator_only
from bot.core.text import EMBED_DESCRIPTION_MAX, clip, counted

EMBED_TOTAL_MAX = 6000  # Discord: every embed of one message together
_FOOTER_ROOM = 200
_LINE_MAX = 300
_EXAMPLE = re.compile(r"\be\.g\.\s*(.+?)\s*(?:,|\)|\(| or |$)")
_DEFAULT = re.compile(r"\bdefault (\d+)\b")
_MODERATOR_WORDING = re.compile(r"^Moderators:\s*|\s*\(moderators\)", re.IGNORECASE)
_PLACEHOLDER = {
    discord.AppCommandOptionType.channel: "#channel",
    discord.AppCommandOptionType.role: "@role",
    discord.AppCommandOptionType.user: "@member",
    discord.AppCommandOptionType.mentionable: "@member",
    discord.AppCommandOptionType.attachment: "(a file)",
    discord.AppCommandOptionType.boolean: "True",
}


@dataclass(frozen=True)
class HelpPage:
    title: str
    description: str


def example_value(param: app_commands.Parameter) -> str | None:
    """A value to show for an option: its description's "e.g.", its first choice, or a placeholder by type."""
    found = _EXAMPLE.search(param.description or "")
    if found:
        return found.group(1)
    if param.choices:
        return str(param.choices[0].name)
    if param.type in (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.number):
        # The default a description names is what most servers want (digest-hours' 24), not the minimum (1).
        default = _DEFAULT.search(param.description or "")
        if default:
            return default.group(1)
        return str(param.min_value if param.min_value is not None else 1)
    return _PLACEHOLDER.get(param.type)


def example(command: app_commands.Command[Any, Any, Any]) -> str:
    """`/poll create question:<question> options:Happy | Sad`: the required options, or when none is required
    the first optional one whose description gives an example."""
    params = [p for p in command.parameters if p.required]
    if not params:
        params = [p for p in command.parameters if _EXAMPLE.search(p.description or "")][:1]
    parts = [f"/{command.qualified_name}"]
    parts += [f"{p.display_name}:{example_value(p) or f'<{p.display_name}>'}" for p in params]
    return " ".join(parts)


def help_line(command: app_commands.Command[Any, Any, Any]) -> str:
    description = _MODERATOR_WORDING.sub("", command.description).strip()
    description = description[:1].upper() + description[1:]
    return clip(f"`{example(command)}` — {description}", _LINE_MAX)


def leaf_commands(tree: app_commands.CommandTree) -> list[app_commands.Command[Any, Any, Any]]:
    """Every command a member can type, in the order Discord lists them (by name)."""
    found: list[app_commands.Command[Any, Any, Any]] = []
    for top in tree.get_commands():
        if isinstance(top, app_commands.Group):
            found += [c for c in top.walk_commands() if isinstance(c, app_commands.Command)]
        elif isinstance(top, app_commands.Command):
            found.append(top)
    return sorted(found, key=lambda c: c.qualified_name)


def help_pages(tree: app_commands.CommandTree, *, moderator: bool) -> list[HelpPage]:
    """The overview as embed-sized pages: members' commands, then (for a moderator) moderators' commands."""
    commands = leaf_commands(tree)
    members = [help_line(c) for c in commands if not is_moderator_only(c)]
    moderators = [help_line(c) for c in commands if is_moderator_only(c)]
    pages = _paged("What members can do", members)
    if moderator:
        pages += _paged("What moderators can do", moderators)
    elif moderators:
        note = f"\n\n*{counted(len(moderators), 'more command')} for moderators (Manage Server or the moderator role).*"
        last = pages[-1]
        pages[-1] = HelpPage(last.title, last.description + note)
    return pages


def _paged(title: str, lines: list[str]) -> list[HelpPage]:
    pages: list[HelpPage] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > EMBED_DESCRIPTION_MAX - 200:  # room for the note
            pages.append(HelpPage(title if not pages else f"{title} (more)", "\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk or not pages:
        pages.append(HelpPage(title if not pages else f"{title} (more)", "\n".join(chunk) or "Nothing yet."))
    return pages


def messages(pages: list[HelpPage]) -> list[list[HelpPage]]:
    """Pages grouped into messages, each within Discord's 6,000 characters of embeds and 10 embeds."""
    grouped: list[list[HelpPage]] = []
    size = 0
    for page in pages:
        length = len(page.title) + len(page.description)
        if not grouped or size + length > EMBED_TOTAL_MAX - _FOOTER_ROOM or len(grouped[-1]) == 10:
            grouped.append([])
            size = 0
        grouped[-1].append(page)
        size += length
    return grouped
