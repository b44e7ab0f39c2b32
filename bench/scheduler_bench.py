"""The timed-work loop at size, in a running bot under simcord (virtual clock).

1. One scheduler pass (every registered job: polls, schedules, film night, club) with 5,000
   schedules and 10,000 open polls, none due: wall seconds of `Scheduler.run_once`.
2. 2,000 schedules due in the same minute, each in its own channel, with every Discord REST call
   taking a real 100 ms: wall seconds from the pass that finds them due to the last message sent,
   and how many slots were posted twice.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import simcord

from bot import Settings, create_bot
from bot.core.time import iso
from bot.schedules.rules import Cadence, parse_days, parse_time

DISCORD_CALL_S = 0.1


async def _schedules(bot: Any, env: Any, count: int, at: str | None, per_guild: int) -> None:
    """`count` daily schedules, each in its own new channel, spread `per_guild` to a guild."""
    now = bot.now()
    guild = None
    for number in range(count):
        if number % per_guild == 0:
            guild = env.create_guild(name=f"Club {number // per_guild}")
        assert guild is not None
        channel = guild.create_text_channel(f"prompts-{number}")
        slot = at or f"{(now.hour + 2 + number % 20) % 24:02d}:{number % 60:02d}"  # none due soon
        cadence = Cadence(parse_time(slot), parse_days("daily"), "UTC")
        await bot.store.schedules.create(
            guild_id=guild.id, channel_id=channel.id, cadence=cadence, theme=None, film=None,
            ping_role_id=None, make_thread=False, actor_id=1, now=now - timedelta(seconds=30),
        )


async def _polls(bot: Any, count: int) -> None:
    now = bot.now()
    for number in range(count):
        await bot.store.polls.create(
            guild_id=1 + number % 500, channel_id=1, creator_id=1, kind="buttons", question=f"Poll {number}?",
            options=("a", "b"), multiple=False, anonymous=False, hide_results=False, created_at=iso(now),
            deadline=iso(now + timedelta(days=2, minutes=number % 1000)),
        )


async def scheduler_pass(database: Path, schedules: int, polls: int) -> dict[str, float]:
    """Wall seconds of the first pass (every next slot computed) and of a steady pass."""
    bot = create_bot(Settings(database=database))
    try:
        async with simcord.run(bot) as env:
            await bot.scheduler.stop()  # passes are run by hand below, not by the loop
            await _schedules(bot, env, schedules, None, per_guild=25)
            await _polls(bot, polls)
            start = time.perf_counter()
            await bot.scheduler.run_once()
            first = time.perf_counter() - start
            steady = []
            for _ in range(5):
                start = time.perf_counter()
                await bot.scheduler.run_once()
                steady.append(time.perf_counter() - start)
            return {"first_s": first, "steady_s": sorted(steady)[len(steady) // 2]}
    finally:
        await bot.close_store()


async def due_burst(database: Path, schedules: int) -> dict[str, float]:
    """`schedules` slots due in one minute, 100 ms per Discord call: span (wall s) and duplicates."""
    bot = create_bot(Settings(database=database))
    # Each Discord call really waits 100 ms (in a thread: simcord would turn an asyncio sleep into
    # virtual time, and waiting on the post semaphore behind a virtual sleep cannot settle).
    pool = ThreadPoolExecutor(max_workers=64)
    try:
        async with simcord.run(bot, settle_timeout=900) as env:
            due = (bot.now() + timedelta(minutes=2)).replace(second=0, microsecond=0)
            await _schedules(bot, env, schedules, f"{due.hour:02d}:{due.minute:02d}", per_guild=10)
            real_request = bot.http.request
            sent: list[float] = []
            began: list[float] = []

            routes: dict[str, int] = {}

            async def slow_request(route: Any, *args: Any, **kwargs: Any) -> Any:
                routes[f"{route.method} {route.path}"] = routes.get(f"{route.method} {route.path}", 0) + 1
                await asyncio.get_running_loop().run_in_executor(pool, time.sleep, DISCORD_CALL_S)
                result = await real_request(route, *args, **kwargs)
                if route.method == "POST" and route.path.endswith("/messages"):
                    sent.append(time.perf_counter())
                return result

            job = bot.scheduler._jobs["schedules"]
            real_run = job.run_due

            async def timed_run(now: Any) -> None:
                if now >= due and not began:
                    began.append(time.perf_counter())  # the pass that finds the minute's slots due
                await real_run(now)

            job.run_due = timed_run
            bot.http.request = slow_request  # type: ignore[method-assign]
            bot.scheduler.wake()
            await env.advance_time((due - bot.now()).total_seconds() - 1)
            await env.advance_time(120)
            rows = await bot.store.db.fetchall(
                "SELECT schedule_id, count(*) FROM schedule_posts WHERE status = 'posted' GROUP BY schedule_id"
            )
            prompts = await bot.store.db.fetchval(
                "SELECT count(*) FROM posted_prompts WHERE source LIKE 'schedule:%'"
            )
            duplicates = sum(r[1] - 1 for r in rows) + max(0, len(sent) - len(rows)) + max(0, prompts - len(rows))
            span = (max(sent) - began[0]) if sent and began else float("inf")
            return {"posted": len(rows), "duplicates": duplicates, "span_s": span, "messages": len(sent),
                    "calls_per_post": sum(routes.values()) / max(1, len(rows)), "first_post_s": (min(sent) - began[0]) if sent and began else 0.0, "routes": routes}
    finally:
        pool.shutdown(wait=False)
        await bot.close_store()
