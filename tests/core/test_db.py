"""Database: group commit of one-hop writes (bot/core/db_writes.py) and seeks on the loop's thread."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.core import db as database
from bot.core.db import Database
from tests.helpers import count_db_trips


@pytest.fixture
async def db(tmp_path: Path):
    conn = await database.connect(tmp_path / "t.db")
    await conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
    db = Database(conn)
    yield db
    await db.close()


async def test_concurrent_writes_all_commit_in_a_few_trips(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """100 writes at once: each gets its own result, all are committed, in far fewer than 100 trips."""
    trips = count_db_trips(monkeypatch, db)

    def insert_pair(n: int):
        def work(raw: sqlite3.Connection) -> int:
            raw.execute("INSERT INTO t(v) VALUES (?)", (f"a{n}",))
            return raw.execute("INSERT INTO t(v) VALUES (?)", (f"b{n}",)).lastrowid or 0
        return work

    results = await asyncio.gather(
        *(db.in_one_hop(insert_pair(n)) for n in range(50)),
        *(db.execute("INSERT INTO t(v) VALUES (?)", (f"c{n}",)) for n in range(50)),
    )
    assert len({r for r in results[:50]}) == 50  # each transaction's own rowid
    assert all(r.rowcount == 1 for r in results[50:])
    assert await db.fetchval("SELECT count(*) FROM t") == 150
    assert trips[0] <= 5, trips[0]


async def test_a_failing_write_fails_alone_and_rolls_back_whole(db: Database) -> None:
    """A UNIQUE violation in one batched transaction undoes that transaction only."""
    await db.execute("INSERT INTO t(v) VALUES ('taken')")

    def half_then_clash(raw: sqlite3.Connection) -> None:
        raw.execute("INSERT INTO t(v) VALUES ('half')")
        raw.execute("INSERT INTO t(v) VALUES ('taken')")

    outcomes = await asyncio.gather(
        db.execute("INSERT INTO t(v) VALUES ('before')"),
        db.in_one_hop(half_then_clash),
        db.execute("INSERT INTO t(v) VALUES ('after')"),
        return_exceptions=True,
    )
    assert isinstance(outcomes[1], sqlite3.IntegrityError)
    values = {row[0] for row in await db.fetchall("SELECT v FROM t")}
    assert values == {"taken", "before", "after"}  # 'half' rolled back with its transaction
    assert not db.conn.in_transaction


async def test_a_write_cancelled_before_its_batch_leaves_never_runs(db: Database) -> None:
    async with db._write_lock:  # the batch cannot leave while a multi-hop transaction holds the lock
        doomed = asyncio.create_task(db.execute("INSERT INTO t(v) VALUES ('doomed')"))
        kept = asyncio.create_task(db.execute("INSERT INTO t(v) VALUES ('kept')"))
        await asyncio.sleep(0.01)
        doomed.cancel()
        await asyncio.sleep(0)
    await kept
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert [row[0] for row in await db.fetchall("SELECT v FROM t")] == ["kept"]


async def test_close_waits_for_queued_writes(tmp_path: Path) -> None:
    conn = await database.connect(tmp_path / "c.db")
    await conn.execute("CREATE TABLE t(v TEXT)")
    db = Database(conn)
    pending = [asyncio.create_task(db.execute("INSERT INTO t VALUES (?)", (str(n),))) for n in range(20)]
    await asyncio.sleep(0)
    await db.close()
    assert all(task.done() and not task.exception() for task in pending)
    with sqlite3.connect(tmp_path / "c.db") as check:
        assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 20


async def test_a_write_after_close_fails_instead_of_hanging(tmp_path: Path) -> None:
    conn = await database.connect(tmp_path / "d.db")
    db = Database(conn)
    await db.close()
    with pytest.raises(Exception) as caught:  # aiosqlite's own "no active connection"
        await asyncio.wait_for(db.execute("CREATE TABLE t(v TEXT)"), 5)
    assert not isinstance(caught.value, TimeoutError)


async def test_seek_one_reads_on_the_loop_thread_and_sees_committed_writes(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    trips = count_db_trips(monkeypatch, db)
    await db.seek_one("SELECT 1")  # opens the reader (one trip to learn the file's path)
    trips[0] = 0
    for n in range(5):
        await db.execute("INSERT INTO t(v) VALUES (?)", (f"v{n}",))
        row = await db.seek_one("SELECT v FROM t WHERE id = (SELECT max(id) FROM t)")
        assert row is not None and row["v"] == f"v{n}"  # the write is visible at once
    assert trips[0] == 5  # the writes only: no seek went through aiosqlite's thread
    assert (await db.seek_one("SELECT critic_key(NULL, 7) AS k"))["k"]  # the same SQL functions


async def test_seek_one_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await db.seek_one("INSERT INTO t(v) VALUES ('sneaky') RETURNING id")
    assert await db.fetchval("SELECT count(*) FROM t") == 0


async def test_seek_one_falls_back_to_the_thread_when_busy_or_in_memory(db: Database, tmp_path: Path) -> None:
    await db.execute("INSERT INTO t(v) VALUES ('x')")

    class Busy:
        def execute(self, *_: Any) -> Any:
            raise sqlite3.OperationalError("database is locked")

    db._read_conn = Busy()  # type: ignore[assignment]
    assert (await db.seek_one("SELECT v FROM t"))["v"] == "x"
    db._read_conn = None

    memory = Database(await database.connect(":memory:"))
    try:
        await memory.execute("CREATE TABLE m(v TEXT)")
        await memory.execute("INSERT INTO m VALUES ('here')")
        assert (await memory.seek_one("SELECT v FROM m"))["v"] == "here"  # a second connection would see nothing
    finally:
        await memory.close()


async def test_a_seek_past_its_budget_is_stopped_and_rerun_on_the_thread(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the data, seek_one holds the loop at most about SEEK_BUDGET: a long statement is
    interrupted on the loop's thread and answered from the database thread instead."""
    trips = count_db_trips(monkeypatch, db)
    await db.seek_one("SELECT 1")
    trips[0] = 0
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
            " SELECT count(*) AS c FROM n")
    row = await db.seek_one(slow)
    assert row is not None and row["c"] == 3_000_000
    assert trips[0] == 1  # interrupted on the loop, answered by the thread


