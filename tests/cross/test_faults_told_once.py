"""Notices told once, and late posts saying they are late, around the bot removed and invited back (issue faults14):
a result given up for a refusal before any kick, a game whose posts Discord refuses, a screening's end step run days
late, a schedule a moderator paused while the bot was away."""

from __future__ import annotations

from tests.cross.test_faults_live import deny_posting, notices, with_mod_log
from tests.cross.test_faults_readded import kick, result_posts
from tests.faults import discord_fault
from tests.helpers import rows as db

HOUR = 3600


async def refused_poll_results(world, settings):
    """A poll whose channel the bot lost Send Messages in before the close: its results given up after the back-off,
    the moderators told once."""
    logs = await with_mod_log(world)
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=1, anonymous=True)
    deny_posting(world)
    for _ in range(4):
        await world.env.advance_time(3 * HOUR)
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)]
    [notice] = notices(logs)
    assert "HTTP 403" in notice, notice
    return logs


async def test_a_result_given_up_for_a_refusal_is_not_told_again_after_a_kick_and_invite(world, settings):
    """Results refused (403) until given up, then the bot kicked and invited back with the channel still refusing
    it: nothing changed, so no second try of six and no second notice for the same failure."""
    logs = await refused_poll_results(world, settings)
    before = len(world.env.backend.http_requests)
    kick(world)()
    for _ in range(4):
        await world.env.advance_time(3 * HOUR)
    assert len(notices(logs)) == 1, notices(logs)
    assert not [r for r in world.env.backend.http_requests[before:] if r.method == "POST"]
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)] and not world.env.errors


async def test_a_result_given_up_for_a_refusal_is_posted_when_invited_back_allowed_to(world, settings):
    """The same, but the moderators gave Send Messages back before inviting the bot back: something changed, so the
    results are posted once, saying they come late, and nothing more is told."""
    logs = await refused_poll_results(world, settings)
    channel = world.env.backend.channels[world.channel.id]
    invite_back = kick(world)
    channel.overwrites.clear()  # Send Messages given back while the bot was away
    invite_back()
    await world.env.advance_time(60)
    [posted] = result_posts(world, "📊 Results of anonymous poll #1")
    assert "so they come late" in posted.embeds[0].description
    assert len(notices(logs)) == 1 and db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert not world.env.errors


async def test_a_game_whose_posts_are_refused_tells_the_moderators_once(world, settings):
    """Send Messages taken from the bot during round 1 of 3: the reveal and the next round both fail for that one
    cause; the moderators get one notice, saying the game has ended."""
    from tests.club.test_commands import rate

    logs = await with_mod_log(world)
    await rate(world.alice, world, 4, "The drums are a war.")
    await world.alice.slash(world.channel, "rate consent", state="on")
    await world.mod.slash(world.channel, "game critic-or-club", rounds=3)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 403, times=None)
    for _ in range(10):
        await world.env.advance_time(60)
    told = notices(logs)
    assert len(told) == 1 and "the game has ended" in told[0], told
    assert not world.env.errors
