"""The club's timed claims when the process holding them dies (core/claims, migration 085): a digest being
posted is posted once after all, a game round taken off the queue never blocks its channel."""

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


async def test_a_round_claimed_by_a_dead_process_frees_the_channel(world):
    """A round taken off the queue by a process that died: the game ends, and a new one can start."""
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
    await world.env.advance_time(60)
    assert world.count("club_game_rounds", "status IN ('open', 'waiting')") == 0
    assert world.count("club_game_rounds", "status = 'failed'") == 2
    result = await world.mod.slash(world.channel, "game critic-or-club", rounds=3)
    assert "already" not in (result.response.content or "")
