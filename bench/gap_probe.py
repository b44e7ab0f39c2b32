"""What holds the event loop during a row: `python -m bench.gap_probe [--sizes seeds] [--cases a,b] [--show N]`.

Runs bench/every_command.py's cases as `--only commands` does and, beside them, a sampler thread that looks at
the loop's thread every 2 ms: when the loop has not ticked for more than 20 ms it keeps the loop thread's stack
(the function the loop is in, or waiting for the GIL at) and the case running. Full garbage collections are
timed by `gc.callbacks`. Prints, per case, the longest gap with its stacks and collections. A diagnostic tool
for a developer; the bench's own figures do not use it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from . import corpus_1m, every_command, pick_bench, size_bench

STALE_S = 0.020


class Probe:
    def __init__(self) -> None:
        self.case = "(setup)"
        self.beat = time.perf_counter()
        self.loop_thread = threading.get_ident()
        self.stacks: dict[str, Counter[str]] = defaultdict(Counter)
        self.gcs: dict[str, list[tuple[int, float, str]]] = defaultdict(list)
        self.longest: dict[str, float] = defaultdict(float)
        self.stop = threading.Event()
        self._gc_start = 0.0

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif info["generation"] >= 1:
            spent = (time.perf_counter() - self._gc_start) * 1000
            self.gcs[self.case].append((info["generation"], spent, threading.current_thread().name))

    def sample(self) -> None:
        while not self.stop.wait(0.002):
            stale = time.perf_counter() - self.beat
            if stale < STALE_S:
                continue
            self.longest[self.case] = max(self.longest[self.case], stale)
            frame = sys._current_frames().get(self.loop_thread)
            if frame is not None:
                lines = traceback.format_stack(frame, limit=14)
                self.stacks[self.case]["".join(lines[-8:])] += 1

    async def ticker(self) -> None:
        while not self.stop.is_set():
            self.beat = time.perf_counter()
            await asyncio.sleep(0.001)


async def main(args: argparse.Namespace) -> None:
    from bot.core.config import DEFAULT_DATA_DIR

    probe = Probe()
    original = every_command.Runner.case

    async def case(self: Any, name: str, case: Any, repeat: int) -> Any:
        probe.case = name
        try:
            return await original(self, name, case, repeat)
        finally:
            probe.case = "(between)"

    every_command.Runner.case = case  # type: ignore[method-assign]
    summary = every_command.Figures.summary
    every_command.Figures.summary = lambda self: {**summary(self), "times": [round(t, 1) for t in self.times]}  # type: ignore[method-assign]
    gc.callbacks.append(probe.on_gc)
    sampler = threading.Thread(target=probe.sample, daemon=True)
    sampler.start()
    ticking = asyncio.create_task(probe.ticker())
    corpora = {"seeds": lambda: pick_bench.cached_database(DEFAULT_DATA_DIR, "seeds")}
    only = set(args.cases.split(",")) if args.cases else None
    with tempfile.TemporaryDirectory() as work:
        for label in args.sizes.split(","):
            if label == "1m":
                database, data_dir = corpus_1m.ensure(), corpus_1m.data_dir()
            elif label == "large":
                data_dir = corpus_1m.CACHE / "data-v2-10000"
                database = await pick_bench.cached_database(data_dir, "v2-10000")
            else:
                database, data_dir = await corpora[label](), DEFAULT_DATA_DIR
            copy = size_bench.work_copy(database, Path(work) / f"probe-{label}.db")
            results = await every_command.measure(copy, data_dir, args.repeat, only)
            print(f"== {label}")
            for name, figures in results.items():
                if "mine" not in figures:
                    print(f"{name}: {figures}")
                    continue
                mine = figures["mine"]
                gcs = probe.gcs.get(name, [])
                full = [f"{ms:.0f}ms@{where}" for gen, ms, where in gcs if gen == 2]
                print(f"{name}: gap {mine['loop_gap_ms']:.1f} ms (sampler {probe.longest[name] * 1000:.0f}) cpu"
                      f" {mine['cpu_ms']:.1f} · gen1 {sum(1 for g in gcs if g[0] == 1)} · full {full}")
                if args.times:
                    print(f"  times (ms): {mine['times']}")
                if args.show and (name in (only or ()) or mine["loop_gap_ms"] >= args.threshold):
                    for stack, count in probe.stacks[name].most_common(args.show):
                        print(f"  -- {count} samples\n{stack}")
            probe.stacks.clear(), probe.gcs.clear(), probe.longest.clear()
    probe.stop.set()
    await ticking


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="seeds")
    parser.add_argument("--cases", default=None)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=40.0)
    parser.add_argument("--times", action="store_true", help="print every timed run's bot time")
    asyncio.run(main(parser.parse_args()))
