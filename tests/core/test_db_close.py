"""Database.close during a transaction (a graceful stop while a /review import or /review add writes): close
finishes in bounded time, the open transaction is cancelled and rolled back, its write lock released, and
the one-hop writes queued behind it are still written."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core import db as database
from bot.core.db import Database


async def test_close_cancels_a_transaction_that_outlives_the_grace_and_rolls_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transaction parked mid-write and a write queued behind it: close returns within 2 × the grace (it
    waited for the transaction for ever), the transaction's task ends cancelled with its rows rolled back,
    the queued write is kept, and the lock is free."""
    monkeypatch.setattr(database, "CLOSE_GRACE", 0.2)
    conn = await database.connect(tmp_path / "c.db")
    await conn.execute("CREATE TABLE t(v TEXT)")
    db = Database(conn)
    inside = asyncio.Event()

    async def long_import() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('half an import')")
            inside.set()
            await asyncio.Event().wait()  # the rest of a long import

    importing = asyncio.create_task(long_import())
    await inside.wait()
    queued = asyncio.create_task(db.execute("INSERT INTO t VALUES ('queued')"))
    await asyncio.sleep(0.01)
    async with asyncio.timeout(5):  # a hang is a failure here, not a stuck test run
        await db.close()
    assert importing.cancelled()
    assert queued.done() and queued.result().rowcount == 1
    assert not db._write_lock.locked()
    with sqlite3.connect(tmp_path / "c.db") as check:
        assert check.execute("SELECT v FROM t").fetchall() == [("queued",)]


async def test_close_lets_a_short_transaction_finish(tmp_path: Path) -> None:
    """A transaction that ends within the grace (a /review add) commits; no transaction begins after close."""
    conn = await database.connect(tmp_path / "s.db")
    await conn.execute("CREATE TABLE t(v TEXT)")
    db = Database(conn)
    inside = asyncio.Event()

    async def short_add() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('a review')")
            inside.set()
            await asyncio.sleep(0.05)

    adding = asyncio.create_task(short_add())
    await inside.wait()
    async with asyncio.timeout(5):
        await db.close()
    assert adding.done() and adding.exception() is None
    with pytest.raises(sqlite3.Error):
        async with db.transaction():
            pass
    with sqlite3.connect(tmp_path / "s.db") as check:
        assert check.execute("SELECT v FROM t").fetchall() == [("a review",)]


async def test_a_search_read_during_or_after_close_opens_no_connection(tmp_path: Path) -> None:
    """`/search`'s read aside arriving while the database closes, or after, fails as every other read does and
    leaves no read-only connection (and its thread) open behind the closed database: it opened one before."""
    conn = await database.connect(tmp_path / "r.db")
    await conn.execute("CREATE TABLE t(v TEXT)")
    db = Database(conn)
    await db.fetchone("SELECT 1")  # the file's path known, as on a bot that has answered anything
    closing = asyncio.create_task(db.close())
    await asyncio.sleep(0)
    for _ in range(2):  # during the close, then after it (aiosqlite's closed connection or its stopped thread)
        with pytest.raises((ValueError, sqlite3.ProgrammingError)):
            await db.read_aside("SELECT count(*) FROM t")
        assert db._aside is None
        await closing
