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
from datetime import UTC, datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)

MIN_SLEEP = 1.0  # seconds: a job that keeps reporting past-due rows must not spin the loop
STUCK_SLEEP_MAX = 60.0  # seconds: a row still due after pass after pass is retried ever more slowly, up to this
MAX_SLEEP = 6 * 3600.0  # re-check every 6 h anyway: a job that forgot to wake() is late by at most that
# The sleep runs on the event loop's monotonic clock, the due times on the wall clock: a wall clock that steps
# forward (a VM suspended and resumed, an NTP step) would leave due work waiting out the rest of a sleep planned
# before the step (up to MAX_SLEEP). On the host's clock the loop sleeps in pieces of at most this and re-reads
# the wall clock between them, bounding that lateness to one piece. On a simulated clock (simcord, the playground)
# timers move with the clock, so a step cannot happen and the loop sleeps in one piece: simcord lets a timer that
# its real-time fallback would fire within settle_timeout hold up every operation (60 s each with a 60 s
# settle_timeout, the reverted attempt of 2026-12-07), and pieces would cost a wake-up per simulated minute.
WALL_CHECK = 60.0
HOST_MATCH = 1.0  # seconds: the scheduler's clock is the host's wall clock if they agree this closely


def host_now() -> datetime:
    """The host's wall clock (what discord.utils.utcnow reads in production; simcord moves only the latter)."""
    return datetime.now(UTC)


class Job(Protocol):
    name: str

    async def next_due(self) -> datetime | None:
        """Earliest aware-UTC time at which `run_due` has work, or None."""

    async def run_due(self, now: datetime) -> None:
        """Process every row due at or before `now`. Must move each processed row forward."""


class Scheduler:
    def __init__(self, clock: Callable[[], datetime], before: Callable[[], Awaitable[None]] | None = None) -> None:
        self.clock = clock
        self.host = host_now  # compared with clock before each sleep: see WALL_CHECK
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
                # Its due rows are unknown (the database unreachable, say), not absent: ask again soon, on the
                # stuck back-off (1 … 60 s), instead of sleeping MAX_SLEEP past whatever fell due meanwhile.
                log.exception("scheduled job %s could not report its next due time", job.name)
                due = self.clock()
            if due is not None and (nearest is None or due < nearest):
                nearest = due
        if nearest is None:
            return None
        return (nearest - self.clock()).total_seconds()

    async def _sleep(self, timeout: float) -> None:
        """Sleep `timeout` seconds on the loop's clock, or less if the wall clock reaches self._sleep_until first
        (checked every WALL_CHECK seconds, and only while the clock is the host's: see WALL_CHECK)."""
        assert self._sleep_until is not None
        if abs((self.clock() - self.host()).total_seconds()) >= HOST_MATCH:
            await asyncio.sleep(timeout)
            return
        loop = asyncio.get_running_loop()
        until, left = loop.time() + timeout, timeout
        while left > 0:
            await asyncio.sleep(min(left, WALL_CHECK))
            left = min((self._sleep_until - self.clock()).total_seconds(), until - loop.time())

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
                await self._sleep(timeout)
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
