"""The connection wrapper every store uses: reads run freely, writes queue behind one lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import aiosqlite


def utc_now_iso() -> str:
    """UTC ISO-8601 with seconds, the one time format stored in text columns."""
    # discord.utils.utcnow is what simcord moves; import lazily so the store stays usable without discord.
    try:
        from discord.utils import utcnow
    except ImportError:  # pragma: no cover
        return datetime.now(UTC).isoformat(timespec="seconds")
    return utcnow().isoformat(timespec="seconds")


class Database:
    """One aiosqlite connection shared by every store.

    aiosqlite runs statements in order on one thread, but coroutines interleave between
    them: a write issued while another coroutine is inside BEGIN…COMMIT would silently join
    (and could be rolled back with) that transaction. So every write takes `_write_lock`.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._write_lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error, one writer at a time."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Cursor:
        """One autocommitted write statement."""
        async with self._write_lock:
            cursor = await self.conn.execute(sql, params)
            await cursor.close()  # an open cursor would block the next COMMIT
            return cursor

    # execute_fetchall runs, reads and closes in one hop to aiosqlite's thread (instead of three):
    # each hop is a loop round trip, and they dominate a simple command's latency.
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Sequence[Any] = (), default: Any = None) -> Any:
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    async def close(self) -> None:
        await self.conn.close()
