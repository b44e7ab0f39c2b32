"""Schedules and the slots they handled. The slot claim is the heart of "never post twice".

A slot is claimed by INSERTing its (schedule_id, slot_utc) row — UNIQUE — inside the same
BEGIN IMMEDIATE transaction that read the schedule and decided the slot is due. Whatever the
restarts or overlapping wake-ups, a second decision finds the row and does nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.core.db import Database, inserted_id, one_row
from bot.core.shards import Shards, owned
from bot.core.store import AuditStore
from bot.core.time import from_iso, iso
from bot.schedules.rules import Cadence, format_days, parse_days, parse_time, plan_due

# An orphaned claim (the process died between claim and post) is only touched once it is this
# old: a live process finishes or fails a post long before, so a younger claim may be in flight.
STALE_CLAIM = timedelta(minutes=5)


@dataclass(frozen=True)
class Schedule:
    id: int
    guild_id: int
    channel_id: int
    time_of_day: str
    days: str
    timezone: str
    theme: str | None
    film: str | None
    ping_role_id: int | None
    make_thread: bool
    created_by: int
    created_at: str
    active_since: str
    paused: bool
    paused_reason: str | None
    paused_at: str | None

    @property
    def cadence(self) -> Cadence:
        return Cadence(parse_time(self.time_of_day), parse_days(self.days), self.timezone)


@dataclass(frozen=True)
class SlotPost:
    id: int
    schedule_id: int
    slot: datetime
    status: str
    message_id: int | None
    attempts: int
    recovered: bool
    claimed_at: str | None
    next_attempt_at: str | None
    reason: str | None


@dataclass(frozen=True)
class Claim:
    """A slot this process now owns and must post (then mark posted, retrying or failed)."""

    post_id: int
    schedule: Schedule
    slot: datetime
    attempt: int
    catch_up: bool = False
    recovered: bool = False


def _schedule(row: aiosqlite.Row) -> Schedule:
    values = dict(row)
    values.pop("next_due", None)
    values["make_thread"] = bool(values["make_thread"])
    values["paused"] = bool(values["paused"])
    return Schedule(**values)


def _post(row: aiosqlite.Row) -> SlotPost:
    values = dict(row)
    values["slot"] = from_iso(values.pop("slot_utc"))
    values["recovered"] = bool(values["recovered"])
    values.pop("updated_at", None)
    return SlotPost(**values)


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None:
    async with conn.execute(sql, params) as cur:
        return await cur.fetchone()


async def _exactly_one(conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row:
    """A row that must exist (just inserted, or an aggregate)."""
    async with conn.execute(sql, params) as cur:
        return await one_row(cur)


class ScheduleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- schedules -------------------------------------------------------------------------
    async def create(
        self, *, guild_id: int, channel_id: int, cadence: Cadence, theme: str | None, film: str | None,
        ping_role_id: int | None, make_thread: bool, actor_id: int, now: datetime,
    ) -> Schedule:
        async with self.db.transaction() as conn:
            async with conn.execute(
                "INSERT INTO schedules(guild_id, channel_id, time_of_day, days, timezone, theme, film,"
                " ping_role_id, make_thread, created_by, created_at, active_since)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, f"{cadence.at:%H:%M}", format_days(cadence.days), cadence.zone, theme,
                 film, ping_role_id, int(make_thread), actor_id, iso(now), iso(now)),
            ) as cur:
                schedule_id = inserted_id(cur)
            row = await _exactly_one(conn, "SELECT * FROM schedules WHERE id = ?", (schedule_id,))
            schedule = _schedule(row)
            await AuditStore.record(conn, guild_id=guild_id, actor_id=actor_id, action="schedule.set",
                                    target_type="schedule", target_id=schedule_id, after=asdict(schedule))
        return schedule

    async def get(self, schedule_id: int, guild_id: int | None = None) -> Schedule | None:
        row = await self.db.fetchone("SELECT * FROM schedules WHERE id = ?", (schedule_id,))
        if row is None or (guild_id is not None and row["guild_id"] != guild_id):
            return None
        return _schedule(row)

    async def for_guild(self, guild_id: int) -> list[Schedule]:
        rows = await self.db.fetchall("SELECT * FROM schedules WHERE guild_id = ? ORDER BY id", (guild_id,))
        return [_schedule(r) for r in rows]

    async def set_paused(
        self, schedule_id: int, *, paused: bool, reason: str | None, actor_id: int | None, now: datetime
    ) -> bool:
        """Pause (with a reason) or resume; False if it was already so. Resuming restarts the clock."""
        async with self.db.transaction() as conn:
            row = await _one(conn, "SELECT * FROM schedules WHERE id = ?", (schedule_id,))
            if row is None or bool(row["paused"]) == paused:
                return False
            if paused:
                sql = "UPDATE schedules SET paused = 1, paused_reason = ?, paused_at = ? WHERE id = ?"
                params: tuple[Any, ...] = (reason, iso(now), schedule_id)
                # A slot waiting for a retry must not pop out late after a resume.
                await conn.execute(
                    "UPDATE schedule_posts SET status = 'skipped', reason = 'schedule paused before a retry',"
                    " next_attempt_at = NULL, updated_at = ? WHERE schedule_id = ? AND status = 'retrying'",
                    (iso(now), schedule_id),
                )
            else:
                # Slots missed while paused were deliberately not posted: no catch-up for them.
                sql = ("UPDATE schedules SET paused = 0, paused_reason = NULL, paused_at = NULL,"
                       " active_since = ?, next_due = NULL WHERE id = ?")
                params = (iso(now), schedule_id)
            await conn.execute(sql, params)
            await AuditStore.record(
                conn, guild_id=row["guild_id"], actor_id=actor_id,
                action="schedule.pause" if paused else "schedule.resume", target_type="schedule",
                target_id=schedule_id, before={"paused": bool(row["paused"])},
                after={"paused": paused, "reason": reason},
            )
        return True

    async def paused_unreachable(self, guild_id: int, reasons: tuple[str, ...]) -> list[Schedule]:
        """A server's paused schedules whose reason is LIKE one of `reasons` (the job's own words), oldest first."""
        like = " OR ".join("paused_reason LIKE ?" for _ in reasons)
        rows = await self.db.fetchall(
            f"SELECT * FROM schedules WHERE guild_id = ? AND paused = 1 AND ({like}) ORDER BY id",
            (guild_id, *reasons))
        return [_schedule(row) for row in rows]

    async def remove(self, schedule_id: int, *, actor_id: int) -> bool:
        async with self.db.transaction() as conn:
            row = await _one(conn, "SELECT * FROM schedules WHERE id = ?", (schedule_id,))
            if row is None:
                return False
            await conn.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,))
            await AuditStore.record(conn, guild_id=row["guild_id"], actor_id=actor_id, action="schedule.remove",
                                    target_type="schedule", target_id=schedule_id,
                                    before={k: row[k] for k in row.keys() if k != "next_due"})
        return True

    # ---- next due slot (migration 012) ---------------------------------------------------------
    async def unknown_due(self, shards: Shards | None = None) -> list[Schedule]:
        """Active schedules whose next slot is not stored (new, resumed, just claimed or skipped)."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT * FROM schedules WHERE paused = 0 AND next_due IS NULL AND {mine} ORDER BY id", params)
        return [_schedule(r) for r in rows]

    async def set_next_due(self, values: list[tuple[datetime, int]]) -> None:
        """Store (next slot, schedule id) pairs, only where no change cleared or set it meanwhile."""
        if values:
            async with self.db.transaction() as conn:
                await conn.executemany(
                    "UPDATE schedules SET next_due = ? WHERE id = ? AND next_due IS NULL",
                    [(iso(slot), schedule_id) for slot, schedule_id in values],
                )

    async def due_ids(self, now: datetime, shards: Shards | None = None) -> list[int]:
        """Active schedules whose stored next slot is at or before `now` (one indexed range read)."""
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT id FROM schedules WHERE paused = 0 AND next_due <= ? AND {mine} ORDER BY next_due, id",
            (iso(now), *params),
        )
        return [r[0] for r in rows]

    async def earliest_due(self, shards: Shards | None = None) -> datetime | None:
        mine, params = owned(shards)
        value = await self.db.fetchval(f"SELECT MIN(next_due) FROM schedules WHERE paused = 0 AND {mine}", params)
        return None if value is None else from_iso(value)

    # ---- slots -----------------------------------------------------------------------------
    async def posts(self, schedule_id: int) -> list[SlotPost]:
        """Every slot row of a schedule, oldest first (what was posted, skipped or is pending)."""
        rows = await self.db.fetchall(
            "SELECT * FROM schedule_posts WHERE schedule_id = ? ORDER BY slot_utc", (schedule_id,)
        )
        return [_post(r) for r in rows]

    async def upcoming(self, schedule: Schedule, now: datetime, count: int) -> list[tuple[datetime, bool]]:
        """The next `count` slots that will post after the last handled one (a due one may be past),
        with already-skipped slots in between as (slot, True)."""
        latest = await self.db.fetchval(
            "SELECT MAX(slot_utc) FROM schedule_posts WHERE schedule_id = ? AND slot_utc <= ?",
            (schedule.id, iso(now)),
        )
        floor = max(from_iso(schedule.active_since), from_iso(latest)) if latest else from_iso(schedule.active_since)
        rows = await self.db.fetchall(
            "SELECT slot_utc FROM schedule_posts WHERE schedule_id = ? AND slot_utc > ?", (schedule.id, iso(floor))
        )
        handled = {from_iso(r[0]) for r in rows}
        found: list[tuple[datetime, bool]] = []
        for slot in schedule.cadence.slots_after(floor):
            found.append((slot, slot in handled))
            if sum(1 for _, skipped in found if not skipped) >= count or len(found) >= count + 10:
                break
        return found

    async def skip_slot(self, schedule: Schedule, slot: datetime, *, actor_id: int, now: datetime) -> bool:
        """Record a future slot as skipped; False if that slot is already handled."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "INSERT OR IGNORE INTO schedule_posts(schedule_id, slot_utc, status, reason, updated_at)"
                " VALUES (?, ?, 'skipped', ?, ?)",
                (schedule.id, iso(slot), f"skipped by moderator {actor_id}", iso(now)),
            ) as cur:
                inserted = cur.rowcount == 1
            if inserted:
                await conn.execute("UPDATE schedules SET next_due = NULL WHERE id = ?", (schedule.id,))
                await AuditStore.record(conn, guild_id=schedule.guild_id, actor_id=actor_id,
                                        action="schedule.skip", target_type="schedule", target_id=schedule.id,
                                        after={"slot": iso(slot)})
        return inserted

    async def claim_due(
        self, schedule_id: int, now: datetime, grace: timedelta
    ) -> tuple[Claim | None, tuple[tuple[datetime, str], ...]]:
        """Decide and claim in one transaction: the latest due slot (if within grace) is claimed,
        every other due slot is recorded as skipped. Returns (claim or None, skipped slots)."""
        Skipped = tuple[tuple[datetime, str], ...]

        def work(raw: sqlite3.Connection) -> tuple[Claim | None, Skipped]:
            row = raw.execute("SELECT * FROM schedules WHERE id = ? AND paused = 0", (schedule_id,)).fetchone()
            if row is None:
                return None, ()
            schedule = _schedule(row)
            (latest,) = raw.execute(
                "SELECT MAX(slot_utc) FROM schedule_posts WHERE schedule_id = ? AND slot_utc <= ?",
                (schedule_id, iso(now)),
            ).fetchone()
            floor = from_iso(schedule.active_since)
            if latest is not None:
                floor = max(floor, from_iso(latest))
            plan = plan_due(schedule.cadence.slots_between(floor, now), now, grace)
            # Whatever this decides moves the schedule's next slot: the job recomputes it.
            raw.execute("UPDATE schedules SET next_due = NULL WHERE id = ?", (schedule_id,))
            raw.executemany(
                "INSERT OR IGNORE INTO schedule_posts(schedule_id, slot_utc, status, reason, updated_at)"
                " VALUES (?, ?, 'skipped', ?, ?)",
                [(schedule_id, iso(slot), skipped, iso(now)) for slot, skipped in plan.skip],
            )
            if plan.post is None:
                return None, plan.skip
            late = now - plan.post
            reason: str | None = (
                f"catch-up: {late.total_seconds() / 3600:.1f} h late" if late > timedelta(minutes=1) else None
            )
            cur = raw.execute(
                "INSERT OR IGNORE INTO schedule_posts(schedule_id, slot_utc, status, attempts, claimed_at,"
                " reason, updated_at) VALUES (?, ?, 'claimed', 1, ?, ?, ?)",
                (schedule_id, iso(plan.post), iso(now), reason, iso(now)),
            )
            if cur.rowcount != 1 or cur.lastrowid is None:
                return None, plan.skip
            return Claim(cur.lastrowid, schedule, plan.post, 1, catch_up=reason is not None), plan.skip

        # Read, decide and claim in one transaction run on the database thread: one hop.
        return await self.db.in_one_hop(work)

    async def recorded_message(self, source: str) -> int | None:
        """The message post_prompt recorded under this source (its posted_prompts table): proof of a post."""
        return await self.db.fetchval("SELECT message_id FROM posted_prompts WHERE source = ? LIMIT 1", (source,))

    async def pending(self, now: datetime, shards: Shards | None = None) -> list[SlotPost]:
        """Retries whose back-off ended and orphaned claims, on schedules that are not paused."""
        mine, params = owned(shards, "s.guild_id")
        rows = await self.db.fetchall(
            "SELECT p.* FROM schedule_posts p JOIN schedules s ON s.id = p.schedule_id WHERE s.paused = 0 AND ("
            " (p.status = 'retrying' AND p.next_attempt_at <= ?) OR (p.status = 'claimed' AND p.claimed_at <= ?))"
            f" AND {mine} ORDER BY p.slot_utc",
            (iso(now), iso(now - STALE_CLAIM), *params),
        )
        return [_post(r) for r in rows]

    async def next_pending_at(self, shards: Shards | None = None) -> datetime | None:
        """When the earliest retry or orphan check falls due (DB truth, for the scheduler)."""
        mine, params = owned(shards, "s.guild_id")
        rows = await self.db.fetchall(
            "SELECT p.status, p.next_attempt_at, p.claimed_at FROM schedule_posts p"
            " JOIN schedules s ON s.id = p.schedule_id WHERE s.paused = 0 AND p.status IN ('retrying', 'claimed')"
            f" AND {mine}", params,
        )
        times = [
            from_iso(r[1]) if r[0] == "retrying" else from_iso(r[2]) + STALE_CLAIM
            for r in rows if (r[1] if r[0] == "retrying" else r[2])
        ]
        return min(times, default=None)

    async def take(self, post: SlotPost, now: datetime, *, recovered: bool = False) -> Claim | None:
        """Re-claim a retrying or orphaned row (compare-and-swap on its status and stamp)."""
        async with self.db.transaction() as conn:
            row = await _one(conn, "SELECT * FROM schedules WHERE id = ? AND paused = 0", (post.schedule_id,))
            if row is None:
                return None
            async with conn.execute(
                "UPDATE schedule_posts SET status = 'claimed', attempts = attempts + 1, claimed_at = ?,"
                " next_attempt_at = NULL, recovered = max(recovered, ?), updated_at = ?"
                " WHERE id = ? AND status = ? AND claimed_at IS ?",
                (iso(now), int(recovered), iso(now), post.id, post.status, post.claimed_at),
            ) as cur:
                if cur.rowcount != 1:
                    return None
        return Claim(post.id, _schedule(row), post.slot, post.attempts + 1, recovered=recovered)

    async def _finish(self, post_id: int, status: str, now: datetime, **values: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        await self.db.execute(
            f"UPDATE schedule_posts SET status = ?, updated_at = ?{', ' + sets if sets else ''} WHERE id = ?",
            (status, iso(now), *values.values(), post_id),
        )

    async def mark_posted(self, post_id: int, message_id: int, now: datetime) -> None:
        await self._finish(post_id, "posted", now, message_id=message_id)

    async def mark_retrying(self, post_id: int, next_at: datetime, reason: str, now: datetime) -> None:
        await self._finish(post_id, "retrying", now, next_attempt_at=iso(next_at), reason=reason)

    async def mark_skipped(self, post_id: int, reason: str, now: datetime) -> None:
        await self._finish(post_id, "skipped", now, reason=reason, next_attempt_at=None)

    async def mark_failed(self, post_id: int, reason: str, now: datetime) -> None:
        await self._finish(post_id, "failed", now, reason=reason, next_attempt_at=None)

    async def fail_and_pause(self, claim: Claim, reason: str, now: datetime) -> None:
        """The slot failed for a lasting reason: record it and pause the schedule, together."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE schedule_posts SET status = 'failed', reason = ?, next_attempt_at = NULL, updated_at = ?"
                " WHERE id = ?", (reason, iso(now), claim.post_id),
            )
            await conn.execute(
                "UPDATE schedules SET paused = 1, paused_reason = ?, paused_at = ? WHERE id = ?",
                (reason, iso(now), claim.schedule.id),
            )
            await AuditStore.record(conn, guild_id=claim.schedule.guild_id, actor_id=None,
                                    action="schedule.pause", target_type="schedule", target_id=claim.schedule.id,
                                    before={"paused": False}, after={"paused": True, "reason": reason})
