"""The scheduler pass reads only what is due: a steady pass costs a handful of queries whatever
the number of schedules, and next_due follows claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.schedules.job import ScheduleJob
from bot.schedules.rules import Cadence, parse_days, parse_time


async def test_steady_pass_is_constant_in_schedules(world) -> None:
    bot = world.bot
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    for i in range(120):
        cadence = Cadence(parse_time(f"{(13 + i % 10):02d}:{i % 60:02d}"), parse_days("daily"), "UTC")
        await bot.store.schedules.create(
            guild_id=world.guild.id, channel_id=world.channel.id, cadence=cadence, theme=None, film=None,
            ping_role_id=None, make_thread=False, actor_id=world.mod.id, now=now - timedelta(minutes=1),
        )
    job = ScheduleJob(bot)
    first = await job.next_due()
    assert first is not None and first > now
    conn = bot.store.db.conn
    real, hops = conn._execute, 0

    async def counting(fn: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal hops
        hops += 1
        return await real(fn, *args, **kwargs)

    conn._execute = counting
    try:
        await job.run_due(now)
        assert await job.next_due() == first
    finally:
        conn._execute = real
    assert hops <= 10  # was two queries per schedule


async def test_claimed_schedule_moves_to_its_next_slot(world) -> None:
    bot = world.bot
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    store = bot.store.schedules
    cadence = Cadence(parse_time("12:00"), parse_days("daily"), "UTC")
    schedule = await store.create(
        guild_id=world.guild.id, channel_id=world.channel.id, cadence=cadence, theme=None, film=None,
        ping_role_id=None, make_thread=False, actor_id=world.mod.id, now=now - timedelta(hours=1),
    )
    job = ScheduleJob(bot)
    assert await job.next_due() == now
    assert await store.due_ids(now) == [schedule.id]
    claim, _ = await store.claim_due(schedule.id, now, timedelta(hours=6))
    assert claim is not None
    assert await store.due_ids(now) == []  # cleared by the claim, not due again
    await store.mark_posted(claim.post_id, 1, now)
    assert await job.next_due() == now + timedelta(days=1)
