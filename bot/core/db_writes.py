"""Group commit: one-hop writes queue up and go to the writer thread (writer_thread.py) in batches, each its own transaction.

Under load a trip to the database thread costs a loop round trip and a GIL hand-over, and a write lock
held across the trip made every queued write wait for the one before it to come back: 200 servers'
/discuss records were 200 trips in a row. A batch is one trip; each write in it still commits or rolls
back alone, so one failing write never takes another with it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class RunOnWriter(Protocol):
    """Runs `work(connection, *args)` on the thread that owns the write connection."""

    async def __call__(self, work: Callable[..., T], *args: Any) -> T: ...


def transact(raw: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work` inside BEGIN IMMEDIATE … COMMIT, on the writer thread; rolled back on any error."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        result = work(raw)
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:  # SQLite may already have rolled back (disk full): keep the real error
            raw.execute("ROLLBACK")
        raise
    return result


@dataclass(frozen=True)
class Executed:
    """What a write statement reports once its cursor is closed."""

    rowcount: int
    lastrowid: int | None


def execute_closed(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> Executed:
    """One autocommitted statement, its cursor closed: an open cursor would block the next COMMIT."""
    cursor = raw.execute(sql, params)
    try:
        return Executed(cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


@dataclass
class _Write:
    work: Callable[[sqlite3.Connection], Any]
    in_transaction: bool  # in its own BEGIN IMMEDIATE … COMMIT (else one autocommitted statement)
    future: asyncio.Future[Any]


def _run_one(raw: sqlite3.Connection, work: Callable[[sqlite3.Connection], T], in_transaction: bool) -> T:
    return transact(raw, work) if in_transaction else work(raw)


def _run_writes(raw: sqlite3.Connection, writes: list[_Write]) -> list[tuple[bool, Any]]:
    """A batch, one write after another on the writer thread: (True, result) or (False, error) each."""
    outcomes: list[tuple[bool, Any]] = []
    for write in writes:
        try:
            outcomes.append((True, _run_one(raw, write.work, write.in_transaction)))
        except BaseException as error:  # noqa: BLE001 - handed to the write's own caller
            outcomes.append((False, error))
    return outcomes


class WriteQueue:
    """The writes waiting for the database thread, and the one task that sends them."""

    def __init__(self, run: RunOnWriter, lock: asyncio.Lock) -> None:
        self.run = run
        self.lock = lock  # Database's write lock: multi-hop transactions never interleave with a batch
        self._queued: list[_Write] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, work: Callable[[sqlite3.Connection], T], *, in_transaction: bool) -> T:
        """Run `work` on the database thread with whatever else is queued; its result or its error."""
        if not self._queued and not self.lock.locked() and (self._flusher is None or self._flusher.done()):
            # Nothing else in flight: straight to the thread, as one write alone always went (a queue and a
            # flusher task cost a lone write ~15 %: 6,100 -> 5,200 votes/s). Writes arriving meanwhile
            # queue behind the lock and leave together.
            async with self.lock:
                return await self.run(_run_one, work, in_transaction)
        loop = asyncio.get_running_loop()
        write = _Write(work, in_transaction, loop.create_future())
        self._queued.append(write)
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="filmbot-db-writes")
        # A caller cancelled before its batch leaves is dropped from it; once sent, its write still runs
        # (as a statement handed to aiosqlite always did).
        result: T = await write.future
        return result

    async def drain(self) -> None:
        """Wait until every queued write has its outcome (before the connection closes)."""
        if self._flusher is not None and not self._flusher.done():
            await asyncio.wait([self._flusher])

    async def _flush(self) -> None:
        batch: list[_Write] = []
        try:
            while self._queued:
                async with self.lock:  # the batch is taken once the lock is ours: what queued meanwhile joins it
                    batch, self._queued = [w for w in self._queued if not w.future.done()], []
                    if not batch:
                        continue
                    outcomes = await self.run(_run_writes, batch)
                for write, (ok, value) in zip(batch, outcomes, strict=True):
                    if write.future.done():
                        continue
                    if ok:
                        write.future.set_result(value)
                    else:
                        write.future.set_exception(value)
                batch = []
        except Exception as error:  # noqa: BLE001 - the connection is gone: each waiting write fails with it
            self._fail(batch, error)
        except BaseException:  # cancelled (the loop is shutting down): nothing waiting may hang
            self._fail(batch, sqlite3.InterfaceError("the database is closing"))
            raise

    def _fail(self, batch: list[_Write], error: Exception) -> None:
        for write in batch + self._queued:
            if not write.future.done():
                write.future.set_exception(error)
        self._queued = []
