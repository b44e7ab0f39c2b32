"""Shared state: the audit trail, per-server settings and facts about the database itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.core.db import Database
from bot.core.shards import Shards, owned
from bot.core.time import utc_now_iso


@dataclass(frozen=True)
class AuditEntry:
    id: int
    guild_id: int | None
    actor_id: int | None
    action: str
    target_type: str
    target_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: str


class AuditStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    async def record(
        conn: aiosqlite.Connection,
        *,
        guild_id: int | None,
        actor_id: int | None,
        action: str,
        target_type: str,
        target_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Write one entry inside the caller's transaction, so the change and its record land together."""
        await conn.execute(
            "INSERT INTO audit_log(guild_id, actor_id, action, target_type, target_id, before_json,"
            " after_json, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                actor_id,
                action,
                target_type,
                target_id,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
                utc_now_iso(),
            ),
        )

# Per-server settings: moderator role, time zone, log channel.

@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    moderator_role_id: int | None = None
    timezone: str | None = None
    log_channel_id: int | None = None


_COLUMNS = ("moderator_role_id", "timezone", "log_channel_id")


class GuildStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetchone(
            "SELECT moderator_role_id, timezone, log_channel_id FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return GuildSettings(guild_id)
        return GuildSettings(guild_id, row[0], row[1], row[2])

    async def update(
        self, guild_id: int, *, actor_id: int | None = None, **values: int | str | None
    ) -> tuple[GuildSettings, GuildSettings]:
        """Set the given columns (None clears one) and audit the change, in one transaction.

        Returns (before, after). Unknown column names are a programming error.
        """
        unknown = set(values) - set(_COLUMNS)
        if unknown:
            raise KeyError(f"unknown guild setting(s): {sorted(unknown)}")
        async with self.db.transaction() as conn:
            before = await self._read(conn, guild_id)
            await conn.execute("INSERT OR IGNORE INTO guild_settings(guild_id) VALUES (?)", (guild_id,))
            for column, value in values.items():
                await conn.execute(
                    f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id)
                )
            after = await self._read(conn, guild_id)
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=actor_id, action="config", target_type="guild",
                target_id=guild_id, before=before.__dict__, after=after.__dict__,
            )
        return before, after

    @staticmethod
    async def _read(conn: aiosqlite.Connection, guild_id: int) -> GuildSettings:
        async with conn.execute(
            "SELECT moderator_role_id, timezone, log_channel_id FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        ) as cur:
            row = await cur.fetchone()
        return GuildSettings(guild_id) if row is None else GuildSettings(guild_id, row[0], row[1], row[2])


# Key/value facts about the database itself (bundle hash).

class MetaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        return await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (key,))


class RemovalStore:
    """The servers the bot was removed from and is not known to be back in (migration 211)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def removed(self, guild_id: int, at: str) -> None:
        await self.db.execute(
            "INSERT INTO guild_removals(guild_id, removed_at) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE SET"
            " removed_at = excluded.removed_at", (guild_id, at))

    async def back(self, guild_id: int, joined_at: str | None = None) -> bool:
        """The bot is in `guild_id`, joined at `joined_at` (ISO UTC with microseconds; None when not known): True for
        the one caller that learns it is back — a removal seen (migration 211), or a join later than the one
        recorded (migration 237: removed and invited back while the process was down, neither event seen). A
        server seen for the first time (a new install, an upgrade) is recorded, not taken for a return. Both marks
        are taken in one transaction, so a start's pass and a join racing for one server run a return once."""
        removed = await self.db.fetchval("SELECT 1 FROM guild_removals WHERE guild_id = ?", (guild_id,))
        recorded = await self.db.fetchval("SELECT joined_at FROM guild_memberships WHERE guild_id = ?", (guild_id,))
        if not removed and (joined_at is None or (recorded is not None and recorded >= joined_at)):
            return False  # a plain restart: reads only
        async with self.db.transaction() as conn:
            taken = await conn.execute("DELETE FROM guild_removals WHERE guild_id = ?", (guild_id,))
            moved = 0
            if joined_at is not None:
                first = await conn.execute(
                    "INSERT INTO guild_memberships(guild_id, joined_at) VALUES (?, ?) ON CONFLICT(guild_id) DO NOTHING",
                    (guild_id, joined_at))
                if first.rowcount != 1:
                    moved = (await conn.execute(
                        "UPDATE guild_memberships SET joined_at = ? WHERE guild_id = ? AND joined_at < ?",
                        (joined_at, guild_id, joined_at))).rowcount
            return taken.rowcount == 1 or moved == 1

    async def returns(self, joined: dict[int, str | None]) -> list[int]:
        """Of the servers the bot is in (`joined`: id → joined_at), those `back` may find it returned to: a removal
        recorded, a later join than recorded, or none recorded yet. Two reads, whatever the number of servers."""
        removed = set(await self.removed_from())
        recorded = {row[0]: row[1] for row in await self.db.fetchall("SELECT guild_id, joined_at FROM guild_memberships")}
        return sorted(guild_id for guild_id, at in joined.items() if guild_id in removed or (
            at is not None and (guild_id not in recorded or recorded[guild_id] < at)))

    async def removed_from(self) -> list[int]:
        return [row[0] for row in await self.db.fetchall("SELECT guild_id FROM guild_removals ORDER BY guild_id")]


