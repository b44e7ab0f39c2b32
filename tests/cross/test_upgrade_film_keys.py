"""A club's database from before migration 226 (film keys without emoji), started by today's bot: every film is
named by its stored title, and by that title typed without emoji unless another film of its year already holds
that key ("Boom!" and "Boom! 🎹" of 1968: neither merged, each keeps its own ratings).

The old database is built as tests/cross/test_upgrade.py builds its own: today's bot fills a server, its rows are
copied into a file made by the migrations up to 211, and its film keys written as migration 180 made them."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.core import db as database
from bot.core.films import key_before_226
from tests.cross.test_upgrade import copy_into_old, old_database
from tests.helpers import rows, text_of

BEFORE_226 = 211  # yesterday's last migration


async def test_films_keyed_before_226_are_named_by_their_titles_after_the_upgrade(
        world, settings, monkeypatch, tmp_path):
    """After the upgrade "Tick, Tick... Boom" names "Tick, Tick... Boom! 🎹"; "Boom! 🎹" (1968), which could
    not take the key "boom" that "Boom!" (1968) holds, is still named by its own title (before the fix it named
    "Boom!", so a member's rating went to the other film); no row lost or doubled."""
    for film, year in (("Tick, Tick... Boom! 🎹", 2021), ("Boom!", 1968), ("🎬", 2020)):
        added = await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
        assert "Added" in text_of(added), text_of(added)
    await world.alice.slash(world.channel, "rate film", film="Boom! (1968)", stars=3)
    await world.env.shutdown()
    today = Path(settings.database)
    old = tmp_path / "old.db"
    await old_database(old, BEFORE_226, monkeypatch)
    copy_into_old(today, old)
    with sqlite3.connect(old) as con:  # the keys and the namesake yesterday's bot had made
        for name, arity, function in database._SQL_FUNCTIONS:  # its triggers call them
            con.create_function(name, arity, function, deterministic=True)
        for film_id, title in con.execute("SELECT id, title FROM films").fetchall():
            con.execute("UPDATE films SET norm_key = ? WHERE id = ?", (key_before_226(title), film_id))
        (guild,) = con.execute("SELECT guild_id FROM club_ratings").fetchone()
        namesake = con.execute("INSERT INTO films (title, year, norm_key) VALUES ('Boom! 🎹', 1968, 'boom🎹')").lastrowid
        con.execute("INSERT INTO club_ratings (guild_id, film_id, user_id, stars_x2, rated_at)"
                    " VALUES (?, ?, ?, 4, '2026-01-01T00:00:00Z')", (guild, namesake, world.bob.id))
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("films", "club_ratings", "watchlist")}
    con.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{today}{suffix}").unlink(missing_ok=True)
    shutil.copy(old, today)
    await world.env.start()

    numbers = [n for n, _, _ in database.migration_files()]
    assert [r[0] for r in rows(settings, "SELECT number FROM schema_migrations ORDER BY number")] == numbers
    assert rows(settings, "SELECT norm_key FROM films WHERE id = ?", (namesake,)) == [("boom🎹",)]
    for typed, shown in (("Tick, Tick... Boom! 🎹", "Tick, Tick... Boom! 🎹 (2021)"),
                         ("Tick, Tick... Boom", "Tick, Tick... Boom! 🎹 (2021)"),
                         ("Boom!", "Boom! (1968)"), ("Boom", "Boom! (1968)"),
                         ("Boom! 🎹", "Boom! 🎹 (1968)"), ("Boom! 🎹 (1968)", "Boom! 🎹 (1968)"), ("🎬", "🎬 (2020)")):
        rated = await world.bob.slash(world.channel, "rate film", film=typed, stars=2)
        assert f"*{shown}*" in text_of(rated), (typed, text_of(rated))
    assert rows(settings, "SELECT stars_x2 FROM club_ratings WHERE film_id = ? AND user_id = ?",
                (namesake, world.bob.id)) == [(4,)]
    added = await world.mod.slash(world.channel, "watchlist add", film="Boom! 🎹", year=1968)
    assert "Boom! 🎹 (1968)" in text_of(added), text_of(added)
    assert rows(settings, "SELECT film_id FROM watchlist WHERE film_id = ?", (namesake,)) == [(namesake,)]
    assert rows(settings, "SELECT count(*) FROM films") == [(counts["films"],)]
    assert not world.env.errors
