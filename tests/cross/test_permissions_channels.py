"""Members see only polls and schedules of channels they can view (threads: their parent's permission; a private
thread: also its members)."""

from __future__ import annotations

import discord

from tests.helpers import rows as db
from tests.helpers import staff_channel

OPTIONS = " | ".join(f"Film {n}" for n in range(1, 12))  # 11 options: a button poll that names voters


async def test_staff_channel_polls_stay_out_of_members_view(world, settings):
    staff = staff_channel(world)
    r = await world.mod.slash(staff, "poll create", question="Secret staff vote?", options=OPTIONS)
    assert not r.ephemeral, r.response.content
    await world.mod.select(r.response.message, ["1"])
    await world.alice.slash(world.channel, "poll create", question="Public vote?", options="Yes | No")
    [(staff_poll,)] = db(settings, "SELECT id FROM polls WHERE question = 'Secret staff vote?'")

    listed = await world.alice.slash(world.channel, "poll list")
    shown = listed.response.embeds[0].description
    assert "Public vote?" in shown and "Secret" not in shown
    result = await world.alice.slash(world.channel, "poll results", poll=str(staff_poll))
    assert result.ephemeral and "no poll" in result.response.content and not result.response.embeds
    choices = await world.alice.autocomplete(world.channel, "poll results", "poll", "")
    assert [c["name"] for c in choices] == [c["name"] for c in choices if "Secret" not in c["name"]]
    assert any("Public" in c["name"] for c in choices)

    # The moderator, who can view #staff, still sees everything.
    listed = await world.mod.slash(world.channel, "poll list")
    assert "Secret staff vote?" in listed.response.embeds[0].description
    result = await world.mod.slash(world.channel, "poll results", poll=str(staff_poll))
    assert result.response.embeds and str(world.mod.user.id) in str(result.response.embeds[0].fields)


async def test_closed_staff_channel_polls_stay_out_of_members_results_autocomplete(world, settings):
    """A closed poll of #staff is offered to /poll results for the moderator, never for a member."""
    staff = staff_channel(world)
    await world.mod.slash(staff, "poll create", question="Secret staff vote?", options="Yes | No")
    await world.alice.slash(world.channel, "poll create", question="Public vote?", options="Yes | No")
    for (poll_id,) in db(settings, "SELECT id FROM polls"):
        await world.mod.slash(world.channel, "poll close", poll=str(poll_id))
    assert db(settings, "SELECT count(*) FROM polls WHERE closed_at IS NULL") == [(0,)]

    for_alice = [c["name"] for c in await world.alice.autocomplete(world.channel, "poll results", "poll", "")]
    for_mod = [c["name"] for c in await world.mod.autocomplete(world.channel, "poll results", "poll", "")]
    assert any("Public vote?" in name for name in for_alice)
    assert not any("Secret" in name for name in for_alice)
    assert any("Secret staff vote?" in name for name in for_mod)


async def test_staff_channel_schedules_and_their_role_stay_out_of_members_view(world):
    staff = staff_channel(world)
    role = world.guild.create_role("Staff ping")
    for channel, ping in ((staff, role), (world.channel, None)):
        options = {"ping_role": ping} if ping else {}
        r = await world.mod.slash(world.channel, "schedule set", channel=channel, time="09:00", timezone="UTC",
                                  **options)
        assert "Schedule set" in r.response.content, r.response.content
    listed = await world.alice.slash(world.channel, "schedule list")
    content = listed.response.content
    assert f"<#{world.channel.id}>" in content
    assert f"<#{staff.id}>" not in content and str(role.id) not in content
    listed = await world.mod.slash(world.channel, "schedule list")
    assert f"<#{staff.id}>" in listed.response.content


async def test_a_private_threads_poll_stays_out_of_view_of_members_not_in_it(world, settings):
    """A poll in a private thread of #film-club: a member who can view #film-club but was not added to the thread
    does not see it listed, offered or its results; a member added to it does."""
    thread_id = world.env.backend.create_thread(world.channel.id, "staff talk", world.mod.user.id,
                                                type=discord.ChannelType.private_thread.value).id
    thread = next(t for t in world.channel.threads if t.id == thread_id)
    made = await world.mod.slash(thread, "poll create", question="Secret thread vote?", options="Yes | No")
    assert not made.ephemeral, made.response.content
    [(poll_id,)] = db(settings, "SELECT id FROM polls")

    listed = await world.alice.slash(world.channel, "poll list")
    assert "Secret" not in str(listed.response.embeds[0].description if listed.response.embeds else "")
    result = await world.alice.slash(world.channel, "poll results", poll=str(poll_id))
    assert result.ephemeral and "no poll" in result.response.content and not result.response.embeds
    assert await world.alice.autocomplete(world.channel, "poll results", "poll", "") == []

    world.env.backend.add_thread_member(thread_id, world.bob.user.id)
    result = await world.bob.slash(world.channel, "poll results", poll=str(poll_id))
    assert result.response.embeds and "Secret thread vote?" in result.response.embeds[0].description
