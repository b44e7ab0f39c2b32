"""posted_prompts: what each server's discussion prompts used, read back as a rotation."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.db import Database
from bot.core.time import utc_now_iso
from bot.discussion.rotation import PromptUse, RotationState

RECENT_PROMPTS = 30


class PromptStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def rotation(self, guild_id: int, theme: str, film_key: str) -> RotationState:
        cycle = (
            await self.db.fetchval(
                "SELECT max(cycle) FROM posted_prompts WHERE guild_id = ? AND theme = ? AND film_key = ?",
                (guild_id, theme, film_key),
                default=None,
            )
            or 0
        )
        rows = await self.db.fetchall(
            "SELECT passage_id FROM posted_prompts"
            " WHERE guild_id = ? AND theme = ? AND film_key = ? AND cycle = ?",
            (guild_id, theme, film_key, cycle),
        )
        last = await self.db.fetchval(
            "SELECT critic_key FROM posted_prompts WHERE guild_id = ? AND theme = ? AND film_key = ?"
            " ORDER BY id DESC LIMIT 1",
            (guild_id, theme, film_key),
        )
        recent = await self.db.fetchall(
            "SELECT passage_id FROM posted_prompts WHERE guild_id = ? ORDER BY id DESC LIMIT ?",
            (guild_id, RECENT_PROMPTS),
        )
        return RotationState(cycle, frozenset(r[0] for r in rows), last, frozenset(r[0] for r in recent))

    async def last_theme(self, guild_id: int, film_key: str) -> str | None:
        """The theme of this server's most recent prompt for that film scope."""
        return await self.db.fetchval(
            "SELECT theme FROM posted_prompts WHERE guild_id = ? AND film_key = ? ORDER BY id DESC LIMIT 1",
            (guild_id, film_key),
        )

    async def record(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        thread_id: int | None,
        kind: str,
        theme: str,
        film_key: str,
        film: str | None,
        uses: Sequence[PromptUse],
        source: str,
    ) -> None:
        """Every passage of one prompt, in one transaction (all or nothing)."""
        at = utc_now_iso()
        shared = (guild_id, channel_id, message_id, thread_id, kind, theme, film_key, film)
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO posted_prompts(guild_id, channel_id, message_id, thread_id, kind, theme,"
                " film_key, film, cycle, passage_id, critic_key, source, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*shared, use.cycle, use.passage_id, use.critic_key, source, at) for use in uses],
            )

