"""Pure schedule time maths and the slot-claim store, without Discord."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core import db as database
from bot.core.db import Database
from bot.schedules.rules import (
    ALL_DAYS,
    Cadence,
    ScheduleInputError,
    discord_timestamp,
    format_days,
    parse_days,
    parse_time,
    parse_zone,
    plan_due,
)
from bot.schedules.store import STALE_CLAIM
from bot.stores import Store

PARIS = ZoneInfo("Europe/Paris")
GRACE = timedelta(hours=6)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily_paris() -> Cadence:
    return Cadence(time(9, 0), ALL_DAYS, "Europe/Paris")


@pytest.mark.parametrize("text, expected", [("09:00", time(9)), ("9:05", time(9, 5)), ("21h30", time(21, 30)),
                                            (" 23:59 ", time(23, 59)), ("00:00", time(0))])
def test_parse_time_accepts_hh_mm(text, expected):
    """HH:MM in 24-hour form (and 21h30) parses to a time of day."""
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9", "9am", "12:60", "", "nine"])
def test_parse_time_refuses_with_example(text):
    """Bad times raise an error carrying the value and an example."""
    with pytest.raises(ScheduleInputError) as info:
        parse_time(text)
    assert info.value.value == text.strip() or info.value.value == text
    assert "09:00" in info.value.example


@pytest.mark.parametrize("text, expected", [
    ("daily", "daily"), (None, "daily"), ("weekdays", "weekdays"), ("weekends", "weekends"),
    ("mon,wed,fri", "mon,wed,fri"), ("Friday", "fri"), ("fridays", "fri"), ("tu th", "tue,thu"),
    ("sat, sun", "weekends"), ("mon tue wed thu fri", "weekdays"),
])
def test_parse_days_forms(text, expected):
    """daily / weekdays / weekends / weekday lists parse to their canonical form."""
    assert format_days(parse_days(text)) == expected


def test_parse_days_names_the_bad_day():
    """An unknown day is named in the error."""
    with pytest.raises(ScheduleInputError) as info:
        parse_days("mon,funday")
    assert info.value.value == "funday" and "mon,wed,fri" in info.value.example


def test_parse_zone_refuses_unknown():
    """An unknown IANA zone is refused with an example."""
    assert parse_zone("Europe/Paris").key == "Europe/Paris"
    with pytest.raises(ScheduleInputError) as info:
        parse_zone("Mars/Olympus")
    assert info.value.value == "Mars/Olympus" and "Europe/Paris" in info.value.example


def test_dst_spring_forward_keeps_local_time():
    """Around the last Sunday of March, 09:00 Paris stays 09:00 local (UTC 08:00 → 07:00)."""
    slots = next_slots(daily_paris(), utc(2026, 3, 27, 12), 3)
    assert [s.astimezone(PARIS).time() for s in slots] == [time(9)] * 3
    assert [s.hour for s in slots] == [8, 7, 7]  # Sat 28 (CET), Sun 29 (CEST), Mon 30


def test_dst_fall_back_keeps_local_time():
    """Around the last Sunday of October, 09:00 Paris stays 09:00 local (UTC 07:00 → 08:00)."""
    slots = next_slots(daily_paris(), utc(2026, 10, 24, 0), 3)
    assert [s.astimezone(PARIS).time() for s in slots] == [time(9)] * 3
    assert [s.hour for s in slots] == [7, 8, 8]


def test_nonexistent_local_time_gives_one_slot():
    """02:30 on the spring-forward day (which does not exist in Paris) still posts exactly once."""
    cadence = Cadence(time(2, 30), ALL_DAYS, "Europe/Paris")
    slots = cadence.slots_between(utc(2026, 3, 28, 12), utc(2026, 3, 30, 12))
    assert len(slots) == 2 and slots[0] == utc(2026, 3, 29, 1, 30)


def test_weekly_cadence_next_runs():
    """A Friday-only schedule lists consecutive Fridays."""
    cadence = Cadence(time(20, 0), parse_days("fri"), "UTC")
    slots = next_slots(cadence, utc(2026, 1, 1), 3)
    assert slots == [utc(2026, 1, 2, 20), utc(2026, 1, 9, 20), utc(2026, 1, 16, 20)]


def next_slots(cadence, after, count):
    """The next `count` slots strictly after `after` (what the scheduler walks through)."""
    return list(itertools.islice(cadence.slots_after(after), count))


def test_next_slots_strictly_after():
    """A slot exactly at `after` is not repeated."""
    cadence = Cadence(time(9), ALL_DAYS, "UTC")
    assert next_slots(cadence, utc(2026, 1, 1, 9), 1) == [utc(2026, 1, 2, 9)]


def test_plan_posts_latest_within_grace_and_skips_older():
    """Only the latest missed slot posts (within grace); older ones are skipped with a reason."""
    due = [utc(2026, 1, 1, 9), utc(2026, 1, 2, 9), utc(2026, 1, 3, 9)]
    plan = plan_due(due, utc(2026, 1, 3, 11), GRACE)
    assert plan.post == utc(2026, 1, 3, 9)
    assert [s for s, _ in plan.skip] == due[:2] and all("offline" in r for _, r in plan.skip)


def test_plan_beyond_grace_posts_nothing():
    """A slot later than the grace period is skipped, naming the grace period."""
    plan = plan_due([utc(2026, 1, 3, 9)], utc(2026, 1, 3, 16), GRACE)
    assert plan.post is None and "6 h grace" in plan.skip[0][1]


def test_discord_timestamp():
    """Timestamps use Discord's <t:epoch:F> markup."""
    assert discord_timestamp(utc(2026, 1, 1)) == "<t:1767225600:F>"


