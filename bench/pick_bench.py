"""Store picks, counts, rotations and votes at size, each against a true floor.

Floors: a primary-key rowid seek for a pick (the least any random pick can cost), a one-hop
BEGIN…COMMIT of the same statements for a vote. Databases are built once per size and cached
in `bench/.cache/db/`, keyed by the migrations they were built with, so re-runs skip the import.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.bundle import import_bundled
from bot.corpus.passage import QuoteFilters, RotationKey
from bot.discussion.rotation import RotationState, choose_passages

from . import corpus_1m
from .timing import median, percentile, sample_ms

THEMES = ["ending", "nostalgia", "jazz", "los-angeles", "musical-homage", "performances"]
WORDS = ["jazz", "love", "ending", "dance", "music", "dream", "city", "film"]
CACHE = Path(__file__).resolve().parent / ".cache" / "db"


async def cached_database(data_dir: Path, label: str) -> Path:
    """A database holding `data_dir`'s corpus, imported once (through the real import) and kept."""
    CACHE.mkdir(parents=True, exist_ok=True)
    label = f"{label}-{corpus_1m.schema_key()}"
    done = CACHE / f"{label}.db"
    if not done.exists():
        building = CACHE / f"{label}.building.db"
        for stale in CACHE.glob(f"{label}.building.db*"):
            stale.unlink()
        bot = FilmBot(Settings(database=building, data_dir=data_dir))
        store = await bot.open_store()
        await import_bundled(store, data_dir, bot.themes, bot.settings.themes_file)
        await bot.close_store()
        shutil.move(building, done)
    return done


async def cached_bot(data_dir: Path, label: str) -> FilmBot:
    """A bot on a scratch copy of the cached database for `data_dir`."""
    done = await cached_database(data_dir, label)
    work = done.with_name(done.stem + ".work.db")
    for stale in CACHE.glob(f"{work.name}*"):
        stale.unlink()
    shutil.copy(done, work)
    bot = FilmBot(Settings(database=work, data_dir=data_dir))
    await bot.open_store()
    return bot


def stats(values: list[float]) -> dict[str, float]:
    return {"median_ms": median(values), "p99_ms": percentile(values, 0.99)}


