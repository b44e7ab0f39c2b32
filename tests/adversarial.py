"""Shared machinery for the adversarial suite: nasty strings, a per-example bot, Discord-limit checks."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
import simcord
from discord import app_commands
from hypothesis import strategies as st

from bot import Settings, create_bot

NASTY = [
    '"', '"AND OR NEAR(', "NEAR(a b, 2)", "*", "jazz*", "^jazz", "col:jazz", "-jazz", "'", "\\", "()",
    "\x00", "a\x00b", "@everyone", "@here", "<@&123456789012345678>", "<@123456789012345678>",
    "<#123456789012345678>", "**bold** __u__ ||spoiler|| `code` ```block``` > quote # head",
    "\u202e\u200freversed", "مرحبا بالعالم", "🎬🍿👩‍👩‍👧‍👦", "x" * 10_000, "word " * 1_500, "   ", "\n\n\t",
    "%s %d {0} {{}}", "'; DROP TABLE reviews; --", "La La Land", "ending", "Europe/Paris", "25:61",
    "mon,funday", "http://", "javascript:alert(1)", "1e309", "-1", "0", "99999999999999999999",
    "|||", "a|a|a", "Unattributed review #999",
]

nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=120),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=40)),
)

# A valid value for each required string option, so that only the fuzzed option is hostile.
VALID_STRINGS = {
    "question": "Was the ending happy?", "options": "Yes|No", "time": "09:00", "zone": "UTC", "query": "jazz",
    "film": "La La Land", "theme": "ending", "poll": "1", "review": "1", "id": "1",
}

LIMITS = {"content": 2000, "title": 256, "description": 4096, "footer": 2048, "author": 256}


def check_payload(body: dict[str, Any]) -> None:
    """One outgoing message body respects Discord's limits and pings nobody."""
    mentions = body.get("allowed_mentions")
    assert mentions is not None and mentions.get("parse") == [], body.get("allowed_mentions")
    assert not mentions.get("users") and not mentions.get("replied_user")
    assert len(body.get("content") or "") <= LIMITS["content"]
    embeds = body.get("embeds") or []
    assert len(embeds) <= 10
    for embed in embeds:
        total = len(embed.get("title") or "") + len(embed.get("description") or "")
        assert len(embed.get("title") or "") <= LIMITS["title"]
        assert len(embed.get("description") or "") <= LIMITS["description"]
        fields = embed.get("fields") or []
        assert len(fields) <= 25
        for field in fields:
            assert len(field["name"]) <= 256 and len(field["value"]) <= 1024
            total += len(field["name"]) + len(field["value"])
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
        assert total <= 6000
    for row in body.get("components") or []:
        for item in row.get("components") or []:
            assert len(item.get("custom_id") or "") <= 100
            assert len(item.get("label") or "") <= 80


def check_modals(env) -> None:
    """Every modal the bot opened fits Discord's modal limits."""
    for request in env.http_requests:
        body = request.json
        if "/callback" not in request.path or not isinstance(body, dict) or body.get("type") != 9:
            continue
        modal = body["data"]
        assert 1 <= len(modal["title"]) <= 45 and len(modal["custom_id"]) <= 100
        for row in modal["components"]:
            for field in row["components"]:
                assert len(field.get("label") or "") <= 45 and len(field["custom_id"]) <= 100
                assert len(field.get("placeholder") or "") <= 100
                assert len(field.get("value") or "") <= 4000


def string_options(command: app_commands.Command) -> list[str]:
    return [p.name for p in command.parameters if p.type is discord.AppCommandOptionType.string]


def leaf_commands(tree: app_commands.CommandTree) -> list[tuple[str, app_commands.Command]]:
    found = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.Group):
            for sub in command.walk_commands():
                if isinstance(sub, app_commands.Command):
                    found.append((sub.qualified_name, sub))
        elif isinstance(command, app_commands.Command):
            found.append((command.qualified_name, command))
    return found


class Scenario:
    """A fresh bot on a copy of a template database, with a demo server."""

    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        self.guild = env.create_guild(name="Fuzz Club")
        self.channel = self.guild.create_text_channel("film-club")
        mods = self.guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
        self.role = mods
        self.mod = self.guild.add_member(env.create_user("mod"), roles=[mods])
        self.member = self.guild.add_member(env.create_user("member"))

    def defaults(self, command: app_commands.Command) -> dict[str, Any]:
        """Valid values for every required option (the fuzzed one is overridden by the caller)."""
        values: dict[str, Any] = {}
        for p in command.parameters:
            if not p.required:
                continue
            kind = p.type
            if kind is discord.AppCommandOptionType.string:
                values[p.name] = VALID_STRINGS.get(p.name, "x")
                continue
            if kind is discord.AppCommandOptionType.channel:
                values[p.name] = self.channel
            elif kind is discord.AppCommandOptionType.role:
                values[p.name] = self.role
            elif kind in (discord.AppCommandOptionType.user, discord.AppCommandOptionType.mentionable):
                values[p.name] = self.member
            elif kind is discord.AppCommandOptionType.integer or kind is discord.AppCommandOptionType.number:
                values[p.name] = 1
            elif kind is discord.AppCommandOptionType.boolean:
                values[p.name] = False
            else:
                return {"__skip__": True}  # attachments are fuzzed in their own tests
        return values


def run_with_bot(template: Path, scenario: Callable[[Scenario], Awaitable[None]]) -> None:
    """Run `scenario` against a fresh bot whose database starts as a copy of `template`."""

    async def main() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            database = Path(tmp) / "fuzz.db"
            shutil.copy(template, database)
            bot = create_bot(Settings(database=database))
            try:
                async with simcord.run(bot) as env:
                    await scenario(Scenario(env))
            finally:
                await bot.close_store()

    asyncio.run(main())


def build_template(path: Path) -> Path:
    """A migrated, imported database, so each example skips the import."""

    async def main() -> None:
        bot = create_bot(Settings(database=path))
        try:
            async with simcord.run(bot):
                pass
        finally:
            await bot.close_store()

    asyncio.run(main())
    return path
