"""The wall clock jumping forward (a VM suspended and resumed, an NTP step): due work runs within a minute,
not after the rest of a sleep planned before the jump (up to 6 h)."""

from __future__ import annotations

from tests.faults import wall_clock_jump
from tests.helpers import prompts, slot_rows

HOUR = 3600


async def test_a_wall_clock_jump_does_not_leave_due_work_waiting_out_the_old_sleep(world, settings):
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    await world.env.advance_time(60)  # the loop is asleep until 06:00 (its 6 h cap) on the monotonic clock
    assert prompts(world) == []
    wall_clock_jump(world.env, 8 * HOUR)  # suspended at 00:01, resumed at 08:01
    await world.env.advance_time(61)
    assert len(prompts(world)) == 1, "the 08:00 prompt waited for the sleep planned before the jump"
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
