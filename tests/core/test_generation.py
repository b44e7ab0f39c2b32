"""Corpus caches follow corpus writes made by another process (core/generation_store, migration 085).

Two Database objects on one database stand for two processes: each has its own connection and its own
in-memory caches, exactly what a second process has.
"""

from __future__ import annotations

import time

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus import load_themes
from bot.reviews.rules import check_meta, prepare
from bot.stores import Store
from tests.helpers import WHIPLASH_REVIEW

THEMES = load_themes(DEFAULT_DATA_DIR / "themes.toml")



async def add_review(store: Store, film: str) -> None:
    await store.reviews.add(prepare(check_meta(film, 2014, "A. Critic"), WHIPLASH_REVIEW, THEMES),
                            actor_id=1, guild_id=None)


async def test_a_corpus_write_in_another_process_reaches_this_ones_cache(two_processes):
    """Process B adds a review: once A follows the generation, A's cached film list has it."""
    a, b = two_processes
    a.generation.check_every = 0
    await a.generation.follow()
    assert await a.catalogue.films() == []  # cached now
    await add_review(b, "Whiplash")
    assert await a.catalogue.films() == []  # the cache alone cannot know
    assert await a.generation.follow() is True
    assert [film[1] for film in await a.catalogue.films()] == ["Whiplash"]


async def test_no_write_keeps_the_cache(two_processes):
    """Without a corpus write anywhere the generation is unchanged and the cache is kept."""
    a, b = two_processes
    a.generation.check_every = 0
    await add_review(b, "Whiplash")
    await a.generation.follow()
    version = a.db.corpus_version
    assert await a.generation.follow() is False and a.db.corpus_version == version


async def test_the_generation_is_read_at_most_once_a_second(two_processes):
    """Between two reads a write is noticed only after check_every: the per-command cost is a clock read."""
    a, b = two_processes
    await a.generation.follow()
    await add_review(b, "Whiplash")
    assert await a.generation.follow() is False  # within the second: not read
    a.generation._checked -= a.generation.check_every
    assert await a.generation.follow() is True


async def test_follow_costs_little(two_processes):
    """The cost per command: a throttled follow is well under a microsecond's order, a read under 0.5 ms."""
    a, _ = two_processes
    await a.generation.follow()
    started, calls = time.thread_time(), 20000
    for _ in range(calls):
        await a.generation.follow()
    throttled = (time.thread_time() - started) / calls
    a.generation.check_every = 0
    started, reads = time.thread_time(), 2000
    for _ in range(reads):
        await a.generation.follow()
    read = (time.thread_time() - started) / reads
    print(f"follow: {throttled * 1e6:.2f} us throttled, {read * 1e6:.1f} us with the read")
    assert throttled < 20e-6 and read < 500e-6


def test_every_corpus_transaction_bumps_the_generation_first():
    """The statement after each `corpus_transaction()` opens is the generation bump: no corpus write is
    invisible to other processes (a new corpus write path that forgets it fails here). `corpus_write`
    (bot/corpus/changes_store.py) is one of them: the writes made through it count too."""
    from tests.helpers import ROOT

    found = 0
    for path in sorted((ROOT / "bot").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "corpus_transaction() as conn:" in line:
                found += 1
                after = lines[number + 1]
                assert "CorpusGeneration.bump(conn)" in after or "CorpusGeneration.bump_own(db, conn)" in after, (
                    f"{path}:{number + 1}")
            found += "async with corpus_write(" in line
    assert found >= 10
