"""ClubStore: all the SQL of ratings and takes, consent, the critic-or-club game and thread digests."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.club.rules import DEFAULT_DIGEST_HOURS, GAME_RUNNING, Rating
from bot.core.db import Database, inserted_id
from bot.core.refusals import UserError
from bot.core.sample_store import LIST_CAP, IdSet, pick_ids, theme_numbered
from bot.core.shards import Shards, owned
from bot.core.spoilers import Gate
from bot.core.store import AuditStore
from bot.core.text import FORGOTTEN_MEMBER
from bot.core.time import from_iso, iso
from bot.corpus.store import HIDDEN_IDS

# A digest or a game round claimed longer ago than this by a process that is not seen dying is an orphan
# (core/claims.abandoned); a live process posts one within seconds.
CLAIM_LEASE = timedelta(minutes=5)
# Other features' tables whose rows are a member's own, deleted by forget-me (by their user_id column).
# How long forget-me keeps when a member last suggested a question or flagged passages (member_limit_marks):
# longer than any per-member rate limit's window (an hour), so forgetting never resets one.
LIMIT_MARKS_KEPT = timedelta(days=1)
_ALSO_FORGOTTEN = ("poll_votes", "filmnight_ballots", "watchlist_support", "question_suggestions", "review_drafts")
# Rows that outlive the member but stop naming them (FORGOTTEN_MEMBER): a poll they made stays the channel's (its
# votes and results are other members' too; a moderator can still close it), as does who closed it when that was
# its maker; an import of theirs running now keeps its row, so a restart still tells them nothing was stored.
_PSEUDONYMISED = (
    "UPDATE polls SET closed_by = ? WHERE closed_by = creator_id AND closed_by = ?",
    "UPDATE polls SET creator_id = ? WHERE creator_id = ?",
    "UPDATE running_imports SET user_id = ? WHERE user_id = ?",
)
# Kept as they are, as the record of what a moderator did as one (never a member's own data): reviews.added_by,
# bundled_suppressed.removed_by, schedules.created_by, filmnight_picks.creator_id, screenings.created_by,
# watchlist.decided_by, question_suggestions.decided_by, theme_questions.actor_id, passage_theme_overrides.actor_id,
# passage_decisions.actor_id, polls.closed_by of another's poll and audit_log.actor_id (the forget-me row itself
# included: the proof the erasure was done). member_limit_marks keeps times for a day (LIMIT_MARKS_KEPT).
SAMPLE_DRAWS = 2048  # random ids a sampled read of a theme may test (about 10 ms of the database thread)
_NO_SPOILER_THEME = ("NOT EXISTS (SELECT 1 FROM passage_themes s WHERE s.passage_id = p.id"
                     " AND s.theme IN (SELECT value FROM json_each(?)))")
# A passage is a spoiler as everywhere (passage.is_spoiler): its review's flag, its text rules' reason, a moderator's
# mark or a spoiler theme (the themes as one JSON parameter). SQL over `p` and `r`.
_IS_SPOILER = ("(r.spoiler = 1 OR p.spoiler_reason IS NOT NULL"
               " OR EXISTS (SELECT 1 FROM passage_marks sm WHERE sm.passage_id = p.id AND sm.spoiler = 1)"
               " OR EXISTS (SELECT 1 FROM passage_themes s WHERE s.passage_id = p.id"
               " AND s.theme IN (SELECT value FROM json_each(?))))")
_NOT_HIDDEN = "NOT EXISTS (SELECT 1 FROM passage_marks h WHERE h.passage_id = t.passage_id AND h.hidden = 1)"
# A film's passages of a theme, listed from the film's reviews (reviews_film, then each review's passages and
# their tag): bounded by the film. Listed from the theme's index instead (SQLite's choice for a plain JOIN), a
# film's dozen tags took a walk over every tag of the theme: ~110 ms of the database thread per theme poll
# closed at 1.1M passages. CROSS JOIN fixes SQLite's order; PostgreSQL reads it as the same inner join.
_FILM_THEME_IDS = ("SELECT t.passage_id FROM reviews r CROSS JOIN passages p CROSS JOIN passage_themes t"
                   " WHERE r.film_id = ? AND p.review_id = r.id AND t.passage_id = p.id AND t.theme = ?"
                   f" AND p.quotable = 1 AND {_NOT_HIDDEN} LIMIT ?")


@dataclass(frozen=True)
class Round:
    id: int
    guild_id: int
    channel_id: int
    game_id: int
    number: int
    rounds: int
    kind: str
    quote: str | None
    passage_id: int | None
    author_id: int | None
    film_id: int | None
    message_id: int | None
    deadline: str | None
    revealed_at: str | None
    status: str


@dataclass(frozen=True)
class Pick:
    """A quote for one round: a critic passage or a consenting member's take."""

    kind: str
    quote: str
    passage_id: int | None = None
    author_id: int | None = None
    film_id: int | None = None


@dataclass(frozen=True)
class Digest:
    thread_id: int
    guild_id: int
    message_id: int
    passage_id: int | None
    due_at: str
    status: str


