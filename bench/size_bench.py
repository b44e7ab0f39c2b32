"""Store picks and command round trips at every corpus size (seed, ~92k and ~1M passages).

Each size gets the same rows: the store operation behind every command (p99, against a rowid
seek) and the command itself through simcord (p99 of the whole round trip, i.e. bot time plus
simcord's own small share, against /ping). A benchmark database is a fixed data set: the bot is
told its bundle is unchanged (`adopt`), so a change to the text pipeline does not re-import it
(bump the corpus version for that).
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import simcord

from bot import Settings
from bot.client import FilmBot
from bot.corpus import bundle, bundle_store

from . import pick_bench
from .roundtrip import make_bot, world
from .timing import median, percentile

# Themes every generated film has (the La La Land-only ones would refuse on other films).
THEMES = ["ending", "nostalgia", "performances"]
WORDS = ["love", "ending", "dance", "music", "dream", "city", "film", "jazz"]
COMMAND_P99_MS = 50.0


def work_copy(source: Path, work: Path) -> Path:
    """A scratch copy of a cached database (commands write: prompts, polls, quote queries)."""
    for stale in work.parent.glob(work.name + "*"):
        stale.unlink()
    shutil.copy(source, work)
    return work


async def open_store(database: Path, data_dir: Path) -> FilmBot:
    """A bot with its store open on `database` (no Discord), marked as holding `data_dir`'s bundle."""
    bot = FilmBot(Settings(database=database, data_dir=data_dir))
    store = await bot.open_store()
    themes_file = bot.settings.themes_file
    async with store.db.transaction() as conn:
        await bundle_store.set_meta(conn, bundle.BUNDLE_HASH_KEY, bundle.bundle_hash(data_dir, themes_file))
        await bundle_store.set_meta(conn, bundle.BUNDLE_STAMP_KEY, bundle.bundle_stamp(data_dir, themes_file))
    return bot


def store_rows(figures: dict[str, Any], row: Callable[..., None]) -> None:
    """One row per pick, count and rotation, each against the rowid-seek floor."""
    floor = figures["floor: rowid seek"]
    for name, values in figures.items():
        if name in ("passages", "floor: rowid seek"):
            continue
        if name.startswith(("/discuss", "/debate")):
            target, limit = "< 50 ms", 50.0
        elif name.startswith(("autocomplete", "theme counts")):
            target, limit = "< 2 ms", 2.0
        else:
            target, limit = "p99 < 5 ms", 5.0
        row(f"store {name} @ {figures['passages']} passages (p99)", values["p99_ms"], floor["p99_ms"], "ms",
            f"{target} {'met' if values['p99_ms'] < limit else 'MISSED'}")


class TimedRequests(list):
    """simcord's REST log, with the time of each request: a command's bot time ends at its last call.

    The wall time of `member.slash` also holds simcord's settling (it idles up to 50 ms for work
    it cannot see finish), which is the simulator's, not the bot's.

    The entries themselves are not kept (nothing in the bench reads them): each is a deep copy of a request's
    payload, kept for the process's life; after 60 every-command rows at 69 passages they were 22k of the 161k
    objects a full garbage collection walked, in whichever row it fell (docs/benchmarks.md, session 10). `made`
    says how many requests were made.
    """

    def __init__(self, entries: list) -> None:
        super().__init__()
        self.made = len(entries)
        self.last = 0.0

    def append(self, entry: Any) -> None:
        self.last = time.perf_counter()
        self.made += 1


async def bot_ms(run: Callable[[], Any], log: TimedRequests, repeat: int) -> list[float]:
    """Milliseconds from dispatching each interaction to the bot's last Discord call for it."""
    await run()
    times = []
    for _ in range(repeat):
        start = log.last = time.perf_counter()
        await run()
        if log.last == start:
            raise RuntimeError("the command made no Discord call")
        times.append((log.last - start) * 1000)
    return times


