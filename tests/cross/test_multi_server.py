"""Several servers at once: rotations, polls, schedules and config stay per server."""

from __future__ import annotations

import re

import discord
import pytest

from tests.helpers import (
    WHIPLASH_REVIEW,
    assert_ephemeral_reply,
    assert_no_pings,
    channel_posts,
    message_payloads,
    public_reply,
    rows,
    table_digest,
    theme_ids,
)

NEW_CYCLE = "new cycle"


class Other:
    """A second server using the same bot at the same time: #general, a moderator and a member."""

    def __init__(self, world) -> None:
        env = world.env
        self.guild = env.create_guild(name="Other Club")
        self.channel = self.guild.create_text_channel("general")
        mods = self.guild.create_role("Other mods", permissions=discord.Permissions(manage_guild=True))
        self.mod = self.guild.add_member(env.create_user("othermod"), roles=[mods])
        self.carol = self.guild.add_member(env.create_user("carol"))


@pytest.fixture
def other(world) -> Other:
    return Other(world)


async def test_rotation_of_one_server_never_consumes_another_servers(world, other, settings):
    """N /discuss theme:nostalgia in server 1 exhausts server 1's cycle only; server 2 starts fresh."""
    n = len(theme_ids(settings, "nostalgia"))
    assert n >= 2
    for i in range(n):
        r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
        assert NEW_CYCLE not in assert_ephemeral_reply(r, "Nostalgia"), f"cycle restarted early at {i + 1}/{n}"

    # Server 2 has used nothing yet: its first prompt is cycle 1, not a restart.
    r = await other.carol.slash(other.channel, "discuss", theme="nostalgia")
    assert NEW_CYCLE not in assert_ephemeral_reply(r, "Nostalgia")
    # And server 2's use does not count against server 1: server 1's N+1th is its own restart.
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert NEW_CYCLE in assert_ephemeral_reply(r)

    stored = rows(settings, "SELECT guild_id, cycle, passage_id FROM posted_prompts WHERE theme = 'nostalgia'")
    g1 = [(c, p) for g, c, p in stored if g == world.guild.id]
    g2 = [(c, p) for g, c, p in stored if g == other.guild.id]
    assert len({p for c, p in g1 if c == 1}) == n and [c for c, _ in g1].count(2) == 1
    assert [c for c, _ in g2] == [1]
    # Each server's prompt went to its own channel, with its own thread.
    assert len(channel_posts(world, other.channel)) == 1 and len(other.channel.threads) == 1
    assert len(channel_posts(world, world.channel)) == n + 1


async def test_rotation_without_theme_is_per_server(world, other, settings):
    """`/discuss` with no theme follows each server's own rotation: server 2 starts where server 1 started."""
    first = await world.alice.slash(world.channel, "discuss")
    second = await world.alice.slash(world.channel, "discuss")
    theme_of = re.compile(r"on \*\*(.+?)\*\*")
    t1 = theme_of.search(assert_ephemeral_reply(first))[1]
    t2 = theme_of.search(assert_ephemeral_reply(second))[1]
    assert t1 != t2, "the server rotation moved on to another theme"
    r = await other.carol.slash(other.channel, "discuss")
    assert theme_of.search(assert_ephemeral_reply(r))[1] == t1, "server 2 was moved along by server 1's prompts"


async def test_polls_are_seen_and_closed_only_in_their_own_server(world, other, settings):
    """Polls are seen and closed only in their own server."""
    await world.alice.slash(world.channel, "poll create", question="Native in one?", options="a|b|c")
    await world.alice.slash(world.channel, "poll create", question="Buttons in one?", options="a|b",
                            anonymous=True)
    await other.carol.slash(other.channel, "poll create", question="Two's own?", options="x|y")
    ids = dict(rows(settings, "SELECT question, id FROM polls"))
    one_native, one_buttons, two = ids["Native in one?"], ids["Buttons in one?"], ids["Two's own?"]

    listed2 = assert_ephemeral_reply(await other.carol.slash(other.channel, "poll list"))
    assert "Two's own?" in listed2 and "in one?" not in listed2
    listed1 = assert_ephemeral_reply(await world.bob.slash(world.channel, "poll list"))
    assert "Native in one?" in listed1 and "Buttons in one?" in listed1 and "Two's own?" not in listed1

    choices = await other.mod.autocomplete(other.channel, "poll close", "poll", "")
    assert [c["value"] for c in choices] == [str(two)]
    choices = await other.mod.autocomplete(other.channel, "poll results", "poll", str(one_native))
    assert choices == []

    before = table_digest(settings)
    posted_before = len(message_payloads(world.env))
    for poll_id in (one_native, one_buttons):
        # Even a moderator (Manage Server) of server 2 cannot see or close server 1's polls.
        assert_ephemeral_reply(await other.mod.slash(other.channel, "poll results", poll=str(poll_id)), "no poll")
        assert_ephemeral_reply(await other.mod.slash(other.channel, "poll close", poll=f"#{poll_id}"), "no poll")
    assert table_digest(settings) == before, "a refused cross-server close changed the database"
    assert not any(m.embeds and "Results" in (m.embeds[0].title or "") for m in channel_posts(world, world.channel))
    assert len(message_payloads(world.env)) == posted_before + 4  # the four refusals, nothing else

    # Server 2 can close its own.
    r = await other.mod.slash(other.channel, "poll close", poll=str(two))
    assert_ephemeral_reply(r, f"Closed poll #{two}")
    assert rows(settings, "SELECT count(*) FROM polls WHERE closed_at IS NULL")[0][0] == 2


