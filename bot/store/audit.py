"""The audit trail: who changed what in the corpus or settings, and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from .base import Database, utc_now_iso


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

    async def history(
        self, *, target_type: str | None = None, target_id: int | None = None, limit: int = 20
    ) -> list[AuditEntry]:
        sql = "SELECT * FROM audit_log"
        params: list[Any] = []
        clauses = []
        if target_type is not None:
            clauses.append("target_type = ?")
            params.append(target_type)
        if target_id is not None:
            clauses.append("target_id = ?")
            params.append(target_id)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        rows = await self.db.fetchall(sql, params)
        return [
            AuditEntry(
                r["id"], r["guild_id"], r["actor_id"], r["action"], r["target_type"], r["target_id"],
                json.loads(r["before_json"]) if r["before_json"] else None,
                json.loads(r["after_json"]) if r["after_json"] else None,
                r["at"],
            )
            for r in rows
        ]
