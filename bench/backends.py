"""SQLite and PostgreSQL side by side (`python -m bench --only backends`): the same store calls on the
same generated corpus, each PostgreSQL figure against the SQLite one measured in the same run.

1. picks: `store.quotes.pick` p50/p99, plain, theme: and film: filters;
2. votes per second: N members voting at once on one poll (`store.polls.vote`);
3. a scheduler pass (due-read and next slot: `ScheduleJob.run_due` + `next_due`) over 5,000 schedules;
4. 200 servers at once: each a /discuss store path (`rotation.pick` + `prompts.record`), all
   started together: wall time of the burst and p99 per server.

PostgreSQL: $FILMBOT_BENCH_POSTGRES (a DSN whose user may create databases) when set, else a throwaway
server started with tools/pgserver.py in the run's temporary folder and stopped after; neither (no
binaries): one line says so and the section is skipped. The bench database is created and dropped on
that server. The corpus is a generated one (bench/corpus_gen.py) of a size both backends import in
about a minute on a small machine; the 1M-passage corpus is not run here.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.bundle import import_bundled
from bot.corpus.passage import QuoteFilters, RotationKey
from bot.discussion.rotation import PromptUse, critic_key
from bot.schedules.job import ScheduleJob
from bot.schedules.rules import Cadence, parse_days, parse_time

from . import corpus_gen
from .pick_bench import THEMES, open_poll
from .timing import median, percentile, sample_ms

Row = Callable[..., None]
ENV = "FILMBOT_BENCH_POSTGRES"
BACKENDS = ("sqlite", "postgresql")
# reviews (about 10 passages each), pick samples, voters, schedules, servers at once
SIZES = {"full": {"reviews": 1_500, "picks": 300, "voters": 2_000, "schedules": 5_000, "servers": 200},
         "quick": {"reviews": 30, "picks": 20, "voters": 50, "schedules": 100, "servers": 20}}


@asynccontextmanager
async def _fresh_database(section: str, work: Path, dsn: str | None) -> AsyncIterator[str | None]:
    """A new, empty database for one section on $FILMBOT_BENCH_POSTGRES (or `dsn`), else on a throwaway
    server started in `work` and stopped after; None (said in one line) when neither can be had."""
    from tools import pgserver

    server = dsn or os.environ.get(ENV) or None
    folder = work / f"pg-{section}"
    started = False
    if server is None:
        if pgserver.binaries() is None:
            print(f"{section}: skipped, no PostgreSQL (no initdb/pg_ctl binaries and ${ENV} not set)", flush=True)
            yield None
            return
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.parent.chmod(0o711)  # as root the server runs as another user, who must get through
        server = pgserver.start(folder)
        started = True
    name = f"filmbot_bench_{uuid.uuid4().hex[:12]}"
    try:
        await pgserver.admin(server, f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        try:
            yield pgserver.with_database(server, name)
        finally:
            await pgserver.admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        if started:
            pgserver.stop(folder)


async def rows(row: Row, work: Path, cache: Path, *, quick: bool = False, dsn: str | None = None,
               sizes: dict[str, int] | None = None) -> None:
    """The section: rows for both backends, or one line saying why PostgreSQL is skipped."""
    size = sizes or SIZES["quick" if quick else "full"]
    async with _fresh_database("backends", work, dsn) as url:
        if url is None:
            return
        data_dir = corpus_gen.write_data_dir(cache / f"data-v2-{size['reviews']}", size["reviews"])
        figures = {"sqlite": await measure(Settings(database=work / "backends.db", data_dir=data_dir), size),
                   "postgresql": await measure(Settings(database_url=url, data_dir=data_dir), size)}
    emit(row, figures)


def emit(row: Row, figures: dict[str, dict[str, tuple[float, str]]]) -> None:
    """Per figure: the SQLite row (its own reference, 1.00×), then the PostgreSQL row against it."""
    lite, pg = figures["sqlite"], figures["postgresql"]
    for key, (value, unit) in lite.items():
        row(f"[sqlite] {key}", value, value, unit, "(reference for the postgresql row)")
        row(f"[postgresql] {key}", pg[key][0], value, f"{unit} (vs sqlite)", "(context)")


async def measure(settings: Settings, size: dict[str, int]) -> dict[str, tuple[float, str]]:
    """figure -> (value, unit) for one backend, on a fresh database."""
    bot = FilmBot(settings)
    store = await bot.open_store()
    out: dict[str, tuple[float, str]] = {}
    try:
        start = time.perf_counter()
        await import_bundled(store, settings.data_dir, bot.themes, settings.themes_file)
        seconds = time.perf_counter() - start
        passages = int(await store.db.fetchval("SELECT count(*) FROM passages"))
        out[f"import {size['reviews']} reviews ({passages} passages)"] = (size["reviews"] / seconds, "reviews/s")
        counts = await store.catalogue.theme_counts()
        themes = sorted(theme for theme in THEMES if counts.get(theme))  # the ones this corpus has
        out.update(await picks(bot, passages, themes, size["picks"]))
        out.update(await votes(bot, size["voters"]))
        out.update(await scheduler_pass(bot, size["schedules"]))
        out.update(await servers(bot, themes, size["servers"]))
    finally:
        await bot.close_store()
    return out


async def picks(bot: FilmBot, passages: int, themes: list[str], repeat: int) -> dict[str, tuple[float, str]]:
    rng = random.Random(11)
    store = bot.store
    films = [f[1] for f in await store.catalogue.films()]  # titles, as /quote film: takes them
    cases: dict[str, Callable[[], Awaitable[object]]] = {
        "plain": lambda: store.quotes.pick(QuoteFilters()),
        "theme:": lambda: store.quotes.pick(QuoteFilters(theme=rng.choice(themes))),
        "film:": lambda: store.quotes.pick(QuoteFilters(film=rng.choice(films))),
    }
    out = {}
    for name, run in cases.items():
        if await run() is None:  # a filter that matches nothing would time a cache hit, not a pick
            raise RuntimeError(f"bench pick {name} found no passage")
        times = await sample_ms(run, repeat)
        out[f"pick {name} @ {passages} passages p50"] = (median(times), "ms")
        out[f"pick {name} @ {passages} passages p99"] = (percentile(times, 0.99), "ms")
    return out


async def votes(bot: FilmBot, voters: int) -> dict[str, tuple[float, str]]:
    """`voters` members clicking at once on one poll: votes per second over the burst, p99 per vote."""
    store = bot.store
    poll_id = await open_poll(store)
    now = "2001-01-01T00:00:00+00:00"
    for i in range(20):  # warm-up: first statements prepared, pool connections opened
        await store.polls.vote(poll_id, 10**7 + i, 1 + i % 3, now)
    each: list[float] = []

    async def vote(user: int) -> None:
        begin = time.perf_counter()
        outcome = await store.polls.vote(poll_id, user, 1 + user % 3, now)
        each.append((time.perf_counter() - begin) * 1000)
        if outcome is None:
            raise RuntimeError("bench vote refused")

    start = time.perf_counter()
    await asyncio.gather(*(vote(1000 + i) for i in range(voters)))
    wall = time.perf_counter() - start
    return {f"{voters} votes at once on one poll": (voters / wall, "votes/s"),
            f"{voters} votes at once: p99 per vote": (percentile(each, 0.99), "ms")}


async def scheduler_pass(bot: FilmBot, schedules: int) -> dict[str, tuple[float, str]]:
    """Seconds of one schedule pass (run_due + next_due) with `schedules` set and none due: the first
    (every next slot computed and stored) and a steady one (what runs on every wake-up)."""
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    bot.now = lambda: now  # type: ignore[method-assign]
    for i in range(schedules):  # as bench/pick_bench.py's scheduler_pass builds them
        cadence = Cadence(parse_time(f"{(13 + i % 22) % 24:02d}:{i % 60:02d}"), parse_days("daily"), "UTC")
        await bot.store.schedules.create(
            guild_id=1 + i // 3, channel_id=10_000 + i, cadence=cadence, theme=None, film=None, ping_role_id=None,
            make_thread=False, actor_id=1, now=now - timedelta(seconds=30),
        )
    job = ScheduleJob(bot)
    start = time.perf_counter()
    await job.run_due(now)
    await job.next_due()
    first = time.perf_counter() - start
    steady = []
    for _ in range(5):
        start = time.perf_counter()
        await job.run_due(now)
        await job.next_due()
        steady.append(time.perf_counter() - start)
    return {f"scheduler pass, {schedules} schedules (steady)": (median(steady) * 1000, "ms"),
            f"scheduler pass, {schedules} schedules (first)": (first * 1000, "ms")}


async def servers(bot: FilmBot, themes: list[str], count: int) -> dict[str, tuple[float, str]]:
    """`count` servers posting /discuss at once, store side: the rotation pick then the prompt's record."""
    store = bot.store
    each: list[float] = []

    async def discuss(guild: int, round_: int) -> None:
        theme = themes[guild % len(themes)]
        begin = time.perf_counter()
        pick = await store.rotation.pick(QuoteFilters(theme=theme), RotationKey(guild, theme, ""))
        if pick is None:
            raise RuntimeError(f"bench /discuss found no passage on {theme}")
        await store.prompts.record(
            guild_id=guild, channel_id=guild, message_id=guild * 1000 + round_, thread_id=None, kind="discuss",
            theme=theme, film_key="", film=None,
            uses=[PromptUse(pick.quote.passage_id, critic_key(pick.quote), pick.cycle)], source="bench",
        )
        each.append((time.perf_counter() - begin) * 1000)

    await asyncio.gather(*(discuss(10**6 + g, 0) for g in range(count)))  # warm-up round, not counted
    each.clear()
    walls = []
    for round_ in range(1, 4):
        start = time.perf_counter()
        await asyncio.gather(*(discuss(10**6 + g, round_) for g in range(count)))
        walls.append(time.perf_counter() - start)
    return {f"{count} servers at once (/discuss pick+record): burst": (median(walls) * 1000, "ms wall"),
            f"{count} servers at once: p99 per server": (percentile(each, 0.99), "ms")}



