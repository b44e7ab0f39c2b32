"""A claimed slot is settled only by proof that this slot's prompt exists; a visible prompt is never posted twice."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.schedules.store import STALE_CLAIM
from tests.faults import db_fault, discord_fault

HOUR = 3600


def prompts(world, channel=None) -> list:
    return [m for m in (channel or world.channel).history() if m.author.id == world.bot.user.id and m.embeds]


def slot_rows(world) -> list:
    from tests.helpers import rows as db
    return db(world.bot.settings, "SELECT slot_utc, status FROM schedule_posts ORDER BY slot_utc")


async def set_daily_0800_utc(world) -> int:
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    assert "Schedule set" in r.response.content, r.response.content
    from tests.helpers import rows as db
    return db(world.bot.settings, "SELECT id FROM schedules")[0][0]


async def advance_to(world, *moment: int) -> None:
    await world.env.advance_time((datetime(*moment, tzinfo=UTC) - world.env.now()).total_seconds())


async def test_another_bot_message_does_not_settle_an_orphaned_claim(world):
    schedule_id = await set_daily_0800_utc(world)
    await world.bot.scheduler.stop()
    await advance_to(world, 2026, 1, 1, 8)
    claim, _ = await world.bot.store.schedules.claim_due(schedule_id, world.env.now(), STALE_CLAIM * 100)
    assert claim is not None  # claimed, then the process "crashed" before posting
    await world.env.restart_bot()
    r = await world.alice.slash(world.channel, "discuss")  # a bot message in the channel since the claim
    assert r.response is not None
    await world.env.advance_time(STALE_CLAIM.total_seconds() + 60)
    await world.env.advance_time(HOUR)
    scheduled = [m for m in prompts(world) if "Scheduled prompt" in (m.embeds[0].footer.text or "")]
    assert len(scheduled) == 1, "the scheduled prompt was lost"
    assert len(prompts(world)) == 2
    assert slot_rows(world) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_a_prompt_posted_just_before_a_crash_is_recognised_and_not_reposted(world, monkeypatch):
    await set_daily_0800_utc(world)
    # Sent, then settling fails (the database is locked, or the process dies): the claim is orphaned.
    db_fault(monkeypatch, world.bot.store.schedules, "mark_posted", times=1)
    await advance_to(world, 2026, 1, 1, 8, 0, 30)
    assert len(prompts(world)) == 1
    await world.env.restart_bot()
    await world.env.advance_time(STALE_CLAIM.total_seconds() + HOUR)
    assert len(prompts(world)) == 1
    assert slot_rows(world) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_thread_and_cleanup_failing_posts_the_slot_once(world):
    await set_daily_0800_utc(world)
    discord_fault(world.env, "POST", "/channels/*/messages/*/threads", 503, times=None)
    discord_fault(world.env, "DELETE", "/channels/*/messages/*", 503, times=None)
    await advance_to(world, 2026, 1, 1, 9)
    assert len(prompts(world)) == 1, "two prompts for one slot"
    assert slot_rows(world) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_discuss_says_posted_without_thread_when_the_prompt_is_visible(world):
    discord_fault(world.env, "POST", "/channels/*/messages/*/threads", 503, times=None)
    discord_fault(world.env, "DELETE", "/channels/*/messages/*", 503, times=None)
    r = await world.alice.slash(world.channel, "discuss")
    replies = " ".join(m.content or "" for m in [r.response, *r.followups] if m is not None)
    assert len(prompts(world)) == 1
    assert "Nothing was posted" not in replies
    assert "the thread could not be opened" in replies