async def test_schedules_are_managed_only_in_their_own_server(world, other, settings):
    """Schedules are managed only in their own server."""
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    assert_ephemeral_reply(r, "Schedule set")
    (schedule_id,) = rows(settings, "SELECT id FROM schedules")[0]

    before = table_digest(settings)
    for command in ("pause", "resume", "remove", "skip", "test"):
        r = await other.mod.slash(other.channel, f"schedule {command}", id=schedule_id)
        assert_ephemeral_reply(r, f"no schedule #{schedule_id} on this server")
    assert_ephemeral_reply(await other.carol.slash(other.channel, "schedule list"), "No schedules yet")
    assert table_digest(settings) == before
    assert channel_posts(world, world.channel) == [] and channel_posts(world, other.channel) == []

    # Server 1's schedule still lists and pauses normally.
    assert_ephemeral_reply(await world.alice.slash(world.channel, "schedule list"), f"#{schedule_id}")
    assert_ephemeral_reply(await world.mod.slash(world.channel, "schedule pause", id=schedule_id), "paused")


async def test_config_of_one_server_does_not_apply_to_another(world, other, settings):
    """Config of one server does not apply to another."""
    env = world.env
    staff = world.guild.create_role("Film Club Staff")
    both = env.create_user("both")  # a member of both servers
    in_one = world.guild.add_member(both, roles=[staff])
    in_two = other.guild.add_member(both)

    assert_ephemeral_reply(await world.mod.slash(world.channel, "config moderator-role", role=staff), "Moderator role set")
    assert_ephemeral_reply(await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris"), "Europe/Paris")

    shown = assert_ephemeral_reply(await other.carol.slash(other.channel, "config show"))
    assert "none: Manage Server only" in shown and "`UTC` (default)" in shown and "Paris" not in shown

    # The staff role makes `both` a moderator in server 1 only.
    assert_ephemeral_reply(await in_one.slash(world.channel, "schedule set", channel=world.channel, time="21:00"), "Schedule set")
    before = table_digest(settings)
    r = await in_two.slash(other.channel, "schedule set", channel=other.channel, time="21:00")
    assert_ephemeral_reply(r, "Only moderators")
    assert table_digest(settings) == before

    # Server 2's schedules default to its own zone (UTC), server 1's to Europe/Paris.
    r = await other.mod.slash(other.channel, "schedule set", channel=other.channel, time="21:00")
    assert "(UTC)" in assert_ephemeral_reply(r, "Schedule set")
    assert dict(rows(settings, "SELECT guild_id, timezone FROM schedules")) == {
        world.guild.id: "Europe/Paris", other.guild.id: "UTC"}


async def test_review_corpus_and_its_history_are_shared_by_every_server(world, other, settings):
    """Observed design: reviews are one corpus for all servers, so a review added in server 1 is quotable in
    server 2 and `/review history` in server 2 lists it. Settings and schedule changes stay out of it."""
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Jane Doe",
                              file=("whiplash.txt", WHIPLASH_REVIEW.encode()))
    review_id = int(re.search(r"#(\d+)", assert_ephemeral_reply(r, "Added review"))[1])
    await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")

    assert "Jane Doe" in public_reply(await other.carol.slash(other.channel, "quote", critic="Jane Doe"))
    history = assert_ephemeral_reply(await other.mod.slash(other.channel, "review history"), f"#{review_id}")
    assert "add" in history and "config" not in history and "schedule" not in history
    # Nobody is pinged by the actor mention of a moderator from another server.
    assert_no_pings(world.env)
    # Plain members of server 2 still cannot read it.
    assert_ephemeral_reply(await other.carol.slash(other.channel, "review history"), "Only moderators")
