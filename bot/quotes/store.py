"""Reads over the corpus: pick a quote, search, context, critics, films, theme counts."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from bot.core.db import Database, one_row
from bot.core.films import TITLE_YEAR, unattributed_target
from bot.quotes import fts
from bot.quotes.rules import Quote, QuoteFilters

_QUOTE_COLUMNS = """
    p.id AS passage_id, p.review_id, p.text, p.paragraph, p.ordinal, r.critic, r.outlet, r.url,
    r.published, r.spoiler AS review_spoiler, f.title AS film_title, f.year AS film_year,
    (SELECT group_concat(theme, ',') FROM (SELECT theme FROM passage_themes t
        WHERE t.passage_id = p.id ORDER BY score DESC)) AS theme_list
"""
_THEME_CLAUSE = "p.id IN (SELECT passage_id FROM passage_themes WHERE theme = ?)"
_FTS_CLAUSE = "p.id IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)"
_QUOTE_FROM = "FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"


# Case-insensitive for every script: `casefold` is registered on the connection (bot/db.py), because
# SQLite's NOCASE only folds A-Z ("AMÉLIE" ≠ "Amélie"). The subqueries read the small films/reviews
# tables once per query, not once per passage.
def film_clause(film: str) -> tuple[str, list[Any]]:
    """Match a film by id (autocomplete value), 'Title (Year)' or title, case-insensitively."""
    text = film.strip()
    by_title = "f.id IN (SELECT id FROM films WHERE casefold(title) = ?"
    if re.fullmatch(r"[0-9]{1,18}", text):  # an id fits SQLite's INTEGER; longer digit runs are titles
        return f"(f.id = ? OR {by_title}))", [int(text), text.casefold()]
    match = TITLE_YEAR.match(text)
    if match:
        return f"{by_title} AND year = ?)", [match["title"].casefold(), int(match["year"])]
    return f"{by_title})", [text.casefold()]


def critic_clause(critic: str) -> tuple[str, list[Any]]:
    """Match a critic or outlet by name, or an unattributed review by its label."""
    unattributed, review_id = unattributed_target(critic)
    if unattributed:
        if review_id is not None:
            return "(r.critic IS NULL AND r.id = ?)", [review_id]
        return "r.critic IS NULL", []
    name = critic.strip().casefold()
    return "r.id IN (SELECT id FROM reviews WHERE casefold(critic) = ? OR casefold(outlet) = ?)", [name, name]


class QuoteStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _where(self, filters: QuoteFilters, *, any_word: bool = False) -> tuple[list[str], list[Any]]:
        clauses, params = ["p.quotable = 1"], []
        if filters.film:
            clause, values = film_clause(filters.film)
            clauses.append(clause)
            params += values
        if filters.critic:
            clause, values = critic_clause(filters.critic)
            clauses.append(clause)
            params += values
        if filters.theme:
            clauses.append(_THEME_CLAUSE)
            params.append(filters.theme)
        if filters.about:
            expression = fts.match_expression(filters.about, any_word=any_word)
            # No searchable word at all: match nothing rather than everything.
            clauses.append(_FTS_CLAUSE)
            params.append(expression or '""')
        return clauses, params

    async def pick(self, filters: QuoteFilters, *, exclude: int | None = None) -> Quote | None:
        """A random quotable passage matching every filter (keywords: all words, then any word)."""
        for any_word in (False, True) if filters.about else (False,):
            clauses, params = self._where(filters, any_word=any_word)
            rows = await self._candidates(clauses, params, exclude)
            if rows:
                return rows[0]
        return None

    async def _candidates(self, clauses: list[str], params: list[Any], exclude: int | None) -> list[Quote]:
        # The random sort runs over ids in the narrowest source; only the winner is joined and
        # given its theme list, all in one statement (one hop to the database thread).
        chosen = self._chosen_id_sql(clauses)
        row = await self.db.fetchone(
            f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE p.id = ({chosen})",
            [*params, exclude if exclude is not None else -1],
        )
        return [] if row is None else [self._quote(row)]

    @staticmethod
    def _chosen_id_sql(clauses: list[str]) -> str:
        """SQL choosing one random matching id; the common single-filter cases skip every join.

        The FTS index and the theme tags hold quotable passages only, so for `about` alone or
        `theme` alone the random pick can run on that index directly.
        """
        filters = clauses[1:]  # clauses[0] is always "p.quotable = 1"
        if filters == [_FTS_CLAUSE]:
            return ("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?"
                    " ORDER BY (rowid = ?), random() LIMIT 1")
        if filters == [_THEME_CLAUSE]:
            return ("SELECT passage_id FROM passage_themes WHERE theme = ?"
                    " ORDER BY (passage_id = ?), random() LIMIT 1")
        joins = " JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id" if any(
            "r." in clause or "f." in clause for clause in filters
        ) else ""
        return (f"SELECT p.id FROM passages p{joins} WHERE {' AND '.join(clauses)}"
                " ORDER BY (p.id = ?), random() LIMIT 1")

    @staticmethod
    def _quote(row: Any) -> Quote:
        data = {k: row[k] for k in row.keys() if k not in ("theme_list", "snip")}
        themes = tuple(row["theme_list"].split(",")) if row["theme_list"] else ()
        return Quote(**data, themes=themes)

    async def get(self, passage_id: int) -> Quote | None:
        row = await self.db.fetchone(f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE p.id = ?", (passage_id,))
        return None if row is None else self._quote(row)

    async def passages_for(self, filters: QuoteFilters) -> list[Quote]:
        """Every quotable passage matching the filters, in corpus order (for rotations)."""
        clauses, params = self._where(filters)
        rows = await self.db.fetchall(
            f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE {' AND '.join(clauses)} ORDER BY p.id", params
        )
        return [self._quote(row) for row in rows]

    async def context(self, passage_id: int) -> list[tuple[str, bool, tuple[str, ...]]] | None:
        """The passages of the paragraph the passage came from: (text, is the passage itself, theme keys).

        The themes come along because a neighbour can be a spoiler when the passage itself is not.
        """
        rows = await self.db.fetchall(
            "SELECT q.text, q.id = p.id, (SELECT group_concat(t.theme, ' ') FROM passage_themes t"
            " WHERE t.passage_id = q.id) FROM passages p JOIN passages q ON q.review_id = p.review_id"
            " AND q.paragraph = p.paragraph WHERE p.id = ? ORDER BY q.ordinal",
            (passage_id,),
        )
        return [(row[0], bool(row[1]), tuple((row[2] or "").split())) for row in rows] if rows else None

    async def search(self, query: str, *, limit: int = 5) -> list[tuple[Quote, str]]:
        """Best-ranked passages for the keywords, each with a snippet marked by \\x02 … \\x03."""
        expression = fts.match_expression(query)
        if expression is None:
            return []
        for candidate in (expression, fts.match_expression(query, any_word=True)):
            rows = await self.db.fetchall(
                f"SELECT {_QUOTE_COLUMNS}, snippet(passages_fts, 0, char(2), char(3), '…', 24) AS snip"
                f" FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
                f" JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"
                f" WHERE passages_fts MATCH ? AND p.quotable = 1 ORDER BY bm25(passages_fts) LIMIT ?",
                (candidate, limit),
            )
            if rows:
                return [(self._quote(row), row["snip"]) for row in rows]
        return []

    async def theme_counts(self, film: str | None = None) -> dict[str, int]:
        clauses, params = self._where(QuoteFilters(film=film))
        rows = await self.db.fetchall(
            f"SELECT t.theme, count(*) {_QUOTE_FROM} JOIN passage_themes t ON t.passage_id = p.id"
            f" WHERE {' AND '.join(clauses)} GROUP BY t.theme",
            params,
        )
        return {row[0]: row[1] for row in rows}

    async def films(self) -> list[tuple[int, str, int | None, int]]:
        """(id, title, year, review count) for every film with a review."""
        rows = await self.db.fetchall(
            "SELECT f.id, f.title, f.year, count(r.id) FROM films f JOIN reviews r ON r.film_id = f.id"
            " GROUP BY f.id ORDER BY f.title COLLATE NOCASE"
        )
        return [tuple(row) for row in rows]

    async def critics(self) -> list[dict[str, Any]]:
        """One row per review author: named critics grouped, unattributed reviews one by one."""
        rows = await self.db.fetchall(
            "SELECT r.id, r.critic, r.outlet, f.title, f.year,"
            " (SELECT count(*) FROM passages p WHERE p.review_id = r.id AND p.quotable = 1) AS passages"
            " FROM reviews r JOIN films f ON f.id = r.film_id ORDER BY r.critic IS NULL, r.critic, r.id"
        )
        return [dict(zip(row.keys(), tuple(row), strict=True)) for row in rows]


class QueryStore:
    """Filters behind "Another" buttons, stored once so a custom id only carries a small number."""

    CACHE_SIZE = 1024

    def __init__(self, db: Database) -> None:
        self.db = db
        # Rows are immutable once written, so a small id cache skips a write transaction per quote.
        self._ids: dict[QuoteFilters, int] = {}

    async def save(self, filters: QuoteFilters) -> int:
        if filters in self._ids:
            return self._ids[filters]
        query_id = await self._insert(filters)
        if len(self._ids) >= self.CACHE_SIZE:
            self._ids.pop(next(iter(self._ids)))
        self._ids[filters] = query_id
        return query_id

    async def _insert(self, filters: QuoteFilters) -> int:
        key = json.dumps([filters.film, filters.critic, filters.theme, filters.about], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO quote_queries(filters_hash, film, critic, theme, about)"
                " VALUES (?, ?, ?, ?, ?)",
                (digest, filters.film, filters.critic, filters.theme, filters.about),
            )
            async with conn.execute("SELECT id FROM quote_queries WHERE filters_hash = ?", (digest,)) as cur:
                (query_id,) = await one_row(cur)
        return query_id

    async def load(self, query_id: int) -> QuoteFilters | None:
        row = await self.db.fetchone(
            "SELECT film, critic, theme, about FROM quote_queries WHERE id = ?", (query_id,)
        )
        return None if row is None else QuoteFilters(*row)
