"""Schedules at their limits: 15 per server, midnight, weekdays, DST, the state machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import (
    DAY,
    HOUR,
    add_review_file,
    assert_no_pings,
    bot_down_for,
    bot_posts,
    check_all_payloads,
    msgs,
    posted_slots,
    rows,
    set_schedule,
    text_of,
)


async def test_fifteen_schedules_list_within_limits_and_sixteenth_refused(world, settings):
    """Fifteen schedules list within limits and sixteenth refused."""
    long_film = "L" * 85 + "*_~|`"
    await add_review_file(world, film=long_film, critic="Jane Doe")
    role = world.guild.create_role("Film Night Regulars With A Long Role Name")
    for n in range(15):
        await set_schedule(world, time=f"{n:02d}:{n * 3:02d}", days="mon,tue,wed,thu,fri,sat" if n % 2 else "daily",
                           timezone="Pacific/Chatham", film=long_film, ping_role=role, thread=bool(n % 3))
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="23:59")
    assert msgs(r)[0].ephemeral and "15" in text_of(r)
    assert rows(settings, "SELECT COUNT(*) FROM schedules") == [(15,)]
    listing = await world.alice.slash(world.channel, "schedule list")
    text = text_of(listing)
    assert all(m.ephemeral for m in msgs(listing))
    assert all(f"**#{n}**" in text for n in range(1, 16)), "a schedule is missing from /schedule list"
    assert text.count("Next:") == 15
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_midnight_2359_and_monday_only_over_ten_days(world, settings):
    """Midnight 2359 and monday only over ten days."""
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    start = world.env.now()
    a = await set_schedule(world, time="00:00", thread=False)
    b = await set_schedule(world, time="23:59")
    c = await set_schedule(world, time="09:00", days="mon", timezone="Europe/Paris")
    for _ in range(10):  # simcord gives each advance_time 5 s of real time
        await world.env.advance_time(DAY)
    await world.env.advance_time(60)
    end = world.env.now()

    def expected(at: str, zone: str, mondays: bool) -> int:
        z = ZoneInfo(zone)
        hh, mm = map(int, at.split(":"))
        n, day = 0, start.astimezone(z).date() - timedelta(days=1)
        while day <= end.astimezone(z).date():
            slot = datetime(day.year, day.month, day.day, hh, mm, tzinfo=z)
            if start < slot <= end and (not mondays or day.weekday() == 0):
                n += 1
            day += timedelta(days=1)
        return n

    assert len(posted_slots(settings, a)) == expected("00:00", "UTC", False) == 10
    assert len(posted_slots(settings, b)) == expected("23:59", "UTC", False) == 10
    assert len(posted_slots(settings, c)) == expected("09:00", "Europe/Paris", True)
    assert all(datetime.fromisoformat(s).astimezone(ZoneInfo("Europe/Paris")).weekday() == 0
               for s in posted_slots(settings, c))
    posts = bot_posts(world)
    assert len(posts) == sum(len(posted_slots(settings, s)) for s in (a, b, c)), \
        "\n".join(f"{p.type} {p.created_at:%m-%d %H:%M} {p.content[:40]!r} {p.channel.id}" for p in posts) + \
        repr(rows(settings, "SELECT schedule_id, slot_utc, status, reason FROM schedule_posts ORDER BY slot_utc"))


@pytest.mark.parametrize("when, at, local_expected", [
    (datetime(2026, 3, 7, 12, tzinfo=UTC), "02:30", ["03-07 02:30", "03-08 03:30", "03-09 02:30"]),  # spring forward
    (datetime(2026, 10, 31, 12, tzinfo=UTC), "01:30", ["10-31 01:30", "11-01 01:30", "11-02 01:30"]),  # fall back
])
async def test_new_york_dst_days_post_exactly_once(world, settings, when, at, local_expected):
    """New york DST days post exactly once."""
    await bot_down_for(world.env, ((when - timedelta(hours=20)) - world.env.now()).total_seconds())
    sid = await set_schedule(world, time=at, timezone="America/New_York", thread=False)
    for _ in range(3):
        await world.env.advance_time(DAY)
    await world.env.advance_time(HOUR)
    ny = ZoneInfo("America/New_York")
    local = [datetime.fromisoformat(s).astimezone(ny).strftime("%m-%d %H:%M") for s in posted_slots(settings, sid)]
    assert local == local_expected
    assert len(bot_posts(world)) == 3


async def test_schedule_state_machine(world, settings):
    """Schedule state machine."""
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    other = world.guild.create_text_channel("doomed")
    sid = await set_schedule(world, time="09:00", channel=other)
    gone = await set_schedule(world, time="10:00")
    r = await world.mod.slash(world.channel, "schedule pause", id=sid)
    r2 = await world.mod.slash(world.channel, "schedule pause", id=sid)
    assert "already paused" in text_of(r2) and msgs(r2)[0].ephemeral, text_of(r)
    world.env.backend.delete_channel(other.id)
    r3 = await world.mod.slash(world.channel, "schedule resume", id=sid)
    assert msgs(r3)[0].ephemeral and "error code" not in text_of(r3)
    assert "no longer exists" in text_of(r3)
    assert rows(settings, "SELECT paused FROM schedules WHERE id=?", (sid,)) == [(1,)]
    await world.mod.slash(world.channel, "schedule remove", id=gone)
    await world.env.advance_time(2 * DAY)
    assert posted_slots(settings) == []
    assert not bot_posts(world)
    for command in ("pause", "resume", "skip", "test", "remove"):
        r = await world.mod.slash(world.channel, f"schedule {command}", id=gone)
        assert msgs(r)[0].ephemeral and f"no schedule #{gone}" in text_of(r), (command, text_of(r))


async def test_schedule_keeps_its_zone_when_server_timezone_changes(world, settings):
    """Schedule keeps its zone when server timezone changes."""
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    sid = await set_schedule(world, time="09:00", thread=False)
    await world.mod.slash(world.channel, "config timezone", zone="America/New_York")
    listing = text_of(await world.alice.slash(world.channel, "schedule list"))
    assert "(Europe/Paris)" in listing and "America/New_York" not in listing
    await world.env.advance_time(DAY + HOUR)
    [slot] = posted_slots(settings, sid)
    local = datetime.fromisoformat(slot).astimezone(ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (9, 0)
