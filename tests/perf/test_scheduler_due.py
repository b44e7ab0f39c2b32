"""The scheduler pass reads only what is due: a steady pass costs a handful of queries whatever
the number of schedules, and next_due follows claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.schedules.job import ScheduleJob
from bot.schedules.rules import Cadence, parse_days, parse_time
from tests.helpers import count_db_trips


async def test_steady_pass_is_constant_in_schedules(world, monkeypatch: pytest.MonkeyPatch) -> None:
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
    hops = count_db_trips(monkeypatch, bot.store.db)
    await job.run_due(now)
    assert await job.next_due() == first
    assert hops[0] <= 10  # was two queries per schedule


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


async def test_due_posts_run_one_queue_per_server(world) -> None:
    """Due slots of different servers post concurrently, one server's one after another (post_prompt
    holds the server's lock while posting: concurrency slots given to one server would only wait)."""
    import asyncio

    bot = world.bot
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    cadence = Cadence(parse_time("12:00"), parse_days("daily"), "UTC")
    for guild_id in (1, 2, 3):
        for channel_id in (10 * guild_id, 10 * guild_id + 1):
            await bot.store.schedules.create(
                guild_id=guild_id, channel_id=channel_id, cadence=cadence, theme=None, film=None,
                ping_role_id=None, make_thread=False, actor_id=world.mod.id, now=now - timedelta(hours=1),
            )
    job = ScheduleJob(bot)
    in_flight: dict[int, int] = {}
    most: dict[int, int] = {}
    total_most = 0
    posted = []

    async def fake_post(claim: Any) -> None:
        nonlocal total_most
        guild = claim.schedule.guild_id
        in_flight[guild] = in_flight.get(guild, 0) + 1
        most[guild] = max(most.get(guild, 0), in_flight[guild])
        total_most = max(total_most, sum(in_flight.values()))
        for _ in range(3):
            await asyncio.sleep(0)
        in_flight[guild] -= 1
        posted.append(claim.schedule.id)

    job.post = fake_post  # type: ignore[method-assign]
    await job.run_due(now)
    assert len(posted) == 6 and len(set(posted)) == 6
    assert most == {1: 1, 2: 1, 3: 1}
    assert total_most == 3
