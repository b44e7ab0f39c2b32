"""Polls, their options and votes: every statement behind /poll and the poll deadline job."""

from __future__ import annotations

import sqlite3
from typing import Any

import aiosqlite

from bot.core.db import Database
from bot.core.shards import Shards, owned
from bot.core.store import CloseStates
from bot.polls.rules import Poll, Tally, VoteOutcome

_POLL_COLUMNS = (
    "id, guild_id, channel_id, message_id, creator_id, kind, question, multiple, anonymous, hide_results,"
    " theme, created_at, deadline, closed_at, film_id"
)


async def _run(conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
    """One statement inside a transaction; the cursor is closed at once so COMMIT can run."""
    async with conn.execute(sql, params) as cur:
        return cur.rowcount


class PollStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.closing = CloseStates(db, "polls")  # closing → announced | abandoned (bot/core/closing.py)

    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        creator_id: int,
        kind: str,
        question: str,
        options: tuple[str, ...],
        multiple: bool,
        anonymous: bool,
        hide_results: bool,
        created_at: str,
        deadline: str,
        theme: str | None = None,
        film_id: int | None = None,
    ) -> int:
        """Store a poll and its options in one transaction; the message id comes once it is posted."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "INSERT INTO polls(guild_id, channel_id, creator_id, kind, question, multiple, anonymous,"
                " hide_results, theme, created_at, deadline, film_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    guild_id,
                    channel_id,
                    creator_id,
                    kind,
                    question,
                    int(multiple),
                    int(anonymous),
                    int(hide_results),
                    theme,
                    created_at,
                    deadline,
                    film_id,
                ),
            ) as cur:
                poll_id = cur.lastrowid
            await conn.executemany(
                "INSERT INTO poll_options(poll_id, option_id, label) VALUES (?, ?, ?)",
                [(poll_id, number, label) for number, label in enumerate(options, start=1)],
            )
        assert poll_id is not None
        return poll_id

    async def set_message(self, poll_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE polls SET message_id = ? WHERE id = ?", (message_id, poll_id))

    async def delete(self, poll_id: int) -> None:
        """Forget a poll whose message could not be posted (options and votes cascade)."""
        await self.db.execute("DELETE FROM polls WHERE id = ?", (poll_id,))

    async def get(self, poll_id: int) -> Poll | None:
        row = await self.db.fetchone(f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = ?", (poll_id,))
        if row is None:
            return None
        labels = await self.db.fetchall(
            "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY option_id", (poll_id,)
        )
        return _poll(row, tuple(r[0] for r in labels))

    async def open_polls(self, guild_id: int) -> list[Poll]:
        """This server's open polls, soonest deadline first."""
        rows = await self.db.fetchall(
            f"SELECT {_POLL_COLUMNS} FROM polls WHERE guild_id = ? AND closed_at IS NULL"
            " AND message_id IS NOT NULL ORDER BY deadline, id",
            (guild_id,),
        )
        return [_poll(row, ()) for row in rows]

    async def closed_polls(self, guild_id: int, limit: int = 200) -> list[Poll]:
        """This server's closed polls, most recently closed first (the newest `limit` of them)."""
        rows = await self.db.fetchall(
            f"SELECT {_POLL_COLUMNS} FROM polls WHERE guild_id = ? AND closed_at IS NOT NULL"
            " AND message_id IS NOT NULL ORDER BY closed_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_poll(row, ()) for row in rows]

    async def next_deadline(self, shards: Shards | None = None) -> str | None:
        mine, params = owned(shards)
        return await self.db.fetchval(f"SELECT MIN(deadline) FROM polls WHERE closed_at IS NULL AND {mine}", params)

    async def due(self, now_iso: str, shards: Shards | None = None) -> list[int]:
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT id FROM polls WHERE closed_at IS NULL AND deadline <= ? AND {mine} ORDER BY deadline, id",
            (now_iso, *params),
        )
        return [row[0] for row in rows]

    async def tally(self, poll_id: int) -> Tally:
        return await _tally(self.db, poll_id)

    async def voters_by_option(self, poll_id: int) -> dict[int, list[int]]:
        """Who chose what; callers must never use it for anonymous polls."""
        rows = await self.db.fetchall(
            "SELECT option_id, user_id FROM poll_votes WHERE poll_id = ? ORDER BY voted_at, user_id",
            (poll_id,),
        )
        out: dict[int, list[int]] = {}
        for option_id, user_id in rows:
            out.setdefault(option_id, []).append(user_id)
        return out

    async def vote(self, poll_id: int, user_id: int, option_id: int, now_iso: str) -> VoteOutcome | None:
        """One click, atomically: toggle in a multiple-choice poll; move or (same option) remove otherwise.

        None when the poll or option does not exist. A poll past its deadline takes no votes even if the
        deadline job has not closed it yet, so the final tally is the one at the deadline.
        """
        def work(raw: sqlite3.Connection) -> VoteOutcome | None:
            polls = raw.execute(
                "SELECT multiple, closed_at IS NOT NULL OR deadline <= ? FROM polls p WHERE id = ?"
                " AND EXISTS (SELECT 1 FROM poll_options o WHERE o.poll_id = p.id AND o.option_id = ?)",
                (now_iso, poll_id, option_id),
            ).fetchall()
            if not polls:
                return None
            multiple, ended = bool(polls[0][0]), bool(polls[0][1])
            if not ended:
                removed = raw.execute(
                    "DELETE FROM poll_votes WHERE poll_id = ? AND user_id = ? AND option_id = ?",
                    (poll_id, user_id, option_id),
                ).rowcount
                if not removed:
                    # Single choice: the partial unique index on (poll_id, user_id) turns a second
                    # choice into a move, in one statement.
                    raw.execute(
                        "INSERT INTO poll_votes(poll_id, user_id, option_id, single, voted_at)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (poll_id, user_id) WHERE single = 1"
                        " DO UPDATE SET option_id = excluded.option_id, voted_at = excluded.voted_at",
                        (poll_id, user_id, option_id, int(not multiple), now_iso),
                    )
            choices = raw.execute(
                "SELECT option_id FROM poll_votes WHERE poll_id = ? AND user_id = ? ORDER BY option_id",
                (poll_id, user_id),
            ).fetchall()
            return VoteOutcome(ended, tuple(r[0] for r in choices))

        # The whole click is one transaction run on the database thread: one hop, not five.
        return await self.db.in_one_hop(work)

    async def close(self, poll_id: int, now_iso: str, closed_by: int | None, *, retry_at: str | None = None
                    ) -> Tally | None:
        """Close once: the final tally if this call closed the poll, None if it was already closed."""
        async with self.db.transaction() as conn:
            flipped = await _run(
                conn,
                "UPDATE polls SET closed_at = ?, closed_by = ?, close_state = 'closing', next_close_at = ?"
                " WHERE id = ? AND closed_at IS NULL",
                (now_iso, closed_by, retry_at or now_iso, poll_id),
            )
            if flipped != 1:
                return None
            # Read inside the same transaction: no vote can land between closing and counting.
            return await _tally(self.db, poll_id)  # inside the transaction: its own writes are read

    async def set_results_message(self, poll_id: int, message_id: int) -> None:
        """The results are out: the poll is announced, its closing finished."""
        await self.closing.announced(poll_id, message_id)

    async def closing_due(self, now_iso: str, shards: Shards | None = None) -> list[int]:
        """Closed polls whose announcement is due (first try, a retry, or left over by a restart)."""
        return await self.closing.due(now_iso, shards)

    async def next_closing_at(self, shards: Shards | None = None) -> str | None:
        return await self.closing.next_at(shards)

    async def results_message(self, poll_id: int) -> int | None:
        """The id of the poll's results message, None while none was posted."""
        return await self.closing.results_message(poll_id)


