"""question_suggestions: members' suggested questions, and their approval into theme_questions."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import aiosqlite

from bot.core.db import Database
from bot.core.shards import Shards, owned
from bot.core.store import AuditStore
from bot.core.text import film_label
from bot.core.time import iso
from bot.discussion.questions_store import QuestionStore
from bot.discussion.suggestion_rules import ANY_THEME, SUGGEST_EVERY_S, Suggestion

_COLUMNS = "id, guild_id, user_id, question, theme, film_id, credit, state, log_channel_id, log_message_id"


def _suggestion(row: aiosqlite.Row) -> Suggestion:
    return Suggestion(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8], row[9])


class SuggestionStore:
    def __init__(self, db: Database, questions: QuestionStore) -> None:
        self.db = db
        self.questions = questions

    async def create(
        self, *, guild_id: int, user_id: int, question: str, theme: str | None, film_id: int | None,
        credit: bool, now: datetime,
    ) -> tuple[int | None, datetime | None]:
        """(new id, None), or (None, when the member may suggest again) if they suggested within the hour.

        The check and the insert are one transaction (two suggestions sent at once make one row), in one
        hop to the database thread (Database.in_one_hop)."""

        def work(raw: sqlite3.Connection) -> tuple[int | None, datetime | None]:
            since = iso(now - timedelta(seconds=SUGGEST_EVERY_S))
            row = raw.execute(  # a suggestion, or the time of one its author had forgotten (/rate forget-me)
                "SELECT max(at) FROM (SELECT created_at AS at FROM question_suggestions"
                " WHERE guild_id = ? AND user_id = ? AND created_at > ?"
                " UNION ALL SELECT at FROM member_limit_marks"
                " WHERE kind = 'suggest' AND guild_id = ? AND user_id = ? AND at > ?) AS recent",
                (guild_id, user_id, since, guild_id, user_id, since),
            ).fetchone()
            if row is not None and row[0] is not None:
                return None, datetime.fromisoformat(row[0]) + timedelta(seconds=SUGGEST_EVERY_S)
            done = raw.execute(
                "INSERT INTO question_suggestions(guild_id, user_id, question, theme, film_id, credit, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (guild_id, user_id, question, theme, film_id, int(credit), iso(now)),
            )
            if done.lastrowid is None:
                raise RuntimeError("the INSERT created no row")
            return int(done.lastrowid), None

        return await self.db.in_one_hop(work)

    async def get(self, suggestion_id: int) -> Suggestion | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM question_suggestions WHERE id = ?", (suggestion_id,))
        return None if row is None else _suggestion(row)

    async def film_label(self, film_id: int | None) -> str | None:
        """'Title (Year)' of a suggestion's film, None for any film (or a film since removed)."""
        if film_id is None:
            return None
        row = await self.db.fetchone("SELECT title, year FROM films WHERE id = ?", (film_id,))
        return None if row is None else film_label(row[0], row[1])

    async def set_log_message(self, suggestion_id: int, channel_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE question_suggestions SET log_channel_id = ?, log_message_id = ? WHERE id = ?",
            (channel_id, message_id, suggestion_id),
        )

    # -- log messages to edit after their author's /rate forget-me (suggestion_retractions, written by forget-me)

    async def next_retraction(self, shards: Shards | None = None) -> str | None:
        mine, params = owned(shards)
        due = await self.db.fetchval(f"SELECT min(due) FROM suggestion_retractions WHERE {mine}", params)
        return None if due is None else str(due)

    async def due_retractions(self, now: datetime, shards: Shards | None = None,
                              limit: int = 50) -> list[tuple[int, int, str, int, str]]:
        """(message id, channel id, due, attempts, kind) of the retractions due at `now`, oldest first; kind is
        'question' or 'watchlist' (migration 188)."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            "SELECT message_id, channel_id, due, attempts, kind FROM suggestion_retractions"
            f" WHERE due <= ? AND {mine} ORDER BY due LIMIT ?",
            (iso(now), *params, limit),
        )
        return [(int(row[0]), int(row[1]), str(row[2]), int(row[3]), str(row[4])) for row in rows]

    async def claim_retraction(self, message_id: int, due: str, until: datetime) -> bool:
        """Take the retraction read as due at `due` for one try, until `until` (a process that dies mid-try
        leaves it to the next pass after that); False: another process took it first."""
        done = await self.db.execute(
            "UPDATE suggestion_retractions SET due = ? WHERE message_id = ? AND due = ?",
            (iso(until), message_id, due),
        )
        return done.rowcount == 1

    async def retracted(self, message_id: int) -> None:
        await self.db.execute("DELETE FROM suggestion_retractions WHERE message_id = ?", (message_id,))

    async def retry_retraction(self, message_id: int, attempts: int, due: datetime) -> None:
        await self.db.execute(
            "UPDATE suggestion_retractions SET attempts = ?, due = ? WHERE message_id = ?",
            (attempts, iso(due), message_id),
        )

    async def withdraw(self, suggestion_id: int) -> None:
        """Forget a suggestion no moderator could be shown (its log message failed): as if never sent."""
        await self.db.execute("DELETE FROM question_suggestions WHERE id = ? AND state = 'pending'", (suggestion_id,))

    async def decide(
        self, suggestion_id: int, *, approve: bool, moderator_id: int, guild_id: int, now: datetime
    ) -> Suggestion | None:
        """Approve (the question joins the server's questions) or reject, once, audited; None if already decided
        (or another server's: only `guild_id`'s moderators decide its suggestions)."""
        state = "approved" if approve else "rejected"
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE question_suggestions SET state = ?, decided_by = ?, decided_at = ?"
                " WHERE id = ? AND guild_id = ? AND state = 'pending'",
                (state, moderator_id, iso(now), suggestion_id, guild_id),
            )
            if not cur.rowcount:
                return None
            async with conn.execute(
                f"SELECT {_COLUMNS} FROM question_suggestions WHERE id = ?", (suggestion_id,)
            ) as read:
                row = await read.fetchone()
            assert row is not None  # just updated, inside this transaction
            suggestion = _suggestion(row)
            if approve:
                await self.questions.add_in(
                    conn, guild_id=suggestion.guild_id, theme=suggestion.theme or ANY_THEME,
                    film_key="" if suggestion.film_id is None else str(suggestion.film_id),
                    question=suggestion.question, actor_id=moderator_id,
                    suggested_by=suggestion.user_id if suggestion.credit else None,
                )
            await AuditStore.record(
                conn, guild_id=suggestion.guild_id, actor_id=moderator_id, action=f"suggestion.{state}",
                target_type="suggestion", target_id=suggestion_id,
                after={"question": suggestion.question, "theme": suggestion.theme, "film_id": suggestion.film_id,
                       "by": suggestion.user_id},
            )
        return suggestion
