"""The club's charts (/ratings, /club stats): drawn in the chart thread, kept by what they show.

A chart is drawn with Pillow (bot/club/chart_draw.py: a few rectangles and texts, 2–5 ms of CPU) in one
thread of the bot's process, never on the event loop. Session 7 drew them with matplotlib in a worker
process (50–100 ms of CPU a chart, which no thread could hide from the loop); Pillow made the process,
its warm-up and its pickling more than the drawing itself, so the charts left the pool (session 8).

The drawn PNG is kept by the drawing function and its arguments (the chart's data: a rating distribution
and its title, a year's top films): the same data draws the same image, so a repeated chart costs a dict
look-up, and new data (a new rating) is a new key, never a stale image. Every failure — the drawing
raised, ran past CHART_TIMEOUT, or too many charts already waiting — is None: the command sends its text
fallback (█ bars, the averages field) and says so; nothing is lost, nothing was written.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

CHART_TIMEOUT = 10.0  # seconds, queue included; a chart takes 2–5 ms
WAITING_MAX = 8  # charts queued or drawing at once; past it, text at once
KEPT_MAX = 256  # PNGs kept (a few kB each): the most recently used
FALLBACK_NOTE = "The chart could not be drawn just now, so here it is as text."

Draw = Callable[..., bytes]

_waiting = 0
_kept: OrderedDict[Hashable, bytes] = OrderedDict()
_thread: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """The chart thread: one, so charts queue instead of taking a core each (and share no font face)."""
    global _thread
    if _thread is None:
        _thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="filmbot-chart")
    return _thread


def _abandon() -> None:
    """A chart ran past its time: later charts get a new thread (a thread cannot be killed; the old one
    ends when its chart does, and charts queued behind it time out into their text)."""
    global _thread
    if _thread is not None:
        _thread.shutdown(wait=False)
        _thread = None


def warm() -> None:
    """Run once in the chart thread: the font files opened and one chart drawn before any member waits."""
    from bot.club import rules
    from bot.club.render import chart_png

    chart_png(rules.summarise([8, 6]), "warm-up")


def start() -> None:
    """Start the chart thread and warm it, without waiting: called when the club cog loads."""
    _executor().submit(warm)


def forget() -> None:
    """Drop every kept chart (the bench times a chart drawn, not one kept)."""
    _kept.clear()


async def draw(fn: Draw, *args: Hashable) -> bytes | None:
    """`fn(*args)`'s PNG, kept from an earlier call with the same arguments or drawn in the chart thread;
    None when it cannot be drawn now (the caller falls back to text)."""
    global _waiting
    key = (fn, args)
    png = _kept.get(key)
    if png is not None:
        _kept.move_to_end(key)
        return png
    if _waiting >= WAITING_MAX:
        log.warning("%d charts already waiting: sending text", _waiting)
        return None
    _waiting += 1
    try:
        png = await asyncio.wait_for(asyncio.wrap_future(_executor().submit(fn, *args)), CHART_TIMEOUT)
    except TimeoutError:
        log.warning("a chart ran over %g s: sending text", CHART_TIMEOUT)
        _abandon()
        return None
    except Exception:
        log.warning("drawing a chart failed: sending text", exc_info=True)
        return None
    finally:
        _waiting -= 1
    _kept[key] = png
    while len(_kept) > KEPT_MAX:
        _kept.popitem(last=False)
    return png
