"""Reads over the corpus: pick a quote, search, context, critics, films, theme counts."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import random
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from bot.core.db import Database
from bot.core.films import TITLE_YEAR, unattributed_label, unattributed_target
from bot.core.sample_store import LIST_CAP, IdSet, pick_ids, theme_numbered
from bot.core.spoilers import Gate
from bot.core.text import NameIndex, film_label
from bot.corpus.changes_store import log_of
from bot.corpus.filter_store import critic_clause, film_clause
from bot.corpus.passage import (
    RECENT_PROMPTS,
    SEARCH_CANDIDATES,
    Quote,
    QuoteFilters,
    RotationKey,
    RotationPick,
)
from bot.films.rules import norm_key, parse_ref
from bot.quotes import fts
from bot.quotes.search_store import BY_DIALECT
from bot.quotes.summary import Summary, film_order

# A trimmed passage is quoted as the one sentence a moderator kept (m: its passage_marks row, if any).
_QUOTE_COLUMNS = """
    p.id AS passage_id, p.review_id, coalesce(m.trimmed, p.text) AS text, p.paragraph, p.ordinal, r.critic,
    r.outlet, r.url, r.published, r.spoiler AS review_spoiler, f.id AS film_id, f.title AS film_title,
    f.year AS film_year, p.spoiler_reason,
    (SELECT group_concat(theme, ',') FROM (SELECT theme FROM passage_themes t
        WHERE t.passage_id = p.id ORDER BY score DESC)) AS theme_list,
    coalesce(m.spoiler, 0) AS marked_spoiler, coalesce(m.hidden, 0) AS hidden, m.trimmed IS NOT NULL AS trimmed
