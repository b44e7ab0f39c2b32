"""The SQL of who has watched what (`film_watches`), of reminder mentions, and of the club's year in numbers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.db import Database
from bot.corpus.store import HIDDEN_IDS


@dataclass(frozen=True)
class Watch:
    """One line of a member's /history: a recorded watch, or a film they rated without recording it (`watched`
    False: dated by the rating's day, it counts as no watch)."""
    film_id: int
    title: str
    year: int | None
    watched_on: str
    screening_id: int | None
    stars_x2: int | None = None
    watched: bool = True

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class SpoilerPassage:
    text: str
    critic: str | None
    outlet: str | None
    review_id: int


# A member's /history rows (guild, member, zone, guild, member): each watch, and each film they rated in the
# server without a watch there (never another server's: both sides are of this guild_id). Index seeks:
# film_watches_member, club_ratings_member (246) and film_watches' primary key.
_HISTORY = (
    "SELECT w.film_id, w.watched_on AS day, w.screening_id, 1 AS watched FROM film_watches w"
    " WHERE w.guild_id = ? AND w.user_id = ?"
    " UNION ALL SELECT r.film_id, local_day(r.rated_at, ?) AS day, NULL, 0 FROM club_ratings r"
    " WHERE r.guild_id = ? AND r.user_id = ? AND NOT EXISTS (SELECT 1 FROM film_watches x"
    " WHERE x.guild_id = r.guild_id AND x.film_id = r.film_id AND x.user_id = r.user_id)"
)


class WatchStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ reminder mentions

    async def reminder_mode(self, guild_id: int) -> str:
        mode = await self.db.fetchval(
            "SELECT reminder_mentions FROM filmnight_settings WHERE guild_id = ?", (guild_id,)
        )
        return str(mode or "role")

    # ------------------------------------------------------------------ watches

    async def record(self, guild_id: int, film_id: int, user_id: int, watched_on: str,
                     screening_id: int | None, now: str) -> bool:
        """One row per member per film: True when this call recorded it, False when it was already there."""
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO film_watches(guild_id, film_id, user_id, watched_on, screening_id, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, film_id, user_id, watched_on, screening_id, now),
        )
        return cur.rowcount == 1

    async def has_watched(self, guild_id: int, film_id: int, user_id: int) -> bool:
        found = await self.db.fetchval(
            "SELECT 1 FROM film_watches WHERE guild_id = ? AND film_id = ? AND user_id = ?",
            (guild_id, film_id, user_id),
        )
        return found is not None

    async def history(self, guild_id: int, user_id: int, zone: str, offset: int, limit: int
                      ) -> tuple[list[Watch], int]:
        """One page of a member's films in this server, newest day first, and how many there are: their watches,
        and the films they rated here without recording a watch, dated by the rating's day in `zone` (the
        server's). One query over both tables, ordered by (day, title, film id): each film is on one page once."""
        rows = await self.db.fetchall(
            f"SELECT h.film_id, f.title, f.year, h.day, h.screening_id, c.stars_x2, h.watched,"
            f" count(*) OVER () FROM ({_HISTORY}) h JOIN films f ON f.id = h.film_id"
            " LEFT JOIN club_ratings c ON c.guild_id = ? AND c.film_id = h.film_id AND c.user_id = ?"
            " ORDER BY h.day DESC, f.title, f.id LIMIT ? OFFSET ?",
            (guild_id, user_id, zone, guild_id, user_id, guild_id, user_id, limit, offset),
        )
        if rows:
            return [Watch(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows], int(rows[0][7])
        total = await self.db.fetchval(f"SELECT count(*) FROM ({_HISTORY}) h",
                                       (guild_id, user_id, zone, guild_id, user_id))
        return [], int(total or 0)

    async def screening_on(self, guild_id: int, film_id: int, since: str, until: str) -> int | None:
        """The film night of this film that started in [since, until) (UTC ISO: the server's day), if there was one."""
        return await self.db.fetchval(
            "SELECT id FROM screenings WHERE guild_id = ? AND film_id = ? AND status = 'ended'"
            " AND starts_at >= ? AND starts_at < ? ORDER BY id DESC",
            (guild_id, film_id, since, until),
        )

    async def watched_per_screening(self, screening_ids: list[int]) -> dict[int, int]:
        if not screening_ids:
            return {}
        marks = ",".join("?" * len(screening_ids))
        rows = await self.db.fetchall(
            f"SELECT screening_id, count(*) FROM film_watches WHERE screening_id IN ({marks}) GROUP BY screening_id",
            screening_ids,
        )
        return {r[0]: r[1] for r in rows}

    async def spoiler_passages(self, film_id: int, themes: list[str], limit: int = 5) -> list[SpoilerPassage]:
        """Quotable, not hidden passages of this film that are spoilers: a spoiler theme, the text rules' reason, a
        moderator's mark or a review marked spoiler."""
        marks = ",".join("?" * len(themes)) or "NULL"
        rows = await self.db.fetchall(
            "SELECT DISTINCT coalesce(m.trimmed, p.text), r.critic, r.outlet, r.id, p.id FROM passages p"
            " JOIN reviews r ON r.id = p.review_id LEFT JOIN passage_marks m ON m.passage_id = p.id"
            " LEFT JOIN passage_themes t ON t.passage_id = p.id"
            f" WHERE r.film_id = ? AND p.quotable = 1 AND p.id NOT IN ({HIDDEN_IDS})"
            f" AND (t.theme IN ({marks}) OR r.spoiler = 1 OR coalesce(m.spoiler, 0) = 1 OR p.spoiler_reason IS NOT NULL)"
            " ORDER BY p.id LIMIT ?",
            (film_id, *themes, limit),
        )
        return [SpoilerPassage(r[0], r[1], r[2], r[3]) for r in rows]
