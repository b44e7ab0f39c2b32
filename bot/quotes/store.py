"""The quote picks' reads over the corpus: pick a quote (its film/critic scope, the narrowest indexed walk,
the id set draws come from), a passage, a review's passages, its context, search; the "Another" filters.

The catalogue (films, critics, theme counts, autocomplete) is bot/corpus/catalogue_store.py; the discussion
rotation, which walks this store's seeks (`PassageSeeks`), is bot/discussion/rotation_store.py.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import time
from dataclasses import replace
from typing import Any

from bot.core.db import Database
from bot.core.films import unattributed_target
from bot.core.sample_store import LIST_CAP, IdSet, draw_batch, list_members, pick_ids, rows_of, theme_numbered
from bot.core.spoilers import Gate
from bot.corpus.catalogue_store import CatalogueStore
from bot.corpus.clean import GAP_MARK
from bot.corpus.filter_store import critic_clause, film_clause
from bot.corpus.passage import SEARCH_CANDIDATES, Quote, QuoteFilters
from bot.corpus.quote_rows_store import (
    MARKS,
    QUOTABLE_TAG,
    QUOTE_COLUMNS,
    QUOTE_FROM,
    gate_clause,
    quote_of,
    visible,
)
from bot.corpus.summary import Summary
from bot.quotes import fts
from bot.quotes.pick_buffer import BATCH, Drawn, PickBuffers
from bot.quotes.search_store import BY_DIALECT

_THEME_CLAUSE = "p.id IN (SELECT passage_id FROM passage_themes WHERE theme = ?)"
_THEME_PROBE = "EXISTS (SELECT 1 FROM passage_themes pt WHERE pt.passage_id = p.id AND pt.theme = ?)"
SCOPES_KEPT = 256  # film/critic scopes kept in memory (review id lists), oldest dropped first
PASSAGES_PER_REVIEW = 10  # about what a review segments into: sizes a scope against a theme's tag count
# A drawn pick's row, joined on sample_store's `hits.at` (draw_batch, rows_of): the quote's columns.
_QUOTE_ROWS = (QUOTE_COLUMNS, f"passages p ON p.id = hits.at {QUOTE_FROM.removeprefix('FROM passages p ')}")


class QuoteStore:
    def __init__(self, db: Database, catalogue: CatalogueStore | None = None) -> None:
        self.db = db
        self._search = BY_DIALECT[db.dialect]  # full text: FTS5 or tsvector (search_store.py)
        # Film and critic names resolved, theme counts, and the summaries this store's scopes are kept in.
        self.catalogue = catalogue if catalogue is not None else CatalogueStore(db)
        self._summaries = self.catalogue.summaries
        self._buffers = PickBuffers()  # picks drawn ahead, per filter (pick_buffer.py)

    def _cache(self) -> Summary:
        return self._summaries.current()

    def _where(
        self, filters: QuoteFilters, *, any_word: bool = False, gate: Gate | None = None
    ) -> tuple[list[str], list[Any]]:
        clauses, params = ["p.quotable = 1", visible("p.id")], []
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
        if version == self.db.corpus_version and self._summaries.fresh(cache):
            scopes = cache.scopes
            if len(scopes) >= SCOPES_KEPT:
                scopes.pop(next(iter(scopes)))
            scopes[key] = scope
        return scope

    async def _load_scope(self, filters: QuoteFilters) -> list[int]:
        index = await self.catalogue.review_index()
        assert index.reviews_by_film is not None and index.reviews_by_name is not None
        allowed: set[int] | None = None
        if filters.film:
            film_ids = await self.catalogue.film_ids(filters.film)
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

    def seek_parts(
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
                      visible("t.passage_id")]
            params += [filters.theme, json.dumps(scope)]
            if expression is not None:
                conds.append(self._search.member("t.passage_id"))
                params.append(expression)
        elif scope is not None:
            # +p.id: walk the scope through the review index, never the whole table by rowid.
            column, source = "+p.id", "passages p"
            conds += ["p.review_id IN (SELECT value FROM json_each(?))", "p.quotable = 1", visible("p.id")]
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
            conds += ["t.theme = ?", QUOTABLE_TAG, visible("t.passage_id")]
            params.append(filters.theme)
            if expression is not None:
                conds.append(self._search.member("t.passage_id"))
                params.append(expression)
        elif expression is not None:
            column, source = self._search.walk_column, self._search.walk_source
            conds += [self._search.walk_condition, visible(self._search.walk_visible_column)]
            params.append(expression)
        else:
            column, source = "p.id", "passages p"
            conds += ["p.quotable = 1", visible("p.id")]
        if gate is not None:  # the gated film's spoilers are never candidates: "Another" never comes back empty
            clause, values = gate_clause(
                self._search.walk_visible_column if column == self._search.walk_column else column.lstrip("+"), gate)
            conds.append(clause)
            params += values
        return column, source, conds, params

    async def sized_scope(self, filters: QuoteFilters) -> tuple[list[int] | None, bool] | None:
        """(the film/critic scope, walk the theme's tags instead of the scope), or None: nothing can match.

        A theme rarer than the scope (say a film's own theme asked of a prolific critic) is the smaller
        side to walk; one with no passage at all matches nothing.
        """
        scope = await self._scope(filters)
        if scope is None or not filters.theme:
            return scope, False
        tagged = (await self.catalogue.theme_counts()).get(filters.theme, 0)
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

        Served from the filter's queue of picks drawn ahead (bot/quotes/pick_buffer.py), refilled in one
        statement every BATCH picks; `pick_now` (a statement per pick) when the queue cannot answer.
        """
        version = self.db.corpus_version
        for any_word in (False, True) if filters.about else (False,):
            key = (filters, any_word, gate)
            drawn = self._buffers.get(key, version)
            if drawn is None:
                drawn = await self._new_queue(filters, any_word, gate, version)
                if drawn is None:
                    break
            if drawn.empty:
                continue
            if not drawn.usable:
                break
            quote = drawn.take(exclude)
            if quote is None:
                await self._refill(drawn)
                if drawn.version != self.db.corpus_version:
                    break  # a write landed during the refill: its quotes are dropped with the queue
                quote = drawn.take(exclude)
                if quote is None and drawn.empty:
                    continue
            if quote is None:
                break  # nothing but the quote on screen drawn (or a set too sparse to draw): exactly, below
            return quote
        else:
            return None
        return await self.pick_now(filters, exclude=exclude, gate=gate)

    async def _new_queue(
        self, filters: QuoteFilters, any_word: bool, gate: Gate | None, version: int
    ) -> Drawn | None:
        """A filter's empty queue with its id set (kept: `pick` refills it), None if a write landed meanwhile."""
        sized = await self.sized_scope(filters)
        ids = None if sized is None else await self.id_set(filters, any_word, sized[0], sized[1], gate)
        if version != self.db.corpus_version:
            return None
        drawn = Drawn(version, ids, empty=ids is None)
        self._buffers.put((filters, any_word, gate), drawn)
        return drawn

    async def _refill(self, drawn: Drawn) -> None:
        """BATCH more picks into the queue, rows included, in one statement (a small set: listed once, then
        drawn in Python and its rows read). Left unfilled when a write lands meanwhile (`pick` checks)."""
        ids = drawn.ids
        rows: list[Any] = []
        if drawn.listed is None:
            draws = drawn.draws
            started = time.perf_counter()
            rows = await draw_batch(self.db, ids, draws, BATCH, _QUOTE_ROWS)
            drawn.hit_rate(draws, len(rows), time.perf_counter() - started)
            if len(rows) < BATCH // 2 and not ids.big:
                # Sparse in its range: list it once (a set of at most LIST_CAP is then drawn from exactly).
                listed = await list_members(self.db, ids)
                if listed is not None:
                    drawn.listed = listed
                    drawn.empty = not listed
        if drawn.listed and not rows:
            choice, members = random.choice, drawn.listed
            rows = await rows_of(self.db, [choice(members) for _ in range(BATCH)], _QUOTE_ROWS)
        if drawn.version == self.db.corpus_version:
            drawn.quotes.extend(quote_of(row) for row in rows)

    async def pick_now(
        self, filters: QuoteFilters, *, exclude: int | None = None, gate: Gate | None = None
    ) -> Quote | None:
        """`pick` by a statement of its own (no queue): the exact path when a queue cannot answer."""
        sized = await self.sized_scope(filters)
        if sized is None:
            return None
        scope, by_theme = sized
        skip = frozenset(() if exclude is None else (exclude,))
        for any_word in (False, True) if filters.about else (False,):
            ids = await self.id_set(filters, any_word, scope, by_theme, gate)
            if ids is None:
                return None
            found = await pick_ids(self.db, ids, exclude=skip, excluded_last=True)
            if found:
                # On the loop's thread (Database.seek_one): a primary-key lookup.
                row = await self.db.seek_one(f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE p.id = ?", found)
                if row is not None:
                    return quote_of(row)
        return None

    async def id_set(
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
        parts = self.seek_parts(filters, any_word, None, False, gate)
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
            await self.catalogue.theme_counts()).get(filters.theme or "", 0) > LIST_CAP * 2
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
            found = self.seek_parts(filters, any_word, scope, False, gate)
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
            params.append(json.dumps(sorted(await self.catalogue.film_ids(filters.film))))
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

    async def get(self, passage_id: int) -> Quote | None:
        row = await self.db.fetchone(f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE p.id = ?", (passage_id,))
        return None if row is None else quote_of(row)

    async def of_review(self, review_id: int, *, limit: int = 25) -> list[Quote]:
        """A review's quotable passages in reading order (the /passage autocomplete)."""
        rows = await self.db.fetchall(
            f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE p.review_id = ? AND p.quotable = 1 ORDER BY p.ordinal"
            " LIMIT ?", (review_id, limit),
        )
        return [quote_of(row) for row in rows]

    async def passages_for(self, filters: QuoteFilters, gate: Gate | None = None) -> list[Quote]:
        """Every quotable passage matching the filters, in corpus order (for rotations)."""
        clauses, params = self._where(filters, gate=gate)
        rows = await self.db.fetchall(
            f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE {' AND '.join(clauses)} ORDER BY p.id", params
        )
        return [quote_of(row) for row in rows]

    async def context(
        self, passage_id: int, gate: Gate | None = None
    ) -> list[tuple[str, bool, tuple[str, ...], bool]] | None:
        """The passages of the paragraph the passage came from: (text, is the passage itself, theme keys, hidden by
        the text rules or a moderator's spoiler mark); a neighbour a moderator hid is a gap mark "[…]".

        The themes and marks come along because a neighbour can be a spoiler when the passage itself is not.
        With a gate, the gated film's spoiler neighbours are left out (the passage itself is the caller's check).
        """
        where, params = "", [passage_id]
        if gate is not None:
            clause, values = gate_clause("q.id", gate)
            where, params = f" AND (q.id = p.id OR {clause})", [*values, passage_id]
        rows = await self.db.fetchall(
            "SELECT q.text, q.id = p.id, (SELECT group_concat(t.theme, ' ') FROM passage_themes t"
            " WHERE t.passage_id = q.id), q.spoiler_reason IS NOT NULL OR EXISTS (SELECT 1 FROM passage_marks qm"
            f" WHERE qm.passage_id = q.id AND qm.spoiler = 1), NOT {visible('q.id')}"
            " FROM passages p JOIN passages q ON q.review_id = p.review_id"
            f" AND q.paragraph = p.paragraph{where} WHERE p.id = ? ORDER BY q.ordinal",
            params,
        )
        # A neighbour a moderator hid is never shown again: a gap mark stands in its place (the words around it
        # are not joined as if they followed each other).
        return [
            (GAP_MARK, False, (), False) if row[4] and not row[1]
            else (row[0], bool(row[1]), tuple((row[2] or "").split()), bool(row[3]))
            for row in rows
        ] if rows else None

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
            rows = await self.db.read_aside(  # its bm25 reads every match's doclist: off the shared thread
                search.ranked.format(columns=QUOTE_COLUMNS, marks=MARKS, visible=visible("p.id"), gated=gated),
                (candidate, stop if stop is not None else 1 << 62, *gate_params, limit),
            )
            if rows:
                return [(quote_of(row), row["snip"]) for row in rows], stop is not None
        return [], False

class QueryStore:
    """Filters behind "Another" and /review list's page buttons, stored once per server so a custom id only
    carries a small number; a server reads only its own. One saved before migration 120 has no server: which
    server typed it cannot be told, so it reads as expired everywhere (its buttons say "run it again")."""

    CACHE_SIZE = 1024

    def __init__(self, db: Database) -> None:
        self.db = db
        # Rows are immutable once written, so a small id cache skips a write transaction per quote.
        self._ids: dict[tuple[int | None, QuoteFilters], int] = {}

    async def save(self, filters: QuoteFilters, guild_id: int | None) -> int:
        if (guild_id, filters) in self._ids:
            return self._ids[guild_id, filters]
        query_id = await self._insert(filters, guild_id)
        if len(self._ids) >= self.CACHE_SIZE:
            self._ids.pop(next(iter(self._ids)))
        self._ids[guild_id, filters] = query_id
        return query_id

    async def _insert(self, filters: QuoteFilters, guild_id: int | None) -> int:
        key = json.dumps([guild_id, filters.film, filters.critic, filters.theme, filters.about], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

        def work(conn: sqlite3.Connection) -> int:  # one transaction, one hop to the database thread
            conn.execute(
                "INSERT INTO quote_queries(filters_hash, film, critic, theme, about, guild_id) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (digest, filters.film, filters.critic, filters.theme, filters.about, guild_id),
            )
            row = conn.execute("SELECT id FROM quote_queries WHERE filters_hash = ?", (digest,)).fetchone()
            if row is None:
                raise RuntimeError("the saved filters are missing right after their insert")
            return int(row[0])

        return await self.db.in_one_hop(work)

    async def load(self, query_id: int, guild_id: int | None) -> QuoteFilters | None:
        """The filters saved under this id by this server; None otherwise, as for an id never saved: a button
        forged with another server's id (ids are sequential) shows nothing typed there. A server-less row (saved
        before migration 120) is None too: readable by nobody rather than by everybody."""
        if guild_id is None:  # every command is guild-only: a press outside a server has no search of its own
            return None
        row = await self.db.fetchone(
            "SELECT film, critic, theme, about FROM quote_queries WHERE id = ? AND guild_id = ?",
            (query_id, guild_id),
        )
        return None if row is None else QuoteFilters(*row)
