"""Migration 030 on a database built at schema 020 with today's duplicate films: one film each,
nothing a member or moderator stored lost, unique keys kept."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

from bot.core.db import connect, migrate, migration_files

NFC, NFD = unicodedata.normalize("NFC", "Amélie"), unicodedata.normalize("NFD", "Amélie")
G, OTHER = 10, 20  # two servers
ALICE, BOB, CAROL, DAVE = 1, 2, 3, 4
T1, T2 = "2026-01-01T10:00:00+00:00", "2026-01-02T10:00:00+00:00"

FILMS = [  # id, title, year
    (1, "La La Land", 2016), (2, "La La Land", None), (3, "la la land", None),  # yearless rows join 1
    (4, NFC, 2001), (5, NFD, 2001),  # one film, two normal forms
    (6, "Dune", 1984), (7, "Dune", 2021), (8, "Dune", None),  # two years: the yearless row stays
    (9, "Heat", 1995),
]


def build_020(path: Path) -> None:
    """Migrations 001..020 applied with raw sqlite3, then rows as today's code wrote them."""
    conn = sqlite3.connect(path)
    for number, _, sql in migration_files():
        if number <= 20:
            conn.executescript(sql)
    conn.execute("PRAGMA user_version = 20")
    conn.executemany("INSERT INTO films(id, title, year) VALUES (?, ?, ?)", FILMS)
    conn.executemany(
        "INSERT INTO reviews(id, film_id, critic, body, body_hash, source, added_at) VALUES (?, ?, ?, ?, ?, 'moderator', ?)",
        [(1, 1, "Critic A", "body one", "h1", T1), (2, 2, "Critic B", "body two", "h2", T1)],
    )
    conn.executemany(
        "INSERT INTO watchlist(id, guild_id, film_id, note, suggested_by, status, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(1, G, 1, None, ALICE, "active", T1), (2, G, 2, "see it", CAROL, "active", T2),
         (3, G, 3, None, DAVE, "pending", T2), (4, G, 4, None, ALICE, "active", T1),
         (5, G, 5, None, BOB, "active", T2), (6, OTHER, 2, None, BOB, "active", T1),
         (7, G, 8, None, BOB, "active", T1)],
    )
    conn.executemany(
        "INSERT INTO watchlist_support(entry_id, user_id, at) VALUES (?, ?, ?)",
        [(1, BOB, T1), (2, BOB, T2), (2, DAVE, T2), (4, CAROL, T1), (5, DAVE, T2)],
    )
    conn.executemany(
        "INSERT INTO club_ratings(guild_id, film_id, user_id, stars_x2, take, rated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(G, 1, BOB, 6, "Old take", T1), (G, 2, BOB, 10, None, T2), (G, 2, CAROL, 8, "Jazz", T1),
         (G, 5, DAVE, 4, None, T1)],
    )
    conn.execute(
        "INSERT INTO screenings(id, guild_id, film_id, channel_id, event_id, starts_at, ends_at, status, created_by,"
        " created_at) VALUES (1, ?, 2, 100, 555, ?, ?, 'scheduled', ?, ?)", (G, T2, T2, ALICE, T1),
    )
    conn.execute(
        "INSERT INTO filmnight_picks(id, guild_id, channel_id, creator_id, method, created_at, deadline)"
        " VALUES (1, ?, 100, ?, 'ranked', ?, ?)", (G, ALICE, T1, T2),
    )
    conn.executemany(
        "INSERT INTO filmnight_candidates(pick_id, position, film_id, label) VALUES (1, ?, ?, ?)",
        [(1, 2, "La La Land"), (2, 9, "Heat (1995)")],
    )
    conn.execute("INSERT INTO filmnight_ballots(pick_id, user_id, ranking, cast_at) VALUES (1, ?, '1,2', ?)", (BOB, T1))
    conn.executemany(
        "INSERT INTO theme_questions(guild_id, theme, film_key, question, action, at) VALUES (?, 'ending', ?, ?, 'add', ?)",
        [(G, "1", "Was it worth it?", T1), (G, "2", "was it worth it?", T1), (G, "3", "Whose dream?", T1)],
    )
    conn.execute(
        "INSERT INTO club_game_rounds(guild_id, channel_id, game_id, number, rounds, kind, film_id)"
        " VALUES (?, 100, 1, 1, 1, 'club', 3)", (G,),
    )
    conn.executemany(
        "INSERT INTO schedules(guild_id, channel_id, time_of_day, days, timezone, film, created_by, created_at,"
        " active_since) VALUES (?, 100, '20:00', 'daily', 'UTC', ?, ?, ?, ?)",
        [(G, film, ALICE, T1, T1) for film in ("La La Land", "heat (1995)", "Dune", None, "Unknown Film")],
    )
    conn.commit()
    conn.close()


