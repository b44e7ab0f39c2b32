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


def invitations(world) -> list[str]:
    """The rating invitation's text, wherever it went (the spoiler thread, else the channel)."""
    backend = world.env.backend
    return [m.content for cid in list(backend.messages) for m in backend.messages[cid].values()
            if "Rate it with `/rate film`" in (m.content or "")]


async def test_a_screening_end_run_sixteen_days_late_says_it_comes_late(world, settings):
    """The bot down 16 days across a screening's end: the end step runs at start, and its rating invitation says
    film night ended then and this comes late, once."""
    from datetime import UTC, datetime

    from tests.cross.test_faults_filmnight import schedule
    from tests.helpers import advance_to, bot_down_for

    await schedule(world, "2026-01-05 20:00")
    await advance_to(world, 2026, 1, 5, 19)
    await bot_down_for(world.env, (datetime(2026, 1, 21, 22, tzinfo=UTC) - world.env.now()).total_seconds())
    await world.env.advance_time(120)
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]
    [invitation] = invitations(world)
    assert "comes late" in invitation and "<t:" in invitation, invitation
    assert not world.env.errors


async def test_an_end_step_on_time_has_no_late_note(world, settings):
    """The screening ended with the bot up: its invitation carries no late note."""
    from tests.cross.test_faults_filmnight import schedule
    from tests.helpers import advance_to

    await schedule(world, "2026-01-05 20:00")
    await advance_to(world, 2026, 1, 6, 2)
    [invitation] = invitations(world)
    assert "late" not in invitation, invitation


async def test_a_schedule_a_moderator_paused_stays_paused_when_the_bot_is_invited_back(world, settings):
    """A moderator pauses the daily prompt, then the bot is kicked across its slot and invited back: it stays
    paused, nothing posts, nobody is told it resumed, and `/schedule list` says who paused it."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="12:00", timezone="UTC")
    [(schedule_id,)] = db(settings, "SELECT id FROM schedules")
    await world.mod.slash(world.channel, "schedule pause", id=schedule_id)
    invite_back = kick(world)
    await world.env.advance_time(26 * HOUR)
    invite_back()
    await world.env.advance_time(26 * HOUR)
    assert db(settings, "SELECT paused FROM schedules") == [(1,)]
    assert not db(settings, "SELECT status FROM schedule_posts WHERE status = 'posted'")
    assert not [r for r in world.env.http_requests if r.method == "POST" and "resumed" in str(r.json)]
    listed = await world.mod.slash(world.channel, "schedule list")
    assert "⏸️ **Paused**" in listed.response.content and "paused by mod" in listed.response.content
    assert not world.env.errors


async def test_invited_back_twice_under_a_5xx_posts_each_result_once(world, settings):
    """A poll and a pick given up while kicked; invited back, the first result post meets a 503, the bot is kicked
    again before the retry, then invited back again: each result is posted once, late, and a restart adds none."""
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=1, anonymous=True)
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    await world.alice.select(opened.response, ["2"])
    invite_back = kick(world)
    await world.env.advance_time(48 * HOUR)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503)
    invite_back()
    await world.env.advance_time(5)
    invite_back = kick(world)
    await world.env.advance_time(48 * HOUR)
    invite_back()
    await world.env.advance_time(HOUR)
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    [poll] = result_posts(world, "📊 Results of anonymous poll #1")
    [pick] = result_posts(world, "Results of pick #1")
    assert "come late" in poll.embeds[0].description and "come late" in pick.embeds[0].description
    assert db(settings, "SELECT close_state FROM polls UNION ALL SELECT close_state FROM filmnight_picks") == [
        ("announced",), ("announced",)]
    assert not world.env.errors


def deny_history(world) -> None:
    """A moderator takes Read Message History away from the bot in #film-club; it may still post there."""
    import discord
    from simcord.backend.models.channel import Overwrite
    from simcord.enums import OverwriteType

    world.env.backend.set_overwrite(world.channel.id, Overwrite(
        world.bot.user.id, OverwriteType.MEMBER, deny=discord.Permissions(read_message_history=True).value))


async def test_a_native_poll_refused_for_its_history_is_not_told_again_after_a_kick_and_invite(world, settings):
    """A native poll whose message the bot may no longer read (Read Message History taken; Send Messages kept): its
    votes cannot be read, so its results are given up for that 403 and the moderators told once; kicked and invited
    back with nothing changed, the bot neither tries six times again nor tells them a second time."""
    logs = await with_mod_log(world)
    created = await world.alice.slash(world.channel, "poll create", question="Best ending?",
                                      options="La La Land | Whiplash", hours=1)
    assert created.response.message.poll is not None, "a native poll"
    deny_history(world)
    for _ in range(4):
        await world.env.advance_time(3 * HOUR)
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)]
    [notice] = notices(logs)
    assert "HTTP 403" in notice, notice
    kick(world)()
    for _ in range(4):
        await world.env.advance_time(3 * HOUR)
    assert len(notices(logs)) == 1, notices(logs)
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)] and not world.env.errors


async def test_a_native_poll_refused_for_its_history_is_posted_when_invited_back_allowed_to(world, settings):
    """The same, but Read Message History given back before the bot was invited back: its results are posted once,
    late, and nothing more is told."""
    logs = await with_mod_log(world)
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=1)
    deny_history(world)
    for _ in range(4):
        await world.env.advance_time(3 * HOUR)
    channel = world.env.backend.channels[world.channel.id]
    invite_back = kick(world)
    channel.overwrites.clear()  # Read Message History given back while the bot was away
    invite_back()
    await world.env.advance_time(60)
    [posted] = result_posts(world, "📊 Results of poll #1")
    assert "so they come late" in posted.embeds[0].description
    assert len(notices(logs)) == 1 and db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert not world.env.errors