async def test_a_lone_write_goes_straight_to_the_thread(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """No queue and no flusher task for a write with nothing else in flight (serial writes stay as fast
    as before group commit)."""
    trips = count_db_trips(monkeypatch, db)
    for n in range(3):
        await db.execute("INSERT INTO t(v) VALUES (?)", (f"s{n}",))
    assert trips[0] == 3 and db._writes._flusher is None


async def test_read_aside_does_not_wait_behind_the_database_thread(db: Database) -> None:
    """/search's ranking reads on its own connection: a vote's read queued on aiosqlite's one thread is not
    held behind it, nor is it behind a long read there."""
    await db.execute("INSERT INTO t(v) VALUES ('committed')")
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
            " SELECT count(*) AS c FROM n")
    held = asyncio.ensure_future(db.fetchall(slow))  # holds the database thread for ~0.5 s
    await asyncio.sleep(0.05)
    rows = await db.read_aside("SELECT v, critic_key(NULL, 7) AS k FROM t")
    assert [row["v"] for row in rows] == ["committed"] and rows[0]["k"]  # the same data and SQL functions
    assert not held.done()  # answered while the database thread was still busy
    assert (await held)[0]["c"] == 3_000_000


async def test_read_aside_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await db.read_aside("INSERT INTO t(v) VALUES ('sneaky') RETURNING id")
    assert await db.fetchall("SELECT v FROM t") == []


async def test_read_aside_that_cannot_open_reads_on_the_thread_and_tries_again_later(db: Database, monkeypatch) -> None:
    """A search connection that cannot be opened (too many open files) is no lasting failure: that read is answered
    on the database thread, and the next one opens the connection."""
    await db.execute("INSERT INTO t(v) VALUES ('x')")
    opened = Database._open_aside
    calls = []

    async def flaky(self: Database) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(24, "Too many open files")
        return await opened(self)

    monkeypatch.setattr(Database, "_open_aside", flaky)
    assert [row["v"] for row in await db.read_aside("SELECT v FROM t")] == ["x"]
    assert db._aside is None
    assert [row["v"] for row in await db.read_aside("SELECT v FROM t")] == ["x"]
    assert len(calls) == 2 and db._aside is not None and db._aside.result() is not None
