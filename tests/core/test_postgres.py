"""PostgreSQL as a backend, against a real server (FILMBOT_TEST_POSTGRES; `.ci/run` starts a throwaway one):
the migration runner, copy-db both ways, faults (a dropped connection, an unknown database, a newer schema)."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.core import copy_db
from bot.core.db import DatabaseTooNew, DatabaseUnavailable, open_database
from tests import pg_backend

pytestmark = pytest.mark.skipif(not pg_backend.SERVER, reason="needs FILMBOT_TEST_POSTGRES (a PostgreSQL server)")


@pytest.fixture
def pg_url():
    url = pg_backend.fresh_database()
    yield url
    pg_backend.drop_database(url)


@pytest.fixture
def empty_pg_url():
    """A database with nothing in it, not even the schema."""
    url = pg_backend.fresh_database(template="template0")
    yield url
    pg_backend.drop_database(url)


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in copy_db.table_order()}


def pg_counts(url: str) -> dict[str, int]:
    return {t: pg_backend.query(url, f"SELECT count(*) FROM {t}")[0][0] for t in copy_db.table_order()}


def sqlite_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for table in copy_db.table_order():
            rows = sorted(repr(r) for r in conn.execute(f"SELECT * FROM {table}"))
            digest.update(repr((table, rows)).encode())
    return digest.hexdigest()


def test_copy_db_sqlite_to_postgres_and_back_keeps_every_row(tmp_path: Path, empty_pg_url: str, capsys) -> None:
    source, back = tmp_path / "club.db", tmp_path / "back.db"
    assert main(["--env-file", "/nonexistent", "import", "--database", str(source)]) == 0
    assert main(["--env-file", "/nonexistent", "copy-db", str(source), empty_pg_url]) == 0
    assert "every table's row count matches" in capsys.readouterr().out
    counts = sqlite_counts(source)
    assert counts["passages"] > 50 and pg_counts(empty_pg_url) == counts
    assert main(["--env-file", "/nonexistent", "copy-db", empty_pg_url, str(back)]) == 0
    assert sqlite_counts(back) == counts
    assert sqlite_digest(back) == sqlite_digest(source)  # the same rows, ids and numbers included


def test_copy_db_refuses_a_target_that_has_rows(tmp_path: Path, empty_pg_url: str, capsys) -> None:
    source = tmp_path / "club.db"
    assert main(["--env-file", "/nonexistent", "import", "--database", str(source)]) == 0
    assert main(["--env-file", "/nonexistent", "copy-db", str(source), empty_pg_url]) == 0
    before = pg_counts(empty_pg_url)
    capsys.readouterr()
    assert main(["--env-file", "/nonexistent", "copy-db", str(source), empty_pg_url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not empty" in err
    assert pg_counts(empty_pg_url) == before


def test_copy_interrupted_half_way_leaves_the_target_empty(tmp_path: Path, empty_pg_url: str, monkeypatch) -> None:
    source = tmp_path / "club.db"
    assert main(["--env-file", "/nonexistent", "import", "--database", str(source)]) == 0
    calls = {"n": 0}
    real = copy_db._plain

    def dies_half_way(value: object) -> object:
        calls["n"] += 1
        if calls["n"] == 400:
            raise KeyboardInterrupt  # the operator's Ctrl-C in the middle of the passages
        return real(value)

    monkeypatch.setattr(copy_db, "_plain", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        asyncio.run(copy_db.copy_database(str(source), empty_pg_url))
    assert set(pg_counts(empty_pg_url).values()) == {0}


async def test_processes_started_together_migrate_once(empty_pg_url: str) -> None:
    first, second = await asyncio.gather(open_database(Path("unused"), empty_pg_url),
                                         open_database(Path("unused"), empty_pg_url))
    try:
        numbers = [r[0] for r in await first.fetchall("SELECT number FROM schema_migrations ORDER BY number")]
        assert numbers == sorted(set(numbers)) and 75 in numbers
    finally:
        await first.close()
        await second.close()


async def test_a_database_newer_than_the_code_is_refused(pg_url: str) -> None:
    pg_backend.query(pg_url, "SELECT 1")  # the template is migrated: record a migration from the future
    await asyncio.to_thread(pg_backend.execute, pg_url, "INSERT INTO schema_migrations(number, name) VALUES (999, 'x')")
    with pytest.raises(DatabaseTooNew, match="999"):
        await open_database(Path("unused"), pg_url)


@pytest.mark.parametrize("what", ["unknown database", "nothing listening", "login refused"])
def test_a_bad_url_is_one_line_and_exit_2(what: str, capsys, tmp_path: Path) -> None:
    """The login branch is the wrong password's too (the test server trusts loopback, so a role it does not
    know is how it refuses a login here)."""
    from urllib.parse import urlsplit, urlunsplit

    server = urlsplit(pg_backend.url_of("postgres"))
    url = {
        "unknown database": pg_backend.url_of("no_such_database"),
        "nothing listening": "postgresql://x@127.0.0.1:1/x",
        "login refused": urlunsplit(server._replace(netloc=f"no_such_role:wrong@{server.hostname}:{server.port}")),
    }[what]
    assert main(["--env-file", "/nonexistent", "import", "--database", url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("filmbot: ") and err.count("\n") == 0


async def test_the_server_cutting_every_connection_loses_no_statement(pg_url: str) -> None:
    """A server restart under the bot: every pooled connection is dead; the next reads and writes reopen them."""
    db = await open_database(Path("unused"), pg_url)
    try:
        assert await db.fetchval("SELECT count(*) FROM films") == 0
        await asyncio.to_thread(pg_backend.terminate_connections, pg_url)
        for n in range(12):  # more than the pool holds: each dead connection is met once
            await db.execute("INSERT INTO films(title, year) VALUES (?, ?)", (f"Heat {n}", 1995))
            assert await db.fetchval("SELECT count(*) FROM films") == n + 1
        await asyncio.to_thread(pg_backend.terminate_connections, pg_url)
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO films(title, year) VALUES (?, ?)", ("Ran", 1985))
        assert await db.fetchval("SELECT count(*) FROM films") == 13
    finally:
        await db.close()


async def test_text_with_a_nul_is_written_without_it(pg_url: str) -> None:
    """PostgreSQL's text cannot hold NUL (SQLite's can): a write or a lookup carrying one drops it, never fails."""
    db = await open_database(Path("unused"), pg_url)
    try:
        await db.execute("INSERT INTO films(title, year) VALUES (?, ?)", ("He\x00at", 1995))
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO films(title, year) VALUES (?, ?)", ("\x00Ran\x00", 1985))
        assert await db.fetchall("SELECT title FROM films ORDER BY year") == [("Ran",), ("Heat",)]
        assert await db.fetchval("SELECT count(*) FROM films WHERE title = ?", ("Hea\x00t",)) == 1
    finally:
        await db.close()


def test_copy_db_takes_a_sqlite_text_holding_a_nul(tmp_path: Path, empty_pg_url: str, capsys) -> None:
    """A club's SQLite database with a NUL in a member's note (SQLite stores it) copies to PostgreSQL whole."""
    source = tmp_path / "club.db"
    assert main(["--env-file", "/nonexistent", "import", "--database", str(source)]) == 0
    with sqlite3.connect(source) as conn:
        film = conn.execute("SELECT id FROM films LIMIT 1").fetchone()[0]
        conn.execute("INSERT INTO watchlist(guild_id, film_id, note, suggested_by, status, added_at)"
                     " VALUES (1, ?, ?, 2, 'active', '2026-01-01T00:00:00+00:00')", (film, "see\x00 it"))
    assert main(["--env-file", "/nonexistent", "copy-db", str(source), empty_pg_url]) == 0
    assert "every table's row count matches" in capsys.readouterr().out
    assert pg_backend.query(empty_pg_url, "SELECT note FROM watchlist") == [("see it",)]


def test_unavailable_is_the_error_the_cli_reports() -> None:
    assert issubclass(DatabaseUnavailable, RuntimeError)


async def test_processes_started_together_import_the_bundle_once(pg_url: str, tmp_path: Path) -> None:
    """Two bots opening one fresh database at once: one imports the bundled corpus, the other finds it done."""
    from bot.core.config import DEFAULT_DATA_DIR
    from bot.corpus import load_themes
    from bot.corpus.bundle import import_bundled
    from bot.stores import Store

    themes_file = DEFAULT_DATA_DIR / "themes.toml"
    themes = load_themes(themes_file)

    async def start() -> object:
        db = await open_database(tmp_path / "unused.db", pg_url)
        try:
            async with db.exclusive():
                return await import_bundled(Store(db), DEFAULT_DATA_DIR, themes, themes_file)
        finally:
            await db.close()

    first, second = await asyncio.gather(start(), start())
    assert sorted([first.unchanged, second.unchanged]) == [False, True]  # type: ignore[attr-defined]
    reviews = pg_backend.query(pg_url, "SELECT count(*), count(DISTINCT source_key) FROM reviews")[0]
    assert reviews[0] == reviews[1] == 3


async def test_a_lock_timeout_is_sqlites_database_is_locked(pg_url: str) -> None:
    """PostgreSQL's lock_timeout (55P03) reaches the stores as SQLite's "database is locked" (sqlite3.OperationalError),
    the error every retry path catches (polls recording their message, the closing back-off, film night's reminders):
    left as asyncpg's error, a poll posted during a long lock kept live buttons for a row it never recorded."""
    import asyncpg

    from bot.core.db_pg import WRITE_LOCK_KEY
    from bot.core.errors import database_busy

    name = pg_url.rsplit("/", 1)[1].split("?")[0]
    pg_backend._run(pg_backend._admin(f"ALTER DATABASE {name} SET lock_timeout = '200ms'"))
    db = await open_database(Path("unused"), pg_url)
    holder = await asyncpg.connect(pg_url)
    try:
        await holder.execute(f"SELECT pg_advisory_lock({WRITE_LOCK_KEY})")
        with pytest.raises(sqlite3.OperationalError, match="database is locked") as caught:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO films(title, year) VALUES (?, ?)", ("Heat", 1995))
        assert database_busy(caught.value) and caught.value.sqlstate == "55P03"
        await holder.execute(f"SELECT pg_advisory_unlock({WRITE_LOCK_KEY})")
        await db.execute("INSERT INTO films(title, year) VALUES (?, ?)", ("Heat", 1995))  # the pool still works
        assert await db.fetchval("SELECT count(*) FROM films WHERE title = 'Heat'") == 1
    finally:
        await holder.close()
        await db.close()
