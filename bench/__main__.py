"""`python -m bench [--quick]`: every figure side by side with its baseline, as a table and JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

from bot.core.config import DEFAULT_DATA_DIR

from . import backends, corpus_gen, hostile_bench, import_bench, roundtrip, scale, store_bench

ROOT = Path(__file__).resolve().parent
SIZES = {"full": {"mid": 1_000, "large": 10_000}, "quick": {"mid": 100, "large": 300}}


async def run(args: argparse.Namespace) -> dict:
    sizes = SIZES["quick" if args.quick else "full"]
    cache = Path(args.cache)
    rows: list[dict] = []
    report: dict = {"sizes": sizes, "rows": rows}

    def row(name: str, value: float, baseline: float, unit: str, target: str) -> None:
        rows.append({"figure": name, "value": value, "baseline": baseline, "ratio": value / baseline if baseline else None,
                     "unit": unit, "target": target})
        print_row(rows[-1])  # progress as it happens; the whole table is printed again at the end

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if args.only:  # a few sections while iterating: --only import,hostile
            large = corpus_gen.write_data_dir(cache / f"data-v2-{sizes['large']}", sizes["large"])
            sections = {"hostile": lambda: hostile_bench.rows(row, tmp_path, cache),
                        "import": lambda: import_bench.rows(row, tmp_path, large),
                        "backends": lambda: backends.rows(row, tmp_path, cache, quick=args.quick),
                        "backends-1m": lambda: backends.rows_1m(row, tmp_path),
                        **scale.sections(args, large, sizes["large"], row, tmp_path)}
            for name in args.only.split(","):
                await sections[name]()
            return report
        # Round trips and memory on the seed corpus.
        trips = await roundtrip.round_trips(tmp_path / "rt.db", args.repeat)
        for name, ms in trips.items():
            if name != "ping" and not name.endswith(":rest"):
                calls = trips[f"{name}:rest"]
                # Wall time of member.slash, which includes simcord's settle wait (up to 50 ms after a
                # thread or follow-up): context only; the bot-time rows (bench/size_bench.py) carry targets.
                row(f"round trip /{name} ({calls:g} Discord calls)", ms, trips["ping"], "ms median (wall)",
                    "(context)")
                row(f"  per Discord call /{name}", ms / calls, trips["ping"] / trips["ping:rest"], "ms",
                    "(context)")
        # Hostile input: segmentation stays linear, and a big import never stalls the loop.
        await hostile_bench.rows(row, tmp_path, cache)
        mem = await roundtrip.memory(tmp_path / "mem.db", args.interactions)
        report["memory"] = mem
        row(f"RSS growth over {args.interactions} /quote", mem["quote"]["growth_pct"], mem["ping"]["growth_pct"],
            "% growth", f"≤ 5 % {scale.verdict(mem['quote']['growth_pct'] <= 5)}")

        # Store lookups at three corpus sizes; the large import doubles as the import benchmark.
        corpora = {"seeds": DEFAULT_DATA_DIR}
        for label, reviews in sizes.items():
            corpora[label] = corpus_gen.write_data_dir(cache / f"data-v2-{reviews}", reviews)
        for label, data_dir in corpora.items():
            database = tmp_path / f"{label}.db"
            bot, (import_seconds, write_seconds), reviews = await store_bench.build_database(data_dir, database)
            figures = await store_bench.lookups(bot, args.repeat * 5)
            await bot.close_store()
            raw = figures["raw_fts"]
            for kind in ("about", "theme"):
                median, p99 = figures[kind]["median_ms"], figures[kind]["p99_ms"]
                row(f"store /quote {kind}: @ {raw['passages']} passages (median)", median, raw["median_ms"], "ms",
                    f"≤ 3× raw {scale.verdict(median <= 3 * raw['median_ms'])}")
                row(f"store /quote {kind}: @ {raw['passages']} passages (p99)", p99, raw["p99_ms"], "ms",
                    f"p99 < 10 ms {scale.verdict(p99 < 10)}")
            if label == "large":
                raw_seconds = await import_bench.raw_executemany(database, tmp_path / "raw.db", data_dir)
                # End to end includes cleaning, segmenting and tagging, which the raw floor skips: context.
                row(f"import {reviews} reviews, end to end (reviews/s)", reviews / import_seconds,
                    reviews / raw_seconds, "reviews/s", "(context: text processing included)")
                row(f"import {reviews} reviews, database phase (reviews/s)", reviews / write_seconds,
                    reviews / raw_seconds, "reviews/s", f"≥ 0.5× raw {scale.verdict(raw_seconds >= 0.5 * write_seconds)}")
                await import_bench.rows(row, tmp_path, data_dir)  # peak memory and rate, own process
        # Every command at 64 / ~92k / ~1M passages, 200 servers, startup, scheduler (bench/scale.py).
        large = max(sizes.values())
        await scale.run(args, corpora["large"], large, row, tmp_path)
        # The store figures on SQLite and PostgreSQL side by side (skipped, one line, without PostgreSQL).
        await backends.rows(row, tmp_path, cache, quick=args.quick)
    return report


HEADER = f"{'figure':58} {'value':>10} {'baseline':>10} {'ratio':>7}  unit / target"


def print_row(r: dict) -> None:
    ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "-"
    print(f"{r['figure']:58} {r['value']:10.3f} {r['baseline']:10.3f} {ratio:>7}  {r['unit']} / {r['target']}",
          flush=True)


def print_table(report: dict) -> None:
    print("\n" + HEADER)
    for r in report["rows"]:
        print_row(r)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run for CI")
    parser.add_argument("--repeat", type=int, default=40, help="runs per round-trip figure (default 40)")
    parser.add_argument("--interactions", type=int, default=10_000, help="interactions for the memory figure")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--cache", default=str(ROOT / ".cache"), help="where generated corpora are kept")
    parser.add_argument("--out", default=str(ROOT / "out" / "results.json"))
    parser.add_argument("--only", help="comma-separated sections to run alone: hostile, import, sizes, concurrency, startup, scheduler, backends, backends-1m")
    parser.add_argument("--cases", help="--only commands: comma-separated case names (bench/every_command.py CASES)")
    parser.add_argument("--sizes", help="--only commands: comma-separated corpora to time: seeds, large, 1m")
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.interactions, args.startup_runs = 5, 300, 1
    os.environ.setdefault("PYTHONHASHSEED", "0")
    report = asyncio.run(run(args))
    print_table(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    out.with_suffix(".md").write_text(scale.markdown(report), encoding="utf-8")
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
