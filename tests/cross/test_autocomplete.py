"""Every autocomplete of every command: Discord's limits, long names, odd typing."""

from __future__ import annotations

import discord

from tests.helpers import (
    add_review_file,
    unique_review,
)

ODD_INPUTS = [
    "🎬🍿🎷",  # emoji
    "👩‍👩‍👧‍👦 family",  # ZWJ sequence
    "x" * 100,  # Discord's longest option value
    "Le " * 33 + "!",  # 100 characters of words
    "\u202eLand La La",  # RTL override
    "   ",  # only spaces
    "%_'\"\\*",  # LIKE wildcards, quotes, backslash, FTS star
    "#",
    "@everyone <@&1>",
]


async def test_every_autocomplete_respects_discord_limits_with_long_names(world):
    """Every autocomplete respects discord limits with long names."""
    critic = "C" * 99 + "é"
    outlet = "O" * 100
    await add_review_file(world, film="F" * 90, year=2001, critic=critic, outlet=outlet)
    for n in range(30):
        await add_review_file(world, text=unique_review(n), film=f"Film {n:02d} " + "x" * 82, critic=f"Critic {n:02d} " + "y" * 89)
    await world.alice.slash(world.channel, "poll create", question="Q" * 300, options="a|b", anonymous=True)
    cases = [
        ("quote", "film", ""), ("quote", "critic", ""), ("quote", "theme", ""),
        ("review edit", "review", ""), ("review remove", "review", ""), ("review show", "review", ""),
        ("review history", "review", ""), ("review add", "film", ""), ("review add", "critic", ""),
        ("review edit", "film", ""), ("review edit", "critic", ""), ("review list", "film", ""),
        ("review list", "critic", ""), ("discuss", "theme", ""), ("discuss", "film", ""),
        ("debate", "theme", ""), ("debate", "film", ""), ("themes", "film", ""),
        ("poll theme", "theme", ""), ("poll close", "poll", ""),
        ("poll results", "poll", ""), ("schedule set", "timezone", "a"), ("schedule set", "theme", ""),
        ("schedule set", "film", ""), ("config timezone", "zone", "a"), ("passage tag", "passage", "1"),
        ("passage untag", "passage", "film"),
    ]
    failures = []
    for command, option, typed in cases:
        member = world.mod
        try:
            choices = await member.autocomplete(world.channel, command, option, typed)
        except Exception as error:  # noqa: BLE001 - an option that does not autocomplete is a finding
            failures.append(f"{command}.{option}: {error!r}"[:200])
            continue
        if len(choices) > 25:
            failures.append(f"{command}.{option}: {len(choices)} choices")
        for c in choices:
            if not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100:
                failures.append(f"{command}.{option}: {c}")
    assert not failures, failures


async def test_every_autocomplete_survives_odd_typing(world, settings):
    """Every autocomplete survives odd typing."""
    env = world.env
    await world.alice.slash(world.channel, "poll create", question="🎬 Which film? " + "y" * 80, options="a|b",
                            anonymous=True)
    targets = []
    for command in world.bot.tree.walk_commands():
        if isinstance(command, discord.app_commands.Command):
            targets += [(command.qualified_name, p.name) for p in command.parameters if p.autocomplete]
    assert len(targets) >= 20, targets
    for name, option in targets:
        for typed in ODD_INPUTS:
            # Also with an odd film already filled in, since theme autocompletes read it.
            filled = {"film": typed} if option == "theme" and name in {"quote", "discuss", "debate"} else {}
            choices = await world.mod.autocomplete(world.channel, name, option, typed, **filled)
            assert len(choices) <= 25, (name, option, typed)
            for choice in choices:
                assert 1 <= len(choice["name"]) <= 100 and 1 <= len(str(choice["value"])) <= 100, choice
    assert not env.errors, env.errors[:3]
