"""README.md stays true for a newcomer: every registered command has an example there, every example uses only
options that exist, and every setting the bot reads from the environment is documented in README and .env.example."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core import config
from tests.helpers import leaf_commands

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_examples(text: str) -> list[str]:
    """Every command as the README writes it: `/…` code spans, and lines of fenced blocks starting with `/`
    (their `  # comment` dropped)."""
    found: list[str] = re.findall(r"`(/[a-z][^`]*)`", text)
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL):
        found += [re.sub(r"\s{2,}#.*", "", line) for line in block.splitlines() if line.startswith("/")]
    return found


def parse(example: str, commands: dict[str, set[str]]) -> tuple[str, list[str]] | None:
    """(command, option names typed) for an example of a registered command, else None."""
    words = example[1:].split(" ")
    for size in (3, 2, 1):
        name = " ".join(words[:size])
        if name in commands:
            rest = " ".join(words[size:])
            return name, re.findall(r"(?:^|\s)([a-z_]+):", rest)
    return None


async def test_every_command_has_a_readme_example_with_real_option_names(world):
    """Each leaf command appears in README.md, and each example's `option:` names exist on that command."""
    commands = {name: {p.name for p in cmd.parameters} for name, cmd in leaf_commands(world.bot.tree)}
    examples = [(example, parse(example, commands)) for example in command_examples(README)]
    shown = {parsed[0] for _, parsed in examples if parsed}
    assert sum(1 for _, parsed in examples if parsed and parsed[1]) > 50  # the parsing found the examples
    assert sorted(set(commands) - shown) == []
    wrong = [(example, sorted(set(options) - commands[name]))
             for example, parsed in examples if parsed for name, options in [parsed]
             if set(options) - commands[name]]
    assert wrong == []


def test_every_environment_setting_is_documented():
    """Each variable Settings.from_env reads is in README.md's configuration table and in .env.example."""
    source = Path(config.__file__).read_text(encoding="utf-8")
    variables = set(re.findall(r"[\"']((?:FILMBOT|DISCORD|TMDB)_[A-Z_]+)[\"']", source))
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "DISCORD_TOKEN" in variables and "FILMBOT_GC_FREEZE" in variables
    assert sorted(v for v in variables if f"`{v}`" not in README) == []
    assert sorted(v for v in variables if v not in env_example) == []


def test_the_invite_permissions_integer_is_the_table_of_permissions():
    """The invite link's `permissions=` is exactly the bot permissions README's table lists (no more, no less)."""
    import discord

    table = README.split("| Permission | Why |", 1)[1].split("\n\n", 1)[0]
    names = [row.split("|")[1].strip() for row in table.strip().splitlines()[1:]]
    special = {"View Channels": "view_channel", "Create Polls (Send Polls)": "send_polls"}
    attributes = [special.get(name, name.lower().replace(" ", "_")) for name in names]
    assert all(hasattr(discord.Permissions, attribute) for attribute in attributes), attributes
    value = discord.Permissions(**dict.fromkeys(attributes, True)).value
    links = set(re.findall(r"permissions=(\d+)", README))
    assert links == {str(value)}
    assert f"`{value}`" in README
