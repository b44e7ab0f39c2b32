"""Pending /review add forms: saved when the form opens, taken exactly once when it is submitted."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.core.db import Database, inserted_id
from bot.core.time import utc_now_iso

DRAFT_LIFETIME = timedelta(hours=24)


class DraftStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, guild_id: int, user_id: int, meta: dict[str, Any]) -> int:
        async with self.db.transaction() as conn:
            now = utc_now_iso()
            cutoff = (datetime.fromisoformat(now) - DRAFT_LIFETIME).isoformat(timespec="seconds")
            await conn.execute("DELETE FROM review_drafts WHERE created_at < ?", (cutoff,))  # abandoned forms
            cursor = await conn.execute(
                "INSERT INTO review_drafts(guild_id, user_id, meta_json, created_at) VALUES (?, ?, ?, ?)",
                (guild_id, user_id, json.dumps(meta, ensure_ascii=False), now),
            )
            return inserted_id(cursor)

    async def take(self, draft_id: int, user_id: int) -> dict[str, Any] | None:
        """The draft's metadata, deleted in the same transaction: a second submit gets None."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT meta_json FROM review_drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            await conn.execute("DELETE FROM review_drafts WHERE id = ?", (draft_id,))
        return json.loads(row[0])
