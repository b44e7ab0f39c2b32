"""The club's charts (/ratings, /club stats) drawn in a worker process, never on the bot's GIL.

matplotlib holds the GIL while it draws (80–250 ms at 1.1M passages, session 6): a thread would stall
the event loop that long. The charts have their own lane of `bot.corpus.pool.run_isolated` (one
long-lived forked worker, matplotlib imported and one chart drawn in it when the club cog loads), so
a runaway chart is killed without touching the page parser's worker. Every failure — the worker
crashed, ran past CHART_TIMEOUT, or too many charts already waiting — is None: the command sends its
text fallback (█ bars, the averages field) and says so; nothing is lost, nothing was written.
"""

from __future__ import annotations

import logging
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bot.corpus.pool import WorkerTimeout, run_isolated, start_lane

log = logging.getLogger(__name__)

LANE = "charts"
# The chart worker's nice: a member waits for this chart, unlike the batch work the other lanes do at
# nice 10 (measured under others' load on two cores: club stats p50 317 ms at 0 against 389 at 10, with
# no longer loop gap; one chart is 50–100 ms of CPU, the bot's loop keeps the other core).
CHART_NICE = 0
CHART_TIMEOUT = 10.0  # seconds, queue included; a chart takes ~0.1 s in the worker
WAITING_MAX = 8  # charts queued or drawing at once; past it, text at once (the queue would outlast the timeout)
FALLBACK_NOTE = "The chart could not be drawn just now, so here it is as text."

_waiting = 0


def warm() -> None:
    """Run once in a new chart worker: matplotlib's import, its fonts and Agg, paid before any member waits."""
    from bot.club import rules
    from bot.club.render import chart_png

    chart_png(rules.summarise([8, 6]), "warm-up")


def start() -> None:
    """Fork the chart worker and warm it (nothing if it runs already): called when the club cog loads."""
    start_lane(LANE, warm, CHART_NICE)


async def draw(fn: Any, *args: Any) -> bytes | None:
    """`fn(*args)`'s PNG drawn in the chart worker, or None (the caller falls back to text)."""
    global _waiting
    if _waiting >= WAITING_MAX:
        log.warning("%d charts already waiting: sending text", _waiting)
        return None
    _waiting += 1
    try:
        png: bytes = await run_isolated(fn, *args, timeout=CHART_TIMEOUT, lane=LANE)
        return png
    except (WorkerTimeout, BrokenProcessPool) as error:
        log.warning("the chart worker failed (%s): sending text", error)
    except Exception:
        log.warning("drawing a chart failed: sending text", exc_info=True)
    finally:
        _waiting -= 1
    return None
