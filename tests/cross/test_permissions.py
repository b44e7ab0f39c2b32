"""Every moderator-only command, run by a plain member: refused privately, no table changes."""

from __future__ import annotations

import json
import re

import discord
import pytest
from discord import app_commands

from bot.core.checks import MODERATOR_PERMISSIONS, is_moderator_only
from tests.helpers import (
    VALID_STRINGS,
    WHIPLASH,
    World,
    add_review,
    assert_ephemeral_reply,
    create_poll,
    grant_hidden_commands,
    leaf_commands,
    msgs,
    set_schedule,
    table_digest,
)

MODERATOR_ONLY = [
    ("config moderator-role", {}),
    ("config timezone", {"zone": "Europe/Paris"}),
    ("config log-channel", {}),
    ("review add", {"film": "Whiplash", "file": ("w.txt", b"Whiplash is loud. It is also a very precise film.")}),
    ("review add", {"film": "Whiplash"}),
    ("review add-link", {"url": "http://127.0.0.1:9/review"}),
    ("review edit", {"review": "1", "critic": "Somebody"}),
    ("review remove", {"review": "1"}),
    ("review export", {}),
    ("review import", {"file": ("r.json", b'{"format": "filmbot-reviews", "version": 1, "reviews": []}')}),
    ("review history", {}),
    ("schedule set", {"time": "09:00"}),
    ("schedule pause", {"id": 1}),
    ("schedule resume", {"id": 1}),
    ("schedule remove", {"id": 1}),
    ("schedule skip", {"id": 1}),
    ("schedule test", {"id": 1}),
    ("theme question add", {"theme": "ending", "question": "Would {film} work without its last scene?"}),
    ("theme question remove", {"theme": "ending", "question": "How did you feel about the way the film ends?"}),
    ("passage tag", {"passage": "Review #1 · passage 1", "theme": "look"}),
    ("passage untag", {"passage": "1/1", "theme": "ending"}),
    ("passage flagged", {}),
    ("passage hide", {"passage": "Review #1 · passage 1"}),
    ("passage show", {"passage": "1/1"}),
    ("watchlist pending", {}),
]


@pytest.fixture
async def prepared(world):
    """A schedule and a poll exist, so the id-taking commands have a real target; the server let alice see the
    commands Discord hides from members, so what refuses her is the bot's own check."""
    grant_hidden_commands(world, world.alice)
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    await world.mod.slash(world.channel, "poll create", question="Best song?", options="City of Stars|Audition")
    return world


@pytest.mark.parametrize(("command", "options"), MODERATOR_ONLY, ids=[c for c, _ in MODERATOR_ONLY])
async def test_member_is_refused_and_nothing_changes(prepared, settings, command, options):
    """A member without Manage Server or the moderator role changes nothing."""
    world = prepared
    if command == "schedule set":
        options = {**options, "channel": world.channel}
    before = table_digest(settings)
    result = await world.alice.slash(world.channel, command, **options)
    assert result.ephemeral
    assert "moderator" in result.response.content.lower()
    assert table_digest(settings) == before


async def test_member_cannot_close_someone_elses_poll(prepared, settings):
    """Only the creator or a moderator may close a poll."""
    world = prepared
    before = table_digest(settings)
    result = await world.bob.slash(world.channel, "poll close", poll="1")
    assert result.ephemeral
    assert table_digest(settings) == before


