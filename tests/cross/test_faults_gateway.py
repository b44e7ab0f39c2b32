"""Discord changed while the bot was away (its gateway down, the events missed): on the next step that needs the
missing thing the bot notices, answers sanely, and no job retries forever. (Events deleted or moved while away:
tests/cross/test_faults_filmnight.py.)"""

from __future__ import annotations

from tests.helpers import rows as db

HOUR = 3600


async def test_a_poll_message_deleted_while_the_bot_was_away_closes_once(world, settings):
    """A moderator deleted the poll's message during downtime: at start the overdue poll is counted and announced
    once (with its late note), its state 'announced', and nothing is tried again for days."""
    created = await world.alice.slash(world.channel, "poll create", question="Best ending?",
                                      options="La La Land | Whiplash", hours=1, anonymous=True)
    await world.bob.click(created.response.message, label="Whiplash")
    await world.env.shutdown()
    world.env.backend.delete_message(world.channel.id, created.response.message.id)
    world.env.backend.advance_clock(2 * HOUR)
    await world.env.start()
    await world.env.advance_time(5)
    posted = [m for m in world.channel.history() if m.author.bot]
    assert len(posted) == 1 and "100% (1)" in posted[0].embeds[0].description
    assert "offline" in posted[0].embeds[0].description
    assert db(settings, "SELECT close_state, close_attempts FROM polls") == [("announced", 0)]
    before = len(world.env.backend.http_requests)
    await world.env.advance_time(3 * 24 * HOUR)
    assert len(world.env.backend.http_requests) == before and not world.env.errors


async def test_a_prompt_thread_deleted_while_the_bot_was_away_gives_up_its_digest(world, settings):
    """The prompt's thread was deleted during downtime: its digest (due 24 h later) fails once for good and is
    not tried again; the channel gets nothing in its place."""
    await world.alice.slash(world.channel, "discuss", theme="ending")
    threads = [c for c in world.env.backend.channels.values() if c.is_thread]
    assert len(threads) == 1
    await world.env.shutdown()
    world.env.backend.delete_channel(threads[0].id)
    world.env.backend.advance_clock(2 * HOUR)
    await world.env.start()
    posted = len([m for m in world.channel.history() if m.author.bot])
    await world.env.advance_time(2 * 24 * HOUR)
    assert db(settings, "SELECT status FROM club_digests") == [("failed",)]
    before = len(world.env.backend.http_requests)
    await world.env.advance_time(3 * 24 * HOUR)
    assert len(world.env.backend.http_requests) == before and not world.env.errors
    assert len([m for m in world.channel.history() if m.author.bot]) == posted


async def test_the_bot_removed_from_a_server_settles_each_of_its_timed_jobs_and_stops_trying(world, settings):
    """Kicked (GUILD_DELETE) with an open poll, a daily schedule and a film night ahead: each job finds the channel
    gone, settles (the poll abandoned after its tries, the schedule paused, the reminders failed) and Discord is
    not called again in the days after."""
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=1, anonymous=True)
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00", timezone="UTC")
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-03 20:00",
                          where="Club room")
    world.env.backend.remove_guild(world.guild.id)
    for _ in range(8):
        await world.env.advance_time(12 * HOUR)
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)]
    assert db(settings, "SELECT paused FROM schedules") == [(1,)]
    assert db(settings, "SELECT status FROM screening_reminders") == [("failed",)] * 3
    before = len(world.env.backend.http_requests)
    for _ in range(8):
        await world.env.advance_time(12 * HOUR)
    assert len(world.env.backend.http_requests) == before and not world.env.errors
