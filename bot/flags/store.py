"""The SQL of flags and moderators' decisions: one flag per member per passage, the queue, the marks."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Literal

import aiosqlite

from bot.core.db import Database
from bot.core.store import AuditStore
from bot.core.time import from_iso, iso, utc_now_iso
from bot.corpus.changes_store import corpus_write
from bot.corpus.store import HIDDEN_IDS, CorpusWriter
from bot.flags.rules import FLAG_WINDOW_SECONDS, FLAGS_PER_HOUR, Decision, FlaggedPassage, Marks, Reason

FlagOutcome = Literal["flagged", "duplicate", "limited", "gone", "hidden"]
# A member's flags within the window, every server: their flags, plus those they had before /rate forget-me
# deleted them (member_limit_marks keeps the times and counts, no passage): forgetting resets no limit.
_RECENT = ("SELECT (SELECT count(*) FROM passage_flags WHERE user_id = ? AND at > ?)"
           " + (SELECT coalesce(sum(n), 0) FROM member_limit_marks WHERE kind = 'flag' AND user_id = ? AND at > ?)")

# This server's open flags, one row per passage, hidden passages left out (nothing left to decide).
_OPEN = f"FROM passage_flags WHERE guild_id = ? AND resolved_at IS NULL AND passage_id NOT IN ({HIDDEN_IDS})"


class FlagStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def reason_of(self, passage_id: int, user_id: int, guild_id: int) -> Reason | None:
        """The reason this member flagged the passage with in this server, if they did."""
        value = await self.db.fetchval(
            "SELECT reason FROM passage_flags WHERE passage_id = ? AND user_id = ? AND guild_id = ?",
            (passage_id, user_id, guild_id),
        )
        return None if value is None else Reason(value)

    async def recent(self, user_id: int) -> int:
        """The member's flags within the rate-limit window (every server)."""
        since = _window_start()
        return int(await self.db.fetchval(_RECENT, (user_id, since, user_id, since), default=0))

    async def flag(self, *, passage_id: int, user_id: int, guild_id: int, reason: Reason) -> FlagOutcome:
        """Record one flag; refused when the member already flagged it or flagged too much this hour.

        One transaction in one hop to the database thread (Database.in_one_hop)."""
        since, at = _window_start(), utc_now_iso()

        def work(raw: sqlite3.Connection) -> FlagOutcome:
            if raw.execute("SELECT 1 FROM passages WHERE id = ?", (passage_id,)).fetchone() is None:
                return "gone"
            # Hidden since its Flag was pressed: the queue leaves hidden passages out, so the flag would be
            # thanked for ("moderators will look at it") and never shown to one.
            if raw.execute(f"SELECT 1 FROM ({HIDDEN_IDS}) h WHERE h.passage_id = ?", (passage_id,)).fetchone():
                return "hidden"
            row = raw.execute(_RECENT, (user_id, since, user_id, since)).fetchone()
            if row is not None and row[0] >= FLAGS_PER_HOUR:
                return "limited"
            done = raw.execute(  # the PRIMARY KEY: one flag per member per passage per server
                "INSERT INTO passage_flags(passage_id, user_id, guild_id, reason, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (passage_id, user_id, guild_id, reason.value, at),
            )
            return "flagged" if done.rowcount else "duplicate"

        return await self.db.in_one_hop(work)

    async def queue(self, guild_id: int, page: int, size: int) -> tuple[int, list[FlaggedPassage]]:
        """(passages with open flags in this server, one page of them: most flagged first, then oldest)."""
        total = int(await self.db.fetchval(f"SELECT count(DISTINCT passage_id) {_OPEN}", (guild_id,), default=0))
        rows = await self.db.fetchall(
            "SELECT passage_id, count(CASE WHEN reason = 'reads_badly' THEN 1 END),"
            " count(CASE WHEN reason = 'wrong_film' THEN 1 END), count(CASE WHEN reason = 'spoiler' THEN 1 END)"
            f" {_OPEN} GROUP BY passage_id ORDER BY count(*) DESC, min(at), passage_id LIMIT ? OFFSET ?",
            (guild_id, size, page * size),
        )
        return total, [
            FlaggedPassage(row[0], {Reason.READS_BADLY: row[1], Reason.WRONG_FILM: row[2], Reason.SPOILER: row[3]})
            for row in rows
        ]

    async def open_counts(self, guild_id: int, passage_id: int) -> dict[Reason, int]:
        rows = await self.db.fetchall(
            "SELECT reason, count(*) FROM passage_flags WHERE guild_id = ? AND passage_id = ? AND resolved_at IS NULL"
            " GROUP BY reason",
            (guild_id, passage_id),
        )
        counts = {reason: 0 for reason in Reason}
        counts.update({Reason(row[0]): row[1] for row in rows})
        return counts

    async def original_text(self, passage_id: int) -> str | None:
        """The passage as segmented (before any trim)."""
        return await self.db.fetchval("SELECT text FROM passages WHERE id = ?", (passage_id,))

    async def decide(
        self, *, passage_id: int, decision: Decision, actor_id: int, guild_id: int, sentence: str | None = None,
        queued: bool = False,
    ) -> tuple[Marks, Marks] | Literal["decided"] | None:
        """Apply a moderator's decision (audited), resolve this server's open flags on the passage.

        Returns (marks before, marks after), or None when the passage no longer exists. Hide, show,
        spoiler and trim are stored by review body hash and passage text: corpus-wide, and kept
        across restarts and re-imports of an unchanged review. `queued`: a decision on the queue's flags,
        "decided" (nothing done) when this server has none open on the passage any more: another moderator
        decided first, in the same transaction's order.
        """
        async with corpus_write(self.db) as write:  # the summaries follow what is hidden
            conn = write.conn
            if queued:
                async with conn.execute(
                    "SELECT 1 FROM passage_flags WHERE passage_id = ? AND guild_id = ? AND resolved_at IS NULL"
                    " LIMIT 1", (passage_id, guild_id),
                ) as cur:
                    if await cur.fetchone() is None:
                        return "decided"
            async with conn.execute(
                "SELECT r.body_hash, p.text, p.review_id FROM passages p JOIN reviews r ON r.id = p.review_id"
                " WHERE p.id = ?", (passage_id,),
            ) as cur:
                found = await cur.fetchone()
            if found is None:
                return None
            body_hash, text, review_id = found
            await write.touching(review_id)
            before = await _marks(conn, body_hash, text)
            after = before.after(decision, sentence)
            if after != before:
                await conn.execute(
                    "INSERT INTO passage_decisions(body_hash, text, hidden, spoiler, trimmed, cleared, actor_id, at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(body_hash, text) DO UPDATE SET hidden = excluded.hidden,"
                    " spoiler = excluded.spoiler, trimmed = excluded.trimmed, cleared = excluded.cleared,"
                    " actor_id = excluded.actor_id, at = excluded.at",
                    (body_hash, text, int(after.hidden), int(after.spoiler), after.trimmed, int(after.cleared),
                     actor_id, utc_now_iso()),
                )
                await CorpusWriter.apply_decisions(conn, review_id)
            cur = await conn.execute(
                "UPDATE passage_flags SET resolved_at = ? WHERE passage_id = ? AND guild_id = ? AND resolved_at IS NULL",
                (utc_now_iso(), passage_id, guild_id),
            )
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=actor_id, action=f"passage.{decision.value}", target_type="passage",
                target_id=passage_id, before=before.as_dict(), after={**after.as_dict(), "flags_resolved": cur.rowcount},
            )
        return before, after

    async def decided_by(self, passage_id: int, guild_id: int) -> tuple[int | None, Decision] | None:
        """Who last decided on the passage in this server, and what (its audit row): a moderator pressing a queue
        button again after the first press's answer was lost is told it was their own decision, not another's."""
        row = await self.db.fetchone(
            "SELECT actor_id, action FROM audit_log WHERE target_type = 'passage' AND target_id = ? AND guild_id = ?"
            " AND action LIKE 'passage.%' ORDER BY id DESC LIMIT 1", (passage_id, guild_id),
        )
        if row is None:
            return None
        try:
            return row[0], Decision(str(row[1]).removeprefix("passage."))
        except ValueError:
            return None

    async def marks(self, passage_id: int) -> Marks:
        row = await self.db.fetchone(
            "SELECT d.hidden, d.spoiler, d.trimmed, d.cleared FROM passages p JOIN reviews r ON r.id = p.review_id"
            " JOIN passage_decisions d ON d.body_hash = r.body_hash AND d.text = p.text WHERE p.id = ?",
            (passage_id,),
        )
        return Marks() if row is None else Marks(bool(row[0]), bool(row[1]), row[2], bool(row[3]))


async def _marks(conn: aiosqlite.Connection, body_hash: str, text: str) -> Marks:
    async with conn.execute(
        "SELECT hidden, spoiler, trimmed, cleared FROM passage_decisions WHERE body_hash = ? AND text = ?",
        (body_hash, text),
    ) as cur:
        row = await cur.fetchone()
    return Marks() if row is None else Marks(bool(row[0]), bool(row[1]), row[2], bool(row[3]))


def _window_start() -> str:
    return iso(from_iso(utc_now_iso()) - timedelta(seconds=FLAG_WINDOW_SECONDS))
