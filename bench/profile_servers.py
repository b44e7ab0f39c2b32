"""`python -m bench.profile_servers [rounds]`: where the 200-server /quote and /discuss bursts spend CPU
above their exact-replay floors (bench/concurrency_bench.py), function by function.

Every measured burst (not the warm-ups) runs under cProfile with a CPU clock of the event loop's thread
(`time.thread_time`), one profile per command and one per floor. Printed per command: the gap (command
minus floor, per interaction) by kind of work, the functions the gap is made of, and the database calls
per interaction (seeks on the loop's thread, aiosqlite statements, batches sent to the writer thread).
cProfile costs every Python call, so Python-heavy rows read larger against SQLite's C than in the bench;
compare shares, and take the ratio itself from `python -m bench --only concurrency`.
"""

from __future__ import annotations

import asyncio
import collections
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core import db as database

from . import concurrency_bench, corpus_gen, pick_bench, size_bench

GUILDS = 200
KINDS: list[tuple[str, Callable[[str, str], bool]]] = [
    ("SQLite statements (C, loop thread)", lambda path, name: "sqlite3" in name),
    ("pick / rotation (stores, sample_store, seek_one, quote_of)", lambda path, name: any(part in path for part in (
        "bot/quotes/store.py", "bot/core/sample_store.py", "bot/core/db.py", "bot/corpus/", "bot/core/generation_store",
        "bot/discussion/rotation"))),
    ("rendering (embeds, text, spoiler door, prompt text)", lambda path, name: any(part in path for part in (
        "bot/quotes/render.py", "bot/core/text.py", "bot/discussion/render.py", "bot/core/spoilers.py",
        "bot/core/render.py"))),
    ("buttons and views, bot side (persistent ids, flag view)", lambda path, name: any(part in path for part in (
        "bot/core/persistent.py", "bot/flags/", "bot/quotes/views.py"))),
    ("writes (db_writes, prompt record, club digest)", lambda path, name: any(part in path for part in (
        "bot/core/db_writes", "bot/discussion/store.py", "bot/club/"))),
    ("other bot code (cogs, handlers, checks, clock)", lambda path, name: "/bot/" in path or "/cogs/" in path),
    ("discord.py ui (View, Button, DynamicItem, components)", lambda path, name: any(part in path for part in (
        "discord/ui/", "discord/components.py", "discord/partial_emoji.py"))),
    ("discord.py reply and parsed responses (Message, Thread, Embed, permissions, http)",
     lambda path, name: "site-packages/discord/" in path),
    ("loop callbacks (asyncio, simcord's tracking of each)", lambda path, name: any(part in path + name for part in (
        "asyncio", "simcord/_runtime.py", "simcord/_dpy_internals", "simcord/_settlement", "contextvars",
        "task_wakeup"))),
    ("simcord serving the requests", lambda path, name: "simcord" in path),
    ("json, copy, re and builtins (called by all of the above)", lambda path, name: True),
]


def kind_of(path: str, name: str) -> str:
    return next(kind for kind, test in KINDS if test(path, name))


