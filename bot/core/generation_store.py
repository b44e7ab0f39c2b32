"""The corpus generation: how in-memory corpus caches follow corpus writes made by other processes.

`Database.corpus_version` is bumped by this process's corpus writes, and every cache of corpus summaries
(corpus/summary: film and critic lists, counts, scopes, name indexes) is kept only while it is unchanged. With
several processes on one database (FILMBOT_SHARD_IDS) another process's write must invalidate them too: every
corpus write bumps the one-row `corpus_generation` counter (migration 085) in its own transaction
(`bump`, the first statement of every `corpus_transaction`), and `follow` reads that row — one primary-key
seek — at most every CHECK_EVERY seconds, before a command or a job pass uses the caches. A generation
other than the one last seen bumps `corpus_version`, so every cache reloads on its next use. A cache is
thus at most CHECK_EVERY seconds behind another process's write (and exact after this process's own).
"""

from __future__ import annotations

import time
from weakref import WeakKeyDictionary

import aiosqlite

from bot.core.db import Database

CHECK_EVERY = 1.0  # seconds: how stale another process's corpus write may find this process's caches
# Generations this process's own recorded writes made (bot/corpus/changes_store.corpus_write): their caches
# already follow them change by change, so `follow` must not drop every cache for them.
_OWN: WeakKeyDictionary[Database, set[int]] = WeakKeyDictionary()


class CorpusGeneration:
    def __init__(self, db: Database, check_every: float = CHECK_EVERY) -> None:
        self.db = db
        self.check_every = check_every
        self.seen: int | None = None  # the generation the caches reflect (None: not read yet)
        self._checked = float("-inf")

    @staticmethod
    async def bump(conn: aiosqlite.Connection) -> None:
        """Inside a corpus write's transaction: other processes' caches are stale once it commits."""
        await conn.execute("UPDATE corpus_generation SET generation = generation + 1 WHERE id = 1")

    @staticmethod
    async def bump_own(db: Database, conn: aiosqlite.Connection) -> int:
        """`bump` for a write whose changes this process's caches apply themselves: the new generation is
        remembered as this process's own (writers are serialised, so no other process can make it while the
        transaction holds the write lock; `disown` it if the transaction fails)."""
        await CorpusGeneration.bump(conn)
        async with conn.execute("SELECT generation FROM corpus_generation WHERE id = 1") as cursor:
            row = await cursor.fetchone()
        generation = int(row[0]) if row is not None else 0
        _OWN.setdefault(db, set()).add(generation)
        return generation

    @staticmethod
    def disown(db: Database, generation: int) -> None:
        """The write that made `generation` rolled back: another process may make that number next."""
        _OWN.get(db, set()).discard(generation)

    async def follow(self) -> bool:
        """Read the generation (at most every check_every s); True when another write happened since the last
        read, in which case every corpus cache of this process is dropped (corpus_version bumped)."""
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return False
        self._checked = now
        row = await self.db.seek_one("SELECT generation FROM corpus_generation WHERE id = 1")
        generation = int(row[0]) if row is not None else 0
        changed = self.seen is not None and generation != self.seen
        if changed and self.seen is not None:
            own = _OWN.get(self.db, set())
            steps = set(range(self.seen + 1, generation + 1))
            changed = not steps <= own  # only this process's own recorded writes since: caches already follow
            own -= steps
        self.seen = generation
        if changed:
            self.db.corpus_version += 1
        return changed
