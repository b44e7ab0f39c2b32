"""The full-text pieces of the quote store's SQL, per backend: FTS5 on SQLite, tsvector on PostgreSQL.

The one place the two differ for `/quote about:` and `/search` (bot/core/dialect.py rewrites the rest).
Each backend says how keywords become the parameter, how a passage id is tested, how the matches are
walked in id order, and the ranked, highlighted search itself; the contract (words only, operators and
stray quotes as text, every word then any word, \\x02 … \\x03 around matches) is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.quotes import fts, fts_pg


@dataclass(frozen=True)
class SearchSql:
    dialect: str
    member_template: str  # {column}: the passage id tested; one parameter (the keywords)
    walk_column: str  # the matches walked in id order: column, source, the condition (one parameter)
    walk_source: str
    walk_condition: str
    walk_visible_column: str
    ends: str  # the first/last match by id ({} is ASC/DESC); one parameter
    stop: str  # the id SEARCH_CANDIDATES places on; parameters: keywords, offset
    ranked: str  # {columns}, {marks}, {visible}, {gated}: parameters keywords, stop id, gate…, limit

    def keywords(self, text: str, *, any_word: bool = False) -> str:
        """The parameter for `text` (one that matches nothing when it has no searchable word)."""
        if self.dialect == "postgresql":
            return fts_pg.query_text(text, any_word=any_word) or ""
        return fts.match_expression(text, any_word=any_word) or '""'

    def member(self, column: str) -> str:
        return self.member_template.format(column=column)


_SQLITE = SearchSql(
    dialect="sqlite",
    member_template="EXISTS (SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? AND rowid = {column})",
    walk_column="rowid",
    walk_source="passages_fts",
    walk_condition="passages_fts MATCH ?",
    walk_visible_column="passages_fts.rowid",
    ends="(SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid {} LIMIT 1)",
    stop="SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?",
    ranked=(
        "SELECT {columns}, coalesce(m.trimmed, snippet(passages_fts, 0, char(2), char(3), '…', 24)) AS snip"
        " FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
        " JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id {marks}"
        " WHERE passages_fts MATCH ? AND passages_fts.rowid < ? AND p.quotable = 1 AND {visible}"
        " AND {gated} ORDER BY bm25(passages_fts) LIMIT ?"
    ),
)

_TSQ = fts_pg.tsquery()
_POSTGRES = SearchSql(
    dialect="postgresql",
    member_template=f"EXISTS (SELECT 1 FROM passages s WHERE s.id = {{column}} AND {fts_pg.match(_TSQ, 's.search')})",
    walk_column="s.id",
    walk_source="passages s",
    walk_condition=fts_pg.match(_TSQ, "s.search"),
    walk_visible_column="s.id",
    ends=f"(SELECT id FROM passages WHERE {fts_pg.match(_TSQ, 'search')} ORDER BY id {{}} LIMIT 1)",
    stop=f"SELECT id FROM passages WHERE {fts_pg.match(_TSQ, 'search')} ORDER BY id LIMIT 1 OFFSET ?",
    ranked=(
        f"SELECT {{columns}}, coalesce(m.trimmed, {fts_pg.headline('p.text', 'q')}) AS snip"
        f" FROM passages p CROSS JOIN {fts_pg.QUERY_SOURCE} AS q"
        " JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id {marks}"
        f" WHERE {fts_pg.match('q', 'p.search')} AND p.id < ? AND p.quotable = 1 AND {{visible}}"
        f" AND {{gated}} ORDER BY {fts_pg.rank('q', 'p.search')} DESC, p.id LIMIT ?"
    ),
)

BY_DIALECT = {"sqlite": _SQLITE, "postgresql": _POSTGRES}
