"""The club's timed claims when the process holding them dies (core/claims, migration 085): a digest being
posted is posted once after all, a game round taken off the queue is posted once (or opened on the message
that went out) and never blocks its channel."""

from __future__ import annotations

from tests.helpers import DAY, assert_no_pings, write

GONE = "another-host:1:dead"  # a holder on another machine: its claim is an orphan once the lease ended


def digests(thread) -> list:
    return [m for m in thread.history() if "Thread digest" in (m.content or "")]


def set_rows(world, sql: str, *args) -> None:
    write(world.bot.settings, sql, *args)


async def thread_with_replies(world):
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [thread] = world.channel.threads
    await world.alice.send(thread, "one")
    await world.bob.send(thread, "two")
    return thread


async def test_a_digest_claimed_by_a_dead_process_is_posted_once(world):
    """Claimed (status 'posting') by a process that died before posting: after the lease, posted once."""
    thread = await thread_with_replies(world)
    await world.env.advance_time(DAY - 60)
    await world.bot.scheduler.stop()
    set_rows(world, "UPDATE club_digests SET status = 'posting', claimed_at = due_at, claimed_by = ?", GONE)
    await world.env.restart_bot()
    await world.env.advance_time(120)
    assert digests(thread) == []  # the lease still runs: its holder might be alive elsewhere
    await world.env.advance_time(10 * 60)
    assert len(digests(thread)) == 1
    assert world.q("SELECT status FROM club_digests") == [("posted",)]
    assert_no_pings(world.env)


async def test_a_digest_posted_before_the_crash_is_not_posted_again(world):
    """Posted, then the process died before settling it: the thread proves it, nothing is re-sent."""
    thread = await thread_with_replies(world)
    await world.env.advance_time(DAY + 60)
    assert len(digests(thread)) == 1
    await world.bot.scheduler.stop()
    set_rows(world, "UPDATE club_digests SET status = 'posting', claimed_at = due_at, claimed_by = ?", GONE)
    await world.env.restart_bot()
    await world.env.advance_time(10 * 60)
    assert len(digests(thread)) == 1
    assert world.q("SELECT status FROM club_digests") == [("posted",)]


async def test_a_round_claimed_by_a_dead_process_is_posted_and_the_game_goes_on(world):
    """A round taken off the queue by a process that died before posting it: due again, posted once, the game
    finishes, and a new one can start."""
    from tests.club.test_commands import rate

    await rate(world.alice, world, 4, "The drums are a war.")
    await world.alice.slash(world.channel, "rate consent", state="on")
    await world.mod.slash(world.channel, "game critic-or-club", rounds=3)
    assert world.count("club_game_rounds", "status = 'open'") == 1
    await world.bot.scheduler.stop()
    set_rows(world, "UPDATE club_game_rounds SET deadline = NULL, claimed_at = '2025-12-01T00:00:00+00:00',"
                    " claimed_by = ? WHERE status = 'waiting' AND number = 2", GONE)
    set_rows(world, "UPDATE club_game_rounds SET status = 'revealed' WHERE number = 1")
    await world.env.restart_bot()
    await world.env.advance_time(60 * 10)
    assert world.count("club_game_rounds", "status = 'revealed'") == 3
    posted = [m for m in world.bot_messages() if m.embeds and "Round 2/3" in (m.embeds[0].title or "")]
    assert len(posted) == 1
    result = await world.mod.slash(world.channel, "game critic-or-club", rounds=3)
    assert "already" not in (result.response.content or "")


async def test_a_round_posted_by_a_dead_process_is_opened_not_posted_again(world):
    """The round's message went out, then its process died before opening it: that message is the round."""
    from tests.club.test_commands import rate

    await rate(world.alice, world, 4, "The drums are a war.")
    await world.alice.slash(world.channel, "rate consent", state="on")
    await world.mod.slash(world.channel, "game critic-or-club", rounds=2)
    await world.env.advance_time(61)  # round 1 revealed, round 2 posted and open
    [posted] = [m for m in world.bot_messages() if m.embeds and "Round 2/2" in (m.embeds[0].title or "")]
    await world.bot.scheduler.stop()
    set_rows(world, "UPDATE club_game_rounds SET status = 'waiting', deadline = NULL, message_id = NULL,"
                    " claimed_at = ?, claimed_by = ? WHERE number = 2", world.env.now().isoformat(), GONE)
    await world.env.restart_bot()
    await world.env.advance_time(60 * 10)
    assert [m for m in world.bot_messages() if m.embeds and "Round 2/2" in (m.embeds[0].title or "")] == [posted]
    assert world.q("SELECT message_id, status FROM club_game_rounds WHERE number = 2") == [(posted.id, "revealed")]


async def test_a_digest_posted_late_counts_the_first_day_only(world):
    """The digest's hour passed while its job did not run (the bot down); 3 more replies came on day 2: the
    late digest still says 'the first 24 hours' and counts the 2 replies of those hours, not 5."""
    thread = await thread_with_replies(world)
    await world.env.advance_time(DAY - 60)
    await world.bot.scheduler.stop()
    await world.env.advance_time(DAY)
    for member, text in ((world.mod, "three"), (world.alice, "four"), (world.bob, "five")):
        await member.send(thread, text)
    await world.env.restart_bot()
    await world.env.advance_time(120)
    [digest] = digests(thread)
    assert "the first 24 hours" in digest.content and "2 replies from 2 participants" in digest.content, digest.content
    assert world.q("SELECT replies, participants FROM club_digests") == [(2, 2)]