async def round_trips(database: Path, data_dir: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Median and p99 ms of bot time for every command through simcord, and /ping's."""
    await (await open_store(database, data_dir)).close_store()  # adopt the corpus: no re-import at start
    bot = make_bot(database, data_dir)
    rng = random.Random(5)
    try:
        async with simcord.run(bot) as env:
            if bot.last_import is None or not bot.last_import.unchanged:
                raise RuntimeError(f"the bot re-imported the benchmark corpus: {bot.last_import}")
            channel, mod, member = world(env)
            log = env.backend.http_requests = TimedRequests(env.backend.http_requests)
            store = bot.store.catalogue
            films = [str(f[0]) for f in await store.films()]
            names = await store.critic_names()
            critics = [n for n in names if not n.startswith("Unattributed")] or names  # seeds: no bylines
            created = await mod.slash(channel, "poll create", question="Best number?",
                                      options="Another Day of Sun|City of Stars", anonymous=True)
            poll = created.response if created.response and created.response.components else channel.last_message
            choices = iter(["Another Day of Sun", "City of Stars"] * (repeat + 2))
            cases: dict[str, Callable[[], Any]] = {
                "/ping": lambda: member.slash(channel, "ping"),
                "/quote": lambda: member.slash(channel, "quote"),
                "/quote critic:": lambda: member.slash(channel, "quote", critic=rng.choice(critics)),
                "/quote film:": lambda: member.slash(channel, "quote", film=rng.choice(films)),
                "/quote theme:": lambda: member.slash(channel, "quote", theme=rng.choice(THEMES)),
                "/quote about:": lambda: member.slash(channel, "quote", about=rng.choice(WORDS)),
                "/quote theme: critic: about:": lambda: member.slash(
                    channel, "quote", theme=rng.choice(THEMES), critic=rng.choice(critics), about="film"),
                "autocomplete film": lambda: member.autocomplete(channel, "quote", "film", "Generated Film 01"),
                "autocomplete critic": lambda: member.autocomplete(channel, "quote", "critic", "crit"),
                "autocomplete theme": lambda: member.autocomplete(channel, "quote", "theme", "no"),
                "/themes (counts)": lambda: member.slash(channel, "themes"),
                "/discuss": lambda: member.slash(channel, "discuss", theme=rng.choice(THEMES)),
                "/debate": lambda: member.slash(channel, "debate", theme=rng.choice(THEMES)),
                "poll vote": lambda: member.click(poll, label=next(choices)),
            }
            results = {}
            for name, run in cases.items():
                times = await bot_ms(run, log, repeat)
                results[name] = {"median_ms": median(times), "p99_ms": percentile(times, 0.99)}
            return results
    finally:
        await bot.close_store()


async def measure(label: str, database: Path, data_dir: Path, repeat: int, row: Callable[..., None],
                  *, votes: int = 0) -> dict[str, Any]:
    """Every store and round-trip row at one corpus size (`database` is a work copy: it is written)."""
    bot = await open_store(database, data_dir)
    try:
        figures = await pick_bench.picks(bot, repeat * 5)
        store_rows(figures, row)
        if votes:
            rate = await pick_bench.votes(bot, votes)
            row(f"store poll votes @ {figures['passages']} passages", rate["store"], rate["floor"], "votes/s",
                f"≥ 3,000/s {'met' if rate['store'] >= 3000 else 'MISSED'}")
    finally:
        await bot.close_store()
    trips = await round_trips(database, data_dir, repeat)
    ping = trips["/ping"]
    for name, values in trips.items():
        if name == "/ping":
            continue
        limit = COMMAND_P99_MS
        row(f"round trip {name} @ {figures['passages']} passages (p99)", values["p99_ms"], ping["p99_ms"],
            "ms (vs /ping)", f"< {limit:g} ms {'met' if values['p99_ms'] < limit else 'MISSED'}")
    return {"label": label, "passages": figures["passages"], "store": figures, "round_trips": trips}