@pytest.fixture
async def store(tmp_path):
    conn = await database.connect(tmp_path / "t.db")
    await database.migrate(conn)
    db = Database(conn)
    yield Store(db)
    await db.close()


async def make(store: Store, now: datetime):
    return await store.schedules.create(
        guild_id=1, channel_id=2, cadence=daily_paris(), theme=None, film=None, ping_role_id=None,
        make_thread=True, actor_id=3, now=now,
    )


async def test_claim_is_once_per_slot(store):
    """Two decisions for the same due slot claim it once."""
    schedule = await make(store, utc(2026, 1, 1))
    now = utc(2026, 1, 1, 8, 0, 5)
    first, _ = await store.schedules.claim_due(schedule.id, now, GRACE)
    second, _ = await store.schedules.claim_due(schedule.id, now, GRACE)
    assert first is not None and first.slot == utc(2026, 1, 1, 8) and second is None
    assert [(p.slot, p.status) for p in await store.schedules.posts(schedule.id)] == [(first.slot, "claimed")]


async def test_no_catch_up_before_creation(store):
    """A schedule created after today's slot time waits for tomorrow."""
    schedule = await make(store, utc(2026, 1, 1, 10))
    claim, skipped = await store.schedules.claim_due(schedule.id, utc(2026, 1, 1, 12), GRACE)
    assert claim is None and skipped == ()


async def test_paused_schedule_claims_nothing(store):
    """A paused schedule's due slot is not claimed."""
    schedule = await make(store, utc(2026, 1, 1))
    await store.schedules.set_paused(schedule.id, paused=True, reason="test", actor_id=3, now=utc(2026, 1, 1, 1))
    claim, _ = await store.schedules.claim_due(schedule.id, utc(2026, 1, 1, 8, 1), GRACE)
    assert claim is None and await store.schedules.posts(schedule.id) == []


async def test_stale_claim_is_taken_once(store):
    """An orphaned claim is re-taken once by compare-and-swap; a second taker gets nothing."""
    schedule = await make(store, utc(2026, 1, 1))
    await store.schedules.claim_due(schedule.id, utc(2026, 1, 1, 8), GRACE)
    later = utc(2026, 1, 1, 8) + STALE_CLAIM
    assert await store.schedules.next_pending_at() == later
    (orphan,) = await store.schedules.pending(later)
    assert (await store.schedules.take(orphan, later, recovered=True)).attempt == 2
    assert await store.schedules.take(orphan, later, recovered=True) is None


async def test_skip_marks_a_future_slot(store):
    """A skipped future slot is not claimed when it falls due; the next one is."""
    schedule = await make(store, utc(2026, 1, 1))
    assert await store.schedules.skip_slot(schedule, utc(2026, 1, 1, 8), actor_id=3, now=utc(2026, 1, 1))
    assert not await store.schedules.skip_slot(schedule, utc(2026, 1, 1, 8), actor_id=3, now=utc(2026, 1, 1))
    assert (await store.schedules.claim_due(schedule.id, utc(2026, 1, 1, 8, 0, 1), GRACE))[0] is None
    upcoming = await store.schedules.upcoming(schedule, utc(2026, 1, 1, 9), 1)
    assert upcoming == [(utc(2026, 1, 2, 8), False)]
