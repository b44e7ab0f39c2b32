"""Full-text search on PostgreSQL: what fts.py and FTS5's MATCH, bm25() and snippet() are on SQLite.

Untrusted keywords become the input of `to_tsquery`, each quoted, through the same `fts.keywords` (word
characters only, at most 8 words of 40 characters, the word `or` dropped), so operators, quotes, `*`,
`NEAR(`, `-` and NUL never reach SQL: they are not in the words. Matching, ranking and highlighting are
SQL fragments over `passages.search`, the generated tsvector of a quotable passage (NULL for the others,
as FTS5 indexed quotable passages only; bot/migrations/postgresql/075-baseline.sql), for a store to
compose, the query parsed once as `q`:

    f"... {rank()} AS rank, {headline()} AS snip FROM passages p CROSS JOIN {QUERY_SOURCE} AS q"
    f" WHERE {match()} ORDER BY rank DESC, p.id LIMIT ?"       # first ?: query_text(keywords)

or, inside an EXISTS, `match(tsquery())` with its own `?`. Placeholders are `?` like every store's SQL
(the PostgreSQL adapter numbers them); pass `param="$1"` to `tsquery` for raw asyncpg.
"""

from __future__ import annotations

from bot.quotes import fts

CONFIG = "filmbot_english"  # english stemming + unaccent (FTS5 had porter and remove_diacritics 2)


def query_text(text: str, *, any_word: bool = False) -> str | None:
    """The keywords of `text` as to_tsquery input: each word quoted, every word required (`&`, default) or any
    of them (`|`), a CJK word as a prefix (`:*`, as fts.match_expression does: the parser keeps "기생충은" and
    "千と千尋の神隠し" whole); None when there is no searchable word at all.

    The words are letters and digits only, so inside their quotes nothing is syntax; the word "or" (fts.keywords
    keeps it when a query has nothing else) is dropped, as it was when websearch_to_tsquery read it as OR."""
    words = [word for word in fts.keywords(text) if word != "or"]
    if not words:
        return None
    if any_word:
        words = fts.any_word_terms(words)
    return (" | " if any_word else " & ").join(f"'{word}':*" if fts.unspaced(word) else f"'{word}'" for word in words)


def tsquery(param: str = "?") -> str:
    """The tsquery of one query_text() parameter (its quoted words are never a syntax error)."""
    return f"to_tsquery('{CONFIG}', {param})"


# FROM … CROSS JOIN {QUERY_SOURCE} AS q: the query parsed once, then `q` in the fragments below.
QUERY_SOURCE = tsquery()


def match(query: str = "q", column: str = "p.search") -> str:
    """WHERE fragment: the passage matches (a non-quotable passage's NULL search never does)."""
    return f"{column} @@ {query}"


def rank(query: str = "q", column: str = "p.search") -> str:
    """Relevance, higher is better (ORDER BY … DESC, where bm25() sorted ascending): cover density
    divided by 1 + log(length), so a long passage does not win by its length alone."""
    return f"ts_rank_cd({column}, {query}, 1)"


def headline(text: str = "p.text", query: str = "q") -> str:
    """snippet(passages_fts, 0, char(2), char(3), '…', 24): the baseline's passage_snippet(), one
    ts_headline fragment of at most 24 words with every match between chr(2) and chr(3) (what
    cogs/quotes.py reads), and '…' on a side where the passage goes on past the fragment."""
    return f"passage_snippet({text}, {query})"
