"""theme_questions: a server's own discussion questions per theme, and the bundled ones it hid."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.core.db import Database, GuildsWith
from bot.core.store import AuditStore
from bot.core.time import utc_now_iso


@dataclass(frozen=True)
class QuestionRow:
    theme: str
    film_key: str  # films.id as text, '' = every film
    question: str
    action: str  # 'add' (an extra question) or 'remove' (a hidden bundled one)


class QuestionStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Every prompt reads its server's edits: most servers have none.
        self._edited = GuildsWith(db, "SELECT DISTINCT guild_id FROM theme_questions")

    async def rows(
        self, guild_id: int, theme: str | None = None, film_key: str | None = None, *, any_theme: bool = False
    ) -> list[QuestionRow]:
        """The server's edits, for one theme and/or one film (its own and those for every film); with
        `any_theme`, also the approved member suggestions written for any theme (theme '*')."""
        if not await self._edited.may_have(guild_id):
            return []
        sql = "SELECT theme, film_key, question, action FROM theme_questions WHERE guild_id = ?"
        params: list[object] = [guild_id]
        if theme is not None:
            sql += " AND theme IN (?, '*')" if any_theme else " AND theme = ?"
            params.append(theme)
        if film_key is not None:
            sql += " AND film_key IN ('', ?)"
            params.append(film_key)
        rows = await self.db.fetchall(sql + " ORDER BY id", params)
        if rows:
            self._edited.add(guild_id)  # another process's edit, found on a re-check: kept from now on
        return [QuestionRow(row[0], row[1], row[2], row[3]) for row in rows]

    async def add_in(
        self, conn: aiosqlite.Connection, *, guild_id: int, theme: str, film_key: str, question: str,
        actor_id: int, suggested_by: int | None,
    ) -> bool:
        """Add one question inside the caller's transaction (an approved suggestion); False if it was there."""
        self._edited.add(guild_id)
        cur = await conn.execute(
            "INSERT OR IGNORE INTO theme_questions(guild_id, theme, film_key, question, action, actor_id, at,"
            " suggested_by) VALUES (?, ?, ?, ?, 'add', ?, ?, ?)",
            (guild_id, theme, film_key, question, actor_id, utc_now_iso(), suggested_by),
        )
        return bool(cur.rowcount)

    async def change(
        self, *, guild_id: int, theme: str, film_key: str, question: str, action: str, actor_id: int,
        bundled: bool = False,
    ) -> str:
        """Add or remove one question, audited; returns what happened.

        add: 'restored' (it was a hidden bundled one), 'added' or 'exists'.
        remove: 'removed' (an added one), 'hidden' (bundled: kept as a suppression), 'exists' or 'unknown'.
        """
        opposite = "remove" if action == "add" else "add"
        self._edited.add(guild_id)
        async with self.db.transaction() as conn:
            where = "guild_id = ? AND theme = ? AND film_key = ? AND question = ? COLLATE NOCASE AND action = ?"
            cur = await conn.execute(
                f"DELETE FROM theme_questions WHERE {where}", (guild_id, theme, film_key, question, opposite)
            )
            if cur.rowcount:
                outcome = "restored" if action == "add" else "removed"
            elif action == "remove" and not bundled:
                return "unknown"
            else:
                cur = await conn.execute(
                    "INSERT OR IGNORE INTO theme_questions(guild_id, theme, film_key, question, action, actor_id, at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (guild_id, theme, film_key, question, action, actor_id, utc_now_iso()),
                )
                if not cur.rowcount:
                    return "exists"
                outcome = "added" if action == "add" else "hidden"
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=actor_id, action=f"theme.question.{action}",
                target_type="theme", target_id=None,
                after={"theme": theme, "film": film_key or None, "question": question, "outcome": outcome},
            )
        return outcome
