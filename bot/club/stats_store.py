"""The SQL of /club stats: the club's year in numbers, read across ratings, watches, prompts and digests.

Read-only; each query is bounded by the server and the year.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.core.db import Database


class StatsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def year_films(self, guild_id: int, year: str) -> set[int]:
        """Films the club watched this year: its ended film nights, the films members recorded or rated."""
        rows = await self.db.fetchall(
            "SELECT film_id FROM screenings WHERE guild_id = ? AND status = 'ended' AND substr(starts_at, 1, 4) = ?"
            " UNION SELECT film_id FROM film_watches WHERE guild_id = ? AND substr(watched_on, 1, 4) = ?"
            " UNION SELECT film_id FROM club_ratings WHERE guild_id = ? AND substr(rated_at, 1, 4) = ?",
            (guild_id, year, guild_id, year, guild_id, year),
        )
        return {r[0] for r in rows}

    async def year_members(self, guild_id: int, year: str) -> set[int]:
        """Members who took part this year: recorded a watch or rated a film."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM film_watches WHERE guild_id = ? AND substr(watched_on, 1, 4) = ?"
            " UNION SELECT user_id FROM club_ratings WHERE guild_id = ? AND substr(rated_at, 1, 4) = ?",
            (guild_id, year, guild_id, year),
        )
        return {r[0] for r in rows}

    async def year_ratings(self, guild_id: int, year: str) -> list[tuple[int, str, int | None, int, str | None]]:
        """(film id, title, year, half stars, take) of every rating given this year."""
        rows = await self.db.fetchall(
            "SELECT r.film_id, f.title, f.year, r.stars_x2, r.take FROM club_ratings r JOIN films f ON f.id = r.film_id"
            " WHERE r.guild_id = ? AND substr(r.rated_at, 1, 4) = ? ORDER BY r.film_id",
            (guild_id, year),
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def prompt_channels(self, guild_id: int, year: str, limit: int = 200) -> list[int]:
        """The channels this server's prompts were posted in this year (at most `limit`): the card asks which of
        them its readers may see before counting what was quoted there."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT channel_id FROM posted_prompts WHERE guild_id = ? AND substr(at, 1, 4) = ? LIMIT ?",
            (guild_id, year, limit),
        )
        return [r[0] for r in rows]

    async def quoted_critics(self, guild_id: int, year: str, channels: Collection[int],
                             limit: int = 5) -> list[tuple[str, int]]:
        """Named critics most often quoted in this server's prompts posted this year in `channels` (never an
        invented name)."""
        if not channels:
            return []
        marks = ",".join("?" * len(channels))
        rows = await self.db.fetchall(
            "SELECT min(r.critic) AS critic, count(*) AS n FROM posted_prompts pp JOIN passages p ON p.id = pp.passage_id"
            " JOIN reviews r ON r.id = p.review_id WHERE pp.guild_id = ? AND substr(pp.at, 1, 4) = ?"
            f" AND pp.channel_id IN ({marks})"
            " AND r.critic IS NOT NULL AND trim(r.critic) != '' GROUP BY lower(r.critic)"
            " ORDER BY n DESC, critic LIMIT ?",
            (guild_id, year, *sorted(channels), limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def busiest_threads(self, guild_id: int, year: str, limit: int = 3) -> list[tuple[int, int, int, int]]:
        """(thread id, replies, participants, where its prompt was posted) of this year's prompt threads, most
        replies first (digest counts); where: the prompt's channel (posted_prompts, by its message), else the
        thread itself."""
        rows = await self.db.fetchall(
            "SELECT d.thread_id, d.replies, d.participants,"
            " (SELECT p.channel_id FROM posted_prompts p WHERE p.message_id = d.message_id LIMIT 1)"
            " FROM club_digests d WHERE d.guild_id = ? AND d.replies > 0"
            " AND substr(d.due_at, 1, 4) = ? ORDER BY d.replies DESC, d.participants DESC LIMIT ?",
            (guild_id, year, limit),
        )
        return [(r[0], r[1], r[2] or 0, r[3] or r[0]) for r in rows]
