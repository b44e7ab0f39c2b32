"""The film-night job's every-pass reads stay bounded: the claimed reminders are found through an index,
not by scanning every reminder ever stored (three per screening, kept once sent or skipped)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.db import open_database
from bot.films.store import FilmStore
from bot.stores import Store
from tests import pg_backend

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
async def store(settings):
    store = Store(await open_database(settings.database, settings.database_url))
    yield store
    await store.db.close()


async def _screenings(store: Store, count: int) -> None:
    async with store.db.transaction() as conn:
        film = await FilmStore.ensure(conn, "Whiplash", 2014)
    for n in range(count):
        start = NOW + timedelta(days=n - count)  # one per server (one upcoming each): the last one ahead
        await store.filmnight.create_screening(
            guild_id=1 + n, film_id=film, channel_id=1, event_id=100 + n, start=start, end=start + timedelta(hours=2),
            location=None, actor_id=1, now=start - timedelta(days=2),
            reminders=[("24h", start - timedelta(days=1)), ("1h", start - timedelta(hours=1))])  # and the end


async def test_claimed_reminders_are_found_among_many_settled_ones(store):
    """Of 40 screenings' reminders, the ones settled long ago are skipped; the two claimed now are the claims,
    and the oldest claim is what next_reminder's lease counts from."""
    await _screenings(store, 40)
    await store.db.execute("UPDATE screening_reminders SET status = 'sent' WHERE due_at < ?",
                           ((NOW - timedelta(days=2)).isoformat(),))
    claimed = await store.filmnight.claim_reminders(NOW, "a:1:1")
    assert claimed and len(claimed) < 10
    claims = await store.filmnight.claims()
    assert sorted((c[0], c[1]) for c in claims) == sorted(claimed)
    assert {c[4] for c in claims} == {"a:1:1"}
    assert await store.filmnight.next_reminder() is not None


@pytest.mark.skipif(pg_backend.on_postgres(), reason="SQLite's query plans")
async def test_the_claimed_reminder_reads_use_an_index(store):
    """The SQL `claims` and `next_reminder` send, as SQLite plans it: no scan of screening_reminders (087)."""
    await _screenings(store, 5)
    sent: list[str] = []
    await store.db.conn.set_trace_callback(sent.append)
    await store.filmnight.claims()
    await store.filmnight.next_reminder()
    await store.db.conn.set_trace_callback(None)
    reads = [sql for sql in sent if "screening_reminders" in sql]
    assert len(reads) == 3
    for sql in reads:
        plan = " / ".join(row[3] for row in await store.db.fetchall("EXPLAIN QUERY PLAN " + sql))
        assert "screening_reminders_" in plan and "SCAN r" not in plan.replace("SCAN r USING INDEX", ""), plan
