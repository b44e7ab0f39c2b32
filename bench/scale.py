"""The at-size sections of `python -m bench`: every command at 64 / ~92k / ~1M passages, 200 servers
at once, startup with the large corpus against a bare bot, and the scheduler at size.

Each target row says met or MISSED; figures are ratios against a floor or baseline from the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.core.config import DEFAULT_DATA_DIR

from . import concurrency_bench, corpus_1m, every_command, pick_bench, scheduler_bench, size_bench

Row = Callable[..., None]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


async def sizes(corpora: dict[str, tuple[Path, Path]], repeat: int, votes: int, row: Row, work: Path) -> None:
    """Store and round-trip rows at each size; corpora: label -> (cached database, data dir)."""
    for label, (database, data_dir) in corpora.items():
        copy = size_bench.work_copy(database, work / f"size-{label}.db")
        await size_bench.measure(label, copy, data_dir, repeat, row, votes=votes)
        for stale in copy.parent.glob(copy.name + "*"):
            stale.unlink()


async def commands(corpora: dict[str, tuple[Path, Path]], repeat: int, row: Row, work: Path,
                   only: set[str] | None = None) -> None:
    """Every registered command (bench/every_command.py) at each size, with its exact-replay floor."""
    for label, (database, data_dir) in corpora.items():
        copy = size_bench.work_copy(database, work / f"commands-{label}.db")
        passages = _passages(copy)
        results = await every_command.measure(copy, data_dir, repeat, only)
        every_command.rows(results, passages, row)
        for stale in copy.parent.glob(copy.name + "*"):
            stale.unlink()


def _passages(database: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        return int(conn.execute("SELECT max(id) FROM passages").fetchone()[0] or 0)
    finally:
        conn.close()


CPU_FLOOR_RATIO = 1.25  # issue 30: CPU per interaction ≤ 1.25× the command's exact-replay floor


def _range(values: list[float], fmt: str = ".1f") -> str:
    return f"{min(values):{fmt}}–{max(values):{fmt}}" if len(values) > 1 else f"{values[0]:{fmt}}"


async def servers(database: Path, data_dir: Path, guilds: int, rounds: int, row: Row, work: Path) -> None:
    """Each command's CPU per interaction against its exact-replay floor (the target), its span against
    /ping's span and its latencies (context); values are medians over the bursts, ranges in the text."""
    copy = size_bench.work_copy(database, work / "servers.db")
    figures = await concurrency_bench.servers(copy, data_dir, guilds, rounds)
    ping = figures["ping"]
    for name in ("quote", "discuss"):
        mine, floor = figures[name], figures[f"{name}-floor"]
        ratios = [m / f for m, f in zip(mine["cpu_ms"], floor["cpu_ms"], strict=True)]
        ratio = statistics.median(ratios)
        row(f"{guilds} servers at once: /{name} CPU per interaction", statistics.median(mine["cpu_ms"]),
            statistics.median(floor["cpu_ms"]), "ms (vs exact-replay floor)",
            f"{_range(ratios, '.2f')}× floor over {len(ratios)} bursts (mine {_range(mine['cpu_ms'], '.2f')} ms,"
            f" floor {_range(floor['cpu_ms'], '.2f')} ms; Discord calls per interaction {_range(mine['calls'], '.1f')},"
            f" floor {_range(floor['calls'], '.1f')}; of it in the garbage collector {_range(mine['gc_ms'], '.2f')} ms,"
            f" floor {_range(floor['gc_ms'], '.2f')} ms) · ≤ {CPU_FLOOR_RATIO}× {verdict(ratio <= CPU_FLOOR_RATIO)}")
        row(f"{guilds} servers at once: /{name} burst span", statistics.median(mine["span_s"]),
            statistics.median(ping["span_s"]), "s (vs /ping's span)",
            f"(context) {_range(mine['span_s'], '.2f')} s vs /ping {_range(ping['span_s'], '.2f')} s,"
            f" floor {_range(floor['span_s'], '.2f')} s")
        row(f"{guilds} servers at once: /{name} p99", statistics.median(mine["p99_ms"]),
            statistics.median(ping["p99_ms"]), "ms (vs /ping)",
            f"(context) {_range(mine['p99_ms'], '.0f')} ms, floor {_range(floor['p99_ms'], '.0f')} ms,"
            f" /ping {_range(ping['p99_ms'], '.0f')} ms; p50 {_range(mine['p50_ms'], '.0f')} ms")


def startup_seconds(database: Path, data_dir: Path, runs: int) -> float:
    """Median wall time from spawning a process to the bot being ready under simcord, no re-import."""
    times = []
    for _ in range(runs + 1):  # the first run settles the bundle stamp; it is not counted
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "bench.startup_probe", str(database), str(data_dir), "bot"],
            capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
        )
        times.append(time.perf_counter() - start)
        if "unchanged True" not in child.stdout and len(times) > 1:
            raise RuntimeError(f"startup probe re-imported the corpus: {child.stdout} {child.stderr}")
    return statistics.median(times[1:])


