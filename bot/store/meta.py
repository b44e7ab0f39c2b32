"""Key/value facts about the database itself (bundle hash, synced command hash)."""

from __future__ import annotations

from .base import Database


class MetaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        return await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (key,))

    async def set(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
