"""One durable loop for timed work (scheduled prompts, poll deadlines).

The truth lives in SQLite: each job answers "when is my next due row?" and "process what is
due now". The loop sleeps until the earliest due time and is woken early when a job's rows
change (`wake()`), instead of polling. Time comes from one clock (discord.utils.utcnow),
which simcord's advance_time moves in tests.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)

MIN_SLEEP = 1.0  # seconds: a job that keeps reporting past-due rows must not spin the loop
STUCK_SLEEP_MAX = 60.0  # seconds: a row still due after pass after pass is retried ever more slowly, up to this
MAX_SLEEP = 6 * 3600.0  # re-check every 6 h anyway: a job that forgot to wake() is late by at most that


class Job(Protocol):
    name: str

    async def next_due(self) -> datetime | None:
        """Earliest aware-UTC time at which `run_due` has work, or None."""

    async def run_due(self, now: datetime) -> None:
        """Process every row due at or before `now`. Must move each processed row forward."""


class Scheduler:
    def __init__(self, clock: Callable[[], datetime], before: Callable[[], Awaitable[None]] | None = None) -> None:
        self.clock = clock
        self.before = before  # awaited before each pass (the bot: corpus caches follow other processes)
        self._jobs: dict[str, Job] = {}
        self._task: asyncio.Task[None] | None = None
        self._dirty = False  # a wake() arrived while jobs were running
        self._sleeping = False
        self._woken = False
        self._stopping = False
        self._stuck = 0  # passes in a row after which something was still due (a row no job moved forward)
        self._sleep_until: datetime | None = None  # when the current sleep ends, by self.clock

    def register(self, job: Job) -> None:
        self._jobs[job.name] = job
        self.wake()

    def unregister(self, name: str) -> None:
        self._jobs.pop(name, None)

    def wake(self, due: datetime | None = None) -> None:
        """Something changed (a schedule was set, a poll created): re-read due times now.

        due: when the new or changed row falls due, if that is all that changed. A loop asleep until
        no later than that is left alone: it re-reads everything when it wakes anyway (a digest due in
        a day, added by each of 200 servers' prompts, is not 200 passes over every job).
        """
        if due is not None and self._sleeping and not self._woken and self._sleep_until is not None \
                and self._sleep_until <= due:
            return
        self._dirty = True
        self._stuck = 0
        if self._sleeping and not self._woken and self._task is not None and not self._task.done():
            # The loop sleeps with asyncio.sleep (a plain timer, which simcord's virtual clock
            # understands); waking it early means cancelling that sleep — once: a second cancel
            # before the loop resumes would leave a stray cancellation request on the task.
            self._woken = True
            self._task.cancel()

    def start(self) -> None:
        """Idempotent: on_ready may fire again after a reconnect."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self._run(), name="filmbot-scheduler")

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._stopping = True
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def run_once(self) -> float | None:
        """Run every due job once; return seconds until the next due time (None: nothing scheduled)."""
        self._dirty = False
        if self.before is not None:
            await self.before()
        for job in list(self._jobs.values()):
            try:
                await job.run_due(self.clock())
            except Exception:  # one broken job must not stop the others
                log.exception("scheduled job %s failed", job.name)
        nearest: datetime | None = None
        for job in list(self._jobs.values()):
            try:
                due = await job.next_due()
            except Exception:
                log.exception("scheduled job %s could not report its next due time", job.name)
                continue
            if due is not None and (nearest is None or due < nearest):
                nearest = due
        if nearest is None:
            return None
        return (nearest - self.clock()).total_seconds()

    async def _run(self) -> None:
        while True:
            delay = await self.run_once()
            if self._dirty:
                continue
            # Still due right after a pass: some row could not be handled (or a job forgot to move it). Retry
            # it after 1, 2, 4 … 60 s rather than every second forever; any wake() or progress resets this.
            self._stuck = self._stuck + 1 if delay is not None and delay <= 0 else 0
            if self._stuck == 3:
                log.warning("timed work stays due after %d passes; retrying with back-off", self._stuck)
            floor = min(MIN_SLEEP * 2 ** max(self._stuck - 1, 0), STUCK_SLEEP_MAX)
            timeout = MAX_SLEEP if delay is None else min(max(delay, floor), MAX_SLEEP)
            self._sleep_until = self.clock() + timedelta(seconds=timeout)
            self._sleeping = True
            try:
                await asyncio.sleep(timeout)
            except asyncio.CancelledError:
                if not self._woken or self._stopping:
                    raise
                # Our own wake-up, unless someone else cancelled too (a loop shutting down cancels every
                # task): then one request is left after taking back ours, and the task must end, or
                # whoever awaits it waits forever.
                if asyncio.current_task().uncancel():  # type: ignore[union-attr]
                    raise
            finally:
                self._sleeping = False
                self._woken = False
