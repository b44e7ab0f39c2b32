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
