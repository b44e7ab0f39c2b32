"""Today's film-night store SQL on either backend: a suggestion's log-channel post (migration 179, BIGINT ids) and a
screening's posts failing alike (one notice for a channel gone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.films.store import FilmStore

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GUILD = 1_300_000_000_000_000_001  # snowflakes: past 32 bits
CHANNEL, MESSAGE = 1_300_000_000_000_000_101, 1_300_000_000_000_000_201


async def test_a_suggestions_log_post_is_kept_with_snowflake_ids(two_processes):
    """Unrecorded: None; recorded: both ids back exactly, as another process reads them."""
    a, b = two_processes
    entry, created, _ = await a.filmnight.add(GUILD, await film(a, "Heat"), "note", 7, "pending", NOW)
    assert created and await b.filmnight.log_post(entry.id) is None
    await a.filmnight.set_log_post(entry.id, CHANNEL, MESSAGE)
    assert await b.filmnight.log_post(entry.id) == (CHANNEL, MESSAGE)


async def test_a_screening_post_failing_like_another_is_known(two_processes):
    """Another kind failed for good with the same error: True; a different error, or only itself: False."""
    store, _ = two_processes
    screening = await store.filmnight.create_screening(
        guild_id=GUILD, film_id=await film(store, "Ran"), channel_id=CHANNEL, event_id=MESSAGE,
        start=NOW + timedelta(days=2), end=NOW + timedelta(days=2, hours=2), location=None, actor_id=1, now=NOW,
        reminders=[("24h", NOW + timedelta(days=1)), ("1h", NOW + timedelta(days=2, hours=-1))])
    gone = "404 Not Found (error code: 10003): Unknown Channel"
    await store.filmnight.retry_reminder(screening, "24h", gone, None)
    assert await store.filmnight.failed_alike(screening, "1h", gone)
    assert not await store.filmnight.failed_alike(screening, "1h", "403 Forbidden")
    assert not await store.filmnight.failed_alike(screening, "24h", gone)


async def film(store, title: str) -> int:
    async with store.db.transaction() as conn:
        return await FilmStore.ensure(conn, title, 1995)
