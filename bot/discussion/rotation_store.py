"""The discussion rotation's SQL: /discuss's next passage chosen by the database in one statement
(`pick`), and the bounded pool /debate and the pure rotation (bot/discussion/rotation.py) choose from
(`pool`); `bot.store.rotation`.

It walks the quote picks' seek machinery (`PassageSeeks`, bot/corpus/quote_rows_store.py: the
film/critic scope, the narrowest indexed walk, the id set draws come from), which bot/stores.py hands it
(QuoteStore), and reads theme counts from the catalogue (bot/corpus/catalogue_store.py).
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from bot.core.db import Database
from bot.core.sample_store import pick_ids
from bot.core.spoilers import Gate
from bot.corpus.catalogue_store import CatalogueStore
from bot.corpus.passage import RECENT_PROMPTS, Quote, QuoteFilters, RotationKey, RotationPick
from bot.corpus.quote_rows_store import QUOTE_COLUMNS, QUOTE_FROM, PassageSeeks, quote_of

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
# Seek shapes (a theme, a film's scope, a gate…) whose id bounds are kept in memory, the least recently used
# dropped first; each entry is two ints, exact at one Database.corpus_version.
BOUNDS_KEPT = 256


class RotationStore:
    def __init__(self, db: Database, picks: PassageSeeks, catalogue: CatalogueStore) -> None:
        self.db = db
        self.picks = picks
        self.catalogue = catalogue
        # Picks asked and not yet served, in order, and the task serving them (`pick`)
        self._waiting: deque[tuple[QuoteFilters, RotationKey, Gate | None, asyncio.Future[RotationPick | None]]] = deque()
        self._server: asyncio.Task[None] | None = None
        # (column, source, conditions, params) -> (corpus version, lowest id, highest id) of the seek's set
        self._bounds: OrderedDict[tuple[Any, ...], tuple[int, int | None, int | None]] = OrderedDict()

    async def pick(
        self, filters: QuoteFilters, rotation: RotationKey, gate: Gate | None = None
    ) -> RotationPick | None:
        """The next /discuss passage of a rotation (`_pick`), served in order with the picks other servers ask
        meanwhile: one task runs them one after another.

        Each pick is the same statement as alone, but run back to back they find SQLite's code and the upper
        pages of its indexes in the CPU's caches: with 200 servers' handlers in between (discord.py parsing,
        simcord), the statement took 130-310 µs of loop-thread CPU in the 200-server bench, 54-65 µs served
        together (docs/benchmarks.md, session 12). A pick alone pays one task step more.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[RotationPick | None] = loop.create_future()
        self._waiting.append((filters, rotation, gate, future))
        server = self._server
        if server is None or server.done() or server.get_loop() is not loop:
            self._server = loop.create_task(self._serve(), name="filmbot-rotation-picks")
        return await future

    async def _serve(self) -> None:
        """Serve the waiting picks in order until none is left; a caller gone (cancelled) is skipped."""
        waiting = self._waiting
        loop = asyncio.get_running_loop()
        future: asyncio.Future[RotationPick | None] | None = None
        try:
            while waiting:
                filters, rotation, gate, future = waiting.popleft()
                if future.done() or future.get_loop() is not loop:  # its caller is gone (or its loop)
                    continue
                try:
                    found = await self._pick(filters, rotation, gate)
                except Exception as error:  # noqa: BLE001 - handed to the caller that asked for this pick
                    if not future.done():
                        future.set_exception(error)
                else:
                    if not future.done():
                        future.set_result(found)
        except BaseException:  # cancelled (the loop is closing): nobody waiting may hang
            left = ([future] if future is not None else []) + [item[3] for item in waiting]
            waiting.clear()
            for pending in left:
                if not pending.done():
                    pending.cancel()
            raise

    async def _pick(
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
        sized = await self.picks.sized_scope(filters)
        if sized is None:
            return None
        scope, by_theme = sized
        if scope is not None and len(scope) > SCOPE_WHOLE:
            # A big film scope: a few of its reviews at random for the strictest level first.
            for review_id in random.sample(scope, SCOPE_TRIES):
                found = await self._seek(filters, [review_id], False, rotation, strict=True, gate=gate)
                if found is not None:
                    return found
        return await self._seek(filters, scope, by_theme, rotation, strict=False, gate=gate)

    async def _seek(
        self, filters: QuoteFilters, scope: list[int] | None, by_theme: bool, rotation: RotationKey,
        *, strict: bool, gate: Gate | None = None,
    ) -> RotationPick | None:
        parts = self.picks.seek_parts(filters, False, scope, by_theme, gate)
        if parts is None:
            return None
        column, source, conds, params = parts
        shape = (column, source, tuple(conds))
        key = [rotation.guild_id, rotation.theme, rotation.film_key]
        if strict:
            # One review of a big film scope, one of SCOPE_TRIES at random: its bounds are not worth keeping
            # (a statement more for each), so the statement finds them itself.
            sql, levels = _rotation_sql(*shape, strict, False)
            point = [*params, *params, random.random()]
        else:
            lo, hi = await self._range(shape, params)
            if lo is None or hi is None:
                return None  # nothing in the set (the statement would find no row either)
            sql, levels = _rotation_sql(*shape, strict, True)
            # The random point in the set's id range, as the statement computes it without kept bounds
            # (`lo + CAST(CAST(? AS REAL) * (hi - lo + 1) AS INTEGER)`: the same double product, truncated).
            point = [lo + int(random.random() * (hi - lo + 1))]
        # Each level is two branches (from the random point, then wrapping round); unused levels come first.
        unused = _UNUSED_LEVELS if len(levels) == len(_LEVELS) else 1
        values = [*params, *key, *params, *key] * unused + [*params, *params] * (len(levels) - unused)
        row = await self.db.seek_one(sql, [*key, *key, rotation.guild_id, RECENT_PROMPTS, *point, *key, *values])
        if row is None:
            return None
        restarted = bool(row["used_before"])
        return RotationPick(quote_of(row), row["cycle"] + 1 if restarted else row["cycle"], restarted)

    async def _range(self, shape: tuple[str, str, tuple[str, ...]], params: list[Any]) -> tuple[int | None, int | None]:
        """The lowest and highest id of a seek's set, kept per shape and params at the corpus version.

        Every write that can change a set (corpus writes, hide / show / spoiler decisions, theme overrides,
        another process's corpus write once followed) moves `Database.corpus_version`, so an entry of an
        older version is read again; read before the seek, so a write landing meanwhile leaves it stale.
        Two index seeks fewer in every /discuss pick (they ran in its one statement before)."""
        version = self.db.corpus_version
        key = (*shape, tuple(params))
        kept = self._bounds.get(key)
        if kept is not None and kept[0] == version:
            self._bounds.move_to_end(key)
            return kept[1], kept[2]
        row = await self.db.seek_one(_bounds_sql(*shape), [*params, *params])
        lo, hi = (row[0], row[1]) if row is not None else (None, None)
        self._bounds[key] = (version, lo, hi)
        self._bounds.move_to_end(key)
        while len(self._bounds) > BOUNDS_KEPT:
            self._bounds.popitem(last=False)
        return lo, hi

    async def pool(
        self, filters: QuoteFilters, used: frozenset[int], gate: Gate | None = None
    ) -> list[Quote]:
        """The passages a /discuss or /debate rotation chooses from, bounded in size.

        A pool of up to POOL_EXACT passages comes whole (every rotation rule is then exact). A bigger
        one is a uniform random sample of up to POOL_SAMPLE passages, and when fewer than half of them are
        unused, up to POOL_SAMPLE more not in `used` (so a cycle that has passages left never looks
        finished), drawn as picks are — the pool is never read whole nor sorted.
        """
        theme = filters.theme
        if theme is None or (await self.catalogue.theme_counts(filters.film)).get(theme, 0) <= POOL_EXACT:
            return await self.picks.passages_for(filters, gate)
        sized = await self.picks.sized_scope(filters)
        ids = None if sized is None else await self.picks.id_set(filters, False, *sized, gate=gate)
        if ids is None:
            return []
        # Each passage equally likely (bot/core/sample_store.py), by draws tested row by row: no sort of the pool.
        # A uniform sample of the pool; its unused members are a uniform sample of the unused ones. Only
        # when few of them are unused (a cycle near its end) is a sample of the unused drawn as well.
        chosen = set(await pick_ids(self.db, ids, POOL_SAMPLE, budget=POOL_DRAWS))
        if used and len(chosen - used) < POOL_SAMPLE // 2:
            chosen |= set(await pick_ids(self.db, ids, POOL_SAMPLE, exclude=used, budget=POOL_DRAWS))
        rows = await self.db.fetchall(
            f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id",
            (json.dumps(sorted(chosen)),),
        )
        return [quote_of(row) for row in rows]


@dataclass(frozen=True)
class _Level:
    """One preference level of a rotation seek: which of its conditions apply."""

    unused: bool
    other_critic: bool
    fresh: bool


# Strictest first; the critic rule outranks the recent one, and unused passages come first.
_PREFERENCES = ((True, True), (True, False), (False, True), (False, False))
_LEVELS = tuple(_Level(True, c, f) for c, f in _PREFERENCES) + tuple(_Level(False, c, f) for c, f in _PREFERENCES)
_UNUSED_LEVELS = len(_PREFERENCES)  # the first levels (all of a strict seek's one) want an unused passage


@functools.lru_cache(maxsize=256)
def _rotation_sql(
    column: str, source: str, conds: tuple[str, ...], strict: bool, kept_bounds: bool
) -> tuple[str, tuple[_Level, ...]]:
    """The rotation seek's statement for one shape of scope (built once: a few hundred characters of
    f-strings per /discuss add up when 200 servers ask at once) and the levels its branches follow.

    With `kept_bounds` the random point is a parameter (RotationStore._range kept the set's bounds); without,
    the statement finds the bounds (two index seeks) and takes the random fraction."""
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
    point = (" point(at) AS (SELECT CAST(? AS INTEGER))" if kept_bounds else
             f" bounds(lo, hi) AS (SELECT ({seek} ORDER BY {column} LIMIT 1), ({seek} ORDER BY {column} DESC LIMIT 1)),"
             f" point(at) AS (SELECT lo + CAST(CAST(? AS REAL) * (hi - lo + 1) AS INTEGER) FROM bounds)")
    sql = (
        f"WITH st(cycle, last) AS (SELECT max(1, coalesce((SELECT max(cycle) FROM posted_prompts WHERE {mine}),"
        f" 0)), (SELECT critic_key FROM posted_prompts WHERE {mine} ORDER BY id DESC LIMIT 1)),"
        f" recent(id) AS (SELECT passage_id FROM posted_prompts WHERE guild_id = ? ORDER BY id DESC LIMIT ?),"
        f"{point}"
        f" SELECT {QUOTE_COLUMNS}, (SELECT cycle FROM st) AS cycle, {used_sql.format(id='p.id')} AS used_before"
        f" {QUOTE_FROM} WHERE p.id = coalesce({', '.join(branches)})"
    )
    return sql, levels


@functools.lru_cache(maxsize=256)
def _bounds_sql(column: str, source: str, conds: tuple[str, ...]) -> str:
    """The lowest and highest id of a seek's set (RotationStore._range): two index seeks."""
    seek = f"SELECT {column} FROM {source} WHERE {' AND '.join(conds)}"
    return f"SELECT ({seek} ORDER BY {column} LIMIT 1), ({seek} ORDER BY {column} DESC LIMIT 1)"
