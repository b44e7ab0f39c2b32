"""The writer: one SQLite connection owned by one thread, fed by a queue (as datasette's write thread is).

Group commit (db_writes.py) runs whole transactions written for sqlite3 (`work(raw)`) in one hop from the
event loop. aiosqlite offers no public way to run a function on its own thread, so the writes have a thread
of their own instead of reaching into aiosqlite's private `_execute`/`_conn`: the loop puts `(work, future)`
on the queue, the thread runs it on its connection and settles the future through the loop. Database's
write lock keeps this connection and aiosqlite's (multi-hop `transaction()`s) from writing at once; WAL lets
either read while the other writes.

The thread is a daemon: a bot that is never closed (a crashed test, a killed playground) must not keep the
interpreter alive.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from functools import partial
from queue import SimpleQueue
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Callable[[], Any], asyncio.Future[Any]] | None  # None: close the connection and stop


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # the caller was cancelled meanwhile: its write still ran (as one sent to aiosqlite did)
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


class WriterThread:
    """`await writer.run(work, *args)` runs `work(connection, *args)` on the writer's thread."""

    def __init__(self, opener: Callable[[], sqlite3.Connection], name: str = "filmbot-db-writer") -> None:
        self._queue: SimpleQueue[_Job] = SimpleQueue()
        self._conn: sqlite3.Connection | None = None
        self._opener = opener
        self._closed = False
        self.runs = 0  # trips taken: tests count hops with it
        self.longest_hold = 0.0  # seconds of the longest job since the bench last set it to 0
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)

    @classmethod
    async def start(cls, opener: Callable[[], sqlite3.Connection]) -> WriterThread:
        """A running writer whose connection `opener()` made on the writer's own thread."""
        writer = cls(opener)
        await writer._open()
        return writer

    async def _open(self) -> None:
        self._thread.start()
        self._conn = await self._submit(self._opener)

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        if self._closed or self._conn is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        self.runs += 1
        result: T = await self._submit(partial(work, self._conn, *args))
        return result

    async def close(self) -> None:
        """Close the connection on its thread, then let the thread end (work queued before runs first)."""
        if self._closed:
            return
        self._closed = True
        conn = self._conn
        if conn is not None:
            await self._submit(conn.close)
        self._queue.put(None)

    def _submit(self, job: Callable[[], T]) -> asyncio.Future[T]:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((job, future))
        return future

    def _serve(self) -> None:
        while (item := self._queue.get()) is not None:
            job, future = item
            start = time.perf_counter()
            try:
                outcome: tuple[bool, Any] = (True, job())
            except BaseException as error:  # noqa: BLE001 - handed to the caller's future
                outcome = (False, error)
            self.longest_hold = max(self.longest_hold, time.perf_counter() - start)
            try:
                future.get_loop().call_soon_threadsafe(_settle, future, *outcome)
            except RuntimeError:  # the loop is closed: nobody waits for this any more
                pass
