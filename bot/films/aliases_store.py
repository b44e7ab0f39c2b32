"""A film's other titles (migration 225): every SQL statement of `film_aliases`.

An alias is read only where no film the server sees has the typed title as its own (`FilmStore.by_key`, `choices`,
`ensure`), so it never shadows a title; it names only a film the server sees (`_KNOWN`, unchanged). A moderator's
alias is their server's (`guild_id`); one a provider's record proved (`/film info`) is every server's (guild 0).
"""

from __future__ import annotations

from typing import Any

import aiosqlite

from bot.core.db import Database
from bot.core.store import AuditStore
from bot.films.rules import ALIASES_MAX, Film, alias_title, norm_key

AUDIT_TARGET = "film-alias"  # audit_log.target_type of a moderator's alias added or removed (target_id: the film)
PROVIDER = 0  # guild_id of the titles a provider's record proved: every server that sees the film reads them
# The films whose alias (this server's or a provider's) has the key: an index seek (film_aliases_key).
ALIASED = "f.id IN (SELECT a.film_id FROM film_aliases a WHERE a.norm_key = :key AND a.guild_id IN (0, :guild))"
# The same for a key range (a keystroke's prefix).
ALIASED_PREFIX = ("f.id IN (SELECT a.film_id FROM film_aliases a WHERE a.norm_key >= :key AND a.norm_key < :end"
                  " AND a.guild_id IN (0, :guild))")


async def aliased(conn: aiosqlite.Connection, key: str, guild_id: int, known: str, select: str) -> list[Film]:
    """The films this server sees with an alias of this key (inside a transaction: `FilmStore.ensure`)."""
    async with conn.execute(f"{select} f WHERE {ALIASED} AND {known} ORDER BY f.year IS NULL, f.year, f.id",
                            {"key": key, "guild": guild_id}) as cur:
        return [Film(*tuple(r)) for r in await cur.fetchall()]


class AliasStore:
    """`bot.store.films.aliases`: add, remove and list a film's other titles."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def titles(self, film_id: int, guild_id: int) -> list[str]:
        """The film's other titles this server reads: its own moderators' and the providers', oldest first."""
        rows = await self.db.fetchall(
            "SELECT title FROM film_aliases WHERE film_id = ? AND guild_id IN (0, ?) ORDER BY added_at, title",
            (film_id, guild_id),
        )
        return list(dict.fromkeys(str(r[0]) for r in rows))

    async def add(self, guild_id: int, film: Film, title: str, source: str, added_by: int | None, at: str) -> bool:
        """Store the alias (already checked by the caller); False when the server already had it. A moderator's
        is audited in the same transaction (a provider's record is no one's decision)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO film_aliases(guild_id, norm_key, film_id, title, source, added_by, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, norm_key(title), film.id, title, source, added_by, at),
            )
            added = cur.rowcount == 1
            if added and source == "moderator":
                await AuditStore.record(conn, guild_id=guild_id, actor_id=added_by, action="alias.add",
                                        target_type=AUDIT_TARGET, target_id=film.id,
                                        after={"film": film.label, "title": title})
        return added

    async def count(self, film_id: int, guild_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) FROM film_aliases WHERE film_id = ? AND guild_id = ?", (film_id, guild_id))
        return int(row[0]) if row else 0

    async def remove(self, guild_id: int, film: Film, title: str, actor_id: int | None) -> list[str]:
        """Delete this server's alias of the film with that title's key, audited with it; the titles deleted
        (none: it had no such alias)."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "DELETE FROM film_aliases WHERE guild_id = ? AND film_id = ? AND norm_key = ? RETURNING title",
                (guild_id, film.id, norm_key(title)),
            ) as cur:
                gone = [str(r[0]) for r in await cur.fetchall()]
            for old in gone:
                await AuditStore.record(conn, guild_id=guild_id, actor_id=actor_id, action="alias.remove",
                                        target_type=AUDIT_TARGET, target_id=film.id,
                                        before={"film": film.label, "title": old})
        return gone

    async def provider_has(self, film_id: int, title: str) -> bool:
        """True when a provider's record gave the film this title (a server's moderators cannot remove it)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM film_aliases WHERE guild_id = 0 AND film_id = ? AND norm_key = ?", (film_id, norm_key(title)))
        return row is not None

    async def record_proven(self, film: Film, titles: list[str], at: str) -> int:
        """A provider's titles for a film `/film info` proved it is (its English and original titles), for every
        server that sees it; a title that is the film's own key, or cannot be stored, is skipped. How many were new."""
        added = 0
        for title in dict.fromkeys(t for t in (alias_title(raw) for raw in titles) if t):
            if norm_key(title) == film.norm_key:
                continue
            if await self.count(film.id, PROVIDER) >= ALIASES_MAX:
                break
            added += await self.add(PROVIDER, film, title, "provider", None, at)
        return added

    @staticmethod
    def params(key: str, guild_id: int | None) -> dict[str, Any]:
        return {"key": key, "guild": guild_id or 0}