"""
_THEME_CLAUSE = "p.id IN (SELECT passage_id FROM passage_themes WHERE theme = ?)"
_THEME_PROBE = "EXISTS (SELECT 1 FROM passage_themes pt WHERE pt.passage_id = p.id AND pt.theme = ?)"
# A tag of a quotable passage (passage_themes holds every passage's tags since issue 28).
_QUOTABLE_TAG = "EXISTS (SELECT 1 FROM passages q WHERE q.id = t.passage_id AND q.quotable = 1)"
_MARKS = "LEFT JOIN passage_marks m ON m.passage_id = p.id"
_QUOTE_FROM = f"FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id {_MARKS}"
_ALL = 1 << 62  # LIMIT for "every row" (SQLite's -1 is an error on PostgreSQL)


def _visible(column: str) -> str:
    """Not hidden by a moderator: one primary-key probe of passage_marks per candidate row."""
    return f"NOT EXISTS (SELECT 1 FROM passage_marks h WHERE h.passage_id = {column} AND h.hidden = 1)"


def gate_clause(column: str, gate: Gate) -> tuple[str, list[Any]]:
    """Leave out the gated film's spoilers: passages of a review marked spoiler, tagged with a spoiler theme
    or marked spoiler by a moderator, and (safe side) its passages never tagged (not quotable); by films.id.

    A correlated probe per candidate (the passage's review by primary key, then its tags), so a pick stays
    an index seek: a NOT IN over the film's spoiler set was built on every statement (0.3 ms a pick)."""
    sql = (
        f"NOT EXISTS (SELECT 1 FROM passages gp JOIN reviews gr ON gr.id = gp.review_id WHERE gp.id = {column}"
        " AND gr.film_id = ? AND (gr.spoiler = 1 OR gp.quotable = 0"
        " OR EXISTS (SELECT 1 FROM passage_themes gt WHERE gt.passage_id = gp.id"
        " AND gt.theme IN (SELECT value FROM json_each(?)))"
        " OR EXISTS (SELECT 1 FROM passage_marks gm WHERE gm.passage_id = gp.id AND gm.spoiler = 1)))"
    )
    return sql, [gate.film_id, json.dumps(list(gate.spoiler_themes))]


# How many passages /discuss and /debate look at: a pool up to POOL_EXACT is loaded whole (the
# rotation is then exact); a bigger one is sampled (POOL_SAMPLE unused + POOL_SAMPLE from the pool).
# Small: a debate's pair comes from stance scores of every passage looked at, on the event loop (400
# passages took 20-90 ms at 1M); 64 uniformly drawn still hold opposite sides (tests/discussion).
POOL_EXACT = 64
POOL_SAMPLE = 32
POOL_DRAWS = 2048  # random ids a big pool's sample may test per side: a sparse pool gives a smaller sample
# A film/critic scope of more reviews than this is first tried SCOPE_TRIES random reviews at a time (/discuss).
SCOPE_WHOLE = 24
SCOPE_TRIES = 6
SCOPES_KEPT = 256  # film/critic scopes kept in memory (review id lists), oldest dropped first
PASSAGES_PER_REVIEW = 10  # about what a review segments into: sizes a scope against a theme's tag count


T = TypeVar("T")


class QuoteStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._search = BY_DIALECT[db.dialect]  # full text: FTS5 or tsvector (search_store.py)
        self._summary = Summary(-1)
        self._loads: dict[tuple[int, str], asyncio.Future[Any]] = {}

    def _cache(self) -> Summary:
        """The summaries, brought up to the corpus version by the writes' recorded changes
        (bot/corpus/changes_store.py); rebuilt field by field on use only after a write that recorded none.

        While a recorded write is open, its uncommitted rows are not the corpus yet: the summaries as they
        were answer (fields missing then are read but not kept: `_fresh`)."""
        summary, current = self._summary, self.db.corpus_version
        if summary.version == current:
            return summary
        log = log_of(self.db)
        changes = log.since(summary.version, current) if summary.version >= 0 else None
        if changes is None and log.open and summary.version >= 0:
            pending = log.since(summary.version, current - 1)  # up to the open write's start
            if pending is not None:
                summary.apply(pending, current - 1)
                return summary
        if changes is not None:
            summary.apply(changes, current)
        else:
            self._summary = Summary(current)
        return self._summary

    def _fresh(self, cache: Summary) -> bool:
        """True when what is read now may be kept in `cache` (it is at the corpus version)."""
        return cache.version == self.db.corpus_version

    async def _load_once(self, name: str, load: Callable[[], Awaitable[T]]) -> T:
        """Run `load` once for every caller waiting on the same cold summary.

        After a corpus write every summary is cold; 200 servers' commands arriving then would each read
        all reviews (or films, critics) and build the same index: one read, shared, instead. A failed
        load is not kept: the next caller tries again. One waiter's cancel does not cancel the others'.
        """
        key = (self.db.corpus_version, name)
        running = self._loads.get(key)
        if running is None:
            running = asyncio.ensure_future(load())
            self._loads[key] = running
            running.add_done_callback(lambda done: self._forget_load(key, done))
        return await asyncio.shield(running)

    def _forget_load(self, key: tuple[int, str], done: asyncio.Future[Any]) -> None:
        self._loads.pop(key, None)
        if not done.cancelled():
            done.exception()  # seen here too: every waiter may have gone (no "never retrieved" warning)

    def _where(
        self, filters: QuoteFilters, *, any_word: bool = False, gate: Gate | None = None
    ) -> tuple[list[str], list[Any]]:
        clauses, params = ["p.quotable = 1", _visible("p.id")], []
        if gate is not None:
            clause, values = gate_clause("p.id", gate)
            clauses.append(clause)
            params += values
        if filters.film:
            clause, values = film_clause(filters.film)
            clauses.append(clause)
            params += values
        if filters.critic:
            clause, values = critic_clause(filters.critic)
            clauses.append(clause)
            params += values
        if filters.theme:
            # With a film or critic, their reviews are the narrower walk: the theme is then a probe per
            # passage, not the theme's whole tag list (a film's debate pool read 300k tags at 1M: 315 ms).
            scoped = bool(filters.film or filters.critic)
            clauses.append(_THEME_PROBE if scoped else _THEME_CLAUSE)
            params.append(filters.theme)
        if filters.about:
            # No searchable word at all: match nothing rather than everything (SearchSql.keywords).
            clauses.append(self._search.member("p.id"))
            params.append(self._search.keywords(filters.about, any_word=any_word))
        return clauses, params

    async def _review_index(self) -> Summary:
        cache = self._cache()
        if cache.reviews_by_film is None:
            return await self._load_once("reviews", self._load_review_index)
        return cache

    async def _load_review_index(self) -> Summary:
        cache = self._cache()
        version = cache.version
        rows = await self.db.fetchall("SELECT id, film_id, critic, outlet FROM reviews ORDER BY id")
        by_film: dict[int, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        unattributed: list[int] = []
        for review_id, film_id, critic, outlet in rows:
            by_film.setdefault(film_id, []).append(review_id)
            if critic is None:
                unattributed.append(review_id)
            names = {name.strip().casefold() for name in (critic, outlet) if name}
            for name in names:
                by_name.setdefault(name, []).append(review_id)
        if version == self.db.corpus_version:
            cache.reviews_by_film, cache.reviews_by_name, cache.unattributed = by_film, by_name, unattributed
        return Summary(version, reviews_by_film=by_film, reviews_by_name=by_name, unattributed=unattributed)

    async def _film_index(self) -> dict[Any, set[int]]:
        """Film ids by casefolded title, by (casefolded title, year) and by id; kept until a corpus write."""
        cache = self._cache()
        if cache.film_index is not None:
            return cache.film_index
        return await self._load_once("film_index", self._load_film_index)

    async def _load_film_index(self) -> dict[Any, set[int]]:
        cache = self._cache()
        version = cache.version
        index: dict[Any, set[int]] = {}
        for film_id, title, year, _ in await self.films():
            index.setdefault(norm_key(title), set()).add(film_id)
            index.setdefault((norm_key(title), year), set()).add(film_id)
            index.setdefault(film_id, set()).add(film_id)
        if version == self.db.corpus_version:
            cache.film_index = index
        return index

    async def film_id(self, title: str, year: int | None) -> int | None:
        """The id of the film with this title (its catalogue key) and year, if it has reviews."""
        found = (await self._film_index()).get((norm_key(title), year), set())
        return min(found) if found else None

    async def _film_ids(self, film: str) -> set[int]:
        """The film(s) a film filter names: `film:<id>`, 'Title (Year)' or title (never digits as an id)."""
        index = await self._film_index()
        film_id = parse_ref(film)
        if film_id is not None:
            return set(index.get(film_id, ()))
        text = film.strip()
        match = TITLE_YEAR.match(text)
        if match:
            return set(index.get((norm_key(match["title"]), int(match["year"])), ()))
        return set(index.get(norm_key(text), ()))

    async def _scope(self, filters: QuoteFilters) -> list[int] | None:
        """Review ids the film and critic filters allow (sorted; the same list until a corpus write),
        or None when neither is given."""
        if not filters.film and not filters.critic:
            return None
        key = (filters.film, filters.critic)
        cache = self._cache()
        cached = cache.scopes.get(key)
        if cached is not None:
            return cached
        version = cache.version
        scope = await self._load_scope(filters)
        if version == self.db.corpus_version and self._fresh(cache):
            scopes = cache.scopes
            if len(scopes) >= SCOPES_KEPT:
                scopes.pop(next(iter(scopes)))
            scopes[key] = scope
        return scope

    async def _load_scope(self, filters: QuoteFilters) -> list[int]:
        index = await self._review_index()
        assert index.reviews_by_film is not None and index.reviews_by_name is not None
        allowed: set[int] | None = None
        if filters.film:
            film_ids = await self._film_ids(filters.film)
            allowed = {rid for fid in film_ids for rid in index.reviews_by_film.get(fid, ())}
        if filters.critic:
            unattributed, review_id = unattributed_target(filters.critic)
            if unattributed:
                ids = set(index.unattributed or ())
                if review_id is not None:
                    ids &= {review_id}
            else:
                ids = set(index.reviews_by_name.get(filters.critic.strip().casefold(), ()))
            allowed = ids if allowed is None else allowed & ids
        return sorted(allowed or ())

    def _seek_parts(
        self, filters: QuoteFilters, any_word: bool, scope: list[int] | None, scope_by_theme: bool = False,
        gate: Gate | None = None,
    ) -> tuple[str, str, list[str], list[Any]] | None:
        """(id column, source table, conditions, params) for a rowid seek; None when nothing can match.

        The source is the narrowest indexed set: the scoped reviews' passages, else the theme's tags,
        else the full-text index, else every passage. Other filters are checked per row on the way.
        """
        if scope is not None and not scope:
            return None
        # No searchable word at all: match nothing (SearchSql.keywords).
        expression = self._search.keywords(filters.about, any_word=any_word) if filters.about else None
        conds: list[str] = []
        params: list[Any] = []
        if scope is not None and filters.theme and scope_by_theme:
            # The theme has fewer passages than the scope: walk the theme's tags, checking the scope.
            column, source = "t.passage_id", "passage_themes t JOIN passages p ON p.id = t.passage_id"
            conds += ["t.theme = ?", "p.review_id IN (SELECT value FROM json_each(?))", "p.quotable = 1",
                      _visible("t.passage_id")]
            params += [filters.theme, json.dumps(scope)]
            if expression is not None:
                conds.append(self._search.member("t.passage_id"))
                params.append(expression)
        elif scope is not None:
            # +p.id: walk the scope through the review index, never the whole table by rowid.
            column, source = "+p.id", "passages p"
            conds += ["p.review_id IN (SELECT value FROM json_each(?))", "p.quotable = 1", _visible("p.id")]
            params.append(json.dumps(scope))
            if filters.theme:
                conds.append("EXISTS (SELECT 1 FROM passage_themes t WHERE t.passage_id = p.id AND t.theme = ?)")
                params.append(filters.theme)
            if expression is not None:
                conds.append(self._search.member("p.id"))
                params.append(expression)
        elif filters.theme:
            # Every passage is tagged (issue 28), only quotable ones are offered: one primary-key probe a row.
            column, source = "t.passage_id", "passage_themes t"
            conds += ["t.theme = ?", _QUOTABLE_TAG, _visible("t.passage_id")]
            params.append(filters.theme)
            if expression is not None:
                conds.append(self._search.member("t.passage_id"))
                params.append(expression)
        elif expression is not None:
            column, source = self._search.walk_column, self._search.walk_source
            conds += [self._search.walk_condition, _visible(self._search.walk_visible_column)]
            params.append(expression)
        else:
            column, source = "p.id", "passages p"
            conds += ["p.quotable = 1", _visible("p.id")]
        if gate is not None:  # the gated film's spoilers are never candidates: "Another" never comes back empty
            clause, values = gate_clause(
                self._search.walk_visible_column if column == self._search.walk_column else column.lstrip("+"), gate)
            conds.append(clause)
            params += values
        return column, source, conds, params

    async def _sized_scope(self, filters: QuoteFilters) -> tuple[list[int] | None, bool] | None:
        """(the film/critic scope, walk the theme's tags instead of the scope), or None: nothing can match.

        A theme rarer than the scope (say a film's own theme asked of a prolific critic) is the smaller
        side to walk; one with no passage at all matches nothing.
        """
        scope = await self._scope(filters)
        if scope is None or not filters.theme:
            return scope, False
        tagged = (await self.theme_counts()).get(filters.theme, 0)
        if not tagged:
            return None
        return scope, tagged < len(scope) * PASSAGES_PER_REVIEW

    async def pick(
        self, filters: QuoteFilters, *, exclude: int | None = None, gate: Gate | None = None
    ) -> Quote | None:
        """A random quotable passage matching every filter (keywords: all words, then any word).

        Every match is equally likely, whatever the gaps between ids (bot/core/sample_store.py: random ids
        kept when they match, or a bounded list of a small set) — never a count or a sort of every
        match. `exclude` (the passage on screen) is only returned when it is the only match.
        """
        sized = await self._sized_scope(filters)
        if sized is None:
            return None
        scope, by_theme = sized
        skip = frozenset(() if exclude is None else (exclude,))
        for any_word in (False, True) if filters.about else (False,):
            ids = await self._id_set(filters, any_word, scope, by_theme, gate)
            if ids is None:
                return None
            found = await pick_ids(self.db, ids, exclude=skip, excluded_last=True)
            if found:
                # On the loop's thread (Database.seek_one): a primary-key lookup.
                row = await self.db.seek_one(f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE p.id = ?", found)
                if row is not None:
                    return self._quote(row)
        return None

    async def _id_set(
        self, filters: QuoteFilters, any_word: bool, scope: list[int] | None, by_theme: bool = False,
        gate: Gate | None = None,
    ) -> IdSet | None:
        """The matching passage ids as bot/core/sample_store.py draws from them; None when nothing can match.

        Draws: for a film or critic scope (its passages sit anywhere among the ids), a random review of
        the scope and a random ordinal below the scope's longest review (each passage one pair);
        otherwise random ids between the theme's tagged ids, the keywords' matches or every passage.
        A scope is listed through its reviews; a draw is tested by its own row (never the scope's list).
        """
        if scope is not None and not scope:
            return None
        parts = self._seek_parts(filters, any_word, None, False, gate)
        assert parts is not None
        column, source, conds, params = parts
        column = self._search.walk_visible_column if column == self._search.walk_column else column.lstrip("+")
        if scope is not None:
            where, values = await self._review_condition(filters)
            review = f"EXISTS (SELECT 1 FROM passages sp JOIN reviews r ON r.id = sp.review_id WHERE sp.id = {column}"
            conds = [*conds, f"{review} AND {where})"]
            params = [*params, *values]
        if source.startswith("passage_themes"):
            ends = "(SELECT passage_id FROM passage_themes WHERE theme = ? ORDER BY passage_id {} LIMIT 1)"
            bounds_params: tuple[Any, ...] = (filters.theme, filters.theme)
        elif source == self._search.walk_source:
            ends = self._search.ends
            bounds_params = (params[0], params[0])
        else:
            ends, bounds_params = "(SELECT id FROM passages ORDER BY id {} LIMIT 1)", ()
        bounds = f"SELECT {ends.format('ASC')}, {ends.format('DESC')}"
        big = scope is None and not filters.about and bool(filters.theme) and (
            await self.theme_counts()).get(filters.theme or "", 0) > LIST_CAP * 2
        ids = IdSet.ranged(column, source, tuple(conds), tuple(params), bounds, bounds_params, big=big)
        if scope is None:
            return theme_numbered(ids, filters.theme) if filters.theme and source.startswith("passage_themes") else ids
        if by_theme and filters.theme and source.startswith("passage_themes"):
            # The scope holds a bigger share of the reviews than the theme of the passages (by_theme: fewer
            # tags than the scope's passages), so a random tag is in the scope more often than a random
            # (review, ordinal) of the scope carries the theme (performances + Unattributed at 1.1M: a
            # third of draws against 0.8 %): draws by the tags' dense numbers, each tested by its review.
            return theme_numbered(ids, filters.theme)

        def lister() -> tuple[str, list[Any]]:
            found = self._seek_parts(filters, any_word, scope, False, gate)
            assert found is not None
            column, source, conds, params = found
            return f"SELECT {column.lstrip('+')} FROM {source} WHERE {' AND '.join(conds)} LIMIT ?", params

        if not by_theme:  # else the theme's tags, each tested by its own review, are the narrower walk
            ids = replace(ids, lister=lister)
        # Draws through the scope's reviews: a random (review, ordinal) is a passage of the scope most of
        # the time, a random tagged id rarely (the scope is a small share of the reviews).
        span = await self._ordinal_span(filters, scope)
        slot = ("(SELECT id FROM passages WHERE review_id = CAST(json_extract(j.value, '$[0]') AS INTEGER)"
                " AND ordinal = CAST(json_extract(j.value, '$[1]') AS INTEGER))")
        return replace(ids, slot=slot, bounds="", bounds_params=(),
                       point=lambda rng: [rng.choice(scope), int(rng.random() * span)])

    async def _review_condition(self, filters: QuoteFilters) -> tuple[str, list[Any]]:
        """The film and critic filters as a test of one review `r` (one row read per draw, not a list)."""
        clauses: list[str] = []
        params: list[Any] = []
        if filters.film:
            clauses.append("r.film_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(await self._film_ids(filters.film))))
        if filters.critic:
            unattributed, review_id = unattributed_target(filters.critic)
            if unattributed:
                clauses.append("r.critic IS NULL" if review_id is None else "(r.critic IS NULL AND r.id = ?)")
                params += [] if review_id is None else [review_id]
            else:
                clauses.append("(casefold(trim(r.critic)) = ? OR casefold(trim(r.outlet)) = ?)")
                params += [filters.critic.strip().casefold()] * 2
        return " AND ".join(clauses), params

    async def _ordinal_span(self, filters: QuoteFilters, scope: list[int]) -> int:
        """One more than the highest passage ordinal among the scope's reviews (kept until a corpus write)."""
        cache = self._cache()
        key = (filters.film, filters.critic)
        if key not in cache.ordinal_spans:
            version = cache.version
            top = await self.db.fetchval(
                "SELECT max((SELECT max(ordinal) FROM passages WHERE review_id = CAST(j.value AS INTEGER)))"
                " FROM json_each(?) j",
                (json.dumps(scope),),
            )
            if version != self.db.corpus_version:
                return int(top or 0) + 1
            cache.ordinal_spans[key] = int(top or 0) + 1
        return cache.ordinal_spans[key]

    @staticmethod
    def _quote(row: Any) -> Quote:
        flags = ("marked_spoiler", "hidden", "trimmed")
        data = {k: row[k] for k in row.keys() if k not in ("theme_list", "snip", "used_before", "cycle", *flags)}
        themes = tuple(row["theme_list"].split(",")) if row["theme_list"] else ()
        return Quote(
            **data, themes=themes, marked_spoiler=bool(row["marked_spoiler"]), hidden=bool(row["hidden"]),
            trimmed=bool(row["trimmed"]),
        )

    async def get(self, passage_id: int) -> Quote | None:
        row = await self.db.fetchone(f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE p.id = ?", (passage_id,))
        return None if row is None else self._quote(row)

    async def of_review(self, review_id: int, *, limit: int = 25) -> list[Quote]:
        """A review's quotable passages in reading order (the /passage autocomplete)."""
        rows = await self.db.fetchall(
            f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE p.review_id = ? AND p.quotable = 1 ORDER BY p.ordinal"
            " LIMIT ?", (review_id, limit),
        )
        return [self._quote(row) for row in rows]

    async def passages_for(self, filters: QuoteFilters, gate: Gate | None = None) -> list[Quote]:
        """Every quotable passage matching the filters, in corpus order (for rotations)."""
        clauses, params = self._where(filters, gate=gate)
        rows = await self.db.fetchall(
            f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE {' AND '.join(clauses)} ORDER BY p.id", params
        )
        return [self._quote(row) for row in rows]

    async def context(
        self, passage_id: int, gate: Gate | None = None
    ) -> list[tuple[str, bool, tuple[str, ...]]] | None:
        """The passages of the paragraph the passage came from: (text, is the passage itself, theme keys).

        The themes come along because a neighbour can be a spoiler when the passage itself is not. With a
        gate, the gated film's spoiler neighbours are left out (the passage itself is the caller's check).
        """
        where, params = "", [passage_id]
        if gate is not None:
            clause, values = gate_clause("q.id", gate)
            where, params = f" AND (q.id = p.id OR {clause})", [*values, passage_id]
        rows = await self.db.fetchall(
            "SELECT q.text, q.id = p.id, (SELECT group_concat(t.theme, ' ') FROM passage_themes t"
            " WHERE t.passage_id = q.id) FROM passages p JOIN passages q ON q.review_id = p.review_id"
            f" AND q.paragraph = p.paragraph{where} WHERE p.id = ? ORDER BY q.ordinal",
            params,
        )
        return [(row[0], bool(row[1]), tuple((row[2] or "").split())) for row in rows] if rows else None

    async def search(self, query: str, *, limit: int = 5, gate: Gate | None = None) -> list[tuple[Quote, str]]:
        """Best-ranked passages for the keywords, each with a snippet marked by \\x02 … \\x03."""
        return (await self.search_bounded(query, limit=limit, gate=gate))[0]

    async def search_bounded(
        self, query: str, *, limit: int = 5, gate: Gate | None = None
    ) -> tuple[list[tuple[Quote, str]], bool]:
        """(best-ranked passages, whether the ranking stopped early): bm25 ranks at most SEARCH_CANDIDATES
        matches, the earliest in corpus order (an index range: a common word's hundred thousand matches
        are never all ranked on the database thread). True when more matched than were ranked."""
        if not fts.keywords(query):
            return [], False
        gated, gate_params = gate_clause("p.id", gate) if gate is not None else ("1", [])
        search = self._search
        for candidate in (search.keywords(query), search.keywords(query, any_word=True)):
            # The match SEARCH_CANDIDATES places on (NULL when fewer match): ranking stops before it.
            stop = await self.db.fetchval(search.stop, (candidate, SEARCH_CANDIDATES))
            rows = await self.db.fetchall(
                search.ranked.format(columns=_QUOTE_COLUMNS, marks=_MARKS, visible=_visible("p.id"), gated=gated),
                (candidate, stop if stop is not None else 1 << 62, *gate_params, limit),
            )
            if rows:
                return [(self._quote(row), row["snip"]) for row in rows], stop is not None
        return [], False

    async def theme_counts(self, film: str | None = None) -> dict[str, int]:
        """Quotable passages per theme (in a film's reviews, if given); from memory until a corpus write."""
        cache = self._cache()
        key = film.strip() if film else None
        if key in cache.theme_counts:
            return dict(cache.theme_counts[key])
        return dict(await self._load_once(f"theme_counts:{key}", lambda: self._load_theme_counts(key)))

    async def _load_theme_counts(self, key: str | None) -> dict[str, int]:
        cache = self._cache()
        version = cache.version
        if key is None:
            # Every passage is tagged; the counts are of quotable ones (what prompts and quotes can use).
            rows = await self.db.fetchall(
                f"SELECT t.theme, count(*) FROM passage_themes t WHERE {_QUOTABLE_TAG}"
                f" AND {_visible('t.passage_id')} GROUP BY t.theme"
            )
        else:
            clauses, params = self._where(QuoteFilters(film=key))
            rows = await self.db.fetchall(
                f"SELECT t.theme, count(*) {_QUOTE_FROM} JOIN passage_themes t ON t.passage_id = p.id"
                f" WHERE {' AND '.join(clauses)} GROUP BY t.theme",
                params,
            )
        counts = {row[0]: row[1] for row in rows}
        if version == self.db.corpus_version:
            cache.theme_counts[key] = counts
        return counts

    async def films(self) -> list[tuple[int, str, int | None, int]]:
        """(id, title, year, review count) for every film with a review."""
        cache = self._cache()
        if cache.films is not None:
            return list(cache.films)
        return list(await self._load_once("films", self._load_films))

    async def _load_films(self) -> list[tuple[int, str, int | None, int]]:
        cache = self._cache()
        version = cache.version
        rows = await self.db.fetchall(
            "SELECT f.id, f.title, f.year, count(r.id) FROM films f JOIN reviews r ON r.film_id = f.id"
            " GROUP BY f.id ORDER BY f.title COLLATE NOCASE"
        )
        films = sorted((tuple(row) for row in rows), key=film_order)  # ties by id: the order writes keep
        if version == self.db.corpus_version:
            cache.films = films
        return films

    async def critics(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Review authors, one row per review: named critics (by name, then review), then unattributed
        reviews; the first `limit` of them (None: all, for tests), read when asked, never kept: the
        /critics list shows what fits in one message."""
        # ">= ''" seeks past the unattributed reviews (NULLs first in reviews_critic) instead of stepping over them.
        named = await self.db.fetchall(self._critics_sql("r.critic COLLATE NOCASE >= ''", "r.critic COLLATE NOCASE, r.id"),
                                       (_ALL if limit is None else limit,))
        rest = _ALL if limit is None else max(0, limit - len(named))
        unnamed = await self.db.fetchall(self._critics_sql("r.critic IS NULL", "r.id"), (rest,)) if rest else []
        return [dict(zip(row.keys(), tuple(row), strict=True)) for row in [*named, *unnamed]]

    @staticmethod
    def _critics_sql(where: str, order: str) -> str:
        return (
            "SELECT r.id, r.critic, r.outlet, f.title, f.year,"
            f" (SELECT count(*) FROM passages p WHERE p.review_id = r.id AND p.quotable = 1 AND {_visible('p.id')})"
            f" AS passages FROM reviews r JOIN films f ON f.id = r.film_id WHERE {where} ORDER BY {order} LIMIT ?"
        )

    async def reviews_count(self) -> int:
        """How many reviews the corpus holds (the films summary's counts)."""
        return sum(count for *_, count in await self.films())

    async def film_passages(self, film_id: int) -> int:
        """Quotable, visible passages of one film's reviews (its reviews' rows only)."""
        return int(await self.db.fetchval(
            "SELECT count(*) FROM reviews r JOIN passages p ON p.review_id = r.id"
            f" WHERE r.film_id = ? AND p.quotable = 1 AND {_visible('p.id')}", (film_id,),
        ) or 0)

    async def _bylines(self) -> Summary:
        """Reviews per critic name and per outlet name (one grouped read, then kept by the writes)."""
        cache = self._cache()
        if cache.critic_reviews is None or cache.outlet_reviews is None:
            return await self._load_once("bylines", self._load_bylines)
        return cache

    async def _load_bylines(self) -> Summary:
        cache = self._cache()
        version = cache.version
        rows = await self.db.fetchall(
            "SELECT critic, outlet, count(*) FROM reviews WHERE critic IS NOT NULL OR outlet IS NOT NULL"
            " GROUP BY critic, outlet"
        )
        critics: dict[str, int] = {}
        outlets: dict[str, int] = {}
        for critic, outlet, count in rows:
            for counts, name in ((critics, critic), (outlets, outlet)):
                if name:
                    counts[name] = counts.get(name, 0) + count
        if version == self.db.corpus_version:
            cache.critic_reviews, cache.outlet_reviews = critics, outlets
        return Summary(version, critic_reviews=critics, outlet_reviews=outlets)

    async def name_matches(self, kind: str, typed: str) -> list[str]:
        """Up to 25 names for an autocomplete: kind "films" (film labels), "critics" (critic_names) or
        "named_critics"; from a NameIndex built once, then kept by the corpus writes (Summary.apply)."""
        cache = self._cache()
        index = cache.name_indexes.get(kind)
        if index is None:
            version = cache.version
            if kind == "films":
                names = [film_label(title, year) for _, title, year, _ in await self.films()]
            else:
                names = await (self.critic_names() if kind == "critics" else self.named_critics())
            index = NameIndex(names)
            if version == self.db.corpus_version:
                cache.name_indexes[kind] = index
        return index.matches(typed)

    async def knows_critic(self, name: str) -> bool:
        """True when `name` is a critic or outlet (any case), "unattributed", or the label of a review without
        a byline: set and dict lookups in the review index, never a pass over every name or label."""
        wanted = name.strip().casefold()
        if wanted == "unattributed":
            return True
        index = await self._review_index()
        assert index.reviews_by_name is not None
        if wanted in index.reviews_by_name:
            return True
        unattributed, review_id = unattributed_target(name.strip())
        if not unattributed or review_id is None:
            return False
        if index.unattributed_ids is None:
            index.unattributed_ids = frozenset(index.unattributed or ())
        return review_id in index.unattributed_ids and unattributed_label(review_id).casefold() == wanted

    async def critic_names(self) -> list[str]:
        """Named critics, then outlets not already named, once each (sorted); then each unattributed
        review by its stable label."""
        cache = self._cache()
        if cache.critic_names is not None:
            return list(cache.critic_names)
        version = cache.version
        bylines = await self._bylines()
        index = await self._review_index()
        assert bylines.critic_reviews is not None and bylines.outlet_reviews is not None
        names = dict.fromkeys(sorted(bylines.critic_reviews, key=str.casefold))
        names.update(dict.fromkeys(sorted(bylines.outlet_reviews, key=str.casefold)))
        names.update(dict.fromkeys(unattributed_label(review_id) for review_id in index.unattributed or ()))
        result = list(names)
        if version == self.db.corpus_version:
            cache.critic_names = result
        return list(result)

    async def named_critics(self) -> list[str]:
        """Every critic name once, sorted (the /review critic autocomplete)."""
        cache = self._cache()
        if cache.named_critics is None:
            version = cache.version
            bylines = await self._bylines()
            assert bylines.critic_reviews is not None
            names = sorted(bylines.critic_reviews)
            if version != self.db.corpus_version:
                return names
            cache.named_critics = names
        return list(cache.named_critics)

    async def rotation_pick(
        self, filters: QuoteFilters, rotation: RotationKey, gate: Gate | None = None
    ) -> RotationPick | None:
        """The next /discuss passage of a rotation, chosen by the database in one statement.

        The rotation's state comes from its posted_prompts rows in the same statement: its cycle,
        the critic of its last prompt, the server's 30 latest passages. A passage of the pool
        (`filters`: theme, film) not used in the cycle; among those, preferably one by another critic
        than the last prompt's, then one the server has not just seen, relaxed in that order, as
        rotation.pick_one does. With no unused passage left, the same choice over the whole pool,
        for the next cycle. Each passage is equally likely (up to id gaps), so a critic with many
        passages is interleaved with the others in expectation; pick_one's "critic with most passages
        left first" would need a count over the whole pool.

        A random point in the pool's id range, then the first passage at or after it meeting each
        level's conditions, wrapping round: O(log n) plus the rows skipped (passages used this cycle
        are skipped by their UNIQUE index). The pool is never loaded.
        """
        sized = await self._sized_scope(filters)
        if sized is None:
            return None
        scope, by_theme = sized
        if scope is not None and len(scope) > SCOPE_WHOLE:
            # A big film scope: a few of its reviews at random for the strictest level first.
            for review_id in random.sample(scope, SCOPE_TRIES):
                found = await self._rotation_seek(filters, [review_id], False, rotation, strict=True, gate=gate)
                if found is not None:
                    return found
        return await self._rotation_seek(filters, scope, by_theme, rotation, strict=False, gate=gate)

    async def _rotation_seek(
        self, filters: QuoteFilters, scope: list[int] | None, by_theme: bool, rotation: RotationKey,
        *, strict: bool, gate: Gate | None = None,
    ) -> RotationPick | None:
        parts = self._seek_parts(filters, False, scope, by_theme, gate)
        if parts is None:
            return None
        column, source, conds, params = parts
        sql, levels = _rotation_sql(column, source, tuple(conds), strict)
        key = [rotation.guild_id, rotation.theme, rotation.film_key]
        values: list[Any] = []
        for level in levels:  # each level is two branches (from the random point, then wrapping round)
            extra = key if level.unused else []
            values += [*params, *extra, *params, *extra]
        row = await self.db.seek_one(sql, [
            *key, *key, rotation.guild_id, RECENT_PROMPTS, *params, *params, random.random(), *key, *values,
        ])
        if row is None:
            return None
        restarted = bool(row["used_before"])
        return RotationPick(self._quote(row), row["cycle"] + 1 if restarted else row["cycle"], restarted)

    async def rotation_pool(
        self, filters: QuoteFilters, used: frozenset[int], gate: Gate | None = None
    ) -> list[Quote]:
        """The passages a /discuss or /debate rotation chooses from, bounded in size.

        A pool of up to POOL_EXACT passages comes whole (every rotation rule is then exact). A bigger
        one is a uniform random sample of up to POOL_SAMPLE passages, and when fewer than half of them are
        unused, up to POOL_SAMPLE more not in `used` (so a cycle that has passages left never looks
        finished), drawn as picks are — the pool is never read whole nor sorted.
        """
        theme = filters.theme
        if theme is None or (await self.theme_counts(filters.film)).get(theme, 0) <= POOL_EXACT:
            return await self.passages_for(filters, gate)
        sized = await self._sized_scope(filters)
        ids = None if sized is None else await self._id_set(filters, False, *sized, gate=gate)
        if ids is None:
            return []
        # Each passage equally likely (bot/core/sample_store.py), by draws tested row by row: no sort of the pool.
        # A uniform sample of the pool; its unused members are a uniform sample of the unused ones. Only
        # when few of them are unused (a cycle near its end) is a sample of the unused drawn as well.
        chosen = set(await pick_ids(self.db, ids, POOL_SAMPLE, budget=POOL_DRAWS))
        if used and len(chosen - used) < POOL_SAMPLE // 2:
            chosen |= set(await pick_ids(self.db, ids, POOL_SAMPLE, exclude=used, budget=POOL_DRAWS))
        rows = await self.db.fetchall(
            f"SELECT {_QUOTE_COLUMNS} {_QUOTE_FROM} WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id",
            (json.dumps(sorted(chosen)),),
        )
        return [self._quote(row) for row in rows]


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

        def work(conn: sqlite3.Connection) -> int:  # one transaction, one hop to the database thread
            conn.execute(
                "INSERT INTO quote_queries(filters_hash, film, critic, theme, about) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (digest, filters.film, filters.critic, filters.theme, filters.about),
            )
            row = conn.execute("SELECT id FROM quote_queries WHERE filters_hash = ?", (digest,)).fetchone()
            if row is None:
                raise RuntimeError("the saved filters are missing right after their insert")
            return int(row[0])

        return await self.db.in_one_hop(work)

    async def load(self, query_id: int) -> QuoteFilters | None:
        row = await self.db.fetchone(
            "SELECT film, critic, theme, about FROM quote_queries WHERE id = ?", (query_id,)
        )
        return None if row is None else QuoteFilters(*row)


@dataclass(frozen=True)
class _Level:
    """One preference level of a rotation seek: which of its conditions apply."""

    unused: bool
    other_critic: bool
    fresh: bool


# Strictest first; the critic rule outranks the recent one, and unused passages come first.
_PREFERENCES = ((True, True), (True, False), (False, True), (False, False))
_LEVELS = tuple(_Level(True, c, f) for c, f in _PREFERENCES) + tuple(_Level(False, c, f) for c, f in _PREFERENCES)


@functools.lru_cache(maxsize=256)
def _rotation_sql(column: str, source: str, conds: tuple[str, ...], strict: bool) -> tuple[str, tuple[_Level, ...]]:
    """The rotation seek's statement for one shape of scope (built once: a few hundred characters of
    f-strings per /discuss add up when 200 servers ask at once) and the levels its branches follow."""
    bare = column.lstrip("+")
    seek = f"SELECT {column} FROM {source} WHERE {' AND '.join(conds)}"
    mine = "guild_id = ? AND theme = ? AND film_key = ?"
    used_sql = ("EXISTS (SELECT 1 FROM posted_prompts u WHERE u.guild_id = ? AND u.theme = ? AND u.film_key = ?"
                " AND u.cycle = (SELECT cycle FROM st) AND u.passage_id = {id})")
    # critic_key(): the SQL function of bot.core.db, the rotation's own key (a few rows per pick).
    # No last critic (NULL) or no recent passage: those conditions hold for every passage.
    critic_sql = (f"(SELECT critic_key(y.critic, y.id) FROM passages x JOIN reviews y ON y.id = x.review_id"
                  f" WHERE x.id = {bare}) IS NOT (SELECT last FROM st)")
    fresh_sql = f"{bare} NOT IN (SELECT id FROM recent)"
    levels = _LEVELS[:1] if strict else _LEVELS
    branches: list[str] = []
    for level in levels:
        extra = "".join(
            f" AND {sql}" for sql, on in ((f"NOT {used_sql.format(id=bare)}", level.unused),
                                          (critic_sql, level.other_critic), (fresh_sql, level.fresh)) if on
        )
        branches.append(f"({seek}{extra} AND {bare} >= (SELECT at FROM point) ORDER BY {column} LIMIT 1)")
        branches.append(f"({seek}{extra} ORDER BY {column} LIMIT 1)")
    sql = (
        f"WITH st(cycle, last) AS (SELECT max(1, coalesce((SELECT max(cycle) FROM posted_prompts WHERE {mine}),"
        f" 0)), (SELECT critic_key FROM posted_prompts WHERE {mine} ORDER BY id DESC LIMIT 1)),"
        f" recent(id) AS (SELECT passage_id FROM posted_prompts WHERE guild_id = ? ORDER BY id DESC LIMIT ?),"
        f" bounds(lo, hi) AS (SELECT ({seek} ORDER BY {column} LIMIT 1),"
        f" ({seek} ORDER BY {column} DESC LIMIT 1)),"
        f" point(at) AS (SELECT lo + CAST(CAST(? AS REAL) * (hi - lo + 1) AS INTEGER) FROM bounds)"
        f" SELECT {_QUOTE_COLUMNS}, (SELECT cycle FROM st) AS cycle, {used_sql.format(id='p.id')} AS used_before"
        f" {_QUOTE_FROM} WHERE p.id = coalesce({', '.join(branches)})"
    )
    return sql, levels
