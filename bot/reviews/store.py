"""Moderator changes to the corpus: add, edit, remove, list, export and import reviews, each audited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.core.db import Database
from bot.core.refusals import UserError
from bot.core.store import AuditEntry, AuditStore
from bot.core.text import inert
from bot.core.time import utc_now_iso
from bot.corpus import TaggedPassage
from bot.corpus.bundle_store import refresh_passages
from bot.corpus.changes_store import corpus_write
from bot.corpus.clean import GAP_MARK
from bot.corpus.filter_store import critic_clause, film_clause
from bot.corpus.store import CorpusWriter, NewReview
from bot.films.aliases_store import AUDIT_TARGET as ALIAS_TARGET
from bot.films.rules import Ambiguous
from bot.films.store import FilmStore
from bot.reviews.rules import DRAFT_GONE, DuplicateLink, DuplicateReview, Prepared
from bot.reviews.running_store import FORGET_SQL

REVIEW_TARGETS = ("review", "review-import")

_ROW_SQL = """
SELECT r.id, r.film_id, f.title AS film_title, f.year AS film_year, r.critic, r.outlet, r.url, r.published,
       r.spoiler, r.source, r.source_key, r.attribution_locked, r.added_by, r.added_at, r.fetched_at,
       (SELECT count(*) FROM passages p WHERE p.review_id = r.id) AS passages,
       (SELECT count(*) FROM passages p WHERE p.review_id = r.id AND p.quotable = 1) AS quotable
FROM reviews r JOIN films f ON f.id = r.film_id
"""


@dataclass(frozen=True)
class ReviewRow:
    id: int
    film_id: int
    film_title: str
    film_year: int | None
    critic: str | None
    outlet: str | None
    url: str | None
    published: str | None
    spoiler: bool
    source: str
    source_key: str | None
    attribution_locked: bool
    added_by: int | None
    added_at: str
    fetched_at: str | None
    passages: int
    quotable: int

    def snapshot(self) -> dict[str, Any]:
        """What the audit trail keeps of a review (its metadata, not its text)."""
        return {
            "film": self.film_title,
            "year": self.film_year,
            "critic": self.critic,
            "outlet": self.outlet,
            "url": self.url,
            "date": self.published,
            "spoiler": self.spoiler,
            "source": self.source,
            "passages": self.passages,
        } | ({"fetched": self.fetched_at} if self.fetched_at else {})


def _row(row: aiosqlite.Row) -> ReviewRow:
    data = dict(zip(row.keys(), tuple(row), strict=True))
    data["spoiler"] = bool(data["spoiler"])
    data["attribution_locked"] = bool(data["attribution_locked"])
    return ReviewRow(**data)


async def resolve_film(conn: aiosqlite.Connection, title: str, year: int | None, guild_id: int | None) -> int:
    """The film's id; a title without a year names the only film of that title (of several, the only one the
    moderator's server sees); several → Ambiguous (a UserError: the moderator picks one or gives the year)."""
    return await FilmStore.ensure(conn, title, year, strict=True, guild_id=guild_id)


class ReviewStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, review_id: int) -> ReviewRow | None:
        row = await self.db.fetchone(_ROW_SQL + " WHERE r.id = ?", (review_id,))
        return None if row is None else _row(row)

    async def themes(self, review_id: int) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT t.theme, count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
            " WHERE p.review_id = ? AND p.quotable = 1 GROUP BY t.theme ORDER BY count(*) DESC, t.theme",
            (review_id,),
        )
        return {row[0]: row[1] for row in rows}

    async def passages(
        self, review_id: int, quotable_only: bool = False
    ) -> list[tuple[int, str, tuple[str, ...], bool]]:
        """(paragraph, text, theme keys, hidden by the text rules or a moderator's spoiler mark) of every passage
        (or every quotable one), in order: what /review show quotes from. A passage a moderator hid is never
        shown again: a gap mark "[…]" stands in its place."""
        rows = await self.db.fetchall(
            "SELECT p.paragraph, p.text, (SELECT group_concat(t.theme, ' ') FROM passage_themes t"
            " WHERE t.passage_id = p.id), p.spoiler_reason IS NOT NULL OR coalesce(m.spoiler, 0) = 1,"
            " coalesce(m.hidden, 0) FROM passages p LEFT JOIN passage_marks m ON m.passage_id = p.id"
            " WHERE p.review_id = ? AND (p.quotable = 1 OR NOT ?) ORDER BY p.ordinal",
            (review_id, int(quotable_only)),
        )
        return [
            (row[0], GAP_MARK, (), False) if row[4] else (row[0], row[1], tuple((row[2] or "").split()), bool(row[3]))
            for row in rows
        ]

    async def body(self, review_id: int) -> str | None:
        return await self.db.fetchval("SELECT body FROM reviews WHERE id = ?", (review_id,))

    async def _insert(
        self,
        conn: aiosqlite.Connection,
        item: Prepared,
        actor_id: int | None,
        guild_id: int | None,
        action: str,
        link: tuple[str, str] | None = None,
    ) -> ReviewRow:
        meta = item.meta
        film_id = await resolve_film(conn, meta.film, meta.year, guild_id)
        review = NewReview(
            film_id=film_id,
            body=item.body,
            body_hash=item.body_hash,
            source="moderator",
            critic=meta.critic,
            outlet=meta.outlet,
            url=meta.url,
            published=meta.date,
            spoiler=meta.spoiler,
            added_by=actor_id,
            fetched_at=link[0] if link else None,
            url_key=link[1] if link else None,
        )
        review_id = await CorpusWriter.insert_review(conn, review, item.passages)
        added = await self.get(review_id)
        assert added is not None
        await AuditStore.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action=action,
            target_type="review",
            target_id=review_id,
            after=added.snapshot(),
        )
        return added

    async def add(
        self, item: Prepared, *, actor_id: int, guild_id: int | None, link: tuple[str, str] | None = None,
        draft: tuple[int, int] | None = None,
    ) -> ReviewRow:
        """Store one review with its passages and audit row in one transaction; duplicates refused.

        `link` = (fetched_at, url_key) for a review added from its page: the same article is refused.
        `draft` = (draft id, user id) of the link preview being saved, taken in the same transaction: a Cancel
        pressed while Save was preparing the text said "nothing was stored" and the review was stored anyway.
        """
        async with corpus_write(self.db) as write:  # the summaries follow the new review (changes_store)
            if draft is not None:
                taken = await write.conn.execute(
                    "DELETE FROM review_drafts WHERE id = ? AND user_id = ? AND kind = 'link'", draft
                )
                if taken.rowcount != 1:
                    raise UserError(DRAFT_GONE)
            if link is not None and (linked := await self.by_url_key(link[1])) is not None:
                raise DuplicateLink(linked)
            existing = await self.existing_hashes([item.body_hash])
            if existing:
                raise DuplicateReview(existing[item.body_hash])
            # The row as stored, read once inside the transaction (it also fills the audit snapshot).
            added = await self._insert(write.conn, item, actor_id, guild_id, "add-link" if link else "add", link)
            write.added(added.id)
        return added

    async def by_url_key(self, key: str) -> int | None:
        """The review added from the article known by this normalised URL, if any."""
        return await self.db.fetchval("SELECT id FROM reviews WHERE url_key = ?", (key,))

    async def edit(
        self, review_id: int, changes: dict[str, Any], *, actor_id: int, guild_id: int | None
    ) -> tuple[ReviewRow, ReviewRow] | None:
        """Change metadata (keys: film=(title, year), critic, outlet, url, published, spoiler); locks attribution."""
        async with corpus_write(self.db) as write:
            conn = write.conn
            before = await self.get(review_id)
            if before is None:
                return None
            await write.touching(review_id)
            film_id = before.film_id
            if "film" in changes:
                title, year = changes["film"]
                film_id = await resolve_film(conn, title, year, guild_id)
            values = {
                k: changes.get(k, getattr(before, k)) for k in ("critic", "outlet", "url", "published", "spoiler")
            }
            # attribution_locked: bundled re-imports must keep what the moderator set.
            await conn.execute(
                "UPDATE reviews SET film_id = ?, critic = ?, outlet = ?, url = ?, published = ?, spoiler = ?,"
                " attribution_locked = 1 WHERE id = ?",
                (film_id, values["critic"], values["outlet"], values["url"], values["published"],
                 int(values["spoiler"]), review_id),
            )
            after = await self.get(review_id)
            assert after is not None
            await AuditStore.record(
                conn,
                guild_id=guild_id,
                actor_id=actor_id,
                action="edit",
                target_type="review",
                target_id=review_id,
                before=before.snapshot(),
                after=after.snapshot(),
            )
        return before, after

    async def refile(self, review_id: int, film_id: int, passages: list[TaggedPassage]) -> bool:
        """A review moved to another film takes the passages its body gives for that film (the film's own
        themes and rules): retagged in place when the texts are the same, else replaced. False (nothing
        written) when it was removed or moved again meanwhile."""
        async with corpus_write(self.db) as write:
            current = await self.get(review_id)
            if current is None or current.film_id != film_id:
                return False
            await write.touching(review_id)
            await refresh_passages(write.conn, review_id, passages)
        return True

    async def remove(self, review_id: int, *, actor_id: int, guild_id: int | None) -> ReviewRow | None:
        """Delete a review (passages, tags and rotation rows cascade); bundled ones stay suppressed."""
        async with corpus_write(self.db) as write:
            conn = write.conn
            before = await self.get(review_id)
            if before is None:
                return None
            await write.touching(review_id)
            if before.source == "bundled" and before.source_key:
                await conn.execute(
                    "INSERT OR IGNORE INTO bundled_suppressed(source_key, removed_by, removed_at)"
                    " VALUES (?, ?, ?)",
                    (before.source_key, actor_id, utc_now_iso()),
                )
            await conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            await AuditStore.record(
                conn,
                guild_id=guild_id,
                actor_id=actor_id,
                action="remove",
                target_type="review",
                target_id=review_id,
                before=before.snapshot(),
            )
        return before

    async def page(
        self, *, film: str | None = None, critic: str | None = None, page: int = 0, per_page: int = 10,
        guild_id: int | None = None,
    ) -> tuple[list[ReviewRow], int]:
        """One page of reviews (oldest first) matching the filters, and how many match in all; a typed film is
        read in server `guild_id`, its other titles (aliases) too (`film_clause`)."""
        clauses, params = ["1 = 1"], []
        if film:
            clause, values = film_clause(film, guild_id)
            clauses.append(clause)
            params += values
        if critic:
            clause, values = critic_clause(critic)
            clauses.append(clause)
            params += values
        where = " WHERE " + " AND ".join(clauses)
        total = await self.db.fetchval(
            "SELECT count(*) FROM reviews r JOIN films f ON f.id = r.film_id" + where, params
        )
        rows = await self.db.fetchall(
            _ROW_SQL + where + " ORDER BY r.id LIMIT ? OFFSET ?", [*params, per_page, page * per_page]
        )
        return [_row(row) for row in rows], total

    async def labels(self) -> list[tuple[int, str | None, str, int | None]]:
        """(id, critic, film title, year) of every review, newest first, for autocomplete."""
        rows = await self.db.fetchall(
            "SELECT r.id, r.critic, f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id"
            " ORDER BY r.id DESC"
        )
        return [tuple(row) for row in rows]

    async def export_items(self, after: int = 0, limit: int = 1 << 62) -> list[tuple[int, dict[str, Any]]]:
        """(review id, the review in the export format's item shape), oldest first: the reviews after id
        `after`, at most `limit` of them (a page: /review export reads the corpus page by page)."""
        rows = await self.db.fetchall(
            "SELECT f.title, f.year, r.critic, r.outlet, r.url, r.published, r.spoiler, r.body, r.source, r.id"
            " FROM reviews r JOIN films f ON f.id = r.film_id WHERE r.id > ? ORDER BY r.id LIMIT ?",
            (after, limit),
        )
        return [
            (r[9], {
                "film": r[0],
                "year": r[1],
                "critic": r[2],
                "outlet": r[3],
                "url": r[4],
                "date": r[5],
                "spoiler": bool(r[6]),
                "text": r[7],
                "source": r[8],
            })
            for r in rows
        ]

    async def export_lengths(self, after: int, limit: int) -> tuple[int, int] | None:
        """(the last review id, the characters of their texts) of the `limit` reviews after id `after`,
        oldest first; None past the last. A floor of their export's size read without their other columns:
        a corpus over the upload limit is refused before any review is encoded."""
        row = await self.db.fetchone(
            "SELECT max(id), sum(n) FROM (SELECT id, length(body) AS n FROM reviews WHERE id > ?"
            " ORDER BY id LIMIT ?) page",
            (after, limit),
        )
        return None if row is None or row[0] is None else (int(row[0]), int(row[1] or 0))

    async def existing_hashes(self, hashes: list[str]) -> dict[str, int]:
        """body_hash → review id for those of `hashes` already stored."""
        found: dict[str, int] = {}
        for start in range(0, len(hashes), 500):  # stay under SQLite's bound-parameter limit
            chunk = hashes[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self.db.fetchall(
                f"SELECT body_hash, id FROM reviews WHERE body_hash IN ({marks})", chunk
            )
            found.update({row[0]: row[1] for row in rows})
        return found

    async def import_reviews(
        self, items: list[Prepared], *, actor_id: int, guild_id: int | None, running: str | None = None
    ) -> tuple[list[int], list[int]]:
        """Add every item not already stored, in one transaction: (new review ids, indexes of duplicates).

        `running`: the import's record (running_store), deleted in the same transaction: a restart before the
        COMMIT leaves it for the next start to tell, one after it leaves nothing to tell."""
        added: list[int] = []
        duplicates: list[int] = []
        async with corpus_write(self.db) as write:
            conn = write.conn
            seen = set(await self.existing_hashes([item.body_hash for item in items]))
            for index, item in enumerate(items):
                if item.body_hash in seen:
                    duplicates.append(index)
                    continue
                seen.add(item.body_hash)
                try:
                    added.append((await self._insert(conn, item, actor_id, guild_id, "import")).id)
                except Ambiguous as error:  # a file has no list to pick from: say which item needs its year
                    films = ", ".join(inert(f.label, 100) for f in error.films[:10])
                    raise UserError(
                        f"Review {index + 1} of the file is of “{inert(item.meta.film, 100)}” without a year, and several films"
                        f" have that title{f' ({films})' if films else ''}: give it a `year` in the file. Nothing was imported."
                    ) from error
                write.added(added[-1])
            await AuditStore.record(
                conn,
                guild_id=guild_id,
                actor_id=actor_id,
                action="import",
                target_type="review-import",
                target_id=None,
                after={"added": added, "duplicates": len(duplicates), "items": len(items)},
            )
            if running is not None:
                await conn.execute(FORGET_SQL, (running,))
        return added, duplicates

    async def history(self, review_id: int | None = None, *, guild_id: int | None = None,
                      limit: int = 15) -> tuple[list[AuditEntry], int]:
        """The latest audit entries about reviews (or one review), newest first, and the total count. With
        `guild_id`, the whole list also holds that server's film titles its moderators added or removed (`/film
        alias`): reviews are every server's, a server's other titles its own, never shown to another server."""
        if review_id is None:
            where, params = "target_type IN (?, ?)", list[Any](REVIEW_TARGETS)
            if guild_id is not None:
                where, params = f"({where} OR (target_type = ? AND guild_id = ?))", [*params, ALIAS_TARGET, guild_id]
        else:
            where, params = "target_type = 'review' AND target_id = ?", [review_id]
        total = await self.db.fetchval(f"SELECT count(*) FROM audit_log WHERE {where}", params)
        rows = await self.db.fetchall(
            f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ?", [*params, limit]
        )
        entries = [
            AuditEntry(
                r["id"],
                r["guild_id"],
                r["actor_id"],
                r["action"],
                r["target_type"],
                r["target_id"],
                json.loads(r["before_json"]) if r["before_json"] else None,
                json.loads(r["after_json"]) if r["after_json"] else None,
                r["at"],
            )
            for r in rows
        ]
        return entries, total
