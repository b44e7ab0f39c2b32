"""The spoiler gate with several processes on one database (FILMBOT_SHARD_IDS, or a second machine taking over):
a screening another process scheduled holds the film's spoilers back here too, within a second.

Two Store objects on one database stand for two processes, as in tests/core/test_generation.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.config import DEFAULT_DATA_DIR
from bot.core.spoilers import server_gate
from bot.corpus import load_themes
from bot.films.store import FilmStore
from bot.stores import Store

THEMES = load_themes(DEFAULT_DATA_DIR / "themes.toml")
GUILD = 1456074443980800026



async def schedule(store: Store, film: str) -> None:
    async with store.db.transaction() as conn:
        film_id = await FilmStore.ensure(conn, film, 2019, guild_id=GUILD)
    start = datetime(2030, 1, 5, 20, tzinfo=UTC)
    await store.filmnight.create_screening(
        guild_id=GUILD, film_id=film_id, channel_id=1, event_id=2, start=start, end=start + timedelta(hours=3),
        location="Club room", actor_id=3, now=start - timedelta(days=3), reminders=[])


async def test_a_screening_another_process_scheduled_gates_this_process_too(two_processes):
    """Process A already answered 'no screening' for the server (and kept that); process B schedules one:
    A's gate then holds the film back, and its current film is that film (it was no gate, forever)."""
    a, b = two_processes
    a.filmnight._screening_guilds.recheck_after = 0  # the second that may pass, passed
    assert await server_gate(a, GUILD, THEMES) is None and await a.filmnight.current(GUILD) is None
    await schedule(b, "Harbour Lights")
    gate = await server_gate(a, GUILD, THEMES)
    assert gate is not None and gate.label == "Harbour Lights (2019)"
    assert (await a.filmnight.current(GUILD)).title == "Harbour Lights"


async def test_the_gate_is_asked_of_the_database_at_most_once_a_second_for_a_server_without_one(two_processes):
    """Within `recheck_after` a server with no screening costs no query; once found, it is kept."""
    a, b = two_processes
    assert await a.filmnight.upcoming(GUILD) is None
    await schedule(b, "Harbour Lights")
    assert await a.filmnight.upcoming(GUILD) is None  # within the second: the cache alone cannot know
    a.filmnight._screening_guilds.recheck_after = 0
    assert await a.filmnight.upcoming(GUILD) is not None
    a.filmnight._screening_guilds.recheck_after = 3600
    assert await a.filmnight.upcoming(GUILD) is not None  # found: kept without waiting