def moderator_only_calls(world: World, who, review_id: int = 1, schedule_id: int = 1, poll_id: int = 1):
    export = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": [
        {"film": "Other", "year": 2000, "critic": "X", "outlet": "", "url": "", "date": "", "spoiler": False,
         "text": WHIPLASH.replace("Whiplash", "Other"), "source": "moderator"}]}).encode()
    ch = world.channel
    return [
        ("review add file", lambda: who.slash(ch, "review add", film="Whiplash", file=("w.txt", WHIPLASH.encode()))),
        ("review add modal", lambda: who.slash(ch, "review add", film="Whiplash")),
        ("review edit", lambda: who.slash(ch, "review edit", review=str(review_id), critic="Hacker")),
        ("review remove", lambda: who.slash(ch, "review remove", review=str(review_id))),
        ("review import", lambda: who.slash(ch, "review import", file=("x.json", export))),
        ("review export", lambda: who.slash(ch, "review export")),
        ("review history", lambda: who.slash(ch, "review history")),
        ("config moderator-role", lambda: who.slash(ch, "config moderator-role", role=world.guild.default_role)),
        ("config timezone", lambda: who.slash(ch, "config timezone", zone="Asia/Tokyo")),
        ("config log-channel", lambda: who.slash(ch, "config log-channel", channel=ch)),
        ("schedule set", lambda: who.slash(ch, "schedule set", channel=ch, time="10:00")),
        ("schedule pause", lambda: who.slash(ch, "schedule pause", id=schedule_id)),
        ("schedule resume", lambda: who.slash(ch, "schedule resume", id=schedule_id)),
        ("schedule skip", lambda: who.slash(ch, "schedule skip", id=schedule_id)),
        ("schedule test", lambda: who.slash(ch, "schedule test", id=schedule_id)),
        ("schedule remove", lambda: who.slash(ch, "schedule remove", id=schedule_id)),
        ("poll close (not creator)", lambda: who.slash(ch, "poll close", poll=str(poll_id))),
    ]


async def test_non_moderator_refused_everywhere_database_unchanged(world: World):
    """Non moderator refused everywhere database unchanged."""
    await add_review(world, critic="Jane Doe")
    await set_schedule(world, time="09:00")
    await create_poll(world, who=world.mod, question="Mod poll", options="A | B", anonymous=True)
    # the member even has a role, just not the moderator one / Manage Server
    helper = world.guild.create_role("Helpers", permissions=discord.Permissions(manage_messages=True, kick_members=True))
    carol = world.guild.add_member(world.env.create_user("carol"), roles=[helper])
    for who in (world.alice, carol):
        for name, call in moderator_only_calls(world, who):
            before = world.digest()
            n_msgs = len(world.bot_messages())
            r = await call()
            assert r.modal is None, f"{name}: a modal opened for a non-moderator"
            text = assert_ephemeral_reply(r)
            assert re.search(r"moderator|manage server|creator", text, re.IGNORECASE), f"{name}: {text!r}"
            assert world.digest() == before, f"{name}: the database changed"
            assert len(world.bot_messages()) == n_msgs, f"{name}: something was posted"
            assert not any(m.attachments for m in msgs(r)), f"{name}: export leaked"


async def test_refusals_are_ephemeral_for_members(world: World):
    """Every refusal or 'nothing found' a member can trigger is only visible to them."""
    calls = [
        ("quote", {"theme": "no-such-theme"}),
        ("quote", {"film": "No Such Film"}),
        ("quote", {"critic": "Nobody"}),
        ("search", {"query": "zzzzqqqq"}),
        ("discuss", {"theme": "no-such-theme"}),
        ("debate", {"film": "No Such Film"}),
        ("themes", {"film": "No Such Film"}),
        ("poll theme", {"theme": "no-such-theme"}),
        ("poll close", {"poll": "123"}),
        ("poll results", {"poll": "abc"}),
        ("review show", {"review": "999"}),
        ("review show", {"review": "x"}),
        ("review list", {"film": "No Such Film"}),
        ("schedule list", {}),
    ]
    for name, opts in calls:
        n = len(world.bot_messages())
        r = await world.alice.slash(world.channel, name, **opts)
        assert_ephemeral_reply(r)
        assert len(world.bot_messages()) == n, f"/{name} {opts} posted publicly"


