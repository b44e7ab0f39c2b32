"""Small timing helpers: medians and percentiles of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable


async def sample_ms(run: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    """Milliseconds taken by each of `repeat` runs, after one warm-up run."""
    await run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
