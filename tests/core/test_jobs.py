"""The timed-work loop: woken early by wake(), and still ending when its task is cancelled."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.core.jobs import Scheduler

NOW = datetime(2026, 1, 1, tzinfo=UTC)


class CountingJob:
    """Due an hour from now, forever; counts its passes."""

    name = "counting"

    def __init__(self) -> None:
        self.runs = 0

    async def next_due(self) -> datetime | None:
        return NOW + timedelta(hours=1)

    async def run_due(self, now: datetime) -> None:
        self.runs += 1


async def sleeping_scheduler() -> tuple[Scheduler, CountingJob, asyncio.Task[None]]:
    scheduler = Scheduler(lambda: NOW)
    job = CountingJob()
    scheduler.register(job)
    scheduler.start()
    for _ in range(20):  # a few loop turns: one pass, then the hour-long sleep
        await asyncio.sleep(0)
    assert scheduler._task is not None and job.runs == 1
    return scheduler, job, scheduler._task


async def test_wake_runs_the_jobs_again_without_ending_the_loop() -> None:
    scheduler, job, task = await sleeping_scheduler()
    scheduler.wake()
    for _ in range(20):
        await asyncio.sleep(0)
    assert job.runs == 2 and not task.done()
    await scheduler.stop()
    assert task.done()


async def test_a_cancel_arriving_with_a_wake_still_ends_the_loop() -> None:
    """A loop shutting down cancels every task; a wake() just before must not swallow that cancel
    (the task slept on, and whoever awaited it — a test's teardown — waited forever)."""
    scheduler, _, task = await sleeping_scheduler()
    scheduler.wake()
    task.cancel()  # not stop(): someone else's cancel, before the loop has seen the wake
    done, _ = await asyncio.wait({task}, timeout=2)
    assert task in done and task.cancelled()


class StuckJob:
    """A row due in the past that run_due never moves forward (a row it cannot handle)."""

    name = "stuck"

    def __init__(self) -> None:
        self.runs = 0

    async def next_due(self) -> datetime | None:
        return NOW - timedelta(minutes=1)

    async def run_due(self, now: datetime) -> None:
        self.runs += 1


async def test_a_row_that_stays_due_is_retried_with_back_off(monkeypatch) -> None:
    """1, 2, 4, 8 … 60 s between passes, not a pass every second forever."""
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def recorded(delay: float, *args: object) -> None:
        slept.append(delay)
        await real_sleep(0)

    monkeypatch.setattr("bot.core.jobs.asyncio.sleep", recorded)
    scheduler = Scheduler(lambda: NOW)
    scheduler.register(StuckJob())
    scheduler.start()
    for _ in range(200):
        await real_sleep(0)
        if len(slept) >= 9:
            break
    await scheduler.stop()
    assert slept[:9] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]


async def test_a_wake_for_a_row_due_after_the_sleep_ends_leaves_the_loop_asleep() -> None:
    """The loop sleeps until its job's row an hour away: a new row due in a day changes nothing now, one
    due in a minute (or a wake without a due time) makes it re-read at once."""
    scheduler, job, task = await sleeping_scheduler()
    scheduler.wake(NOW + timedelta(days=1))
    for _ in range(20):
        await asyncio.sleep(0)
    assert job.runs == 1
    scheduler.wake(NOW + timedelta(minutes=1))
    for _ in range(20):
        await asyncio.sleep(0)
    assert job.runs == 2
    scheduler.wake()
    for _ in range(20):
        await asyncio.sleep(0)
    assert job.runs == 3 and not task.done()
    await scheduler.stop()


class UnreachableJob:
    """Its next due time cannot be read (the database is down); something is due within the hour."""

    name = "unreachable"

    async def next_due(self) -> datetime | None:
        raise ConnectionRefusedError("the database is down")

    async def run_due(self, now: datetime) -> None:
        raise ConnectionRefusedError("the database is down")


async def test_a_job_whose_due_time_cannot_be_read_is_asked_again_soon() -> None:
    """An unknown due time is not 'nothing due': the loop retries on its back-off, not after 6 h (a poll due
    while PostgreSQL restarted closed hours late)."""
    scheduler = Scheduler(lambda: NOW)
    scheduler.register(UnreachableJob())
    delay = await scheduler.run_once()
    assert delay is not None and delay <= 0
