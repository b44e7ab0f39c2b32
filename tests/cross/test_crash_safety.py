"""A bulk import killed with SIGKILL part-way leaves a sound database holding whole chunks, and the
next run finishes it: the end state is an uninterrupted import's. A start killed while it migrates a big database
leaves the old schema whole, and the next start applies the migrations once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus_gen import write_data_dir
from bot.corpus.bundle import CHUNK, PROGRESS_KEY

REVIEWS = 640  # two and a half chunks: killed after the first commits, in the middle of the second


@pytest.fixture(scope="module")
def big_data_dir(tmp_path_factory) -> Path:
    return write_data_dir(tmp_path_factory.mktemp("crash") / "data", REVIEWS)


def start_import(database: Path, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "FILMBOT_DATA_DIR": str(data_dir), "FILMBOT_DATABASE": str(database)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--env-file", os.devnull, "import"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2],
    )


def committed(database: Path) -> int:
    """Manifest entries the running import has committed so far (its progress row), 0 before."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (PROGRESS_KEY,)).fetchone()
    except sqlite3.Error:
        return 0  # not created or not migrated yet
    return int(row[0].split()[1]) if row else 0


def children(pid: int) -> set[int]:
    """The process's child processes (Linux /proc; empty elsewhere)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def gone(pids: set[int], timeout: float = 10.0) -> bool:
    """Whether every process in `pids` has exited within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.05)
    return False


def kill_when_writing(process: subprocess.Popen, database: Path, timeout: float = 120.0) -> set[int] | None:
    """SIGKILL once the import has committed its first chunk, in the middle of the next ones; the
    killed process's children (its text workers) then, None if it finished first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if committed(database) >= CHUNK:
            workers = children(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait()
            return workers
        time.sleep(0.005)
    process.wait()
    return None


def state(database: Path) -> dict[str, object]:
    with sqlite3.connect(database) as conn:
        # The index's own consistency (the content comparison does not apply: only quotable passages
        # are indexed, by design).
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "reviews": conn.execute("SELECT count(*) FROM reviews").fetchone()[0],
            "orphans": conn.execute(
                "SELECT count(*) FROM passages WHERE review_id NOT IN (SELECT id FROM reviews)"
            ).fetchone()[0],
            # Every generated review ends with "Generated review number N ends here.": the index must
            # find exactly the quotable passages that say so.
            "indexed": conn.execute(
                "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '\"generated review number\"'"
            ).fetchone()[0],
            "quotable": conn.execute(
                "SELECT count(*) FROM passages WHERE quotable = 1 AND text LIKE '%Generated review number%'"
            ).fetchone()[0],
            "imported_mark": conn.execute(
                "SELECT count(*) FROM meta WHERE key = 'bundled_corpus_hash'"
            ).fetchone()[0],
            "progress": conn.execute("SELECT value FROM meta WHERE key = ?", (PROGRESS_KEY,)).fetchone(),
            "passages": conn.execute("SELECT count(*) FROM passages").fetchone()[0],
            "texts": conn.execute("SELECT count(DISTINCT review_id || ':' || ordinal) FROM passages").fetchone()[0],
        }


def test_killed_import_keeps_whole_chunks_and_resumes(big_data_dir, tmp_path):
    """integrity_check passes, the import holds whole committed chunks (its progress row says how
    many), the FTS index agrees with passages; the rerun ends where a clean import does."""
    database = tmp_path / "crash.db"
    workers = kill_when_writing(start_import(database, big_data_dir), database)
    after = state(database)
    assert after["integrity"] == "ok"
    assert after["orphans"] == 0 and after["indexed"] == after["quotable"]
    assert workers is not None, "the import finished before it could be killed mid-write"
    if sys.platform.startswith("linux"):  # the killed bot's text workers end with it, none left orphaned
        assert workers and gone(workers)
    assert after["imported_mark"] == 0 and after["reviews"] < REVIEWS
    done = int(after["progress"][0].split()[1]) if after["progress"] else 0
    assert after["reviews"] == done and done % CHUNK == 0  # what is kept is what was committed
    # The next run completes the import from there: nothing doubled, nothing missing.
    rerun = start_import(database, big_data_dir)
    assert rerun.wait(timeout=300) == 0
    final = state(database)
    clean = tmp_path / "clean.db"
    assert start_import(clean, big_data_dir).wait(timeout=300) == 0
    expected = state(clean)
    assert final["reviews"] == REVIEWS and final["indexed"] == final["quotable"] == REVIEWS
    assert final["integrity"] == "ok" and final["progress"] is None and final["imported_mark"] == 1
    assert final["passages"] == final["texts"] == expected["passages"]


# ---------------------------------------------------------------- a start killed while it migrates

BIG_ROWS = 400_000  # rows in each table migration 119 indexes: its script runs for a measurable while

_MIGRATE_CHILD = """
import asyncio, logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
from bot.core.db import connect, migrate

