"""The corpus catalogue every feature reads: films with reviews, critics and outlets, theme counts, the
review and film indexes, and the autocompletes over them (`bot.store.catalogue`).

Kept in memory in the shared corpus summaries (bot/corpus/summary.py `Summaries`, one per database, the
quote picks' scopes share it) and followed by each recorded corpus write. It lives in corpus, not in
`bot/films/` (the films table alone, below corpus): its counts are of reviews, passages and themes and it
follows the corpus writes (bot/corpus/changes_store.py).
"""

from __future__ import annotations

from typing import Any

from bot.core.db import Database
from bot.core.films import TITLE_YEAR, unattributed_label, unattributed_target
from bot.core.text import NameIndex, film_label
from bot.corpus.filter_store import film_clause
from bot.corpus.quote_rows_store import QUOTABLE_TAG, QUOTE_FROM, visible
from bot.corpus.summary import Summaries, Summary, film_order
from bot.films.rules import norm_key, parse_ref

_ALL = 1 << 62  # LIMIT for "every row" (SQLite's -1 is an error on PostgreSQL)


class CatalogueStore:
    def __init__(self, db: Database, summaries: Summaries | None = None) -> None:
        self.db = db
        self.summaries = summaries if summaries is not None else Summaries(db)

    def _cache(self) -> Summary:
        return self.summaries.current()

    async def warm(self) -> None:
        """Fill every summary now (films, their index, bylines, the review index, theme counts), as first use would.

        For a bot that freezes its start-up heap (bot/core/heap.py): summaries filled later are young objects that
        every full collection walks (a 43 ms collection inside a 1.1M-passage bench row); filled before the
        freeze, they are frozen with the rest, and the writes' changes keep them exact from then on."""
        await self.films()
        await self._film_index()
        await self._bylines()
        await self.review_index()
        await self.theme_counts()

    async def review_index(self) -> Summary:
        """Review ids by film id, by casefolded critic or outlet, and the unattributed ones (the quote picks'
        scopes, knows_critic, critic_names)."""
        cache = self._cache()
        if cache.reviews_by_film is None:
            return await self.summaries.load_once("reviews", self._load_review_index)
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
        return await self.summaries.load_once("film_index", self._load_film_index)

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

    async def film_ids(self, film: str, guild_id: int | None = None) -> set[int]:
        """The film(s) a film filter names: `film:<id>`, 'Title (Year)' or title (never digits as an id); a title no
        reviewed film holds is read as `film_clause` reads it in server `guild_id`: another title (an alias)."""
        index = await self._film_index()
        film_id = parse_ref(film)
        if film_id is not None:
            return set(index.get(film_id, ()))
        text = film.strip()
        match = TITLE_YEAR.match(text)
        title = norm_key(match["title"]) if match else norm_key(text)
        if title in index:  # a reviewed film holds the title: every server sees it, so no alias is read
            return set(index.get((title, int(match["year"])) if match else title, ()))
        clause, params = film_clause(film, guild_id)
        return {int(r[0]) for r in await self.db.fetchall(f"SELECT f.id FROM films f WHERE {clause}", params)}

    async def theme_counts(self, film: str | None = None) -> dict[str, int]:
        """Quotable passages per theme (in a film's reviews, if given); from memory until a corpus write."""
        cache = self._cache()
        key = film.strip() if film else None
        if key in cache.theme_counts:
            return dict(cache.theme_counts[key])
        return dict(await self.summaries.load_once(f"theme_counts:{key}", lambda: self._load_theme_counts(key)))

    async def _load_theme_counts(self, key: str | None) -> dict[str, int]:
        cache = self._cache()
        version = cache.version
        if key is None:
            # Every passage is tagged; the counts are of quotable ones (what prompts and quotes can use).
            rows = await self.db.fetchall(
                f"SELECT t.theme, count(*) FROM passage_themes t WHERE {QUOTABLE_TAG}"
                f" AND {visible('t.passage_id')} GROUP BY t.theme"
            )
        else:
            # The quote picks' WHERE for a film filter (bot/quotes/store.py QuoteStore._where(QuoteFilters(film=key))).
            clause, values = film_clause(key)
            clauses = ["p.quotable = 1", visible("p.id"), clause]
            rows = await self.db.fetchall(
                f"SELECT t.theme, count(*) {QUOTE_FROM} JOIN passage_themes t ON t.passage_id = p.id"
                f" WHERE {' AND '.join(clauses)} GROUP BY t.theme",
                values,
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
        return list(await self.summaries.load_once("films", self._load_films))

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
            f" (SELECT count(*) FROM passages p WHERE p.review_id = r.id AND p.quotable = 1 AND {visible('p.id')})"
            f" AS passages FROM reviews r JOIN films f ON f.id = r.film_id WHERE {where} ORDER BY {order} LIMIT ?"
        )

    async def reviews_count(self) -> int:
        """How many reviews the corpus holds (the films summary's counts)."""
        return sum(count for *_, count in await self.films())

    async def film_passages(self, film_id: int) -> int:
        """Quotable, visible passages of one film's reviews (its reviews' rows only)."""
        return int(await self.db.fetchval(
            "SELECT count(*) FROM reviews r JOIN passages p ON p.review_id = r.id"
            f" WHERE r.film_id = ? AND p.quotable = 1 AND {visible('p.id')}", (film_id,),
        ) or 0)

    async def _bylines(self) -> Summary:
        """Reviews per critic name and per outlet name (one grouped read, then kept by the writes)."""
        cache = self._cache()
        if cache.critic_reviews is None or cache.outlet_reviews is None:
            return await self.summaries.load_once("bylines", self._load_bylines)
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
        index = await self.review_index()
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
        index = await self.review_index()
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