async def migrated(tmp_path: Path) -> sqlite3.Connection:
    path = tmp_path / "old.db"
    build_020(path)
    conn = await connect(path)
    try:
        assert await migrate(conn) == migration_files()[-1][0]
    finally:
        await conn.close()
    return sqlite3.connect(path)


async def test_duplicate_films_become_one(tmp_path):
    """Yearless rows join the single film of their title; NFC/NFD forms merge; two years stay apart."""
    db = await migrated(tmp_path)
    assert db.execute("SELECT id, title, year FROM films ORDER BY id").fetchall() == [
        (1, "La La Land", 2016), (4, NFC, 2001), (6, "Dune", 1984), (7, "Dune", 2021), (8, "Dune", None),
        (9, "Heat", 1995)]
    assert db.execute("SELECT count(*) FROM films WHERE norm_key IS NULL").fetchone() == (0,)
    assert db.execute("SELECT film_id FROM reviews ORDER BY id").fetchall() == [(1,), (1,)]
    assert db.execute("SELECT film_id FROM screenings").fetchall() == [(1,)]
    assert db.execute("SELECT film_id FROM filmnight_candidates ORDER BY position").fetchall() == [(1,), (9,)]
    assert db.execute("SELECT count(*) FROM filmnight_ballots").fetchone() == (1,)
    assert db.execute("SELECT film_id FROM club_game_rounds").fetchall() == [(1,)]


async def test_watchlist_entries_merge_with_every_supporter(tmp_path):
    """One entry per server and film: every supporter and suggester kept, the best status, the note."""
    db = await migrated(tmp_path)
    assert db.execute("SELECT id, guild_id, film_id, note, status FROM watchlist ORDER BY id").fetchall() == [
        (1, G, 1, "see it", "active"), (4, G, 4, None, "active"), (6, OTHER, 1, None, "active"),
        (7, G, 8, None, "active")]
    supporters = db.execute("SELECT entry_id, user_id FROM watchlist_support ORDER BY 1, 2").fetchall()
    assert supporters == [(1, ALICE), (1, BOB), (1, CAROL), (1, DAVE), (4, ALICE), (4, BOB), (4, CAROL),
                          (4, DAVE), (6, BOB), (7, BOB)]


async def test_ratings_and_questions_merge_within_unique_keys(tmp_path):
    """A member's two ratings of one film keep the latest stars and the take; equal questions are one."""
    db = await migrated(tmp_path)
    assert db.execute("SELECT film_id, user_id, stars_x2, take FROM club_ratings ORDER BY 1, 2").fetchall() == [
        (1, BOB, 10, "Old take"), (1, CAROL, 8, "Jazz"), (4, DAVE, 4, None)]
    assert db.execute("SELECT film_key, question FROM theme_questions ORDER BY id").fetchall() == [
        ("1", "Was it worth it?"), ("1", "Whose dream?")]


async def test_one_film_per_key_and_year_from_now_on(tmp_path):
    """The new unique index refuses a second 'la la land (2016)' and a second yearless 'Dune'."""
    db = await migrated(tmp_path)
    db.create_function("film_key", 1, lambda t: t.casefold().replace(" ", ""))
    for title, year in (("LA LA LAND", 2016), ("dune", None)):
        try:
            db.execute("INSERT INTO films(title, year, norm_key) VALUES (?, ?, ?)",
                       (title, year, title.casefold().replace(" ", "")))
        except sqlite3.IntegrityError:
            continue
        raise AssertionError(f"{title} ({year}) was stored twice")


async def test_schedules_name_their_film_by_id(tmp_path):
    """A schedule's film label becomes `film:<id>` when it names one film; otherwise it stays as typed."""
    db = await migrated(tmp_path)
    assert db.execute("SELECT film FROM schedules ORDER BY id").fetchall() == [
        ("film:1",), ("film:9",), ("Dune",), (None,), ("Unknown Film",)]


