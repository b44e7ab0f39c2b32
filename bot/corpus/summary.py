"""The corpus summaries kept in memory, and how a recorded corpus write updates them.

One `Summaries` per database (bot/stores.py), shared by the catalogue (bot/corpus/catalogue_store.py:
films, bylines, theme counts, the review and film indexes, autocomplete) and the quote picks
(bot/quotes/store.py: their film/critic scopes and ordinal spans). Each field is filled on first use by a
read of the database (in those stores) and from then on kept exact by the writes' recorded changes (bot/corpus/changes_store.py): a review added, removed or changed
moves its film's count, its byline's counts and its themes' counts; a film's new title or year moves its
label. Work per change is bounded by the review and the names it touches, never by the corpus. Memory is
O(films + names) plus the review ids per film and byline (the scopes' index), never one row per review.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left, insort
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.core.db import Database
from bot.core.films import unattributed_label
from bot.core.text import NameIndex, film_label
from bot.corpus.changes_store import Change, FilmSync, ReviewChange, ReviewState, log_of
from bot.films.rules import norm_key

FilmRow = tuple[int, str, int | None, int]  # (id, title, year, review count)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
T = TypeVar("T")


def film_order(row: FilmRow) -> tuple[str, int]:
    """Films in title order, as SQLite's NOCASE sorts (ASCII letters folded), ties by id."""
    return row[1].translate(_ASCII_LOWER), row[0]