_ROUND_COLUMNS = (
    "id, guild_id, channel_id, game_id, number, rounds, kind, quote, passage_id, author_id, film_id,"
    " message_id, deadline, revealed_at, status"
)


async def _scrub_audit(conn: aiosqlite.Connection, user_id: int, suggestions: list[int]) -> None:
    """Audit rows about the member's own things lose the member: a removed take's author, a suggested
    question's author (and a rejected one's words, which no server kept)."""
    found: list[Any] = []
    for target_type, ids in (("take", [user_id]), ("suggestion", suggestions)):
        for target_id in ids:
            async with conn.execute(
                "SELECT id, action, target_type, target_id, before_json, after_json FROM audit_log"
                " WHERE target_type = ? AND target_id = ?", (target_type, target_id),
            ) as cur:
                found += await cur.fetchall()
    for row_id, action, target_type, target_id, before_json, after_json in found:
        before = json.loads(before_json) if before_json else None
        after = json.loads(after_json) if after_json else None
        for shown in (before, after):
            if isinstance(shown, dict):
                for key in ("user_id", "by", *(("question",) if action == "suggestion.rejected" else ())):
                    shown.pop(key, None)
        await conn.execute(
            "UPDATE audit_log SET target_id = ?, before_json = ?, after_json = ? WHERE id = ?",
            (None if target_type == "take" else target_id,
             None if before is None else json.dumps(before, ensure_ascii=False),
             None if after is None else json.dumps(after, ensure_ascii=False), row_id),
        )


# The rounds still waiting in the game of a round (?2), dropped at ?1: the game has ended.
_DROP_LATER_ROUNDS = ("UPDATE club_game_rounds SET status = 'failed', revealed_at = ?"
                      " WHERE game_id = (SELECT game_id FROM club_game_rounds WHERE id = ?) AND status = 'waiting'")


class ClubStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # digest_hours per guild as last read or written (every prompt reads it; only this store writes it)
        self._digest_hours: dict[int, int] = {}

    # ------------------------------------------------------------------ ratings and takes

    async def rate(
        self, guild_id: int, film_id: int, user_id: int, stars_x2: int, take: str | None, at: str
    ) -> bool:
        """Insert or replace the member's rating of the film; True when it replaced an earlier one.

        One transaction in one hop to the database thread (Database.in_one_hop), batched with the other
        writes queued meanwhile: 1,000 members rating at once are not 4,000 loop round trips."""

        def work(conn: sqlite3.Connection) -> bool:
            existed = conn.execute(
                "SELECT 1 FROM club_ratings WHERE guild_id = ? AND film_id = ? AND user_id = ?",
                (guild_id, film_id, user_id),
            ).fetchone() is not None
            conn.execute(
                "INSERT INTO club_ratings(guild_id, film_id, user_id, stars_x2, take, rated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, film_id, user_id) DO UPDATE SET"
                " stars_x2 = excluded.stars_x2, take = excluded.take, rated_at = excluded.rated_at",
                (guild_id, film_id, user_id, stars_x2, take, at),
            )
            return existed

        return await self.db.in_one_hop(work)

    async def remove(self, guild_id: int, film_id: int, user_id: int) -> bool:
        done = await self.db.execute(
            "DELETE FROM club_ratings WHERE guild_id = ? AND film_id = ? AND user_id = ?", (guild_id, film_id, user_id)
        )
        return done.rowcount > 0

    async def remove_take(self, guild_id: int, film_id: int, user_id: int, actor_id: int) -> bool:
        """A moderator (or the author) removes a take, keeping the stars; audited without the words."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT length(take) FROM club_ratings WHERE guild_id = ? AND film_id = ? AND user_id = ?"
                " AND take IS NOT NULL",
                (guild_id, film_id, user_id),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return False
            await conn.execute(
                "UPDATE club_ratings SET take = NULL WHERE guild_id = ? AND film_id = ? AND user_id = ?",
                (guild_id, film_id, user_id),
            )
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=actor_id, action="take-remove", target_type="take",
                target_id=user_id, before={"film_id": film_id, "user_id": user_id, "take_chars": row[0]},
                after=None,
            )
        return True

    async def ratings(self, guild_id: int, film_id: int) -> list[Rating]:
        rows = await self.db.fetchall(
            "SELECT user_id, film_id, stars_x2, take, rated_at FROM club_ratings"
            " WHERE guild_id = ? AND film_id = ? ORDER BY rated_at, user_id",
            (guild_id, film_id),
        )
        return [Rating(*row) for row in rows]

    async def rating_of(self, guild_id: int, film_id: int, user_id: int) -> Rating | None:
        row = await self.db.fetchone(
            "SELECT user_id, film_id, stars_x2, take, rated_at FROM club_ratings"
            " WHERE guild_id = ? AND film_id = ? AND user_id = ?",
            (guild_id, film_id, user_id),
        )
        return Rating(*row) if row else None

    async def set_consent(self, guild_id: int, user_id: int, consent: bool, at: str) -> None:
        await self.db.execute(
            "INSERT INTO club_consent(guild_id, user_id, consent, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET consent = excluded.consent, at = excluded.at",
            (guild_id, user_id, int(consent), at),
        )

    async def export(self, guild_id: int, gate: Gate | None = None) -> list[dict[str, object]]:
        """Every rating of the server; the take only where its author consented. On the film the server's
        `gate` holds back, what a take hides behind `||` is left out and `take_held_back_until` says until when
        (`Gate.file_take`): the file is read outside Discord, where nothing hides it."""
        rows = await self.db.fetchall(
            "SELECT r.film_id, f.title, f.year, r.user_id, r.stars_x2, r.rated_at,"
            " CASE WHEN c.consent = 1 THEN r.take END"
            " FROM club_ratings r JOIN films f ON f.id = r.film_id"
            " LEFT JOIN club_consent c ON c.guild_id = r.guild_id AND c.user_id = r.user_id"
            " WHERE r.guild_id = ? ORDER BY r.film_id, r.rated_at",
            (guild_id,),
        )
        items: list[dict[str, object]] = []
        for row in rows:
            item: dict[str, object] = {"film": row[1], "year": row[2], "user_id": row[3], "stars": row[4] / 2,
                                       "rated_at": row[5]}
            if row[6]:
                take, held_until = (row[6], None) if gate is None else gate.file_take(row[6], row[0])
                item["take"] = take
                if held_until is not None:
                    item["take_held_back_until"] = held_until
            items.append(item)
        return items

    async def forget(self, user_id: int, guild_id: int | None, now: datetime) -> dict[str, int]:
        """Every rating, take, consent, game answer, passage flag and recorded watch of the member, in every
        server, in one transaction; with them every other row that carries the member's id: poll votes,
        film-night ballots, watchlist support, question suggestions, review drafts.

        Game rounds that quoted one of their takes keep their place (other players' points) but lose the
        words and the author; so do a question the member suggested (the server's now, no longer credited)
        and a watchlist film they suggested (the club's now: `FORGOTTEN_MEMBER`, shown as a former member); a
        poll they made and an import they are running keep their rows under `FORGOTTEN_MEMBER` (`_PSEUDONYMISED`).
        What a moderator did as one (reviews added, decisions) stays; the audit log's rows keep what was done but
        no longer name the member as its subject (a take removed, a question suggested: `_scrub_audit`).
        Each suggestion's log-channel message (a question's, a watchlist film's), which shows their words and name,
        is queued for the discussion job to edit (suggestion_retractions, due `now`; the caller wakes the scheduler). The times of their
        recent suggestions and flags stay a day, without words (member_limit_marks), so the hourly limits of
        /suggest and flags still count them."""
        counts: dict[str, int] = {}
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT id FROM question_suggestions WHERE user_id = ?", (user_id,)) as cur:
                suggestions = [row[0] for row in await cur.fetchall()]
            await _scrub_audit(conn, user_id, suggestions)
            await conn.execute(
                "INSERT INTO suggestion_retractions(message_id, guild_id, channel_id, due)"
                " SELECT log_message_id, guild_id, log_channel_id, ? FROM question_suggestions"
                " WHERE user_id = ? AND log_message_id IS NOT NULL AND log_channel_id IS NOT NULL"
                " ON CONFLICT DO NOTHING",
                (iso(now), user_id),
            )
            # Their watchlist suggestions' posts too (pending or decided: both show the note and who suggested it).
            await conn.execute(
                "INSERT INTO suggestion_retractions(message_id, guild_id, channel_id, due, kind)"
                " SELECT log_message_id, guild_id, log_channel_id, ?, 'watchlist' FROM watchlist"
                " WHERE suggested_by = ? AND log_message_id IS NOT NULL AND log_channel_id IS NOT NULL"
                " ON CONFLICT DO NOTHING",
                (iso(now), user_id),
            )
            await _keep_limit_marks(conn, user_id, now)
            for table in ("club_ratings", "club_consent", "club_game_answers", "passage_flags", "film_watches",
                          *_ALSO_FORGOTTEN):
                cur = await conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
                counts[table] = cur.rowcount
            cur = await conn.execute(
                "UPDATE club_game_rounds SET quote = NULL, author_id = NULL WHERE author_id = ?", (user_id,)
            )
            counts["club_game_rounds"] = cur.rowcount
            await conn.execute("UPDATE theme_questions SET suggested_by = NULL WHERE suggested_by = ?", (user_id,))
            await conn.execute("UPDATE watchlist SET suggested_by = ?, note = NULL WHERE suggested_by = ?",
                               (FORGOTTEN_MEMBER, user_id))
            for sql in _PSEUDONYMISED:
                await conn.execute(sql, (FORGOTTEN_MEMBER, user_id))
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=user_id, action="forget-me", target_type="member",
                target_id=user_id, before=None, after=counts,
            )
        return counts

    # ------------------------------------------------------------------ the game

    async def critic_picks(self, count: int, spoiler_themes: tuple[str, ...] = ()) -> list[Pick]:
        """Passages for the game, never a spoiler (a round is a guess: it cannot be hidden and still played);
        distinct, each equally likely (bot/core/sample_store.py: random ids kept when they qualify, never a sort
        of every passage)."""
        source = ("passages p JOIN reviews r ON r.id = p.review_id"
                  " LEFT JOIN passage_marks m ON m.passage_id = p.id")
        ids = IdSet.ranged(
            "p.id", source,
            ("p.quotable = 1", "coalesce(m.hidden, 0) = 0", "coalesce(m.spoiler, 0) = 0",
             "length(coalesce(m.trimmed, p.text)) BETWEEN 40 AND 300", "r.spoiler = 0", "p.spoiler_reason IS NULL",
             _NO_SPOILER_THEME), (json.dumps(list(spoiler_themes)),),
            "SELECT (SELECT id FROM passages ORDER BY id LIMIT 1), (SELECT id FROM passages ORDER BY id DESC LIMIT 1)",
        )
        chosen = await pick_ids(self.db, ids, count)
        rows = await self.db.fetchall(
            "SELECT p.id, coalesce(m.trimmed, p.text) AS text, r.film_id FROM passages p"
            " JOIN reviews r ON r.id = p.review_id LEFT JOIN passage_marks m ON m.passage_id = p.id"
            " WHERE p.id IN (SELECT value FROM json_each(?))",
            (json.dumps(chosen),),
        )
        by_id = {row[0]: row for row in rows}
        return [Pick("critic", by_id[i][1], passage_id=i, film_id=by_id[i][2]) for i in chosen if i in by_id]

    async def club_picks(
        self, guild_id: int, count: int, held_film: int | None = None, not_by: int | None = None
    ) -> list[Pick]:
        """Takes whose authors consented, at random: none on `held_film` (the film the gate holds back),
        never `not_by`'s own (the member starting the game)."""
        rows = await self.db.fetchall(
            "SELECT r.user_id, r.take, r.film_id FROM club_ratings r JOIN club_consent c"
            " ON c.guild_id = r.guild_id AND c.user_id = r.user_id AND c.consent = 1"
            " WHERE r.guild_id = ? AND r.take IS NOT NULL AND r.film_id IS NOT ? AND r.user_id IS NOT ?"
            " ORDER BY random() LIMIT ?",
            (guild_id, held_film, not_by, count),
        )
        return [Pick("club", row[1], author_id=row[0], film_id=row[2]) for row in rows]

    async def create_game(self, guild_id: int, channel_id: int, picks: list[Pick]) -> list[int]:
        """The new game's round ids; UserError when the channel already runs one. Checked again here, inside
        the write: two members starting a game at once both passed the service's check (it awaits the picks
        between), and the channel ran two games, their rounds and reveals interleaved."""
        ids: list[int] = []
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT 1 FROM club_game_rounds WHERE channel_id = ? AND status IN ('open', 'waiting') LIMIT 1",
                (channel_id,),
            ) as found:
                if await found.fetchone() is not None:
                    raise UserError(GAME_RUNNING)
            for number, pick in enumerate(picks, start=1):
                cur = await conn.execute(
                    "INSERT INTO club_game_rounds(guild_id, channel_id, game_id, number, rounds, kind, quote,"
                    " passage_id, author_id, film_id) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
                    (guild_id, channel_id, number, len(picks), pick.kind, pick.quote, pick.passage_id,
                     pick.author_id, pick.film_id),
                )
                ids.append(inserted_id(cur))
            await conn.execute(
                f"UPDATE club_game_rounds SET game_id = ? WHERE id IN ({','.join('?' * len(ids))})",
                (ids[0], *ids),
            )
        return ids

    async def delete_game(self, game_id: int) -> None:
        await self.db.execute("DELETE FROM club_game_rounds WHERE game_id = ?", (game_id,))

    async def open_round(self, round_id: int, message_id: int, deadline: str) -> None:
        await self.db.execute(
            "UPDATE club_game_rounds SET message_id = ?, deadline = ?, status = 'open' WHERE id = ?",
            (message_id, deadline, round_id),
        )

    async def fail_round(self, round_id: int, at: str) -> None:
        """A round that could not be posted ends the game (the later rounds are dropped)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE club_game_rounds SET status = 'failed', revealed_at = ? WHERE id = ?", (at, round_id)
            )
            await conn.execute(_DROP_LATER_ROUNDS, (at, round_id))

    async def end_game_after(self, round_id: int, at: str) -> int:
        """The game of `round_id` ends after it (its reveal refused for good): the rounds still waiting are dropped.
        Returns how many were."""
        done = await self.db.execute(_DROP_LATER_ROUNDS, (at, round_id))
        return done.rowcount

    async def hold_notice(self, round_id: int, text: str) -> None:
        """The moderators' notice of a game that ended while the bot was removed from its server, told when it is
        invited back (`untold_notices`), as it had nowhere to go (migration 210)."""
        await self.db.execute("UPDATE club_game_rounds SET untold = ? WHERE id = ?", (text, round_id))

    async def untold_notices(self, guild_id: int, since: str) -> list[tuple[int, int, int, str]]:
        """(round, channel, game, notice) of one server's held notices of games that ended since `since`."""
        rows = await self.db.fetchall(
            "SELECT id, channel_id, game_id, untold FROM club_game_rounds WHERE guild_id = ? AND untold IS NOT NULL"
            " AND revealed_at >= ? ORDER BY id", (guild_id, since))
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    async def take_notice(self, round_id: int) -> bool:
        """Take a held notice to tell it (of two processes, or a join seen twice, one gets it): told at most once."""
        done = await self.db.execute(
            "UPDATE club_game_rounds SET untold = NULL WHERE id = ? AND untold IS NOT NULL", (round_id,))
        return done.rowcount == 1

    async def last_posted_round(self, game_id: int) -> tuple[int, int] | None:
        """(round, message) of the game's last round that was posted: its buttons are disabled once the game ended."""
        row = await self.db.fetchone(
            "SELECT id, message_id FROM club_game_rounds WHERE game_id = ? AND message_id IS NOT NULL"
            " ORDER BY number DESC LIMIT 1", (game_id,))
        return None if row is None else (row[0], row[1])

    async def get_round(self, round_id: int) -> Round | None:
        row = await self.db.fetchone(f"SELECT {_ROUND_COLUMNS} FROM club_game_rounds WHERE id = ?", (round_id,))
        return Round(*row) if row else None

    async def answer(self, round_id: int, user_id: int, answer: str, now: str, guild_id: int | None = None,
                     channel_id: int | None = None) -> str:
        """'ok', 'again' (already answered), 'own' (the member's own take), 'closed' or 'missing' (also a round
        of a server other than `guild_id`, or posted in a channel other than `channel_id`, when given: an answer
        comes from the round's own message); one row each.

        One transaction in one hop to the database thread (Database.in_one_hop): a round's burst of
        answers is not four loop round trips each under the write lock."""

        def work(raw: sqlite3.Connection) -> str:
            row = raw.execute(
                "SELECT kind, status, deadline, author_id, guild_id, channel_id FROM club_game_rounds WHERE id = ?",
                (round_id,),
            ).fetchone()
            if row is None or (guild_id is not None and row[4] != guild_id) or (
                    channel_id is not None and row[5] != channel_id):
                return "missing"
            if row[1] != "open" or row[2] is None or now >= row[2]:
                return "closed"
            if row[3] == user_id:
                return "own"
            done = raw.execute(
                "INSERT INTO club_game_answers(round_id, user_id, answer, correct, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (round_id, user_id, answer, int(answer == row[0]), now),
            )
            return "ok" if done.rowcount else "again"

        return await self.db.in_one_hop(work)

    async def answer_counts(self, round_id: int) -> tuple[int, int]:
        """(answers, correct answers) of a round."""
        row = await self.db.fetchone(
            "SELECT count(*), coalesce(sum(correct), 0) FROM club_game_answers WHERE round_id = ?", (round_id,)
        )
        return (row[0], row[1]) if row else (0, 0)

    async def next_game_moment(self, shards: Shards | None = None) -> str | None:
        mine, params = owned(shards)
        due = await self.db.fetchval(
            "SELECT min(deadline) FROM club_game_rounds WHERE status IN ('open', 'waiting') AND deadline IS NOT NULL"
            f" AND {mine}", params,
        )
        reveal = await self.db.fetchval(
            f"SELECT min(reveal_due) FROM club_game_rounds WHERE reveal_due IS NOT NULL AND {mine}", params)
        return min((m for m in (due, reveal) if m), default=None)

    async def round_attempts(self, round_id: int) -> int:
        return int(await self.db.fetchval("SELECT attempts FROM club_game_rounds WHERE id = ?", (round_id,), 0))

    async def requote_round(self, round_id: int, pick: Pick) -> None:
        """A waiting critic round's quote as it is to be posted (its passage hidden or trimmed since the game began)."""
        await self.db.execute(
            "UPDATE club_game_rounds SET quote = ?, passage_id = ?, film_id = ? WHERE id = ? AND status = 'waiting'",
            (pick.quote, pick.passage_id, pick.film_id, round_id),
        )

    async def requeue_round(self, round_id: int, at: str) -> None:
        """A round whose post failed for now: waiting again, due at `at` (its claim cleared), one attempt more."""
        await self.db.execute(
            "UPDATE club_game_rounds SET deadline = ?, claimed_at = NULL, claimed_by = NULL, attempts = attempts + 1"
            " WHERE id = ? AND status = 'waiting'", (at, round_id),
        )

    async def retry_reveal(self, round_id: int, at: str | None) -> None:
        """A revealed round whose reveal message failed: posted again at `at` (None: given up), one attempt more."""
        await self.db.execute(
            "UPDATE club_game_rounds SET reveal_due = ?, attempts = attempts + 1 WHERE id = ?", (at, round_id))

    async def due_reveals(self, now: str, shards: Shards | None = None) -> list[Round]:
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT {_ROUND_COLUMNS} FROM club_game_rounds WHERE reveal_due IS NOT NULL AND reveal_due <= ?"
            f" AND {mine} ORDER BY reveal_due, id", (now, *params),
        )
        return [Round(*row) for row in rows]

    async def take_reveal(self, round_id: int, now: str, lease_until: str) -> bool:
        """Take a reveal to post again (of two processes one gets it; due again at lease_until if it dies)."""
        cur = await self.db.execute(
            "UPDATE club_game_rounds SET reveal_due = ? WHERE id = ? AND reveal_due IS NOT NULL"
            " AND reveal_due <= ?", (lease_until, round_id, now),
        )
        return cur.rowcount == 1

    async def reveal_posted(self, round_id: int) -> None:
        await self.db.execute("UPDATE club_game_rounds SET reveal_due = NULL WHERE id = ?", (round_id,))

    async def due_rounds(self, now: str, shards: Shards | None = None) -> list[Round]:
        """Open rounds past their deadline (to reveal) and waiting rounds whose turn came (to post)."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT {_ROUND_COLUMNS} FROM club_game_rounds WHERE status IN ('open', 'waiting')"
            f" AND deadline IS NOT NULL AND deadline <= ? AND {mine} ORDER BY deadline, id",
            (now, *params),
        )
        return [Round(*row) for row in rows]

    async def claim_reveal(self, round_id: int, now: str, lease_until: str | None = None) -> bool:
        """Reveal at most once; the game's next round becomes due to post in the same transaction. The reveal
        message is due again at lease_until unless `reveal_posted` says it went out (a crash in between)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE club_game_rounds SET status = 'revealed', revealed_at = ?, reveal_due = ?"
                " WHERE id = ? AND status = 'open'", (now, lease_until, round_id),
            )
            if not cur.rowcount:
                return False
            await conn.execute(
                "UPDATE club_game_rounds SET deadline = ? WHERE status = 'waiting' AND (game_id, number) ="
                " (SELECT game_id, number + 1 FROM club_game_rounds WHERE id = ?)",
                (now, round_id),
            )
        return True

    async def claim_post(self, round_id: int, now: str, by: str) -> bool:
        """Take a waiting round off the queue before posting it (no double post), noting when and by whom."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE club_game_rounds SET deadline = NULL, claimed_at = ?, claimed_by = ? WHERE id = ?"
                " AND status = 'waiting' AND deadline IS NOT NULL", (now, by, round_id),
            )
            return cur.rowcount > 0

    async def claimed_rounds(self, shards: Shards | None = None) -> list[tuple[int, str, str | None]]:
        """(round, claimed_at, holder) of rounds taken off the queue and not opened yet (this process's servers)."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            "SELECT id, claimed_at, claimed_by FROM club_game_rounds WHERE status = 'waiting' AND deadline IS NULL"
            f" AND claimed_at IS NOT NULL AND {mine} ORDER BY id", params,
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def running_game(self, channel_id: int) -> int | None:
        return await self.db.fetchval(
            "SELECT game_id FROM club_game_rounds WHERE channel_id = ? AND status IN ('open', 'waiting') LIMIT 1",
            (channel_id,),
        )

    async def game_channels(self, guild_id: int, limit: int = 200) -> list[int]:
        """The channels this server's revealed game rounds were played in (at most `limit`; the revealed rounds'
        index, migration 087): a public leaderboard counts only those its readers may see."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT channel_id FROM club_game_rounds WHERE guild_id = ? AND status = 'revealed' LIMIT ?",
            (guild_id, limit),
        )
        return [row[0] for row in rows]

    async def leaderboard(self, guild_id: int, channels: Collection[int], limit: int = 10) -> list[tuple[int, int, int]]:
        """(member, points, rounds answered) of the revealed rounds played in `channels`, best first."""
        if not channels:
            return []
        marks = ",".join("?" * len(channels))
        rows = await self.db.fetchall(
            "SELECT a.user_id, sum(a.correct), count(*) FROM club_game_answers a"
            " JOIN club_game_rounds r ON r.id = a.round_id WHERE r.guild_id = ? AND r.status = 'revealed'"
            f" AND r.channel_id IN ({marks})"
            " GROUP BY a.user_id ORDER BY 2 DESC, 3, a.user_id LIMIT ?",
            (guild_id, *sorted(channels), limit),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def critic_of(self, passage_id: int | None) -> tuple[str | None, str | None, str, int | None] | None:
        """(critic, outlet, film title, year) of a passage."""
        if passage_id is None:
            return None
        row = await self.db.fetchone(
            "SELECT r.critic, r.outlet, f.title, f.year FROM passages p JOIN reviews r ON r.id = p.review_id"
            " JOIN films f ON f.id = r.film_id WHERE p.id = ?",
            (passage_id,),
        )
        return (row[0], row[1], row[2], row[3]) if row else None

    async def film_label(self, film_id: int | None) -> str | None:
        if film_id is None:
            return None
        row = await self.db.fetchone("SELECT title, year FROM films WHERE id = ?", (film_id,))
        return None if row is None else (f"{row[0]} ({row[1]})" if row[1] else row[0])

    # ------------------------------------------------------------------ critics vs club

    async def theme_passages(
        self, theme: str, film_id: int | None = None, spoiler_themes: tuple[str, ...] = (), *,
        limit: int | None = None,
    ) -> list[tuple[str, bool]]:
        """(text, is a spoiler) of the theme's quotable passages (of one film, if given); with `limit`, a
        uniform random sample of at most that many (every passage when there are no more): a film's listed from
        its reviews when it has at most LIST_CAP, else found by at most SAMPLE_DRAWS random draws over the
        theme's dense tag numbers (bot/core/sample_store.py)."""
        spoiler = _IS_SPOILER
        if limit is None:
            rows = await self.db.fetchall(
                f"SELECT coalesce(m.trimmed, p.text), {spoiler} FROM passage_themes t"
                " JOIN passages p ON p.id = t.passage_id"
                " JOIN reviews r ON r.id = p.review_id LEFT JOIN passage_marks m ON m.passage_id = p.id"
                f" WHERE t.theme = ? AND p.quotable = 1 AND p.id NOT IN ({HIDDEN_IDS})"
                " AND (? IS NULL OR r.film_id = ?) ORDER BY p.id",
                (json.dumps(list(spoiler_themes)), theme, film_id, film_id),
            )
            return [(row[0], bool(row[1])) for row in rows]
        ends = "(SELECT passage_id FROM passage_themes WHERE theme = ? ORDER BY passage_id {} LIMIT 1)"
        ids = theme_numbered(IdSet.ranged(
            "t.passage_id", "passage_themes t JOIN passages p ON p.id = t.passage_id JOIN reviews r ON r.id = p.review_id",
            ("t.theme = ?", "p.quotable = 1", _NOT_HIDDEN, "(? IS NULL OR r.film_id = ?)"), (theme, film_id, film_id),
            f"SELECT {ends.format('ASC')}, {ends.format('DESC')}", (theme, theme),
        ), theme)
        listed: list[int] = []
        if film_id is not None:  # a film's tags, listed from its reviews: usually a few dozen, chosen from exactly
            ids = replace(ids, lister=lambda: (_FILM_THEME_IDS, [film_id, theme]))
            listed = [row[0] for row in await self.db.seek_rows(_FILM_THEME_IDS, [film_id, theme, LIST_CAP + 1])]
        if film_id is not None and len(listed) <= LIST_CAP:
            # Draws over the theme's tags first would mostly miss (one film's share of the theme: 512 misses,
            # 12-22 ms of the database thread at 1.1M passages) before this list.
            chosen = random.sample(listed, min(limit, len(listed)))
        else:  # the whole theme, or a film with more than LIST_CAP of its tags: draws hit it often enough
            chosen = await pick_ids(self.db, ids, limit, budget=SAMPLE_DRAWS)
        rows = await self.db.fetchall(
            f"SELECT coalesce(m.trimmed, p.text), {spoiler} FROM passages p JOIN reviews r ON r.id = p.review_id"
            " LEFT JOIN passage_marks m ON m.passage_id = p.id WHERE p.id IN (SELECT value FROM json_each(?))"
            " ORDER BY p.id",
            (json.dumps(list(spoiler_themes)), json.dumps(chosen)),
        )
        return [(row[0], bool(row[1])) for row in rows]

    # ------------------------------------------------------------------ digests

    async def digest_hours(self, guild_id: int) -> int:
        if guild_id in self._digest_hours:
            return self._digest_hours[guild_id]
        hours = int(await self.db.fetchval(
            "SELECT digest_hours FROM club_settings WHERE guild_id = ?", (guild_id,), default=DEFAULT_DIGEST_HOURS
        ))
        return self._digest_hours.setdefault(guild_id, hours)  # a write during the read wins

    async def set_digest_hours(self, guild_id: int, hours: int, actor_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO club_settings(guild_id, digest_hours) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET digest_hours = excluded.digest_hours",
                (guild_id, hours),
            )
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=actor_id, action="config", target_type="guild",
                target_id=guild_id, after={"digest_hours": hours},
            )
        self._digest_hours[guild_id] = hours  # committed

    @staticmethod
    def add_digest_in(
        conn: sqlite3.Connection, thread_id: int, guild_id: int, message_id: int, passage_id: int | None, due_at: str
    ) -> None:
        """A prompt thread's digest, inside the caller's one-hop transaction (`Database.in_one_hop`: the prompt's
        record); once per thread."""
        conn.execute(
            "INSERT INTO club_digests(thread_id, guild_id, message_id, passage_id, due_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (thread_id) DO NOTHING",
            (thread_id, guild_id, message_id, passage_id, due_at),
        )

    async def add_digest(self, write: Callable[[sqlite3.Connection], None]) -> None:
        """A digest's write (`add_digest_in` bound to its row) in a transaction of its own."""
        await self.db.in_one_hop(write)

    async def next_digest(self, shards: Shards | None = None) -> str | None:
        """The next due digest, or the moment the oldest claim being posted turns orphan (claimed_at + lease)."""
        mine, params = owned(shards)
        due = await self.db.fetchval(f"SELECT min(due_at) FROM club_digests WHERE status = 'due' AND {mine}", params)
        claimed = await self.db.fetchval(
            f"SELECT min(claimed_at) FROM club_digests WHERE status = 'posting' AND {mine}", params)
        orphaned = iso(from_iso(claimed) + CLAIM_LEASE) if claimed else None
        return min((m for m in (due, orphaned) if m), default=None)

    async def due_digests(self, now: str, shards: Shards | None = None) -> list[Digest]:
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            "SELECT thread_id, guild_id, message_id, passage_id, due_at, status FROM club_digests"
            f" WHERE status = 'due' AND due_at <= ? AND {mine} ORDER BY due_at",
            (now, *params),
        )
        return [Digest(*row) for row in rows]

    async def claim_digest(self, thread_id: int, now: str, by: str) -> bool:
        """Take a due digest (one process of several gets it), noting when and by whom."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE club_digests SET status = 'posting', claimed_at = ?, claimed_by = ? WHERE thread_id = ?"
                " AND status = 'due'", (now, by, thread_id),
            )
            return cur.rowcount > 0

    async def posting_digests(self, shards: Shards | None = None) -> list[tuple[int, str | None, str | None]]:
        """(thread, claimed_at, holder) of the digests being posted in this process's servers."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT thread_id, claimed_at, claimed_by FROM club_digests WHERE status = 'posting' AND {mine}"
            " ORDER BY thread_id", params,
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def release_digest(self, thread_id: int, claimed_at: str | None) -> bool:
        """An orphaned digest claim that was not posted: due again (only the claim found orphaned)."""
        same = "claimed_at IS NULL" if claimed_at is None else "claimed_at = ?"
        cur = await self.db.execute(
            "UPDATE club_digests SET status = 'due', claimed_at = NULL, claimed_by = NULL"
            f" WHERE thread_id = ? AND status = 'posting' AND {same}",
            (thread_id,) + (() if claimed_at is None else (claimed_at,)),
        )
        return cur.rowcount == 1

    async def set_digest_counts(self, thread_id: int, replies: int, participants: int) -> None:
        """What the digest counted (0 replies: nothing was posted), kept for /club stats."""
        await self.db.execute(
            "UPDATE club_digests SET replies = ?, participants = ? WHERE thread_id = ?",
            (replies, participants, thread_id),
        )

    async def retry_digest(self, thread_id: int, at: str) -> int:
        """A digest whose post failed for now: due again at `at`; returns its failed attempts so far."""
        await self.db.execute(
            "UPDATE club_digests SET status = 'due', due_at = ?, claimed_at = NULL, claimed_by = NULL,"
            " attempts = attempts + 1 WHERE thread_id = ? AND status = 'posting'", (at, thread_id),
        )
        return await self.digest_attempts(thread_id)

    async def digest_attempts(self, thread_id: int) -> int:
        return int(await self.db.fetchval("SELECT attempts FROM club_digests WHERE thread_id = ?", (thread_id,), 0))

    async def finish_digest(self, thread_id: int, status: str, at: str) -> None:
        await self.db.execute(
            "UPDATE club_digests SET status = ?, posted_at = ? WHERE thread_id = ?", (status, at, thread_id)
        )

    async def passage_text(
        self, passage_id: int | None, spoiler_themes: tuple[str, ...] = ()
    ) -> tuple[str, bool, int] | None:
        """(text, is a spoiler, film id) of a passage, as a moderator trimmed it; None once a moderator hid it
        (a digest quotes its prompt's passage a day later: a passage hidden since is never shown again)."""
        if passage_id is None:
            return None
        row = await self.db.fetchone(
            f"SELECT coalesce(m.trimmed, p.text), {_IS_SPOILER}, r.film_id FROM passages p"
            " JOIN reviews r ON r.id = p.review_id LEFT JOIN passage_marks m ON m.passage_id = p.id"
            " WHERE p.id = ? AND coalesce(m.hidden, 0) = 0",
            (json.dumps(list(spoiler_themes)), passage_id),
        )
        return None if row is None else (row[0], bool(row[1]), row[2])


async def _keep_limit_marks(conn: aiosqlite.Connection, user_id: int, now: datetime) -> None:
    """Before forget-me deletes a member's suggestions and flags: when they were made (a time and a count, no
    words), for the rate limits that count them (member_limit_marks); marks older than LIMIT_MARKS_KEPT go."""
    since = iso(now - LIMIT_MARKS_KEPT)
    await conn.execute("DELETE FROM member_limit_marks WHERE at < ?", (since,))
    await conn.execute(
        "INSERT INTO member_limit_marks(kind, guild_id, user_id, at, n)"
        " SELECT 'suggest', guild_id, user_id, max(created_at), 1 FROM question_suggestions"
        " WHERE user_id = ? AND created_at >= ? GROUP BY guild_id, user_id ON CONFLICT DO NOTHING",
        (user_id, since),
    )
    await conn.execute(
        "INSERT INTO member_limit_marks(kind, guild_id, user_id, at, n)"
        " SELECT 'flag', 0, user_id, at, count(*) FROM passage_flags"
        " WHERE user_id = ? AND at >= ? GROUP BY user_id, at ON CONFLICT DO NOTHING",
        (user_id, since),
    )