async def _tally(db: Database, poll_id: int) -> Tally:
    """The counts per option and the voters. Inside a transaction `db` reads what it wrote (SQLite's one
    connection; PostgreSQL's reads follow the task's transaction)."""
    counts = await db.fetchall(
        "SELECT o.option_id, COUNT(v.user_id) FROM poll_options o LEFT JOIN poll_votes v"
        " ON v.poll_id = o.poll_id AND v.option_id = o.option_id WHERE o.poll_id = ?"
        " GROUP BY o.option_id ORDER BY o.option_id",
        (poll_id,),
    )
    voters = await db.fetchall("SELECT COUNT(DISTINCT user_id) FROM poll_votes WHERE poll_id = ?", (poll_id,))
    return Tally(tuple(r[1] for r in counts), voters[0][0])


def _poll(row: Any, options: tuple[str, ...]) -> Poll:
    return Poll(
        id=row[0],
        guild_id=row[1],
        channel_id=row[2],
        message_id=row[3],
        creator_id=row[4],
        kind=row[5],
        question=row[6],
        multiple=bool(row[7]),
        anonymous=bool(row[8]),
        hide_results=bool(row[9]),
        theme=row[10],
        created_at=row[11],
        deadline=row[12],
        closed_at=row[13],
        options=options,
        film_id=row[14],
    )