def _member_options(world: World, command: app_commands.Command) -> dict[str, object]:
    """Valid values for a command's required options, files included."""
    values: dict[str, object] = {}
    for p in command.parameters:
        if not p.required:
            continue
        if p.type is discord.AppCommandOptionType.attachment:
            values[p.name] = ("x.txt", WHIPLASH.encode())
        elif p.type is discord.AppCommandOptionType.channel:
            values[p.name] = world.channel
        elif p.type is discord.AppCommandOptionType.role:
            values[p.name] = world.mod_role
        elif p.type is discord.AppCommandOptionType.string:
            values[p.name] = VALID_STRINGS.get(p.name, "x")
        else:
            values[p.name] = {discord.AppCommandOptionType.boolean: False}.get(p.type, 1)
    return values


def test_only_wholly_moderator_commands_are_hidden_from_members(simcord_env):
    """Walking the registered tree: a top-level command or group carries Manage Server as its default member
    permissions exactly when every command under it is moderator-only; mixed groups stay visible."""
    tree = simcord_env.bot.tree
    hidden = set()
    for top in tree.get_commands():
        leaves = [top] if isinstance(top, app_commands.Command) else [
            c for c in top.walk_commands() if isinstance(c, app_commands.Command)]
        payload = top.to_dict(tree)
        if all(is_moderator_only(c) for c in leaves):
            hidden.add(top.name)
            assert top.default_permissions == MODERATOR_PERMISSIONS
            assert payload["default_member_permissions"] == discord.Permissions(manage_guild=True).value
        else:
            assert payload["default_member_permissions"] is None, top.name
    assert hidden == {"passage"}
    marked = {name for name, c in leaf_commands(tree) if is_moderator_only(c)}
    assert {"config timezone", "review history", "schedule set", "theme question add", "passage tag"} <= marked
    assert not marked & {"config show", "review show", "schedule list", "theme list", "help", "quote"}


async def test_the_moderator_mark_matches_the_run_time_check(world: World):
    """Every command marked moderator-only refuses a member and writes nothing; no unmarked one refuses a
    member as not a moderator (with valid options)."""
    await add_review(world, critic="Jane Doe")
    await set_schedule(world, time="09:00")
    grant_hidden_commands(world, world.alice)  # so Discord lets her try the hidden ones
    for name, command in leaf_commands(world.bot.tree):
        before = world.digest()
        result = await world.alice.slash(world.channel, name, **_member_options(world, command))
        text = result.response.content if result.response and not result.modal else ""
        refused = text.startswith("Only moderators can")
        if is_moderator_only(command):
            assert refused and result.ephemeral, f"/{name} did not refuse a member: {text!r}"
            assert world.digest() == before, f"/{name}: the database changed"
        else:
            assert not refused, f"/{name} refuses members but is not marked moderator_only"


async def test_members_do_not_see_hidden_commands_until_the_server_grants_them(world: World):
    """Discord shows /passage to Manage Server only; granting it to the moderator role under Integrations shows
    it to that role's members, and the bot still refuses a member it was granted to who is no moderator."""
    carol = world.guild.add_member(world.env.create_user("carol"), roles=[club_mods := world.guild.create_role("Club mods")])
    r = await world.mod.slash(world.channel, "config moderator-role", role=club_mods)
    assert_ephemeral_reply(r, "Moderator role set")
    assert "passage tag" in world.mod.available_commands(world.channel)
    assert "passage tag" not in world.alice.available_commands(world.channel)
    assert "passage tag" not in carol.available_commands(world.channel)
    assert "review show" in world.alice.available_commands(world.channel)  # a mixed group stays visible
    grant_hidden_commands(world, club_mods)
    assert "passage tag" in carol.available_commands(world.channel)
    tagged = await carol.slash(world.channel, "passage tag", passage="1/1", theme="look")
    assert "Only moderators" not in assert_ephemeral_reply(tagged)
    grant_hidden_commands(world, world.alice)
    refused = await world.alice.slash(world.channel, "passage tag", passage="1/1", theme="look")
    assert_ephemeral_reply(refused, "Only moderators")
