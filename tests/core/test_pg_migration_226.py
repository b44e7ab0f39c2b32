"""Migration 226 on PostgreSQL over a catalogue keyed before it, through the runner (db_pg.migrate_postgres): core/db's
indexed re-key runs first with the file's own film_key, and the keys come out as the SQLite twin's test
(tests/films/test_migration.py) says they do there, the file's own UPDATE finding nothing left to do."""

from __future__ import annotations

import asyncpg

from bot.core import db_pg
from bot.core.films import key_before_226

FILMS = [(1, "Tick, Tick... Boom! 🎹", 2021), (2, "Love ❤️ Actually", 2003), (3, "Boom 💥", 1968), (4, "Boom", 1968),
         (5, "🎬🍿", 2020), (6, "+1", 2013), (7, "Day 💥", 1990), (8, "Day 🎹", 1990)]


async def test_226_rekeys_a_catalogue_stored_before_it(pg_database, monkeypatch):
    """Each film takes its key without emoji unless a film of its year holds it ('Boom 💥' beside 'Boom'); of two
    that would share one, the older ('Day 💥' before 'Day 🎹'); an emoji-only title keeps its key."""
    every = db_pg.postgres_migration_files()
    conn = await asyncpg.connect(pg_database)
    try:
        monkeypatch.setattr(db_pg, "postgres_migration_files", lambda: [m for m in every if m[0] < 226])
        await db_pg.migrate_postgres(conn)
        await conn.executemany("INSERT INTO films (id, title, year, norm_key) VALUES ($1, $2, $3, $4)",
                               [(i, t, y, key_before_226(t)) for i, t, y in FILMS])
        monkeypatch.setattr(db_pg, "postgres_migration_files", lambda: every)
        await db_pg.migrate_postgres(conn)
        keys = [tuple(r) for r in await conn.fetch("SELECT id, norm_key FROM films ORDER BY id")]
        assert await conn.fetchval("SELECT count(*) FROM pg_class WHERE relname LIKE 'film_rekey%'") == 0
    finally:
        await conn.close()
    assert keys == [(1, "ticktickboom"), (2, "loveactually"), (3, "boom💥"), (4, "boom"), (5, "🎬🍿"), (6, "+1"),
                    (7, "day"), (8, "day🎹")]