async def keys_after_upgrade(tmp_path: Path, monkeypatch, before: int, films: list[tuple]) -> list[tuple]:
    """(id, title, norm_key) of `films` (id, title, year, norm_key) stored on a database migrated up to `before`,
    once every later migration has run."""
    from bot.core import db as core_db

    every = core_db.migration_files()
    monkeypatch.setattr(core_db, "migration_files", lambda: [m for m in every if m[0] < before])
    conn = await connect(tmp_path / f"{before - 1}.db")
    await migrate(conn)
    await conn.executemany("INSERT INTO films(id, title, year, norm_key) VALUES (?, ?, ?, ?)", films)
    await conn.commit()
    monkeypatch.setattr(core_db, "migration_files", lambda: every)
    assert await migrate(conn) == every[-1][0]
    rows = await conn.execute_fetchall("SELECT id, title, norm_key FROM films ORDER BY id")
    await conn.close()
    return [tuple(r) for r in rows]


async def test_114_folds_every_films_key_and_keeps_two_films_apart(tmp_path, monkeypatch):
    """Migration 114 on a catalogue keyed before accents folded: each film takes its folded key ('amélie' →
    'amelie'), unless another film already holds that key and year (Amelie next to Amélie, both 2001: the older
    key stays, nothing is merged); of two films that would share one, the older takes it. Titles never change."""
    assert await keys_after_upgrade(tmp_path, monkeypatch, 114, [
        (1, "Léon", 1994, "léon"), (2, "Amelie", 2001, "amelie"), (3, "Amélie", 2001, "amélie"),
        (4, "Café Society", 2016, "cafésociety"), (5, "Cafè Society", 2016, "cafèsociety"),
        (6, "Pan's Labyrinth", 2006, "panslabyrinth"), (7, "千と千尋の神隠し", 2001, "千と千尋の神隠し"),
    ]) == [
        (1, "Léon", "leon"), (2, "Amelie", "amelie"), (3, "Amélie", "amélie"), (4, "Café Society", "cafesociety"),
        (5, "Cafè Society", "cafèsociety"), (6, "Pan's Labyrinth", "panslabyrinth"),
        (7, "千と千尋の神隠し", "千と千尋の神隠し")]


async def test_180_folds_stroked_letters_in_keys_stored_before_it(tmp_path, monkeypatch):
    """Migration 180 on a catalogue keyed before stroked letters folded: 'bølgerne' → 'bolgerne', 'łódź' → 'lodz',
    'æonflux' → 'aeonflux'; a film already holding the folded key and year keeps it (nothing merged); titles
    never change."""
    assert await keys_after_upgrade(tmp_path, monkeypatch, 180, [
        (1, "Bølgerne", 1996, "bølgerne"), (2, "Łódź", 2010, "łodz"), (3, "Æon Flux", 2005, "æonflux"),
        (4, "Aeon Flux", 2005, "aeonflux"), (5, "Amélie", 2001, "amelie"),
    ]) == [
        (1, "Bølgerne", "bolgerne"), (2, "Łódź", "lodz"), (3, "Æon Flux", "æonflux"), (4, "Aeon Flux", "aeonflux"),
        (5, "Amélie", "amelie")]


async def test_226_leaves_emoji_out_of_keys_stored_before_it(tmp_path, monkeypatch):
    """Migration 226 on a catalogue keyed with its emoji: 'ticktickboom🎹' → 'ticktickboom', 'love❤️actually' →
    'loveactually'; a film already holding the new key and year keeps its own (nothing merged), an emoji-only title
    keeps its key; titles never change."""
    assert await keys_after_upgrade(tmp_path, monkeypatch, 226, [
        (1, "Tick, Tick... Boom! 🎹", 2021, "ticktickboom🎹"), (2, "Love ❤️ Actually", 2003, "love❤️actually"),
        (3, "Boom 💥", 1968, "boom💥"), (4, "Boom", 1968, "boom"), (5, "🎬🍿", 2020, "🎬🍿"), (6, "+1", 2013, "+1"),
    ]) == [
        (1, "Tick, Tick... Boom! 🎹", "ticktickboom"), (2, "Love ❤️ Actually", "loveactually"),
        (3, "Boom 💥", "boom💥"), (4, "Boom", "boom"), (5, "🎬🍿", "🎬🍿"), (6, "+1", "+1")]