async def startup(database: Path, data_dir: Path, reviews: int, runs: int, row: Row, work: Path) -> None:
    """The bot on the large corpus against the same bot on a database without corpus (empty bundle)."""
    copy = size_bench.work_copy(database, work / "startup.db")
    await (await size_bench.open_store(copy, data_dir)).close_store()
    bare = startup_seconds(work / "startup-bare.db", corpus_1m.data_dir(), runs)
    warm = startup_seconds(copy, data_dir, runs)
    row(f"startup with {reviews} reviews imported (bundle unchanged)", warm, bare, "s (vs bot without corpus)",
        f"≤ 1.2× {verdict(warm <= 1.2 * bare)}")


async def scheduler(schedules: int, polls: int, due: int, row: Row, work: Path) -> None:
    passes = await scheduler_bench.scheduler_pass(work / "sched-pass.db", schedules, polls)
    row(f"scheduler pass, {schedules} schedules + {polls} open polls", passes["steady_s"], passes["first_s"],
        "s (vs first pass)", f"< 0.5 s {verdict(passes['steady_s'] < 0.5)}")
    bot = await pick_bench.cached_bot(DEFAULT_DATA_DIR, "seeds")
    hops = await pick_bench.scheduler_pass(bot, schedules)
    await bot.close_store()
    row(f"  scheduler pass, {schedules} schedules (DB hops)", hops["steady_hops"], schedules, "hops",
        "(context: O(due), not O(schedules))")
    burst = await scheduler_bench.due_burst(work / "sched-due.db", due)
    row(f"{due} schedules due in one minute, 100 ms per Discord call", burst["span_s"], 60.0,
        "s to the last post (vs 60)", f"< 60 s {verdict(burst['span_s'] < 60 and burst['posted'] == due)}")
    row(f"  {due} due: slots posted twice", burst["duplicates"], burst["posted"], "posts (vs posted)",
        f"0 {verdict(burst['duplicates'] == 0)}")


def sections(args: Any, large_data_dir: Path, large_reviews: int, row: Row,
             work: Path) -> dict[str, Callable[[], Awaitable[None]]]:
    """Every at-size section by name (`--only sizes,concurrency`); `--quick` skips the 1M corpus and
    shrinks the figures."""

    async def large() -> Path:
        return await pick_bench.cached_database(large_data_dir, f"v2-{large_reviews}")

    async def run_sizes() -> None:
        corpora = {"seeds": (await pick_bench.cached_database(DEFAULT_DATA_DIR, "seeds"), DEFAULT_DATA_DIR),
                   "large": (await large(), large_data_dir)}
        if not args.quick:
            corpora["1m"] = (corpus_1m.ensure(), corpus_1m.data_dir())
        await sizes(corpora, 10 if args.quick else 100, 300 if args.quick else 3000, row, work)

    async def run_commands() -> None:
        wanted = set(args.sizes.split(",")) if getattr(args, "sizes", None) else {"seeds", "large", "1m"}
        corpora = {}
        if "seeds" in wanted:
            corpora["seeds"] = (await pick_bench.cached_database(DEFAULT_DATA_DIR, "seeds"), DEFAULT_DATA_DIR)
        if "large" in wanted:
            corpora["large"] = (await large(), large_data_dir)
        if not args.quick and "1m" in wanted:
            corpora["1m"] = (corpus_1m.ensure(), corpus_1m.data_dir())
        only = set(args.cases.split(",")) if getattr(args, "cases", None) else None
        await commands(corpora, 3 if args.quick else 20, row, work, only)

    async def run_servers() -> None:
        await servers(await large(), large_data_dir, 50 if args.quick else 200, 2 if args.quick else 6, row, work)

    async def run_startup() -> None:
        await startup(await large(), large_data_dir, large_reviews, args.startup_runs, row, work)

    async def run_scheduler() -> None:
        await scheduler(500 if args.quick else 5000, 1000 if args.quick else 10_000, 200 if args.quick else 2000,
                        row, work)

    return {"sizes": run_sizes, "commands": run_commands, "concurrency": run_servers, "startup": run_startup, "scheduler": run_scheduler}


async def run(args: Any, large_data_dir: Path, large_reviews: int, row: Row, work: Path) -> None:
    """Every at-size section, in order."""
    for section in sections(args, large_data_dir, large_reviews, row, work).values():
        await section()


def markdown(report: dict) -> str:
    """The results as a markdown table (bench/out/results.md), for the README."""
    lines = ["| figure | value | baseline | ratio | unit / target |", "|---|---:|---:|---:|---|"]
    for r in report["rows"]:
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "-"
        target = r["target"].replace("MISSED", "**MISSED**")
        lines.append(f"| {r['figure'].strip()} | {r['value']:.3f} | {r['baseline']:.3f} | {ratio} |"
                     f" {r['unit']} / {target} |")
    return "\n".join(lines) + "\n"
