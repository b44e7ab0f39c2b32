"""Every SQL statement of film metadata: the cache of provider answers, with an expiry."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.core.db import Database
from bot.core.time import iso
from bot.metadata.rules import FilmMetadata

MISSING = object()  # not in the cache (or expired): ask the provider


class MetadataStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, provider: str, key: str, now: datetime) -> FilmMetadata | None | object:
        """The cached answer (a record, or None for "no such film"), or MISSING when absent or expired."""
        row = await self.db.fetchone(
            "SELECT body FROM metadata_cache WHERE provider = ? AND key = ? AND expires_at > ?",
            (provider, key, iso(now)),
        )
        if row is None:
            return MISSING
        if row["body"] is None:
            return None
        try:
            data = json.loads(row["body"])
        except ValueError:
            return MISSING
        found = FilmMetadata.from_json(data) if isinstance(data, dict) else None
        return MISSING if found is None else found

    async def put(self, provider: str, key: str, meta: FilmMetadata | None, now: datetime, ttl: timedelta) -> None:
        """Store an answer until now + ttl, replacing an older one; expired rows go at the same time."""
        body = None if meta is None else json.dumps(meta.to_json(), ensure_ascii=False)
        await self.db.execute(
            "INSERT INTO metadata_cache(provider, key, body, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(provider, key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at,"
            " expires_at = excluded.expires_at",
            (provider, key, body, iso(now), iso(now + ttl)),
        )

    async def purge(self, now: datetime) -> int:
        """Drop expired rows; how many went."""
        done = await self.db.execute("DELETE FROM metadata_cache WHERE expires_at <= ?", (iso(now),))
        return done.rowcount

    # -- films whose lookup failed because the film databases could not be asked (metadata_retries)

    async def queue_retry(self, film_id: int, due: datetime) -> None:
        """Ask again for the film at `due`; a film already queued keeps its place and its count of tries."""
        await self.db.execute(
            "INSERT INTO metadata_retries(film_id, due, attempts) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
            (film_id, iso(due)),
        )

    async def next_retry(self) -> str | None:
        due = await self.db.fetchval("SELECT min(due) FROM metadata_retries")
        return None if due is None else str(due)

    async def due_retries(self, now: datetime, limit: int) -> list[tuple[int, str, int]]:
        """(film id, due, attempts) of the retries due at `now`, oldest first, at most `limit`."""
        rows = await self.db.fetchall(
            "SELECT film_id, due, attempts FROM metadata_retries WHERE due <= ? ORDER BY due, film_id LIMIT ?",
            (iso(now), limit),
        )
        return [(int(row[0]), str(row[1]), int(row[2])) for row in rows]

    async def claim_retry(self, film_id: int, due: str, until: datetime) -> bool:
        """Take the retry read as due at `due` for one try, until `until`; False: another process took it."""
        done = await self.db.execute(
            "UPDATE metadata_retries SET due = ? WHERE film_id = ? AND due = ?", (iso(until), film_id, due)
        )
        return done.rowcount == 1

    async def retry_later(self, film_id: int, attempts: int, due: datetime) -> None:
        await self.db.execute(
            "UPDATE metadata_retries SET attempts = ?, due = ? WHERE film_id = ?", (attempts, iso(due), film_id)
        )

    async def retried(self, film_id: int) -> None:
        await self.db.execute("DELETE FROM metadata_retries WHERE film_id = ?", (film_id,))

    async def wake_retries(self, now: datetime, count: int) -> int:
        """The film databases answered: the `count` retries waiting longest are due now (each that succeeds
        wakes the next ones, so a long queue drains step by step, never all at once). How many woke."""
        done = await self.db.execute(
            "UPDATE metadata_retries SET due = ? WHERE film_id IN (SELECT film_id FROM metadata_retries"
            " WHERE due > ? ORDER BY due, film_id LIMIT ?)",
            (iso(now), iso(now), count),
        )
        return done.rowcount
