"""/help: a private overview generated from the registered command tree, split by who may use what."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.core.checks import is_moderator_only, moderator_only
from tests.helpers import World, assert_ephemeral_reply, check_all_payloads, leaf_commands, msgs


def _listed(text: str) -> set[str]:
    """The commands /help names, as "poll create"."""
    names = set()
    for line in text.splitlines():
        if line.startswith("`/"):
            words = line[2:line.index("`", 2)].split(" ")
            names.add(" ".join(w for w in words[: next((i for i, w in enumerate(words) if ":" in w), len(words))]))
    return names


def _names(world: World, *, moderator: bool) -> set[str]:
    return {name for name, c in leaf_commands(world.bot.tree) if is_moderator_only(c) == moderator}


async def test_member_sees_every_member_command_and_no_moderator_one(world: World):
    """A member's /help is private, names every command members can use with an example, and no moderator one."""
    text = assert_ephemeral_reply(await world.alice.slash(world.channel, "help"), "What members can do")
    shown = _listed(text)
    assert shown == _names(world, moderator=False)
    assert "`/search query:jazz club` — Search every review" in text  # the example comes from the option
    assert "What moderators can do" not in text and "more commands for moderators" in text
    check_all_payloads(world.env)


async def test_moderator_also_sees_the_moderator_commands(world: World):
    """A moderator (the moderator role, without Manage Server) sees both parts, moderator wording trimmed."""
    staff = world.guild.create_role("Staff")
    world.env.backend.add_member_role(world.guild.id, world.bob.id, staff.id)
    await world.mod.slash(world.channel, "config moderator-role", role=staff)
    text = assert_ephemeral_reply(await world.bob.slash(world.channel, "help"), "What moderators can do")
    assert _listed(text) == _names(world, moderator=False) | _names(world, moderator=True)
    assert "`/review history` — Who changed which review or film title, and when." in text
    assert "(moderators)" not in text and "Moderators:" not in text


async def test_a_command_added_to_the_tree_appears_without_edits(world: World):
    """A command registered later shows in /help with its description and an example from its options."""

    async def callback(interaction: discord.Interaction, film: str) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    fresh = app_commands.Command(name="newfeature", description="Brand-new thing for everyone.", callback=callback)
    fresh._params["film"].description = "A film, e.g. Whiplash"
    secret = moderator_only(app_commands.Command(name="newsecret", description="Moderators: a new tool.",
                                                 callback=callback))
    world.bot.tree.add_command(fresh)
    world.bot.tree.add_command(secret)
    member = assert_ephemeral_reply(await world.alice.slash(world.channel, "help"))
    assert "`/newfeature film:Whiplash` — Brand-new thing for everyone." in member
    assert "newsecret" not in member
    mod = assert_ephemeral_reply(await world.mod.slash(world.channel, "help"))
    assert "`/newsecret film:<film>` — A new tool." in mod


async def test_a_long_tree_is_split_within_discord_limits(world: World):
    """Many long commands: /help splits into several private messages, each within Discord's embed limits."""

    async def callback(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    for n in range(75):
        world.bot.tree.add_command(app_commands.Command(name=f"extra{n:02d}", description="x" * 100, callback=callback))
    result = await world.mod.slash(world.channel, "help")
    assert len(msgs(result)) >= 2
    assert _listed(assert_ephemeral_reply(result)) >= {f"extra{n:02d}" for n in range(75)}
    check_all_payloads(world.env)


async def test_a_number_options_example_is_the_default_its_description_names(world: World):
    """`/config digest-hours hours:24` (the default a server wants), not `hours:1` (the minimum): a moderator
    copying the example gets the usual digest, not one an hour after every prompt."""
    text = assert_ephemeral_reply(await world.mod.slash(world.channel, "help"), "What moderators can do")
    assert "`/config digest-hours hours:24` — Hours after a discussion prompt" in text, text
    assert "`/schedule pause id:1`" in text  # no default named: the minimum, as before
