"""What a corpus write changed, so the in-memory corpus summaries (bot/corpus/summary.py) follow it.

`Database.corpus_version` moves on every corpus write; a summary built at an older version used to be
dropped whole and rebuilt by the next command (981 ms at 1M passages). A write made through
`corpus_write` also says what it changed — each review it touched as it was before and after (its film,
byline and theme counts: a few rows read inside the transaction, bounded by the review), and each film
whose title or year it may have set — and the summaries apply exactly that. A write that does not say
(a bundle import, a film's year from metadata) still moves the version: the summaries are then rebuilt,
as before. A rolled-back write records nothing, so it is rebuilt from too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import aiosqlite

from bot.core.db import Database
from bot.core.generation_store import CorpusGeneration

KEPT = 64  # recorded writes kept per database: a summary further behind is rebuilt


@dataclass(frozen=True)
class ReviewState:
    """A review as the summaries count it: its film (title, year), byline and quotable, visible passages
    per theme."""

    review_id: int
    film_id: int
    title: str
    year: int | None
    critic: str | None
    outlet: str | None
    themes: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ReviewChange:
    before: ReviewState | None
    after: ReviewState | None


@dataclass(frozen=True)
class FilmSync:
    """A film whose title or year a write may have set (the catalogue's ensure): its row as it is now."""

    film_id: int
    title: str
    year: int | None


Change = ReviewChange | FilmSync


@dataclass
class ChangeLog:
    """Writes recorded per database: (version before, version after, what changed), oldest first."""

    entries: list[tuple[int, int, tuple[Change, ...]]] = field(default_factory=list)
    open: int = 0  # corpus_write transactions in progress

    def since(self, version: int, current: int) -> list[Change] | None:
        """Every change from `version` to `current`, in order, or None when a write between them was not
        recorded (or is older than the log keeps)."""
        changes: list[Change] = []
        at = version
        for start, end, made in self.entries:
            if at == current:
                break
            if end <= at:
                continue
            if start != at:
                return None
            changes += made
            at = end
        return changes if at == current else None


_LOGS: WeakKeyDictionary[Database, ChangeLog] = WeakKeyDictionary()


def log_of(db: Database) -> ChangeLog:
    log = _LOGS.get(db)
    if log is None:
        log = _LOGS[db] = ChangeLog()
    return log


_HIDDEN = "EXISTS (SELECT 1 FROM passage_marks h WHERE h.passage_id = p.id AND h.hidden = 1)"


async def review_state(conn: aiosqlite.Connection, review_id: int) -> ReviewState | None:
    """The review as the summaries count it (None when it does not exist): two reads of its own rows."""
    async with conn.execute(
        "SELECT r.film_id, f.title, f.year, r.critic, r.outlet FROM reviews r JOIN films f ON f.id = r.film_id"
        " WHERE r.id = ?", (review_id,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    async with conn.execute(
        "SELECT t.theme, count(*) FROM passages p JOIN passage_themes t ON t.passage_id = p.id"
        f" WHERE p.review_id = ? AND p.quotable = 1 AND NOT {_HIDDEN} GROUP BY t.theme ORDER BY t.theme",
        (review_id,),
    ) as cursor:
        themes = tuple((theme, count) for theme, count in await cursor.fetchall())
    return ReviewState(review_id, row[0], row[1], row[2], row[3], row[4], themes)


async def film_sync(conn: aiosqlite.Connection, film_id: int) -> FilmSync | None:
    async with conn.execute("SELECT title, year FROM films WHERE id = ?", (film_id,)) as cursor:
        row = await cursor.fetchone()
    return None if row is None else FilmSync(film_id, row[0], row[1])


class CorpusWrite:
    """One corpus transaction and what it changed (`corpus_write`)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.changes: list[Change] = []
        self._before: dict[int, ReviewState | None] = {}

    async def touching(self, review_id: int) -> None:
        """Call before changing a review (or with a new review's id after inserting it: it was absent)."""
        if review_id not in self._before:
            self._before[review_id] = await review_state(self.conn, review_id)

    def added(self, review_id: int) -> None:
        """A review this write inserted: it was absent before."""
        self._before.setdefault(review_id, None)

    async def film(self, film_id: int) -> None:
        """A film whose title or year this write may have set."""
        synced = await film_sync(self.conn, film_id)
        if synced is not None:
            self.changes.append(synced)

    async def finish(self) -> tuple[Change, ...]:
        """Every touched review as it is now (read inside the transaction, before COMMIT)."""
        films: dict[int, FilmSync] = {}
        for review_id, before in self._before.items():
            after = await review_state(self.conn, review_id)
            if before != after:
                self.changes.append(ReviewChange(before, after))
            if after is not None:  # its film may have been given a year (the catalogue's ensure)
                films[after.film_id] = FilmSync(after.film_id, after.title, after.year)
        self.changes += films.values()
        return tuple(self.changes)


@asynccontextmanager
async def corpus_write(db: Database) -> AsyncIterator[CorpusWrite]:
    """`db.corpus_transaction()`, recording what it changed (CorpusWrite.touching / added / film) for the
    summaries once it has committed."""
    log = log_of(db)
    log.open += 1
    generation: int | None = None
    try:
        async with db.corpus_transaction() as conn:
            generation = await CorpusGeneration.bump_own(db, conn)  # other processes' caches follow; ours apply
            start = db.corpus_version - 1  # corpus_transaction moved it once on the way in
            write = CorpusWrite(conn)
            yield write
            changes = await write.finish()
        log.entries.append((start, db.corpus_version, changes))
        del log.entries[:-KEPT]
    except BaseException:
        if generation is not None:
            CorpusGeneration.disown(db, generation)
        raise
    finally:
        log.open -= 1

