"""WAL checkpoints on a thread of their own, so no write waits for one.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with an fsync of each file)
inside the commit that takes the log past `wal_autocheckpoint` pages (1,000 by default). That commit is
one of the bot's: a vote or a prompt record then held the writer thread, and every write queued behind it,
for 8–50 ms every few thousand writes (bench: the one-off database-thread holds of `/debate film:`).

Here a daemon thread with its own connection runs a PASSIVE checkpoint every CHECKPOINT_EVERY seconds. A
passive checkpoint takes no writer lock and waits for nobody: writers keep appending to the log while it
copies, readers keep reading. The bot's own connections keep an autocheckpoint only as a backstop
(BACKSTOP_PAGES, ~40 MB of log) for a burst of writes this thread could not keep up with.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 0.5  # seconds between passive checkpoints
BACKSTOP_PAGES = 10_000  # the bot's connections' own autocheckpoint, should this thread fall behind
# A log that grew big (an import) is cut back to this when SQLite restarts it, instead of staying that size.
LOG_SIZE_LIMIT = 64 * 1024 * 1024
# Applied to every connection that writes (aiosqlite's and the writer thread's) once checkpoints run here.
WRITER_PRAGMAS = (f"wal_autocheckpoint={BACKSTOP_PAGES}", f"journal_size_limit={LOG_SIZE_LIMIT}")


class Checkpointer:
    """`start()`, then `await stop()`; `last` is the latest checkpoint's (busy, log frames, frames copied)."""

    def __init__(self, path: str, every: float | None = None) -> None:
        self.path = path
        self.every = CHECKPOINT_EVERY if every is None else every
        self.runs = 0
        self.last: tuple[int, int, int] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="filmbot-db-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    async def stop(self) -> None:
        """End the thread (a checkpoint under way finishes first: it never waits for a lock)."""
        self._stopping.set()
        if self._thread.is_alive():
            await asyncio.to_thread(self._thread.join)

    def _serve(self) -> None:
        try:
            # timeout=0: a checkpoint never waits for a lock another connection holds; it tries again later.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        except sqlite3.Error:
            log.warning("WAL checkpoints: cannot open %s; commits checkpoint by themselves", self.path, exc_info=True)
            return
        try:
            while not self._stopping.wait(self.every):
                self.checkpoint(conn)
        finally:
            conn.close()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:  # "database is locked" (another process's checkpoint), a file gone: next time
            log.debug("WAL checkpoint skipped", exc_info=True)
            return
        self.runs += 1
        self.last = (int(row[0]), int(row[1]), int(row[2])) if row is not None else None