async def picks(bot: FilmBot, repeat: int) -> dict[str, Any]:
    """Milliseconds per operation (median, p99) for every pick, count and rotation."""
    rng = random.Random(11)
    store = bot.store
    db = store.db
    lo, hi = await db.fetchone("SELECT min(id), max(id) FROM passages")  # type: ignore[misc]
    films = [str(f[0]) for f in await store.catalogue.films()]
    names = await store.catalogue.critic_names()
    critics = [n for n in names if not n.startswith("Unattributed")] or names  # the seeds have no bylines
    out: dict[str, Any] = {"passages": await db.fetchval("SELECT count(*) FROM passages")}

    async def floor() -> Any:
        return await db.fetchone("SELECT id, text FROM passages WHERE id >= ? ORDER BY id LIMIT 1",
                                 (rng.randint(lo, hi),))

    cases: dict[str, Any] = {
        "floor: rowid seek": floor,
        "/quote": lambda: store.quotes.pick(QuoteFilters()),
        "/quote critic:": lambda: store.quotes.pick(QuoteFilters(critic=rng.choice(critics))),
        "/quote film:": lambda: store.quotes.pick(QuoteFilters(film=rng.choice(films))),
        "/quote theme:": lambda: store.quotes.pick(QuoteFilters(theme=rng.choice(THEMES))),
        "/quote about:": lambda: store.quotes.pick(QuoteFilters(about=rng.choice(WORDS))),
        "/quote theme: critic:": lambda: store.quotes.pick(
            QuoteFilters(theme=rng.choice(THEMES), critic=rng.choice(critics))),
        "autocomplete film": lambda: store.catalogue.films(),
        "autocomplete critic": lambda: store.catalogue.critic_names(),
        "theme counts": lambda: store.catalogue.theme_counts(),
    }
    for name, run in cases.items():
        out[name] = stats(await sample_ms(run, repeat))

    async def discuss() -> Any:  # the passage chosen in SQL, state read in the same statement
        theme = rng.choice(THEMES)
        return await store.rotation.pick(QuoteFilters(theme=theme), RotationKey(rng.randint(1, 50), theme, ""))

    async def debate() -> Any:
        theme = rng.choice(THEMES)
        pool = await store.rotation.pool(QuoteFilters(theme=theme), frozenset())
        return choose_passages(pool, RotationState(0, frozenset(), None), theme=bot.themes[theme], count=2, rng=rng)

    out["/discuss (rotation pick)"] = stats(await sample_ms(discuss, repeat))
    out["/debate (pool + choice)"] = stats(await sample_ms(debate, max(5, repeat // 4)))
    return out


async def open_poll(store: Any) -> int:
    """A three-option button poll open until 2999: what the vote benches click on."""
    poll_id: int = await store.polls.create(
        guild_id=1, channel_id=1, creator_id=1, kind="buttons", question="Bench?", options=("a", "b", "c"),
        multiple=False, anonymous=False, hide_results=False, created_at="2000-01-01T00:00:00+00:00",
        deadline="2999-01-01T00:00:00+00:00",
    )
    return poll_id


async def votes(bot: FilmBot, count: int) -> dict[str, float]:
    """Votes per second through PollStore.vote, against the same statements in one hop."""
    store = bot.store
    poll_id = await open_poll(store)
    now = "2001-01-01T00:00:00+00:00"
    for i in range(200):  # warm-up: a fresh copy of a big database is slow to take its first writes
        await store.polls.vote(poll_id, 10**7 + i, 1 + i % 3, now)
    start = time.perf_counter()
    for i in range(count):
        await store.polls.vote(poll_id, 1000 + i, 1 + i % 3, now)
    through_store = count / (time.perf_counter() - start)

    def one_hop(raw: sqlite3.Connection, user: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("SELECT multiple FROM polls WHERE id = ?", (poll_id,)).fetchall()
        raw.execute("DELETE FROM poll_votes WHERE poll_id = ? AND user_id = ? AND option_id = ?", (poll_id, user, 2))
        raw.execute("INSERT INTO poll_votes(poll_id, user_id, option_id, single, voted_at) VALUES (?, ?, ?, 1, ?)"
                    " ON CONFLICT (poll_id, user_id) WHERE single = 1 DO UPDATE SET option_id = excluded.option_id",
                    (poll_id, user, 2, now))
        raw.execute("SELECT option_id FROM poll_votes WHERE poll_id = ? AND user_id = ?", (poll_id, user)).fetchall()
        raw.execute("COMMIT")

    db = store.db
    start = time.perf_counter()
    for i in range(count):
        await db._on_writer(one_hop, 10**6 + i)  # the same statements, straight to the writer thread
    floor = count / (time.perf_counter() - start)
    return {"store": through_store, "floor": floor}


async def scheduler_pass(bot: FilmBot, schedules: int) -> dict[str, float]:
    """Seconds and database hops of one scheduler pass (next_due + run_due) with `schedules` set and none due.

    The first pass computes every schedule's next slot once (after a start); the figure is the
    steady-state pass that follows, which is what runs on every wake-up.
    """
    from datetime import datetime, timedelta

    from bot.schedules.job import ScheduleJob
    from bot.schedules.rules import Cadence, parse_days, parse_time

    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    bot.now = lambda: now  # type: ignore[method-assign]
    for i in range(schedules):
        cadence = Cadence(parse_time(f"{(13 + i % 22) % 24:02d}:{i % 60:02d}"), parse_days("daily"), "UTC")
        await bot.store.schedules.create(
            guild_id=1 + i // 3, channel_id=10_000 + i, cadence=cadence, theme=None, film=None, ping_role_id=None,
            make_thread=False, actor_id=1, now=now - timedelta(seconds=30),
        )
    job = ScheduleJob(bot)
    hops = [0]
    with counting_trips(bot.store.db, hops):
        start = time.perf_counter()
        await job.run_due(now)
        await job.next_due()
        first = time.perf_counter() - start
        hops[0] = 0
        start = time.perf_counter()
        await job.run_due(now)
        await job.next_due()
        steady = time.perf_counter() - start
    return {"first_s": first, "steady_s": steady, "steady_hops": hops[0]}


# Where the loop hands work to a database thread: aiosqlite's connection methods (its public API) and the batches
# sent to the writer thread. The bench and tests/helpers.count_db_trips count trips at these points.
_AIOSQLITE_TRIPS = ("execute", "execute_fetchall", "execute_insert", "executemany", "executescript", "commit",
                    "rollback")


def trip_points(db: Any) -> list[tuple[Any, str]]:
    """(object, method name) of every place a trip from the loop to `db`'s threads starts."""
    return [(db.conn, name) for name in _AIOSQLITE_TRIPS] + [(db._writes, "run")]


def counted(real: Any, hops: list[int]) -> Any:
    """`real` (a coroutine function) that adds one to hops[0] per call."""
    async def counting(*args: Any, **kwargs: Any) -> Any:
        hops[0] += 1
        return await real(*args, **kwargs)
    return counting


@contextmanager
def counting_trips(db: Any, hops: list[int]) -> Iterator[None]:
    """Count trips from the loop to the database's threads into hops[0] while the block runs."""
    saved = [(target, name, getattr(target, name)) for target, name in trip_points(db)]
    for target, name, real in saved:
        setattr(target, name, counted(real, hops))
    try:
        yield
    finally:
        for target, name, real in saved:
            setattr(target, name, real)
