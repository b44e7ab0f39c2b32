"""The host's wall clock stepping BACKWARDS (an NTP step back of minutes or hours) around a due time, Discord's
clock and the monotonic one unmoved (tests/faults.py host_clock_step): a poll closed at 20:00 stays closed when
the clock reads 19:10 again, a reminder or a scheduled slot is never posted twice nor skipped."""

from __future__ import annotations

from tests.cross.test_faults_filmnight import reminders, schedule
from tests.cross.test_faults_polls import make_poll
from tests.faults import host_clock_step
from tests.helpers import advance_to, prompts, slot_rows, text_of
from tests.helpers import rows as db

HOUR = 3600
MINUTE = 60


async def test_a_poll_closed_before_the_clock_steps_back_stays_closed(world, settings, monkeypatch):
    """Due at its hour, closed a minute after, the clock back 51 minutes: not reopened, results posted once."""
    step = host_clock_step(world.env, monkeypatch)
    poll_id = await make_poll(world)
    await world.env.advance_time(HOUR + MINUTE)
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    posts = len(world.bot_messages())
    step(-51 * MINUTE)
    await world.env.advance_time(2 * HOUR)
    assert len(world.bot_messages()) == posts
    assert db(settings, "SELECT close_state FROM polls WHERE id = ?", (poll_id,)) == [("announced",)]
    listed = await world.alice.slash(world.channel, "poll list")
    assert "Best ending?" not in text_of(listed), text_of(listed)


async def test_a_poll_whose_deadline_the_clock_steps_back_over_closes_at_its_time(world, settings, monkeypatch):
    """At 19:59 the clock steps back to 19:10: the poll closes when the wall clock reads its deadline, once."""
    step = host_clock_step(world.env, monkeypatch)
    poll_id = await make_poll(world)
    await world.env.advance_time(HOUR - MINUTE)
    step(-49 * MINUTE)
    await world.env.advance_time(48 * MINUTE)
    assert db(settings, "SELECT close_state FROM polls WHERE id = ?", (poll_id,)) == [("open",)]
    await world.env.advance_time(3 * MINUTE)
    assert db(settings, "SELECT close_state FROM polls WHERE id = ?", (poll_id,)) == [("announced",)]


async def test_a_reminder_is_not_sent_again_when_the_clock_steps_back_over_it(world, settings, monkeypatch):
    """The 1 h reminder sent at 19:00, the clock back from 19:01 to 18:10: not sent again; the end step once."""
    step = host_clock_step(world.env, monkeypatch)
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 19, 1)
    assert len(reminders(world)) == 2
    step(-51 * MINUTE)
    await world.env.advance_time(2 * HOUR)
    assert len(reminders(world)) == 2
    await world.env.advance_time(4 * HOUR)
    assert db(settings, "SELECT kind, status FROM screening_reminders ORDER BY kind") == [
        ("1h", "sent"), ("24h", "sent"), ("end", "sent")]


async def test_a_scheduled_slot_is_not_posted_twice_when_the_clock_steps_back(world, settings, monkeypatch):
    """08:00 posted, the clock back from 08:01 to 07:10 (and then 3 h further back): one prompt; the next day's
    slot posts once at its time."""
    step = host_clock_step(world.env, monkeypatch)
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    await advance_to(world, 2026, 1, 1, 8, 1)
    assert len(prompts(world)) == 1
    step(-51 * MINUTE)
    await world.env.advance_time(2 * HOUR)
    step(-3 * HOUR)
    await world.env.advance_time(5 * HOUR)
    assert len(prompts(world)) == 1
    await world.env.advance_time(24 * HOUR)
    assert len(prompts(world)) == 2
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted"), ("2026-01-02T08:00:00+00:00", "posted")]


async def test_a_slot_due_across_a_step_back_is_posted_once_not_skipped(world, settings, monkeypatch):
    """At 07:59 the clock steps back to 06:00: the 08:00 slot posts when the wall clock reads 08:00, once."""
    step = host_clock_step(world.env, monkeypatch)
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    await advance_to(world, 2026, 1, 1, 7, 59)
    step(-119 * MINUTE)
    await world.env.advance_time(119 * MINUTE)
    assert prompts(world) == []
    await world.env.advance_time(2 * MINUTE)
    assert len(prompts(world)) == 1
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
