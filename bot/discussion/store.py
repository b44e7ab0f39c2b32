"""posted_prompts: what each server's discussion prompts used, read back as a rotation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from bot.core.db import Database
from bot.core.time import utc_now_iso
from bot.corpus.passage import RECENT_PROMPTS
from bot.discussion.rotation import PromptUse, RotationState


class PromptStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def rotation(self, guild_id: int, theme: str, film_key: str) -> RotationState:
        """Where a rotation stands (its used set as a list: /debate's pool needs it), in one statement."""
        mine = "guild_id = :guild AND theme = :theme AND film_key = :film"
        used = f"(SELECT json_group_array(passage_id) FROM posted_prompts WHERE {mine} AND cycle = (SELECT now FROM c))"
        row = await self.db.fetchone(
            f"WITH c(now) AS (SELECT coalesce(max(cycle), 0) FROM posted_prompts WHERE {mine})"
            f" SELECT (SELECT now FROM c), {used},"
            f" (SELECT critic_key FROM posted_prompts WHERE {mine} ORDER BY id DESC LIMIT 1),"
            " (SELECT json_group_array(passage_id) FROM (SELECT passage_id FROM posted_prompts"
            "  WHERE guild_id = :guild ORDER BY id DESC LIMIT :recent))",
            {"guild": guild_id, "theme": theme, "film": film_key, "recent": RECENT_PROMPTS},
        )
        assert row is not None
        cycle, used_ids, last, recent = row
        return RotationState(cycle, frozenset(json.loads(used_ids)), last, frozenset(json.loads(recent)))

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
        pending: bool = False,
        also: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        """Every passage of one prompt, in one transaction (all or nothing); `also`, another feature's write
        that belongs with it (the club's digest of the prompt's thread, `ThreadDigest.write`), in the same one."""
        at = utc_now_iso()
        shared = (guild_id, channel_id, message_id, thread_id, kind, theme, film_key, film)
        rows = [(*shared, use.cycle, use.passage_id, use.critic_key, source, at) for use in uses]

        def insert(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT INTO posted_prompts(guild_id, channel_id, message_id, thread_id, kind, theme,"
                " film_key, film, cycle, passage_id, critic_key, source, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            if pending:  # the timed prompt is recorded: nothing is left to complete (same transaction)
                conn.execute("DELETE FROM pending_prompts WHERE source = ?", (source,))
            if also is not None:
                also(conn)

        await self.db.in_one_hop(insert)  # BEGIN … COMMIT in one trip to the database thread

    async def hold(self, *, source: str, guild_id: int, channel_id: int, kind: str, theme: str, film_key: str,
                   film: str | None, thread_name: str | None, uses: Sequence[PromptUse]) -> None:
        """Keep what a timed prompt is about to post (migration 099), until `record(..., pending=True)`."""
        await self.db.execute(
            "INSERT INTO pending_prompts(source, guild_id, channel_id, kind, theme, film_key, film, thread_name,"
            " uses, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET"
            " guild_id = excluded.guild_id, channel_id = excluded.channel_id, kind = excluded.kind,"
            " theme = excluded.theme, film_key = excluded.film_key, film = excluded.film,"
            " thread_name = excluded.thread_name, uses = excluded.uses, at = excluded.at",
            (source, guild_id, channel_id, kind, theme, film_key, film, thread_name,
             json.dumps([[use.passage_id, use.critic_key, use.cycle] for use in uses]), utc_now_iso()),
        )

    async def release(self, source: str) -> None:
        """A timed prompt with no passage to record (generic questions only) is posted: nothing to complete."""
        await self.db.execute("DELETE FROM pending_prompts WHERE source = ?", (source,))

    async def held(self, source: str) -> dict[str, Any] | None:
        """The pending timed prompt of this source, if it was never recorded."""
        row = await self.db.fetchone(
            "SELECT guild_id, channel_id, kind, theme, film_key, film, thread_name, uses FROM pending_prompts"
            " WHERE source = ?", (source,))
        if row is None:
            return None
        keys = ("guild_id", "channel_id", "kind", "theme", "film_key", "film", "thread_name")
        held: dict[str, Any] = dict(zip(keys, tuple(row)[:7], strict=True))
        held["uses"] = [PromptUse(int(p), str(c), int(n)) for p, c, n in json.loads(row[7])]
        return held

