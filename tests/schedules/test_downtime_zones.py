"""Scheduled prompts across DST nights while the bot is down, and paused or resumed across downtime: one post per
day at the time a member would expect, none for the paused days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import DAY, HOUR, add_review_file, bot_down_for, bot_posts, posted_slots, set_schedule

NY = ZoneInfo("America/New_York")


def local(settings, sid: int) -> list[str]:
    return [datetime.fromisoformat(s).astimezone(NY).strftime("%m-%d %H:%M") for s in posted_slots(settings, sid)]


@pytest.mark.parametrize("night, at, expected", [
    (datetime(2026, 3, 8, tzinfo=NY), "02:30", ["03-07 02:30", "03-08 03:30", "03-09 02:30"]),  # spring forward
    (datetime(2026, 11, 1, tzinfo=NY), "01:30", ["10-31 01:30", "11-01 01:30", "11-02 01:30"]),  # fall back
])
async def test_down_across_a_dst_night_posts_that_night_once(world, settings, night, at, expected):
    """Down through the DST night (22:00 to 6 h later, inside the 6 h catch-up grace): that night's slot is caught
    up once, at the first 01:30 of a fall-back night."""
    start = night - timedelta(days=1, hours=4)
    await bot_down_for(world.env, (start.astimezone(UTC) - world.env.now()).total_seconds())
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    sid = await set_schedule(world, time=at, timezone="America/New_York", thread=False)
    await world.env.advance_time(DAY + 2 * HOUR)  # the day before: posted live
    await bot_down_for(world.env, 6 * HOUR)  # down across the DST night
    await world.env.advance_time(DAY)
    assert local(settings, sid) == expected
    assert len(bot_posts(world)) == 3


async def test_paused_across_downtime_posts_nothing_for_the_paused_days(world, settings):
    """Paused, down three days, started, resumed: the paused days' slots are never posted; the next one is."""
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris", thread=False)
    await world.mod.slash(world.channel, "schedule pause", id=sid)
    await bot_down_for(world.env, 3 * DAY)
    await world.env.advance_time(HOUR)
    await world.mod.slash(world.channel, "schedule resume", id=sid)
    await world.env.advance_time(HOUR)
    assert posted_slots(settings, sid) == [] and bot_posts(world) == []
    await world.env.advance_time(DAY)
    assert len(posted_slots(settings, sid)) == 1 and len(bot_posts(world)) == 1


async def test_resumed_then_down_across_a_slot_catches_it_up_once(world, settings):
    """Paused, resumed, then down across a slot (back within the grace): that slot is posted once."""
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris", thread=False)
    await world.mod.slash(world.channel, "schedule pause", id=sid)
    await world.env.advance_time(2 * DAY)
    await world.mod.slash(world.channel, "schedule resume", id=sid)
    await world.env.advance_time(6 * HOUR)
    await bot_down_for(world.env, 4 * HOUR)
    await world.env.advance_time(HOUR)
    assert len(posted_slots(settings, sid)) == 1 and len(bot_posts(world)) == 1
