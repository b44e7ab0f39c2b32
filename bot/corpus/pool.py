"""Text processing (clean → segment → tag, and the duplicate hash) of many reviews, batch by batch.

A big import streams through `TextPool`: its worker processes start once per import and are reused
for every chunk; each chunk is cut into small batches whose results come back as they finish, so no
single result is large to unpickle (the pool's result thread holds the GIL while it unpickles, and
the event loop needs the GIL to tick).
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Self, TypeVar

from bot.corpus import TaggedPassage, Theme, content_hash, process_review

Item = tuple[str, str | None, int | None]  # (body, film title, film year): the film selects its own themes
Processed = tuple[list[TaggedPassage], str]  # (passages, body hash)

PARALLEL_FROM = 400  # reviews: below this, starting worker processes costs more than it saves
BATCH = 16  # reviews per task sent to a worker: small results, quick to unpickle
WORKER_NICE = 10
_PR_SET_PDEATHSIG = 1  # prctl(2)

_themes: dict[str, Theme] = {}  # set once per worker by _init: not pickled again with every task
T = TypeVar("T")


def _die_with(parent: int) -> None:
    """Linux: end this worker when the bot's process dies (kill -9, the OOM killer), instead of leaving
    it orphaned; elsewhere a worker notices only at its next task."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(0)


def _init(themes: dict[str, Theme], parent: int) -> None:
    global _themes
    _themes = themes
    _die_with(parent)
    # Batch work yields the CPU to the bot's own process: on a machine with few cores the event loop
    # thread would otherwise wait its turn behind every busy worker (gaps of tens of ms).
    os.nice(WORKER_NICE)


def process_items(items: list[Item], themes: dict[str, Theme]) -> list[Processed]:
    return [_processed(body, themes, title, year) for body, title, year in items]


# What this process already cut, by (theme file's hash, body hash, film, year): the rules are pure, so the
# same text under the same theme file gives the same passages (frozen). A bot started again in the same
# process (the test suite boots ~1,000 bots on the bundled reviews; the playground's restarts) re-imports
# for free. Bounded: the oldest entries go first.
_MEMO: OrderedDict[tuple[str, str, str | None, int | None], list[TaggedPassage]] = OrderedDict()
MEMO_SIZE = 256


def _processed(body: str, themes: dict[str, Theme], title: str | None, year: int | None) -> Processed:
    body_hash = content_hash(body)
    source = getattr(themes, "source", None)
    if source is None:
        return process_review(body, themes, title, year), body_hash
    key = (source, body_hash, title, year)
    passages = _MEMO.get(key)
    if passages is None:
        passages = _MEMO[key] = process_review(body, themes, title, year)
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    else:
        _MEMO.move_to_end(key)
    return list(passages), body_hash


def _process_batch(items: list[Item]) -> list[Processed]:
    return process_items(items, _themes)


class TextPool:
    """Worker processes for one import (or the calling thread when the work is small)."""

    def __init__(self, themes: dict[str, Theme], expected: int) -> None:
        self.themes = themes
        workers = min(os.cpu_count() or 1, 8)
        self._pool: ProcessPoolExecutor | None = None
        self._was_frozen = False
        if expected >= PARALLEL_FROM and workers >= 2:
            # Freeze what exists now: the parent's full collections then skip it (a gen-2 pass over
            # the whole bot holds the GIL for tens of ms), and forked children do not copy it by
            # touching reference counts. Workers run only pure text code (no locks, no logging),
            # so fork is safe and needs no __main__ guard. A heap frozen at start-up (core/heap.py) stays frozen.
            self._was_frozen = gc.get_freeze_count() > 0
            gc.freeze()
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                initializer=_init, initargs=(themes, os.getpid()),
            )
            self._pool.submit(int)  # fork every worker now, while the parent is small (else: at first use)

    async def process(self, items: list[Item]) -> list[Processed]:
        """Every item's passages and hash, in order; the event loop keeps running meanwhile."""
        if self._pool is None:
            return await asyncio.to_thread(process_items, items, self.themes)
        loop = asyncio.get_running_loop()
        batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
        done = await asyncio.gather(*(loop.run_in_executor(self._pool, _process_batch, b) for b in batches))
        return [result for batch in done for result in batch]

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await asyncio.to_thread(pool.shutdown, wait=True)  # joining workers blocks: not on the loop
            if not self._was_frozen:
                gc.unfreeze()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()


class WorkerTimeout(Exception):
    """A job sent to `run_isolated` ran past its time; its worker process was killed."""


# The long-lived single workers, one per lane: "pages" parses fetched pages (bot/corpus/article.py). A
# lane is forked on first use, reused after, and killed alone: a runaway job of one lane never ends another lane's. (The
# club's charts had a lane until session 8; they are now drawn with Pillow in a thread: bot/club/charts.py.)
_lanes: dict[str, ProcessPoolExecutor] = {}


def _init_single(parent: int) -> None:
    _die_with(parent)
    os.nice(WORKER_NICE)


def _single_pool(lane: str = "pages") -> ProcessPoolExecutor:
    pool = _lanes.get(lane)
    if pool is None:
        pool = _lanes[lane] = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"),
            initializer=_init_single, initargs=(os.getpid(),),
        )
    return pool


def _kill_single(lane: str = "pages") -> None:
    """End a lane's worker now (a runaway job): its process is killed, the next job forks a new one."""
    pool = _lanes.pop(lane, None)
    if pool is None:
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


async def run_isolated(fn: Any, *args: Any, timeout: float, lane: str = "pages") -> Any:
    """`fn(*args)` in `lane`'s long-lived worker process (forked on first use, reused after), so heavy
    work never holds the bot's GIL; past `timeout` seconds the worker is killed and WorkerTimeout
    raised (a crashed worker: BrokenProcessPool, and the next job forks a new one). `fn` and its
    arguments must be picklable (module-level, plain data).

    The future is awaited with `wrap_future`, not `loop.run_in_executor`: no wrapper around `fn`
    has to cross the process boundary.
    """
    future = _single_pool(lane).submit(fn, *args)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except TimeoutError:
        _kill_single(lane)
        raise WorkerTimeout(f"{getattr(fn, '__name__', 'job')} ran over {timeout:g} s") from None
    except BrokenProcessPool:
        _kill_single(lane)
        raise
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if future.cancelled() and not (task is not None and task.cancelling()):
            # Not this caller's cancellation: the job was still queued when another job's timeout
            # killed the lane (shutdown cancels what is queued). Said as the crash it is for this job.
            raise BrokenProcessPool("the worker was replaced before this job ran") from None
        raise
