"""The migration runner: every file applied once, by number, whatever order the files landed in."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core import db as database

# The schema versions that shipped with the old high-water-mark runner (PRAGMA user_version only).
LEGACY_VERSIONS = (1, 2, 3, 4, 5, 6, 10, 12, 14, 20)


def schema(path: Path) -> list[tuple[str, str, str]]:
    """Every table, index, trigger and view with its SQL, ignoring creation order."""
    with sqlite3.connect(path) as con:
        found = con.execute(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    con.close()
    return sorted(found)


def ledger(path: Path) -> list[int]:
    with sqlite3.connect(path) as con:
        numbers = [row[0] for row in con.execute("SELECT number FROM schema_migrations ORDER BY number")]
    con.close()
    return numbers


def legacy_database(path: Path, numbers: list[int]) -> None:
    """A database as the old runner left it: the given files applied, user_version = the highest."""
    files = {number: sql for number, _, sql in database.migration_files()}
    with sqlite3.connect(path) as con:
        con.executescript("\n".join(files[n] for n in numbers))
        con.execute(f"PRAGMA user_version = {max(numbers)}")
    con.close()


async def run_migrate(path: Path) -> int:
    conn = await database.connect(path)
    try:
        return await database.migrate(conn)
    finally:
        await conn.close()


@pytest.fixture
async def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.db"
    await run_migrate(path)
    return path


def test_numbers_are_unique_and_every_sql_file_is_a_migration() -> None:
    """Two files may never share a number, and a misnamed .sql file would be silently ignored."""
    numbers = [number for number, _, _ in database.migration_files()]
    assert len(numbers) == len(set(numbers))
    folder = Path(database.__file__).parent.parent / "migrations"
    names = sorted(p.name for p in folder.glob("*.sql"))
    assert names == sorted(name for _, name, _ in database.migration_files())


async def test_fresh_database_records_every_migration(fresh: Path) -> None:
    """A new database has one ledger row per file and user_version at the highest number."""
    numbers = [number for number, _, _ in database.migration_files()]
    assert ledger(fresh) == numbers
    with sqlite3.connect(fresh) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == numbers[-1]
    con.close()


@pytest.mark.parametrize("version", LEGACY_VERSIONS)
async def test_upgrade_from_every_legacy_version_matches_a_fresh_schema(
    tmp_path: Path, fresh: Path, version: int
) -> None:
    """A database left by the old runner at any shipped version upgrades to exactly the fresh schema."""
    path = tmp_path / f"v{version}.db"
    legacy_database(path, [n for n, _, _ in database.migration_files() if n <= version])
    await run_migrate(path)
    assert schema(path) == schema(fresh)
    assert ledger(path) == ledger(fresh)


async def test_upgrade_from_every_ledger_version_matches_a_fresh_schema(
    tmp_path: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopping after any file with the new runner, then upgrading, reaches the fresh schema."""
    files = database.migration_files()
    for index, (number, _, _) in enumerate(files):
        path = tmp_path / f"l{number}.db"
        with monkeypatch.context() as patch:
            patch.setattr(database, "migration_files", lambda upto=index: files[: upto + 1])
            await run_migrate(path)
        await run_migrate(path)
        assert schema(path) == schema(fresh), number


async def test_a_migration_skipped_by_the_old_runner_is_applied(tmp_path: Path, fresh: Path) -> None:
    """014 landing after 020: the old runner left version 20 without 014's tables; now they appear."""
    path = tmp_path / "skipped.db"
    legacy_database(path, [n for n, _, _ in database.migration_files() if n <= 20 and n != 14])
    await run_migrate(path)
    assert schema(path) == schema(fresh)
    assert 14 in ledger(path)


async def test_a_lower_number_landing_later_is_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file numbered below one already applied (a branch that landed late) still runs, once."""
    files = database.migration_files()
    late = (15, "015-late.sql", "CREATE TABLE late_feature (id INTEGER PRIMARY KEY);")
    path = tmp_path / "late.db"
    await run_migrate(path)
    monkeypatch.setattr(database, "migration_files", lambda: sorted([*files, late]))
    await run_migrate(path)
    await run_migrate(path)  # idempotent: nothing pending, nothing run twice
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'late_feature'").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM schema_migrations WHERE number = 15").fetchone()[0] == 1
    con.close()


async def test_a_failing_migration_applies_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: a broken file leaves neither its predecessors' tables nor ledger rows."""
    files = database.migration_files()
    path = tmp_path / "broken.db"
    await run_migrate(path)
    before = schema(path)
    extra = [(900, "900-good.sql", "CREATE TABLE good (id INTEGER);"), (901, "901-bad.sql", "CREATE TABLE (;")]
    monkeypatch.setattr(database, "migration_files", lambda: [*files, *extra])
    with pytest.raises(sqlite3.Error):
        await run_migrate(path)
    assert schema(path) == before
    assert 900 not in ledger(path)


async def test_a_database_with_an_unknown_migration_is_refused(tmp_path: Path, fresh: Path) -> None:
    """A ledger row this code has no file for means a newer filmbot wrote it: refuse, write nothing."""
    with sqlite3.connect(fresh) as con:
        con.execute("INSERT INTO schema_migrations (number, name) VALUES (999, '999-future.sql')")
    con.close()
    before = fresh.read_bytes()
    with pytest.raises(database.DatabaseTooNew, match="999"):
        await run_migrate(fresh)
    assert ledger(fresh)[-1] == 999
    assert len(fresh.read_bytes()) == len(before)


async def test_two_processes_starting_together_migrate_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two bots started at once on one fresh file: the second read 'nothing applied' before the first's BEGIN
    IMMEDIATE, then ran every migration again ('table meta already exists') and refused to start. It now
    plans again from the ledger the first wrote: both start, every migration applied and recorded once."""
    path = tmp_path / "together.db"
    first, second = await database.connect(path), await database.connect(path)
    read = database._applied_numbers

    async def racing(conn, files):  # the second's read, then the first migrates whole before it goes on
        found = await read(conn, files)
        if conn is second and not getattr(racing, "raced", False):
            racing.raced = True  # type: ignore[attr-defined]
            await database.migrate(first)
        return found

    monkeypatch.setattr(database, "_applied_numbers", racing)
    try:
        top = await database.migrate(second)
    finally:
        await first.close()
        await second.close()
    numbers = [number for number, _, _ in database.migration_files()]
    assert top == numbers[-1] and ledger(path) == numbers


async def test_a_new_file_switched_to_wal_while_another_process_writes_it_opens(tmp_path: Path) -> None:
    """Switching a new file to WAL needs its exclusive lock and SQLite says 'database is locked' at once (no busy
    wait) while another starting process holds it: the second bot refused to start. It now retries for 5 s."""
    path = tmp_path / "starting.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other_process (id INTEGER)")
    asyncio.get_running_loop().call_later(0.3, holder.execute, "COMMIT")
    conn = await database.connect(path)
    try:
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
    finally:
        await conn.close()
        holder.close()