async def main():
    conn = await connect(sys.argv[1])
    await migrate(conn)
    print("migrated", flush=True)

asyncio.run(main())
"""


def big_database_before(path: Path, upto: int) -> None:
    """A database migrated up to `upto`, with BIG_ROWS theme questions and schedules for the next one to index."""
    import asyncio

    from bot.core import db as database

    async def build() -> None:
        older = [f for f in database.migration_files() if f[0] <= upto]
        conn = await database.connect(path)
        try:
            files = database.migration_files
            database.migration_files = lambda: older  # type: ignore[assignment]
            try:
                await database.migrate(conn)
            finally:
                database.migration_files = files  # type: ignore[assignment]
        finally:
            await conn.close()

    asyncio.run(build())
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("BEGIN")
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO theme_questions"
            " (guild_id, theme, film_key, question, action, at) SELECT i % 997, 'ending', CAST(i % 5003 AS TEXT),"
            " 'question ' || i, 'add', '2026-01-01T00:00:00+00:00' FROM n", (BIG_ROWS,))
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO schedules"
            " (guild_id, channel_id, time_of_day, days, timezone, film, created_by, created_at, active_since)"
            " SELECT i % 997, i, '08:00', 'daily', 'UTC', CAST(i % 5003 AS TEXT), 1, '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00' FROM n", (BIG_ROWS,))
        conn.execute("COMMIT")
    conn.close()


def ledger(path: Path) -> list[int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        numbers = [row[0] for row in conn.execute("SELECT number FROM schema_migrations ORDER BY number")]
    conn.close()
    return numbers


def test_a_start_killed_while_migrating_leaves_the_old_schema_and_the_next_applies_it_whole(tmp_path):
    """SIGKILL while migrations 119 and 120 run on a big database: it is left whole at 115 (nothing of either),
    and the next start applies both once, every index of 119 there and no row lost."""
    import asyncio

    from bot.core import db as database

    path = tmp_path / "big.db"
    big_database_before(path, 115)
    before = ledger(path)
    child = subprocess.Popen([sys.executable, "-c", _MIGRATE_CHILD, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    assert child.stdout is not None
    for line in child.stdout:
        if "applying migration 120" in line:  # logged just before the one script of both runs
            break
    time.sleep(0.1)
    assert child.poll() is None, "the migration finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert ledger(path) == before and max(before) == 115, "a killed migration left part of itself recorded"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'theme_questions_film'").fetchall()
    conn.close()

    async def start_again() -> int:
        conn = await database.connect(path)
        try:
            return await database.migrate(conn)
        finally:
            await conn.close()

    assert asyncio.run(start_again()) == max(n for n, _, _ in database.migration_files())
    after = ledger(path)
    assert after == sorted(set(after)) and {119, 120} <= set(after)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"theme_questions_film", "schedules_film", "polls_film"} <= indexes
        assert conn.execute("SELECT count(*) FROM theme_questions").fetchone() == (BIG_ROWS,)
        assert "guild_id" in {row[1] for row in conn.execute("PRAGMA table_info(quote_queries)")}
    conn.close()
