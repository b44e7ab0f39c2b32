"""Hostile input: worst-case segmentation per 100 KB, and event-loop lag while a 2 MB import runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.client import FilmBot
from bot.core.config import DEFAULT_DATA_DIR, Settings
from bot.corpus.bundle import import_bundled
from bot.corpus.hostile import run_pipeline, time_ms, worst_case_ms_per_100kb
from tests.cross.test_event_loop import longest_gap_while  # the one ticker, shared with the suite

from . import corpus_gen

IMPORT_REVIEWS = 900  # generated reviews of ~2.3 KB each: about 2 MB of text


def segmentation(repeat: int = 3) -> tuple[str, float, float]:
    """(worst adversarial text, its ms per 100 KB, ms per 100 KB of honest review text)."""
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((DEFAULT_DATA_DIR / "corpus").rglob("*.txt")))
    honest = (seeds * (100_000 // len(seeds) + 1))[:100_000]
    name, worst = worst_case_ms_per_100kb(repeat)
    return name, worst, time_ms(run_pipeline, honest, repeat)


async def _max_gap_ms(work: Awaitable[object]) -> float:
    """The longest gap between ticks of a 10 ms ticker while `work` runs on the same loop, in ms."""
    gap, _ = await longest_gap_while(work)
    return gap * 1000


async def loop_lag(tmp: Path, cache: Path) -> tuple[float, float, int]:
    """(max ticker gap during a ~2 MB bundled import, max gap while idle, bytes imported)."""
    data_dir = corpus_gen.write_data_dir(cache / f"data-v2-{IMPORT_REVIEWS}", IMPORT_REVIEWS)
    size = sum(p.stat().st_size for p in (data_dir / "corpus").rglob("*.txt"))
    idle = await _max_gap_ms(asyncio.sleep(1.0))
    tmp.mkdir(parents=True, exist_ok=True)
    bot = FilmBot(Settings(database=tmp / "lag.db", data_dir=data_dir))
    store = await bot.open_store()
    try:
        busy = await _max_gap_ms(import_bundled(store, data_dir, bot.themes, bot.settings.themes_file))
    finally:
        await bot.close_store()
    return busy, idle, size


async def rows(row: Callable[..., None], tmp: Path, cache: Path, runs: int = 3) -> None:
    """Segmentation of adversarial text, and the loop's worst gap over `runs` imports (the machine is
    shared and gaps are noisy: every run is shown, the worst is the figure)."""
    worst_name, worst_ms, honest_ms = segmentation()
    row(f"segmentation, worst adversarial 100 KB ({worst_name})", worst_ms, honest_ms,
        "ms (vs honest 100 KB)", f"< 50 ms {'met' if worst_ms < 50 else 'MISSED'}")
    lags = [await loop_lag(tmp / str(n), cache) for n in range(runs)]
    busy, idle, size = max(lag[0] for lag in lags), max(lag[1] for lag in lags), lags[0][2]
    each = ", ".join(f"{lag[0]:.0f}" for lag in lags)
    row(f"event-loop lag during a {size / 1e6:.1f} MB import (max gap; runs: {each} ms)", busy, idle, "ms (vs idle)",
        f"< 100 ms {'met' if busy < 100 else 'MISSED'}")