class Profiles:
    """One cProfile per command and per floor over its measured bursts, and database calls counted."""

    def __init__(self) -> None:
        self.profiles: dict[str, cProfile.Profile] = {}
        self.interactions: collections.Counter[str] = collections.Counter()
        self.calls: collections.Counter[tuple[str, str]] = collections.Counter()
        self.seen: collections.Counter[str] = collections.Counter()
        self.current: str | None = None
        self.last_command = ""

    def install(self) -> None:
        burst = concurrency_bench.burst
        profiles = self

        async def profiled(env: Any, members: list, command: str, options: dict[str, Any], clock: Any,
                           tokens: dict[str, int] | None = None) -> tuple:
            if command != "bench-replay":
                profiles.last_command = command
            key = command if command != "bench-replay" else f"{profiles.last_command}-floor"
            profiles.seen[key] += 1
            if profiles.seen[key] == 1 or command == "ping":  # warm-ups and /ping are not profiled
                return await burst(env, members, command, options, clock, tokens)
            profile = profiles.profiles.setdefault(key, cProfile.Profile(time.thread_time))
            profiles.interactions[key] += len(members)
            profiles.current = key
            profile.enable()
            try:
                return await burst(env, members, command, options, clock, tokens)
            finally:
                profile.disable()
                profiles.current = None

        concurrency_bench.burst = profiled  # type: ignore[assignment]
        self._count(aiosqlite.Connection, "_execute", "aiosqlite statements")
        self._count(database.Database, "seek_one", "seeks on the loop's thread")
        self._count(database.Database, "seek_rows", "seeks on the loop's thread")
        self._count(database.Database, "_on_writer", "batches to the writer thread")

    def _count(self, owner: Any, name: str, label: str) -> None:
        method = getattr(owner, name)
        profiles = self

        async def counted(*args: Any, **kwargs: Any) -> Any:
            if profiles.current is not None:
                profiles.calls[(profiles.current, label)] += 1
            return await method(*args, **kwargs)

        setattr(owner, name, counted)

    def per_function(self, key: str) -> dict[tuple[str, str], tuple[float, float]]:
        """(path:line, name) -> (CPU ms, calls) per interaction."""
        count = self.interactions[key]
        stats = pstats.Stats(self.profiles[key]).stats  # type: ignore[attr-defined]
        return {(f"{path}:{line}", name): (own * 1000 / count, calls / count)
                for (path, line, name), (_, calls, own, _, _) in stats.items()}

    def report(self, command: str, top: int) -> None:
        mine, floor = self.per_function(command), self.per_function(f"{command}-floor")
        gap = {key: mine.get(key, (0.0, 0.0))[0] - floor.get(key, (0.0, 0.0))[0] for key in mine.keys() | floor.keys()}
        total = sum(gap.values())
        print(f"\n/{command}: {sum(v[0] for v in mine.values()):.3f} ms CPU per interaction (profiled),"
              f" floor {sum(v[0] for v in floor.values()):.3f}, gap {total:.3f}")
        kinds: collections.Counter[str] = collections.Counter()
        for (path, name), ms in gap.items():
            kinds[kind_of(path, name)] += ms
        print("| kind of work | ms per interaction (profiled) | share of the gap |\n|---|---|---|")
        for kind, _ in KINDS:
            print(f"| {kind} | {kinds[kind]:.3f} | {100 * kinds[kind] / total:.0f} % |")
        print(f"\nfunctions (top {top} of the gap): ms, calls command / floor")
        for (path, name), ms in sorted(gap.items(), key=lambda item: -item[1])[:top]:
            calls = mine.get((path, name), (0.0, 0.0))[1], floor.get((path, name), (0.0, 0.0))[1]
            where = path.split("site-packages/")[-1].split("/bench/../")[-1]
            print(f"  {ms:7.4f}  {calls[0]:7.2f} / {calls[1]:7.2f}  {where}({name})")
        for key in (command, f"{command}-floor"):
            counted = {label: n / self.interactions[key] for (k, label), n in self.calls.items() if k == key}
            print(f"database calls per interaction, {key}: {counted or 'none'}")


async def main(rounds: int, top: int) -> None:
    profiles = Profiles()
    profiles.install()
    data_dir = corpus_gen.write_data_dir(Path(__file__).resolve().parent / ".cache" / "data-v2-10000", 10_000)
    corpus = await pick_bench.cached_database(data_dir, "v2-10000")
    with tempfile.TemporaryDirectory() as work:
        figures = await concurrency_bench.servers(size_bench.work_copy(corpus, Path(work) / "servers.db"),
                                                  data_dir, GUILDS, rounds)
    for name in ("quote", "discuss"):
        ratios = [m / f for m, f in zip(figures[name]["cpu_ms"], figures[f"{name}-floor"]["cpu_ms"], strict=True)]
        print(f"/{name} under the profiler: {min(ratios):.2f}–{max(ratios):.2f}× its floor (not the bench's figure)")
        profiles.report(name, top)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3, int(sys.argv[2]) if len(sys.argv) > 2 else 25))