@dataclass
class Summary:
    """Corpus summaries kept in memory, exact at `version` (Database.corpus_version)."""

    version: int
    films: list[FilmRow] | None = None  # sorted by film_order
    film_index: dict[Any, set[int]] | None = None
    # reviews per critic name and per outlet name, as stored (critic_names, named_critics)
    critic_reviews: dict[str, int] | None = None
    outlet_reviews: dict[str, int] | None = None
    critic_names: list[str] | None = None
    named_critics: list[str] | None = None
    theme_counts: dict[str | None, dict[str, int]] = field(default_factory=dict)
    # review ids by film id, by casefolded critic or outlet, and the unattributed ones (sorted)
    reviews_by_film: dict[int, list[int]] | None = None
    reviews_by_name: dict[str, list[int]] | None = None
    unattributed: list[int] | None = None
    unattributed_ids: frozenset[int] | None = None  # the same, as a set (knows_critic)
    name_indexes: dict[str, NameIndex] = field(default_factory=dict)  # autocomplete (name_matches)
    # one more than the highest passage ordinal of a (film, critic) scope's reviews: its picks' draws
    ordinal_spans: dict[tuple[str | None, str | None], int] = field(default_factory=dict)
    scopes: dict[tuple[str | None, str | None], list[int]] = field(default_factory=dict)  # _scope's answers

    def apply(self, changes: list[Change], version: int) -> None:
        """Follow recorded corpus writes: every kept field stays what a fresh read would give."""
        for change in changes:
            if isinstance(change, FilmSync):
                self._film_sync(change)
            else:
                self._review(change)
        # Bounded per film or scope, so cheap to read again: dropped rather than followed.
        self.theme_counts = {None: self.theme_counts[None]} if None in self.theme_counts else {}
        self.ordinal_spans.clear()
        self.scopes.clear()
        self.version = version

    # ------------------------------------------------------------------ reviews

    def _review(self, change: ReviewChange) -> None:
        for state, sign in ((change.before, -1), (change.after, 1)):
            if state is None:
                continue
            self._film_count(state, sign)
            self._themes(state, sign)
            self._byline(state, sign)
            self._index(state, sign)

    def _themes(self, state: ReviewState, sign: int) -> None:
        counts = self.theme_counts.get(None)
        if counts is None:
            return
        for theme, count in state.themes:
            now = counts.get(theme, 0) + sign * count
            if now:
                counts[theme] = now
            else:
                counts.pop(theme, None)

    def _byline(self, state: ReviewState, sign: int) -> None:
        if self.critic_reviews is None or self.outlet_reviews is None:
            return
        names_before = self._names()
        for counts, name in ((self.critic_reviews, state.critic), (self.outlet_reviews, state.outlet)):
            if not name:
                continue
            now = counts.get(name, 0) + sign
            if now:
                counts[name] = now
            else:
                counts.pop(name, None)
        names_after = self._names()
        unattributed = state.critic is None
        if names_after != names_before or unattributed:
            self.critic_names = None
            index = self.name_indexes.get("critics")
            if index is not None:
                for name in names_before - names_after:
                    index.remove(name)
                for name in names_after - names_before:
                    index.add(name)
                if unattributed:
                    label = unattributed_label(state.review_id)
                    (index.add if sign > 0 else index.remove)(label)
        named = set(self.critic_reviews)
        if self.named_critics is not None and named != set(self.named_critics):
            self.named_critics = sorted(named)
            self.name_indexes.pop("named_critics", None)

    def _names(self) -> set[str]:
        assert self.critic_reviews is not None and self.outlet_reviews is not None
        return set(self.critic_reviews) | set(self.outlet_reviews)

    def _index(self, state: ReviewState, sign: int) -> None:
        if self.reviews_by_film is None or self.reviews_by_name is None or self.unattributed is None:
            return
        lists = [self.reviews_by_film.setdefault(state.film_id, [])]
        names = {name.strip().casefold() for name in (state.critic, state.outlet) if name}
        lists += [self.reviews_by_name.setdefault(name, []) for name in names]
        if state.critic is None:
            lists.append(self.unattributed)
            self.unattributed_ids = None
        for ids in lists:
            if sign > 0:
                insort(ids, state.review_id)
            else:
                at = bisect_left(ids, state.review_id)
                if at < len(ids) and ids[at] == state.review_id:
                    del ids[at]
        if not self.reviews_by_film[state.film_id]:
            del self.reviews_by_film[state.film_id]
        for name in names:
            if not self.reviews_by_name[name]:
                del self.reviews_by_name[name]

    # ------------------------------------------------------------------ films

    def _film_count(self, state: ReviewState, sign: int) -> None:
        if self.films is None:
            return
        at = self._film_at(state.film_id)
        if at is None:
            if sign > 0:
                self._film_insert((state.film_id, state.title, state.year, 1))
            return
        film_id, title, year, count = self.films[at]
        if count + sign > 0:
            self.films[at] = (film_id, title, year, count + sign)
        else:
            self._film_delete(at)

    def _film_sync(self, change: FilmSync) -> None:
        if self.films is None:
            return
        at = self._film_at(change.film_id)
        if at is None:
            return
        film_id, title, year, count = self.films[at]
        if (title, year) != (change.title, change.year):
            self._film_delete(at)
            self._film_insert((film_id, change.title, change.year, count))

    def _film_at(self, film_id: int) -> int | None:
        assert self.films is not None
        return next((at for at, row in enumerate(self.films) if row[0] == film_id), None)

    def _film_insert(self, row: FilmRow) -> None:
        assert self.films is not None
        insort(self.films, row, key=film_order)
        film_id, title, year, _ = row
        if self.film_index is not None:
            for key in (norm_key(title), (norm_key(title), year), film_id):
                self.film_index.setdefault(key, set()).add(film_id)
        index = self.name_indexes.get("films")
        if index is not None:
            index.add(film_label(title, year))

    def _film_delete(self, at: int) -> None:
        assert self.films is not None
        film_id, title, year, _ = self.films.pop(at)
        if self.film_index is not None:
            for key in (norm_key(title), (norm_key(title), year), film_id):
                ids = self.film_index.get(key)
                if ids is not None:
                    ids.discard(film_id)
                    if not ids:
                        del self.film_index[key]
        index = self.name_indexes.get("films")
        if index is not None and not any(film_label(t, y) == film_label(title, year) for _, t, y, _ in self.films):
            index.remove(film_label(title, year))


class Summaries:
    """The one in-memory `Summary` of a database's corpus, brought up to its version on use, and the loads
    every caller waiting on a cold field shares (the catalogue's and the picks' reads)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._summary = Summary(-1)
        self._loads: dict[tuple[int, str], asyncio.Future[Any]] = {}

    def current(self) -> Summary:
        """The summaries, brought up to the corpus version by the writes' recorded changes
        (bot/corpus/changes_store.py); rebuilt field by field on use only after a write that recorded none.

        While a recorded write is open, its uncommitted rows are not the corpus yet: the summaries as they
        were answer (fields missing then are read but not kept: `fresh`)."""
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

    def fresh(self, cache: Summary) -> bool:
        """True when what is read now may be kept in `cache` (it is at the corpus version)."""
        return cache.version == self.db.corpus_version

    async def load_once(self, name: str, load: Callable[[], Awaitable[T]]) -> T:
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
