"""A passage read as a `Quote`: its columns and joins, the moderators' marks, the spoiler gate's clause.

Shared by every store that reads passages for members: the quote picks (bot/quotes/store.py), the
discussion rotation (bot/discussion/rotation_store.py) and the catalogue's counts
(bot/corpus/catalogue_store.py). `PassageSeeks` is what the rotation asks of the picks' seek machinery
(QuoteStore implements it; bot/stores.py hands it over, so no feature imports another).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from bot.corpus.passage import Quote, QuoteFilters

if TYPE_CHECKING:
    from bot.core.sample_store import IdSet
    from bot.core.spoilers import Gate

# A trimmed passage is quoted as the one sentence a moderator kept (m: its passage_marks row, if any).
QUOTE_COLUMNS = """
    p.id AS passage_id, p.review_id, coalesce(m.trimmed, p.text) AS text, p.paragraph, p.ordinal, r.critic,
    r.outlet, r.url, r.published, r.spoiler AS review_spoiler, f.id AS film_id, f.title AS film_title,
    f.year AS film_year, p.spoiler_reason,
    (SELECT group_concat(theme, ',') FROM (SELECT theme FROM passage_themes t
        WHERE t.passage_id = p.id ORDER BY score DESC)) AS theme_list,
    coalesce(m.spoiler, 0) AS marked_spoiler, coalesce(m.hidden, 0) AS hidden, m.trimmed IS NOT NULL AS trimmed
"""
# A tag of a quotable passage (passage_themes holds every passage's tags since issue 28).
QUOTABLE_TAG = "EXISTS (SELECT 1 FROM passages q WHERE q.id = t.passage_id AND q.quotable = 1)"
MARKS = "LEFT JOIN passage_marks m ON m.passage_id = p.id"
QUOTE_FROM = f"FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id {MARKS}"


def visible(column: str) -> str:
    """Not hidden by a moderator: one primary-key probe of passage_marks per candidate row."""
    return f"NOT EXISTS (SELECT 1 FROM passage_marks h WHERE h.passage_id = {column} AND h.hidden = 1)"


def gate_clause(column: str, gate: Gate) -> tuple[str, list[Any]]:
    """Leave out the gated film's spoilers: passages of a review marked spoiler, hidden by the text rules (any
    spoiler reason: a reveal, after the review's warning or its first reveal…), tagged with a spoiler theme or
    marked spoiler by a moderator, and (safe side) its passages never tagged (not quotable); by films.id.

    A correlated probe per candidate (the passage's review by primary key, then its tags), so a pick stays
    an index seek: a NOT IN over the film's spoiler set was built on every statement (0.3 ms a pick)."""
    sql = (
        f"NOT EXISTS (SELECT 1 FROM passages gp JOIN reviews gr ON gr.id = gp.review_id WHERE gp.id = {column}"
        " AND gr.film_id = ? AND (gr.spoiler = 1 OR gp.quotable = 0 OR gp.spoiler_reason IS NOT NULL"
        " OR EXISTS (SELECT 1 FROM passage_themes gt WHERE gt.passage_id = gp.id"
        " AND gt.theme IN (SELECT value FROM json_each(?)))"
        " OR EXISTS (SELECT 1 FROM passage_marks gm WHERE gm.passage_id = gp.id AND gm.spoiler = 1)))"
    )
    return sql, [gate.film_id, json.dumps(list(gate.spoiler_themes))]


_FLAGS = ("marked_spoiler", "hidden", "trimmed")
_NOT_FIELDS = frozenset(("theme_list", "snip", "used_before", "cycle", *_FLAGS))
# Per tuple of column names a statement returns: (field, position) pairs, then the positions of the theme list
# and the three flags. Read by position: a row's names are looked up once per statement shape, not per row.
_PLANS: dict[tuple[str, ...], tuple[tuple[tuple[str, int], ...], int, int, int, int]] = {}


def quote_of(row: Any) -> Quote:
    """The Quote of a row read with QUOTE_COLUMNS (extra columns a query adds are left out)."""
    names = tuple(row.keys())
    plan = _PLANS.get(names)
    if plan is None:
        plan = (tuple((name, at) for at, name in enumerate(names) if name not in _NOT_FIELDS),
                names.index("theme_list"), names.index("marked_spoiler"), names.index("hidden"),
                names.index("trimmed"))
        if len(_PLANS) < 256:  # a handful of statement shapes read quotes
            _PLANS[names] = plan
    fields, theme_list, marked_spoiler, hidden, trimmed = plan
    themes = row[theme_list]
    return Quote(
        **{name: row[at] for name, at in fields}, themes=tuple(themes.split(",")) if themes else (),
        marked_spoiler=bool(row[marked_spoiler]), hidden=bool(row[hidden]), trimmed=bool(row[trimmed]),
    )


class PassageSeeks(Protocol):
    """The picks' seek machinery a discussion rotation walks through (bot/quotes/store.py QuoteStore)."""

    async def sized_scope(self, filters: QuoteFilters) -> tuple[list[int] | None, bool] | None: ...

    def seek_parts(
        self, filters: QuoteFilters, any_word: bool, scope: list[int] | None, scope_by_theme: bool = False,
        gate: Gate | None = None,
    ) -> tuple[str, str, list[str], list[Any]] | None: ...

    async def id_set(
        self, filters: QuoteFilters, any_word: bool, scope: list[int] | None, by_theme: bool = False,
        gate: Gate | None = None,
    ) -> IdSet | None: ...

    async def passages_for(self, filters: QuoteFilters, gate: Gate | None = None) -> list[Quote]: ...
