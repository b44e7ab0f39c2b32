"""The wall clock stepping forward (a VM suspended and resumed, an NTP step): due work runs within a minute, not
after the rest of a sleep planned before the step (up to 6 h); and on simcord's own clock the job loop keeps
sleeping in one piece, so a long settle_timeout never waits out its timers."""

from __future__ import annotations

import time

from tests.faults import host_clock_is_simcord, wall_clock_jump
from tests.helpers import prompts, slot_rows

HOUR = 3600


async def test_a_wall_clock_jump_does_not_leave_due_work_waiting_out_the_old_sleep(world, settings, monkeypatch):
    host_clock_is_simcord(world.env, monkeypatch)
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    await world.env.advance_time(60)  # the loop is asleep until 06:00 (its 6 h cap) on the monotonic clock
    assert prompts(world) == []
    wall_clock_jump(world.env, 8 * HOUR)  # suspended at 00:01, resumed at 08:01
    await world.env.advance_time(61)
    assert len(prompts(world)) == 1, "the 08:00 prompt waited for the sleep planned before the jump"
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_on_simcords_clock_a_long_settle_timeout_does_not_wait_out_the_job_loop(world):
    """The reverted fix slept in 60 s pieces on every clock: with settle_timeout = 60 (the add-link tests) each
    operation waited a piece's real-time fallback, 60 s, and the add-link file took minutes per test."""
    world.env.settle_timeout = 60.0
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    started = time.monotonic()
    for _ in range(3):
        await world.mod.slash(world.channel, "schedule list")
    assert time.monotonic() - started < 30, "an operation waited for the job loop's timer in real time"