NOTHING_TO_ANNOUNCE = "nothing to announce: "  # close_error of an announcement no later try could post


class CloseStates:
    """The closing columns of one feature's table (close_state, close_attempts, next_close_at, close_error,
    results_message_id; see migrations 006 and 055), for bot/core/closing.py and the feature's job."""

    def __init__(self, db: Database, table: str) -> None:
        if table not in ("polls", "filmnight_picks"):
            raise ValueError(table)
        self.db = db
        self.table = table

    async def due(self, now_iso: str, shards: Shards | None = None) -> list[int]:
        """Closed rows whose announcement is due (first try, a retry, or left over by a restart)."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT id FROM {self.table} WHERE close_state = 'closing' AND next_close_at <= ? AND {mine}"
            " ORDER BY next_close_at, id", (now_iso, *params),
        )
        return [row[0] for row in rows]

    async def take(self, row_id: int, now_iso: str, lease_iso: str) -> bool:
        """Claim one due announcement for this process until `lease_iso` (compare-and-swap on its due time):
        True for exactly one of several processes that saw it due. A claimer that dies leaves the row due
        again once the lease ends; the next attempt looks for an earlier post before posting."""
        done = await self.db.execute(
            f"UPDATE {self.table} SET next_close_at = ? WHERE id = ? AND close_state = 'closing'"
            " AND next_close_at <= ?", (lease_iso, row_id, now_iso),
        )
        return done.rowcount == 1

    async def next_at(self, shards: Shards | None = None) -> str | None:
        mine, params = owned(shards)
        return await self.db.fetchval(
            f"SELECT MIN(next_close_at) FROM {self.table} WHERE close_state = 'closing' AND {mine}", params)

    async def announced(self, row_id: int, message_id: int) -> None:
        """The results are out: closing is finished."""
        await self.db.execute(
            f"UPDATE {self.table} SET results_message_id = ?, close_state = 'announced', next_close_at = NULL,"
            " close_error = NULL WHERE id = ?", (message_id, row_id),
        )

    async def failed(self, row_id: int, error: str, next_iso: str | None) -> int:
        """Record a failed announcement; next_iso None gives up ('abandoned'). Returns the attempts so far."""
        state = "closing" if next_iso else "abandoned"
        await self.db.execute(
            f"UPDATE {self.table} SET close_attempts = close_attempts + 1, close_error = ?, next_close_at = ?,"
            " close_state = ? WHERE id = ? AND close_state = 'closing'", (error, next_iso, state, row_id),
        )
        return await self.attempts(row_id)

    async def abandoned_in(self, guild_id: int) -> list[tuple[int, int, str | None]]:
        """(id, channel_id, close_error) of one server's given-up announcements that a later try could post, oldest
        first (not those given up as NOTHING_TO_ANNOUNCE: no channel coming back brings their results back)."""
        rows = await self.db.fetchall(
            f"SELECT id, channel_id, close_error FROM {self.table} WHERE guild_id = ? AND close_state = 'abandoned'"
            " AND (close_error IS NULL OR close_error NOT LIKE ?) ORDER BY id",
            (guild_id, NOTHING_TO_ANNOUNCE + "%"))
        return [(row[0], row[1], row[2]) for row in rows]

    async def revive(self, row_id: int, now_iso: str) -> bool:
        """A given-up announcement due again now, with the whole back-off ladder; True if it was abandoned."""
        done = await self.db.execute(
            f"UPDATE {self.table} SET close_state = 'closing', close_attempts = 0, next_close_at = ?,"
            " close_error = NULL WHERE id = ? AND close_state = 'abandoned'", (now_iso, row_id))
        return done.rowcount == 1

    async def attempts(self, row_id: int) -> int:
        return await self.db.fetchval(f"SELECT close_attempts FROM {self.table} WHERE id = ?", (row_id,), 0)

    async def results_message(self, row_id: int) -> int | None:
        """The id of the results message, None while none was posted."""
        return await self.db.fetchval(f"SELECT results_message_id FROM {self.table} WHERE id = ?", (row_id,))
