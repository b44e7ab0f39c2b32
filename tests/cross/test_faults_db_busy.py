"""Another process holds SQLite's write lock (a backup, an import, a second bot process): a member's write
waiting 1-3 s (inside the 5 s busy timeout) is made and answered; one waiting longer gets a clear private error
and nothing half-written. The lock is real: a second connection on the file, held from a thread, in real time."""

from __future__ import annotations

import sqlite3
import threading
import time

from tests.helpers import rows as db


def hold_write_lock(settings, seconds: float) -> threading.Thread:
    """Take the write lock now (BEGIN IMMEDIATE) and let it go after `seconds` of real time."""
    taken = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(settings.database, isolation_level=None, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(5)
    return thread


def text(result) -> str:
    return " ".join([result.response.content or "", *(m.content or "" for m in result.followups)])


async def test_a_write_waiting_two_seconds_for_the_lock_is_made_and_answered(world, settings):
    holder = hold_write_lock(settings, 2.0)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert "La La Land" in text(r) and "went wrong" not in text(r), text(r)
    assert len(db(settings, "SELECT id FROM watchlist")) == 1


async def test_a_vote_waiting_two_seconds_for_the_lock_counts(world, settings):
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    holder = hold_write_lock(settings, 2.0)
    answer = await world.bob.click(created.response.message, label="Happy")
    holder.join()
    assert answer.ephemeral and "Happy" in (answer.response.content or ""), answer.response.content
    assert db(settings, "SELECT count(*) FROM poll_votes") == [(1,)]


async def test_a_write_locked_out_past_the_busy_timeout_is_refused_privately_and_whole(world, settings):
    world.env.settle_timeout = 30.0
    holder = hold_write_lock(settings, 8.0)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert r.ephemeral or all(m.flags.ephemeral for m in r.followups), text(r)
    assert "busy" in text(r).lower(), text(r)
    assert db(settings, "SELECT count(*) FROM watchlist") == [(0,)]
    assert db(settings, "SELECT count(*) FROM audit_log WHERE action LIKE 'watchlist%'") == [(0,)]
    assert ["locked" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above
    again = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert "La La Land" in text(again) and len(db(settings, "SELECT id FROM watchlist")) == 1


async def test_a_vote_waiting_three_seconds_for_the_lock_is_acknowledged_in_time(world, settings):
    """3 s behind the lock the direct answer would come after Discord's 3 s ("This interaction failed"): the
    click is deferred after 1.5 s (bot/core/slow.in_time) and the confirmation follows, privately."""
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, 3.0)
    answer = await world.bob.click(created.response.message, label="Happy")
    holder.join()
    callbacks = [r.json["type"] for r in world.env.backend.http_requests[before:] if r.path.endswith("/callback")]
    assert callbacks == [5], callbacks  # acknowledged ("thinking…") first, not answered after the 3 s
    assert answer.ephemeral and "Happy" in (answer.response.content or ""), answer.response.content
    assert db(settings, "SELECT count(*) FROM poll_votes") == [(1,)]
