"""WAL checkpoints run on their own thread (bot/core/checkpointer.py), not inside the bot's commits.

A commit that took the log past SQLite's default 1,000 pages copied it back into the database file, with
an fsync of each, on the writer thread: every write queued behind it waited (8–50 ms on this machine)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.core import checkpointer
from bot.core import db as database

PAGE = 4096


def _wal_frames(path: Path) -> int:
    """Frames in the WAL that a checkpoint would look at, read by a connection of the test's own."""
    with sqlite3.connect(path, isolation_level=None, timeout=5) as other:
        return int(other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


async def _write_pages(db: database.Database, pages: int) -> None:
    """About `pages` pages of log, in small transactions as the bot writes (each one a commit)."""
    for _ in range(pages // 4):
        await db.execute("INSERT INTO ballast(blob) VALUES (?)", (b"x" * (3 * PAGE),))


async def _open(path: Path) -> database.Database:
    db = await database.open_database(path)
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE ballast(id INTEGER PRIMARY KEY, blob BLOB)")
    return db


async def test_the_bots_commits_leave_the_log_to_the_checkpoint_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the thread idle, 2,000 pages of small commits stay in the log: no commit of the bot's copied it
    back (under SQLite's default a commit did so at 1,000, and the log restarted)."""
    monkeypatch.setattr(checkpointer, "CHECKPOINT_EVERY", 3600.0)
    db = await _open(tmp_path / "f.db")
    try:
        await _write_pages(db, 2000)
        assert await db.fetchval("PRAGMA wal_autocheckpoint") == checkpointer.BACKSTOP_PAGES
        frames = await asyncio.to_thread(_wal_frames, tmp_path / "f.db")
        assert frames >= 2000, f"a commit checkpointed: only {frames} frames in the log"
    finally:
        await db.close()


async def test_the_thread_copies_the_log_into_the_database_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written rows reach the database file itself (read with the log ignored) without any commit doing it,
    and the thread is gone once the database is closed."""
    monkeypatch.setattr(checkpointer, "CHECKPOINT_EVERY", 0.05)
    path = tmp_path / "f.db"
    db = await _open(path)
    try:
        await db.execute("INSERT INTO ballast(blob) VALUES (?)", (b"kept",))
        thread = db.checkpointer
        assert thread is not None
        async with asyncio.timeout(10):
            while thread.last is None or thread.last[1] == 0 or thread.last[1] != thread.last[2]:
                await asyncio.sleep(0.02)
        # immutable=1: SQLite reads the file alone, as if no log existed.
        with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as file_only:
            assert file_only.execute("SELECT blob FROM ballast").fetchall() == [(b"kept",)]
    finally:
        await db.close()
    assert not [t for t in threading.enumerate() if t.name == "filmbot-db-checkpoint"]


async def test_a_checkpoint_that_meets_a_lock_is_skipped_not_raised(tmp_path: Path) -> None:
    """Another process's checkpoint (or a file gone) makes one run fail: it is counted as not run, and the
    next one goes ahead."""
    path = tmp_path / "f.db"
    db = await _open(path)
    await db.close()
    keeper = checkpointer.Checkpointer(str(path))
    with sqlite3.connect(path, isolation_level=None) as conn:
        closed = sqlite3.connect(path)
        closed.close()
        keeper.checkpoint(closed)  # a closed connection: sqlite3.ProgrammingError, a sqlite3.Error
        assert keeper.runs == 0
        keeper.checkpoint(conn)
        assert keeper.runs == 1 and keeper.last is not None and keeper.last[0] == 0
