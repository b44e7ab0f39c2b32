"""Every SQL statement of film night: watchlist, picks and ballots, screenings and their reminders."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.core.db import Database, GuildsWith, inserted_id
from bot.core.refusals import UserError
from bot.core.shards import Shards, owned
from bot.core.store import AuditStore, CloseStates
from bot.core.text import clip
from bot.core.time import from_iso, iso
from bot.corpus.changes_store import corpus_write
from bot.filmnight.rules import PICK_OPEN, Entry, FilmName, Pick, Screening

# A claimed reminder not settled this long after its claim was left by a process that died (or hangs): it is
# then checked against the channel and sent again if it was not (reconcile.recover_claims). A live process
# settles one within seconds; a holder on this machine that is gone is recognised at once (core/claims).
REMINDER_LEASE = timedelta(minutes=5)
SELECT_LABEL_MAX = 100  # Discord's limit on a select option's label: what a pick's menus show
from bot.films.store import FilmStore

_ENTRY = (
    "SELECT w.id, w.guild_id, w.film_id, f.title, f.year, w.note, w.suggested_by, w.status,"
    " (SELECT count(*) FROM watchlist_support s WHERE s.entry_id = w.id) AS support, f.director,"
    " f.runtime_minutes"
    " FROM watchlist w JOIN films f ON f.id = w.film_id"
)
_SCREENING = (
    "SELECT s.id, s.guild_id, s.film_id, f.title, f.year, s.channel_id, s.event_id, s.starts_at, s.ends_at,"
    " s.location, s.status, s.unlocked_at, s.interested FROM screenings s JOIN films f ON f.id = s.film_id"
)


def _entry(row: Any) -> Entry:
    return Entry(*tuple(row))


def _screening(row: Any) -> Screening:
    return Screening(*tuple(row))


async def _audit(conn: aiosqlite.Connection, guild_id: int, actor_id: int | None, action: str,
                 target_type: str, target_id: int | None, **after: Any) -> None:
    await AuditStore.record(
        conn, guild_id=guild_id, actor_id=actor_id, action=action, target_type=target_type,
        target_id=target_id, after=after or None,
    )


class FilmNightStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.closing = CloseStates(db, "filmnight_picks")  # closing → announced | abandoned (core/closing.py)
        # /quote and /discuss ask for the current screening on every command: most servers have none.
        self._screening_guilds = GuildsWith(db, "SELECT DISTINCT guild_id FROM screenings")

    # ------------------------------------------------------------------ settings

    async def settings(self, guild_id: int) -> tuple[bool, int | None]:
        row = await self.db.fetchone(
            "SELECT watchlist_approval, ping_role_id FROM filmnight_settings WHERE guild_id = ?", (guild_id,)
        )
        return (bool(row[0]), row[1]) if row else (False, None)

    async def set_setting(self, guild_id: int, actor_id: int, column: str, value: int | str | None) -> None:
        if column not in ("watchlist_approval", "ping_role_id", "reminder_mentions"):
            raise KeyError(column)
        async with self.db.transaction() as conn:
            await conn.execute("INSERT OR IGNORE INTO filmnight_settings(guild_id) VALUES (?)", (guild_id,))
            await conn.execute(f"UPDATE filmnight_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id))
            await _audit(conn, guild_id, actor_id, "filmnight.config", "guild", guild_id, **{column: value})

    # ------------------------------------------------------------------ watchlist

    async def add(
        self, guild_id: int, film: FilmName | int, note: str | None, user_id: int, status: str, now: datetime
    ) -> tuple[Entry, bool, bool]:
        """(the entry, True if it was new, True if the member backs it from now on).

        Suggesting a film is backing it: the member's support is stored with the entry, and a film
        already listed (not yet watched) gets their support instead, so 20 members adding the same
        film at once make one entry with 20 supporters. `film` is a typed name or a catalogue id; a typed year
        one off the year of the club's film of that title names that film (`FilmStore.ensure`'s `near_year`).
        """
        async with corpus_write(self.db) as write:  # ensure may give a reviewed film its year
            conn = write.conn
            film_id = film if isinstance(film, int) else await FilmStore.ensure(
                conn, film.title, film.year, guild_id=guild_id, near_year=True)
            await write.film(film_id)
            cur = await conn.execute(
                "INSERT OR IGNORE INTO watchlist(guild_id, film_id, note, suggested_by, status, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, film_id, note, user_id, status, iso(now)),
            )
            created = cur.rowcount == 1
            cur = await conn.execute(
                "INSERT OR IGNORE INTO watchlist_support(entry_id, user_id, at)"
                " SELECT id, ?, ? FROM watchlist WHERE guild_id = ? AND film_id = ? AND status != 'watched'",
                (user_id, iso(now), guild_id, film_id),
            )
            backed = cur.rowcount == 1
        entry = await self.entry_by_film(guild_id, film_id)
        assert entry is not None
        return entry, created, backed

    async def import_films(
        self, guild_id: int, films: list[FilmName], actor_id: int, now: datetime
    ) -> tuple[int, int]:
        """(added, already listed), all in one transaction with one audit entry."""
        added = 0
        async with corpus_write(self.db) as write:
            conn = write.conn
            for film in films:  # an import's years are exact (a Letterboxd export): no near-year match
                film_id = await FilmStore.ensure(conn, film.title, film.year, guild_id=guild_id)
                await write.film(film_id)
                cur = await conn.execute(
                    "INSERT OR IGNORE INTO watchlist(guild_id, film_id, suggested_by, status, added_at)"
                    " VALUES (?, ?, ?, 'active', ?)",
                    (guild_id, film_id, actor_id, iso(now)),
                )
                added += cur.rowcount
            await _audit(conn, guild_id, actor_id, "watchlist.import", "guild", guild_id,
                         added=added, duplicates=len(films) - added)
        return added, len(films) - added

    async def entry(self, entry_id: int) -> Entry | None:
        row = await self.db.fetchone(_ENTRY + " WHERE w.id = ?", (entry_id,))
        return _entry(row) if row else None

    async def entry_by_film(self, guild_id: int, film_id: int) -> Entry | None:
        row = await self.db.fetchone(_ENTRY + " WHERE w.guild_id = ? AND w.film_id = ?", (guild_id, film_id))
        return _entry(row) if row else None

    async def entries(self, guild_id: int, statuses: tuple[str, ...] = ("active",)) -> list[Entry]:
        """Sorted by support (most first), then by who was suggested first."""
        marks = ",".join("?" * len(statuses))
        rows = await self.db.fetchall(
            _ENTRY + f" WHERE w.guild_id = ? AND w.status IN ({marks}) ORDER BY support DESC, w.id",
            (guild_id, *statuses),
        )
        return [_entry(r) for r in rows]

    async def support(self, entry_id: int, user_id: int, now: datetime) -> bool:
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO watchlist_support(entry_id, user_id, at) VALUES (?, ?, ?)",
            (entry_id, user_id, iso(now)),
        )
        return cur.rowcount == 1

    async def remove(self, entry: Entry, actor_id: int, audited: bool) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM watchlist WHERE id = ?", (entry.id,))
            if cur.rowcount and audited:
                await _audit(conn, entry.guild_id, actor_id, "watchlist.remove", "watchlist", entry.id,
                             film=entry.label)
        return cur.rowcount == 1

    async def set_log_post(self, entry_id: int, channel_id: int, message_id: int) -> None:
        """Where the suggestion's Approve/Reject post is in the log channel (migration 179), so a decision taken
        elsewhere can close it."""
        await self.db.execute("UPDATE watchlist SET log_channel_id = ?, log_message_id = ? WHERE id = ?",
                              (channel_id, message_id, entry_id))

    async def log_post(self, entry_id: int) -> tuple[int, int] | None:
        """(channel id, message id) of the suggestion's log-channel post, when one was made and recorded."""
        row = await self.db.fetchone(
            "SELECT log_channel_id, log_message_id FROM watchlist WHERE id = ?"
            " AND log_channel_id IS NOT NULL AND log_message_id IS NOT NULL", (entry_id,))
        return None if row is None else (int(row[0]), int(row[1]))

    async def decide(self, entry_id: int, approve: bool, actor_id: int, guild_id: int) -> Entry | None:
        """Approve or reject a pending suggestion of server `guild_id`, once; None if it was no longer pending
        (or is another server's). Its log post (`log_post`) is read before: a rejection deletes the row."""
        entry = await self.entry(entry_id)
        async with self.db.transaction() as conn:
            if approve:
                sql = ("UPDATE watchlist SET status = 'active', decided_by = ?"
                       " WHERE id = ? AND guild_id = ? AND status = 'pending'")
                cur = await conn.execute(sql, (actor_id, entry_id, guild_id))
            else:
                cur = await conn.execute(
                    "DELETE FROM watchlist WHERE id = ? AND guild_id = ? AND status = 'pending'", (entry_id, guild_id))
            if cur.rowcount != 1 or entry is None:
                return None
            await _audit(conn, entry.guild_id, actor_id, "watchlist.approve" if approve else "watchlist.reject",
                         "watchlist", entry_id, film=entry.label)
        return entry

    async def decided_here(self, entry_id: int, guild_id: int) -> bool:
        """Whether a moderator of server `guild_id` approved or rejected this suggestion (its audit row: a rejected
        one is deleted): a stale Approve/Reject pressed there may be closed, one forged from elsewhere may not."""
        row = await self.db.fetchone(
            "SELECT 1 FROM audit_log WHERE target_type = 'watchlist' AND target_id = ? AND guild_id = ?"
            " AND action IN ('watchlist.approve', 'watchlist.reject') LIMIT 1", (entry_id, guild_id),
        )
        return row is not None

    # ------------------------------------------------------------------ picks

    async def create_pick(
        self, guild_id: int, channel_id: int, creator_id: int, method: str, now: datetime, deadline: datetime,
        candidates: list[Entry],
    ) -> int:
        """The new pick's id; UserError when the server already has one open. Checked again here, inside
        the write: two moderators starting a pick at once both passed the service's check, and the server
        had two open picks (two ballots, two results)."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT 1 FROM filmnight_picks WHERE guild_id = ? AND closed_at IS NULL LIMIT 1", (guild_id,)
            ) as found:
                if await found.fetchone() is not None:
                    raise UserError(PICK_OPEN)
            cur = await conn.execute(
                "INSERT INTO filmnight_picks(guild_id, channel_id, creator_id, method, created_at, deadline)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, creator_id, method, iso(now), iso(deadline)),
            )
            pick_id = inserted_id(cur)
            await conn.executemany(
                "INSERT INTO filmnight_candidates(pick_id, position, film_id, label) VALUES (?, ?, ?, ?)",
                [(pick_id, n, e.film_id, clip(e.menu_label, SELECT_LABEL_MAX)) for n, e in enumerate(candidates, start=1)],
            )
            await _audit(conn, guild_id, creator_id, "filmnight.pick", "pick", pick_id, method=method,
                         candidates=[e.label for e in candidates], deadline=iso(deadline))
        return pick_id

    async def set_pick_message(self, pick_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE filmnight_picks SET message_id = ? WHERE id = ?", (message_id, pick_id))

    async def delete_pick(self, pick_id: int) -> None:
        await self.db.execute("DELETE FROM filmnight_picks WHERE id = ?", (pick_id,))

    async def pick(self, pick_id: int) -> Pick | None:
        row = await self.db.fetchone(
            "SELECT id, guild_id, channel_id, message_id, creator_id, method, deadline, closed_at, winner"
            " FROM filmnight_picks WHERE id = ?", (pick_id,),
        )
        if row is None:
            return None
        candidates = await self.db.fetchall(
            "SELECT film_id, label FROM filmnight_candidates WHERE pick_id = ? ORDER BY position", (pick_id,)
        )
        return Pick(
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
            candidates=tuple((c[0], c[1]) for c in candidates),
        )

    async def cast(self, pick_id: int, user_id: int, ranking: tuple[int, ...], now: datetime) -> bool:
        """Store (or replace) a member's ballot; False when the pick is closed or past its deadline.

        One transaction in one hop to the database thread (Database.in_one_hop), batched with the ballots
        queued meanwhile: a club voting at once is not three loop round trips each under the write lock."""

        def work(raw: sqlite3.Connection) -> bool:
            if raw.execute(
                "SELECT 1 FROM filmnight_picks WHERE id = ? AND closed_at IS NULL AND deadline > ?", (pick_id, iso(now))
            ).fetchone() is None:
                return False
            raw.execute(
                "INSERT INTO filmnight_ballots(pick_id, user_id, ranking, cast_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (pick_id, user_id) DO UPDATE SET ranking = excluded.ranking, cast_at = excluded.cast_at",
                (pick_id, user_id, ",".join(map(str, ranking)), iso(now)),
            )
            return True

        return await self.db.in_one_hop(work)

    async def ballot_count(self, pick_id: int) -> int:
        return int(await self.db.fetchval("SELECT count(*) FROM filmnight_ballots WHERE pick_id = ?", (pick_id,), 0))

    async def next_pick_deadline(self, shards: Shards | None = None) -> str | None:
        mine, params = owned(shards)
        return await self.db.fetchval(
            f"SELECT min(deadline) FROM filmnight_picks WHERE closed_at IS NULL AND {mine}", params)

    async def due_picks(self, now: datetime, shards: Shards | None = None) -> list[int]:
        mine, params = owned(shards)
        rows = await self.db.fetchall(
            f"SELECT id FROM filmnight_picks WHERE closed_at IS NULL AND deadline <= ? AND {mine} ORDER BY deadline",
            (iso(now), *params),
        )
        return [r[0] for r in rows]

    async def close_pick(self, pick_id: int, now: datetime, actor_id: int | None, retry_at: datetime | None = None
                         ) -> list[tuple[int, ...]] | None:
        """Flip closed_at once (and enter 'closing', announced from retry_at on if the closer's own attempt
        does not finish it); the caller that flipped it gets the ballots, everyone else None."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE filmnight_picks SET closed_at = ?, close_state = 'closing', next_close_at = ?"
                " WHERE id = ? AND closed_at IS NULL", (iso(now), iso(retry_at or now), pick_id)
            )
            if cur.rowcount != 1:
                return None
            async with conn.execute(
                "SELECT ranking FROM filmnight_ballots WHERE pick_id = ? ORDER BY cast_at, user_id", (pick_id,)
            ) as rows:
                ballots = [tuple(int(x) for x in r[0].split(",")) for r in await rows.fetchall()]
            if actor_id is not None:
                async with conn.execute("SELECT guild_id FROM filmnight_picks WHERE id = ?", (pick_id,)) as g:
                    guild = await g.fetchone()
                await _audit(conn, guild[0] if guild else 0, actor_id, "filmnight.pick.close", "pick", pick_id)
        return ballots

    async def ballots(self, pick_id: int) -> list[tuple[int, ...]]:
        rows = await self.db.fetchall(
            "SELECT ranking FROM filmnight_ballots WHERE pick_id = ? ORDER BY cast_at, user_id", (pick_id,)
        )
        return [tuple(int(x) for x in r[0].split(",")) for r in rows]

    async def set_result(self, pick_id: int, winner: int | None, result: dict[str, Any]) -> None:
        await self.db.execute(
            "UPDATE filmnight_picks SET winner = ?, result_json = ? WHERE id = ?",
            (winner, json.dumps(result), pick_id),
        )

    async def open_pick(self, guild_id: int) -> int | None:
        return await self.db.fetchval(
            "SELECT id FROM filmnight_picks WHERE guild_id = ? AND closed_at IS NULL ORDER BY id DESC", (guild_id,)
        )

    # ------------------------------------------------------------------ screenings

    async def create_screening(
        self, *, guild_id: int, film_id: int, channel_id: int, event_id: int, start: datetime, end: datetime,
        location: str | None, actor_id: int, now: datetime, reminders: list[tuple[str, datetime]],
    ) -> int:
        """Store the screening, its reminders and (if missing) the film's watchlist entry, in one go."""
        self._screening_guilds.add(guild_id)
        try:
            async with self.db.transaction() as conn:
                cur = await conn.execute(
                    "INSERT INTO screenings(guild_id, film_id, channel_id, event_id, starts_at, ends_at, location,"
                    " status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?)",
                    (guild_id, film_id, channel_id, event_id, iso(start), iso(end), location, actor_id, iso(now)),
                )
                screening_id = inserted_id(cur)
                await conn.execute(
                    "INSERT OR IGNORE INTO watchlist(guild_id, film_id, suggested_by, status, added_at)"
                    " VALUES (?, ?, ?, 'active', ?)",
                    (guild_id, film_id, actor_id, iso(now)),
                )
                await self._arm(conn, screening_id, reminders, end)
                await _audit(conn, guild_id, actor_id, "filmnight.schedule", "screening", screening_id,
                             film_id=film_id, event_id=event_id, starts_at=iso(start), location=location)
        except sqlite3.IntegrityError as error:
            raise UserError("This server already has an upcoming screening: `/filmnight move` or cancel it first.") from error
        return screening_id

    @staticmethod
    async def _arm(conn: aiosqlite.Connection, screening_id: int, reminders: list[tuple[str, datetime]],
                   end: datetime) -> None:
        await conn.execute("DELETE FROM screening_reminders WHERE screening_id = ?", (screening_id,))
        await conn.executemany(
            "INSERT INTO screening_reminders(screening_id, kind, due_at, status) VALUES (?, ?, ?, 'due')",
            [(screening_id, kind, iso(due)) for kind, due in [*reminders, ("end", end)]],
        )

    async def screening(self, screening_id: int) -> Screening | None:
        row = await self.db.fetchone(_SCREENING + " WHERE s.id = ?", (screening_id,))
        return _screening(row) if row else None

    async def by_event(self, event_id: int) -> Screening | None:
        row = await self.db.fetchone(_SCREENING + " WHERE s.event_id = ?", (event_id,))
        return _screening(row) if row else None

    async def upcoming(self, guild_id: int) -> Screening | None:
        if not await self._screening_guilds.may_have(guild_id):
            return None
        row = await self.db.fetchone(_SCREENING + " WHERE s.guild_id = ? AND s.status = 'scheduled'", (guild_id,))
        return self._found(_screening(row)) if row else None

    async def current(self, guild_id: int) -> Screening | None:
        """The upcoming (or running) screening, else the last one that ended."""
        if not await self._screening_guilds.may_have(guild_id):
            return None
        row = await self.db.fetchone(
            _SCREENING + " WHERE s.guild_id = ? AND s.status IN ('scheduled', 'ended')"
            " ORDER BY s.status = 'scheduled' DESC, s.starts_at DESC, s.id DESC",
            (guild_id,),
        )
        return self._found(_screening(row)) if row else None

    def _found(self, screening: Screening) -> Screening:
        """A screening read for its server: the server is kept among those that have one (it may have been
        scheduled by another process, which `GuildsWith` only finds on a re-check)."""
        self._screening_guilds.add(screening.guild_id)
        return screening

    async def cancel(self, screening: Screening, actor_id: int | None, reason: str) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE screenings SET status = 'cancelled' WHERE id = ? AND status = 'scheduled'", (screening.id,)
            )
            if cur.rowcount != 1:
                return False
            await conn.execute(
                "DELETE FROM screening_reminders WHERE screening_id = ? AND status = 'due'", (screening.id,)
            )
            await _audit(conn, screening.guild_id, actor_id, "filmnight.cancel", "screening", screening.id,
                         reason=reason)
        return True

    async def move(self, screening: Screening, start: datetime, end: datetime,
                   reminders: list[tuple[str, datetime]], actor_id: int | None) -> bool:
        """New times and re-armed reminders; False (nothing done) when the times are already these.

        The bot's own move comes back as an event update from Discord: whichever arrives second is a no-op.
        """
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE screenings SET starts_at = ?, ends_at = ? WHERE id = ? AND status = 'scheduled'"
                " AND (starts_at != ? OR ends_at != ?)",
                (iso(start), iso(end), screening.id, iso(start), iso(end)),
            )
            if cur.rowcount != 1:
                return False
            await self._arm(conn, screening.id, reminders, end)
            await AuditStore.record(
                conn, guild_id=screening.guild_id, actor_id=actor_id, action="filmnight.move",
                target_type="screening", target_id=screening.id,
                before={"starts_at": screening.starts_at, "ends_at": screening.ends_at},
                after={"starts_at": iso(start), "ends_at": iso(end)},
            )
        return True

    async def unlock(self, screening: Screening, actor_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE screenings SET unlocked_at = ? WHERE id = ? AND unlocked_at IS NULL", (iso(now), screening.id)
            )
            if cur.rowcount == 1:
                await _audit(conn, screening.guild_id, actor_id, "filmnight.unlock", "screening", screening.id)
        return cur.rowcount == 1

    async def finish(self, screening: Screening, now: datetime, interested: int | None) -> None:
        """The screening ended: spoilers open, the watchlist entry is watched."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE screenings SET status = 'ended', unlocked_at = coalesce(unlocked_at, ?),"
                " interested = coalesce(?, interested) WHERE id = ? AND status = 'scheduled'",
                (iso(now), interested, screening.id),
            )
            await conn.execute(
                "UPDATE watchlist SET status = 'watched', watched_at = ? WHERE guild_id = ? AND film_id = ?",
                (iso(now), screening.guild_id, screening.film_id),
            )

    async def history(self, guild_id: int, limit: int = 25, offset: int = 0) -> list[Screening]:
        """Ended film nights, newest first, `limit` from `offset` (ties by id: a page boundary never repeats one)."""
        rows = await self.db.fetchall(
            _SCREENING + " WHERE s.guild_id = ? AND s.status = 'ended' ORDER BY s.starts_at DESC, s.id DESC"
            " LIMIT ? OFFSET ?",
            (guild_id, limit, offset),
        )
        return [_screening(r) for r in rows]

    async def ended_count(self, guild_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) FROM screenings WHERE guild_id = ? AND status = 'ended'", (guild_id,))
        return row[0] if row else 0

    # ------------------------------------------------------------------ reminders

    async def scheduled(self, shards: Shards | None = None) -> list[Screening]:
        """Every screening still to come (or running), in this process's servers: checked against Discord at start."""
        mine, params = owned(shards, "s.guild_id")
        rows = await self.db.fetchall(_SCREENING + f" WHERE s.status = 'scheduled' AND {mine} ORDER BY s.id", params)
        return [_screening(r) for r in rows]

    async def next_reminder(self, shards: Shards | None = None) -> str | None:
        """The next due reminder, or the moment the oldest claim becomes an orphan (claimed_at + lease)."""
        mine, params = owned(shards, "s.guild_id")
        due = await self.db.fetchval(
            "SELECT min(r.due_at) FROM screening_reminders r JOIN screenings s ON s.id = r.screening_id"
            f" WHERE r.status = 'due' AND {mine}", params)
        claimed = await self.db.fetchval(
            "SELECT min(r.claimed_at) FROM screening_reminders r JOIN screenings s ON s.id = r.screening_id"
            f" WHERE r.status = 'claimed' AND {mine}", params)
        orphaned = iso(from_iso(claimed) + REMINDER_LEASE) if claimed else None
        return min((m for m in (due, orphaned) if m), default=None)

    async def claim_reminders(self, now: datetime, by: str, shards: Shards | None = None) -> list[tuple[int, str]]:
        """Claim each due reminder of this process's servers before anything is sent, one compare-and-swap
        per row: of two processes that see it due, exactly one gets it, and a crash can't make it post twice."""
        mine, params = owned(shards, "s.guild_id")
        rows = await self.db.fetchall(
            "SELECT r.screening_id, r.kind FROM screening_reminders r JOIN screenings s ON s.id = r.screening_id"
            f" WHERE r.status = 'due' AND r.due_at <= ? AND {mine} ORDER BY r.due_at", (iso(now), *params),
        )
        return [(row[0], row[1]) for row in rows if await self.claim_reminder(row[0], row[1], now, by)]

    async def claim_reminder(self, screening_id: int, kind: str, now: datetime, by: str) -> bool:
        """Claim one reminder (claimed_at starts its lease); False if another claim got it first."""
        cur = await self.db.execute(
            "UPDATE screening_reminders SET status = 'claimed', claimed_at = ?, claimed_by = ?"
            " WHERE screening_id = ? AND kind = ? AND status = 'due' AND due_at <= ?",
            (iso(now), by, screening_id, kind, iso(now)),
        )
        return cur.rowcount == 1

    async def due_now(self, screening_id: int, kind: str, now: datetime) -> bool:
        """Bring a reminder still 'due' forward to now (the event ended early in Discord); the job sends it."""
        cur = await self.db.execute(
            "UPDATE screening_reminders SET due_at = ? WHERE screening_id = ? AND kind = ? AND status = 'due'"
            " AND due_at > ?", (iso(now), screening_id, kind, iso(now)),
        )
        return cur.rowcount == 1

    async def retry_reminder(self, screening_id: int, kind: str, error: str, retry_at: datetime | None) -> int:
        """A claimed reminder failed: 'due' again at retry_at, or 'failed' (None). Returns the attempts so far."""
        await self.db.execute(
            "UPDATE screening_reminders SET attempts = attempts + 1, error = ?, status = ?,"
            " due_at = coalesce(?, due_at) WHERE screening_id = ? AND kind = ?",
            (error, "due" if retry_at else "failed", iso(retry_at) if retry_at else None, screening_id, kind),
        )
        return int(await self.db.fetchval(
            "SELECT attempts FROM screening_reminders WHERE screening_id = ? AND kind = ?", (screening_id, kind), 0))

    async def claims(self, shards: Shards | None = None) -> list[tuple[int, str, str, str | None, str | None]]:
        """(screening, kind, due_at, claimed_at, claimed_by) of every claimed reminder of this process's
        servers: reconcile.recover_claims settles those whose holder is gone (core/claims.abandoned)."""
        mine, params = owned(shards, "s.guild_id")
        rows = await self.db.fetchall(
            "SELECT r.screening_id, r.kind, r.due_at, r.claimed_at, r.claimed_by FROM screening_reminders r"
            f" JOIN screenings s ON s.id = r.screening_id WHERE r.status = 'claimed' AND {mine} ORDER BY r.due_at",
            params,
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def release_claim(self, screening_id: int, kind: str, claimed_at: str | None = None) -> bool:
        """An orphaned claim that was not sent: due again (the job sends it, or skips it if stale). Only the
        claim that was found orphaned (same claim time): one a live process made since is left alone."""
        same = "claimed_at IS NULL" if claimed_at is None else "claimed_at = ?"
        cur = await self.db.execute(
            "UPDATE screening_reminders SET status = 'due', claimed_at = NULL, claimed_by = NULL"
            f" WHERE screening_id = ? AND kind = ? AND status = 'claimed' AND {same}",
            (screening_id, kind) + (() if claimed_at is None else (claimed_at,)),
        )
        return cur.rowcount == 1

    async def failed_reminders(self, guild_id: int, ended_since: datetime) -> list[tuple[Screening, str, str | None]]:
        """(screening, kind, error) of one server's reminders and end steps given up for good, of screenings still
        to come or ended since `ended_since` (bot/filmnight/rejoined.py chooses which are worth trying again)."""
        with_reminder = _SCREENING.replace(" FROM screenings s", ", r.kind, r.error FROM screenings s", 1)
        rows = await self.db.fetchall(
            f"{with_reminder} JOIN screening_reminders r ON r.screening_id = s.id WHERE s.guild_id = ?"
            " AND r.status = 'failed' AND s.status IN ('scheduled', 'ended') AND s.ends_at >= ? ORDER BY s.id, r.kind",
            (guild_id, iso(ended_since)))
        return [(_screening(row[:-2]), row[-2], row[-1]) for row in rows]

    async def revive_reminder(self, screening_id: int, kind: str, now: datetime) -> bool:
        """A reminder or end step given up for good due again now, with the whole back-off ladder; True if it was
        given up. The end step's retry looks for what an earlier attempt posted (FilmNightService.deliver)."""
        cur = await self.db.execute(
            "UPDATE screening_reminders SET status = 'due', attempts = 0, due_at = ?, error = NULL, claimed_at = NULL,"
            " claimed_by = NULL WHERE screening_id = ? AND kind = ? AND status = 'failed'", (iso(now), screening_id, kind))
        return cur.rowcount == 1

    async def called_off_while_away(self, screening: Screening, reason: str) -> bool:
        """A screening the job ended while the bot was removed, whose Discord event a moderator deleted or cancelled
        meanwhile: the night was called off, so it is cancelled and its given-up end step settled as skipped (not
        posted late, not looked at again). True if this call did it."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE screenings SET status = 'cancelled' WHERE id = ? AND status = 'ended'", (screening.id,))
            if cur.rowcount != 1:
                return False
            await conn.execute("UPDATE screening_reminders SET status = 'skipped' WHERE screening_id = ?"
                               " AND kind = 'end' AND status = 'failed'", (screening.id,))
            await _audit(conn, screening.guild_id, None, "filmnight.cancel", "screening", screening.id, reason=reason)
        return True

    async def reminder_due(self, screening_id: int, kind: str) -> tuple[int, str | None]:
        """(attempts so far, due_at) of one reminder: a retry's due_at is its failed attempt plus the back-off."""
        row = await self.db.fetchone(
            "SELECT attempts, due_at FROM screening_reminders WHERE screening_id = ? AND kind = ?", (screening_id, kind))
        return (0, None) if row is None else (int(row[0]), row[1])

    async def failed_alike(self, screening_id: int, kind: str, error: str) -> bool:
        """Whether another of this screening's posts already failed for good with this same error (the moderators
        were told then: a channel deleted or a permission taken fails the 24 h, 1 h and end posts alike)."""
        return await self.db.fetchval(
            "SELECT 1 FROM screening_reminders WHERE screening_id = ? AND kind != ? AND status = 'failed'"
            " AND error = ?", (screening_id, kind, error)) is not None

    async def reminder_attempts(self, screening_id: int, kind: str) -> int:
        return int(await self.db.fetchval(
            "SELECT attempts FROM screening_reminders WHERE screening_id = ? AND kind = ?", (screening_id, kind), 0))

    async def settle_reminder(self, screening_id: int, kind: str, status: str, message_id: int | None) -> None:
        await self.db.execute(
            "UPDATE screening_reminders SET status = ?, message_id = ? WHERE screening_id = ? AND kind = ?",
            (status, message_id, screening_id, kind),
        )

    async def reminders(self, screening_id: int) -> dict[str, str]:
        rows = await self.db.fetchall(
            "SELECT kind, status FROM screening_reminders WHERE screening_id = ?", (screening_id,)
        )
        return {r[0]: r[1] for r in rows}