async def rows_1m(row: Row, work: Path, *, dsn: str | None = None, repeat: int = 300) -> None:
    """`--only backends-1m`: picks at ~1.1M passages on both backends. The cached 1M SQLite corpus
    (bench/corpus_1m.py, built on first use) is copied into a PostgreSQL database with `filmbot copy-db`
    (COPY; ~1.9M rows in about 100 s here), then the same picks run on both."""
    from bot.core.copy_db import copy_database

    from . import corpus_1m

    source = corpus_1m.ensure()
    async with _fresh_database("backends-1m", work, dsn) as url:
        if url is None:
            return
        start = time.perf_counter()
        copied = await copy_database(str(source), url)
        print(f"backends-1m: copied {copied.rows:,} rows into PostgreSQL in {time.perf_counter() - start:.0f} s",
              flush=True)
        data_dir = corpus_1m.data_dir()
        figures = {}
        for backend, settings in (("sqlite", Settings(database=source, data_dir=data_dir)),
                                  ("postgresql", Settings(database_url=url, data_dir=data_dir))):
            bot = FilmBot(settings)
            store = await bot.open_store()
            try:
                passages = int(await store.db.fetchval("SELECT count(*) FROM passages"))
                counts = await store.catalogue.theme_counts()
                themes = sorted(theme for theme in THEMES if counts.get(theme))
                figures[backend] = await picks(bot, passages, themes, repeat)
            finally:
                await bot.close_store()
    emit(row, figures)
