"""Uniform random picks from a filtered set of ids, by bounded index seeks (no count, no sort).

A seek to "the first match at or after a random point" favours a match after a long gap (its chance
is the gap before it). Here every member is equally likely, at any size, by two exact methods mixed:

1. Rejection: a uniform random id in a range holding every member, kept only when it is a member
   (one primary-key probe each). Every member has the same chance per draw, so the first hit is
   uniform. Dense sets (a plain /quote: most ids are quotable passages) hit in a draw or two.
2. A set that the first FIRST_DRAWS draws miss is listed, up to LIST_CAP ids (one bounded index
   walk): a set that fits is chosen from exactly; a bigger one is dense enough (at least LIST_CAP
   members in the range) for rejection to hit within range / LIST_CAP draws on average, drawn
   ROUND_DRAWS per statement.

Mixing them keeps the pick uniform: whichever method answers, each member is equally likely. Draws
are Python floats (`random`), so tests can seed them; SQL turns them into ids.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.core.db import Database

LIST_CAP = 1024  # a set of at most this many ids is listed whole and chosen from exactly
FIRST_DRAWS = 16  # random ids tried first: enough for a dense set
SECOND_DRAWS = 512  # then these, before listing: a big sparse set is rarely listed (a list can walk far)
ROUND_DRAWS = 512  # random ids per statement once the set is known to hold more than LIST_CAP
MAX_DRAWS = 8192  # per statement, when many members are wanted at once
MAX_ROUNDS = 16  # then (a set far sparser than its size said: not at the sizes benched) the listed ids are used


@dataclass(frozen=True)
class IdSet:
    """A set of ids the database can test one at a time and list up to a bound.

    `source` and `conds` (with `params`) select the members: `SELECT {column} FROM {source} WHERE
    {conds}`; `column` is the id, tested by equality (so its index or the rowid answers a probe).
    `slot` is an SQL expression of `j.value` (one draw, made by `point`) giving an id or NULL: every
    member must be the slot of exactly one equally likely draw (ids outside the set are misses).
    `bounds` (with `bounds_params`): optional WITH clauses the slot reads.
    """

    column: str
    source: str
    conds: tuple[str, ...]
    params: tuple[Any, ...]
    slot: str
    point: Callable[[Any], Any]
    bounds: str = ""
    bounds_params: tuple[Any, ...] = ()
    big: bool = False  # known to hold more than LIST_CAP members: listed only when draws keep missing
    # a narrower statement listing the members (its last parameter: the LIMIT), built when needed
    lister: Callable[[], tuple[str, list[Any]]] | None = None

    @classmethod
    def ranged(
        cls, column: str, source: str, conds: tuple[str, ...], params: tuple[Any, ...], bounds: str,
        bounds_params: tuple[Any, ...] = (), *, big: bool = False,
    ) -> IdSet:
        """Draws: uniform ids between `bounds`' (lo, hi), a statement of one row holding every member."""
        slot = "(SELECT lo + CAST(CAST(j.value AS REAL) * (hi - lo + 1) AS INTEGER) FROM bounds)"
        return cls(column, source, conds, params, slot, _fraction, f"bounds(lo, hi) AS ({bounds}),",
                   bounds_params, big)

    def member_sql(self, at: str) -> str:
        return self.member_sql_of(self.source, self.conds, self.column, at)

    @staticmethod
    def member_sql_of(source: str, conds: tuple[str, ...], column: str, at: str) -> str:
        where = " AND ".join((*conds, f"{column} = {at}"))
        return f"EXISTS (SELECT 1 FROM {source} WHERE {where})"

    def list_sql(self) -> tuple[str, list[Any]]:
        if self.lister is not None:
            sql, params = self.lister()
            return sql, [*params, LIST_CAP + 1]
        return f"SELECT {self.column} FROM {self.source} WHERE {' AND '.join(self.conds) or '1'} LIMIT ?", [
            *self.params, LIST_CAP + 1]


def theme_numbered(ids: IdSet, theme: str) -> IdSet:
    """`ids` (a subset of the theme's tags) drawn by the tags' dense numbers (passage_themes.seq, migration
    075): a random number up to the theme's highest is one index lookup, and almost always a tag."""
    return replace(
        ids, bounds="bounds(theme, top) AS (SELECT ?, (SELECT max(seq) FROM passage_themes WHERE theme = ?)),",
        bounds_params=(theme, theme), point=_fraction,
        slot="(SELECT s.passage_id FROM passage_themes s, bounds WHERE s.theme = bounds.theme"
             " AND s.seq = 1 + CAST(CAST(j.value AS REAL) * bounds.top AS INTEGER))",
    )


def _fraction(rng: Any) -> float:
    return float(rng.random())


