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

    async def save(
        self, guild_id: int, user_id: int, meta: dict[str, Any], *, kind: str = "form", body: str | None = None
    ) -> int:
        """A new draft: kind 'form' (a /review add form, metadata only) or 'link' (a fetched page's
        preview: metadata and the article text)."""
        async with self.db.transaction() as conn:
            now = utc_now_iso()
            cutoff = (datetime.fromisoformat(now) - DRAFT_LIFETIME).isoformat(timespec="seconds")
            await conn.execute("DELETE FROM review_drafts WHERE created_at < ?", (cutoff,))  # abandoned forms
            cursor = await conn.execute(
                "INSERT INTO review_drafts(guild_id, user_id, meta_json, created_at, kind, body)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, user_id, json.dumps(meta, ensure_ascii=False), now, kind, body),
            )
            return inserted_id(cursor)

    async def link(self, draft_id: int, user_id: int) -> tuple[dict[str, Any], str] | None:
        """A link preview's (metadata, text), left in place (Save, Edit details and Cancel read it)."""
        row = await self.db.fetchone(
            "SELECT meta_json, body FROM review_drafts WHERE id = ? AND user_id = ? AND kind = 'link'",
            (draft_id, user_id),
        )
        return None if row is None else (json.loads(row[0]), row[1] or "")

    async def update_link(self, draft_id: int, user_id: int, meta: dict[str, Any]) -> bool:
        """New metadata for a link preview (Edit details); False when it is gone."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE review_drafts SET meta_json = ? WHERE id = ? AND user_id = ? AND kind = 'link'",
                (json.dumps(meta, ensure_ascii=False), draft_id, user_id),
            )
            return cursor.rowcount > 0

    async def discard(self, draft_id: int, user_id: int) -> bool:
        """Delete a link preview (saved or cancelled); False when it was already gone."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM review_drafts WHERE id = ? AND user_id = ? AND kind = 'link'", (draft_id, user_id)
            )
            return cursor.rowcount > 0

    async def take(self, draft_id: int, user_id: int) -> dict[str, Any] | None:
        """The draft's metadata, deleted in the same transaction: a second submit gets None."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT meta_json FROM review_drafts WHERE id = ? AND user_id = ? AND kind = 'form'",
                (draft_id, user_id),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            await conn.execute("DELETE FROM review_drafts WHERE id = ?", (draft_id,))
        return json.loads(row[0])