async def pick_ids(
    db: Database, ids: IdSet, count: int = 1, *, exclude: frozenset[int] = frozenset(),
    excluded_last: bool = False, rng: random.Random | None = None, budget: int | None = None,
) -> list[int]:
    """Up to `count` distinct members, each subset equally likely, none of `exclude`.

    With `excluded_last`, an excluded member comes back when no other member is left to give
    (the quote on screen, when it is the only match). With a `budget` of draws, a big sparse set
    gives what those draws hit (still a uniform sample, maybe smaller than `count`).
    """
    gen: Any = rng or random  # the module's own generator by default: random.seed applies
    found: list[int] = []
    for draws in (FIRST_DRAWS, SECOND_DRAWS):
        found += await _draw(db, ids, draws, count - len(found), exclude | set(found), gen)
        if len(found) >= count:
            return found
    listed = [] if ids.big else await _list(db, ids)
    if len(listed) <= LIST_CAP and not ids.big:
        taken = set(found) | exclude
        pool = [member for member in listed if member not in taken]
        found += gen.sample(pool, min(count - len(found), len(pool)))
        if not found and excluded_last:
            found = [member for member in listed if member in exclude][:count]
        return found
    spent = FIRST_DRAWS + SECOND_DRAWS
    for _ in range(MAX_ROUNDS):
        # Twice the draws the hit rate so far says the rest needs (how many hit, never which: still uniform).
        rate = max(len(found), 1) / spent
        draws = min(MAX_DRAWS, max(ROUND_DRAWS if not found else 64, int(2 * (count - len(found)) / rate) + 16))
        if budget is not None:
            draws = min(draws, budget - spent)
            if draws <= 0:
                break
        spent += draws
        found += await _draw(db, ids, draws, count - len(found), exclude | set(found), gen)
        if len(found) >= count:
            return found
    if found and budget is not None:
        return found
    listed = listed or await _list(db, ids)
    taken = set(found) | exclude  # not uniform, but never a wrong answer nor a miss when a member exists
    return found + [member for member in listed if member not in taken][: count - len(found)]


async def _list(db: Database, ids: IdSet) -> list[int]:
    sql, params = ids.list_sql()
    return [row[0] for row in await db.seek_rows(sql, params)]


async def _draw(
    db: Database, ids: IdSet, draws: int, count: int, exclude: frozenset[int] | set[int], rng: Any
) -> list[int]:
    """Members hit by `draws` uniform random ids in the range, first `count` distinct hits, in one seek."""
    points = json.dumps([ids.point(rng) for _ in range(draws)])
    sql = _draw_sql(db.dialect, ids.bounds, ids.slot, ids.source, ids.conds, ids.column)
    params = [*ids.bounds_params, points, json.dumps(sorted(exclude)) if exclude else "[]", *ids.params, count]
    if count == 1:
        row = await db.seek_one(sql, params)
        return [] if row is None else [row[0]]
    return [row[0] for row in await db.seek_rows(sql, params)]


@functools.lru_cache(maxsize=512)
def _draw_sql(dialect: str, bounds: str, slot: str, source: str, conds: tuple[str, ...], column: str) -> str:
    """`_draw`'s statement for one shape of set (built once per shape: every /quote and /discuss draws)."""
    # The first hits in draw order: SQLite's DISTINCT keeps it and stops at `count` hits; PostgreSQL's may
    # sort (the smallest ids would always win), so there the hits are ordered by their first draw.
    first_hits = "SELECT DISTINCT at FROM draws WHERE {where} LIMIT ?" if dialect == "sqlite" else (
        "SELECT at FROM draws WHERE {where} GROUP BY at ORDER BY min(n) LIMIT ?")
    member = IdSet.member_sql_of(source, conds, column, "draws.at")
    where = f"at IS NOT NULL AND at NOT IN (SELECT value FROM json_each(?)) AND {member}"
    return f"WITH {bounds} draws(at, n) AS (SELECT {slot}, j.key FROM json_each(?) j) " + first_hits.format(where=where)


async def draw_batch(
    db: Database, ids: IdSet, draws: int, count: int, rows: tuple[str, str], rng: Any = None,
) -> list[Any]:
    """Up to `count` members drawn WITH replacement, each an independent uniform pick over the set, with
    their rows, in one statement: the first `count` hits of `draws` uniform random draws, in draw order
    (a repeat is kept: every hit, whatever came before it, is equally likely to be any member).

    `rows` = (columns, joins): `SELECT {columns} FROM hits JOIN {joins}` where `joins` joins on `hits.at`.
    """
    gen: Any = rng or random
    points = json.dumps([ids.point(gen) for _ in range(draws)])
    sql = _batch_sql(db.dialect, ids.bounds, ids.slot, ids.source, ids.conds, ids.column, rows)
    return list(await db.seek_rows(sql, [*ids.bounds_params, points, *ids.params, count]))


async def rows_of(db: Database, picked: list[int], rows: tuple[str, str]) -> list[Any]:
    """The rows of `picked` (drawn elsewhere, repeats allowed), in its order, in one statement (the
    first of `rows`' columns is the id)."""
    columns, joins = rows
    found = {row[0]: row for row in await db.seek_rows(
        f"SELECT {columns} FROM (SELECT DISTINCT CAST(j.value AS INTEGER) AS at FROM json_each(?) j) hits"
        f" JOIN {joins}", [json.dumps(sorted(set(picked)))])}
    return [found[at] for at in picked if at in found]


async def list_members(db: Database, ids: IdSet) -> list[int] | None:
    """Every member (one bounded walk), or None when the set holds more than LIST_CAP."""
    listed = await _list(db, ids)
    return listed if len(listed) <= LIST_CAP else None


@functools.lru_cache(maxsize=512)
def _batch_sql(
    dialect: str, bounds: str, slot: str, source: str, conds: tuple[str, ...], column: str, rows: tuple[str, str],
) -> str:
    """`draw_batch`'s statement: the draws, the first hits in draw order (repeats kept), their rows."""
    member = IdSet.member_sql_of(source, conds, column, "draws.at")
    # SQLite walks json_each in order and stops at the LIMIT; PostgreSQL is told the order.
    order = "" if dialect == "sqlite" else " ORDER BY n"
    columns, joins = rows
    return (
        f"WITH {bounds} draws(at, n) AS (SELECT {slot}, j.key FROM json_each(?) j),"
        f" hits(at, n) AS (SELECT at, n FROM draws WHERE at IS NOT NULL AND {member}{order} LIMIT ?)"
        f" SELECT {columns} FROM hits JOIN {joins} ORDER BY hits.n"
    )
