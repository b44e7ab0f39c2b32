"""The playground's clock drives timed work as real time would: schedules and poll deadlines fire on it."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

for _module in ("aiohttp", "markdown_it", "linkify_it", "regex", "PIL"):
    pytest.importorskip(_module, reason=f"the playground needs simcord[preview] ({_module} is missing)")

import aiohttp

from bot.playground import Clock, PageClient, build_world, catch_up_with_wall_time, open_preview


async def test_schedule_set_from_the_page_posts_within_a_virtual_minute(simcord_env, settings):
    """At --speed 60 a schedule set from the page for 3 minutes ahead posts in its minute, unprompted."""
    world = build_world(simcord_env)
    await catch_up_with_wall_time(simcord_env)
    slot = (simcord_env.now() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    async with open_preview(world) as preview, aiohttp.ClientSession() as http:
        page = PageClient(preview.url, http)
        await page.open(world.mod.id)
        await page.run_command("schedule set", channel=str(world.channel.id), time=f"{slot:%H:%M}")
        clock = Clock(simcord_env, preview, speed=60)
        while simcord_env.now() < slot:
            await clock.tick(60)
        await clock.tick(60)  # the slot's own minute
        state = await page.request("GET", "/api/state")
    with sqlite3.connect(settings.database) as conn:
        posted = conn.execute("SELECT updated_at FROM schedule_posts WHERE status = 'posted'").fetchall()
    assert len(posted) == 1, "posted exactly once, by the clock alone"
    embeds = [e for m in state["messages"].values() for e in m.get("embeds") or []]
    assert embeds, "the page shows the prompt"


async def test_poll_from_the_page_closes_within_a_virtual_minute_of_its_deadline(simcord_env, settings):
    """A 1-hour button poll started from the page is closed and announced by the clock alone."""
    world = build_world(simcord_env)
    await catch_up_with_wall_time(simcord_env)
    async with open_preview(world) as preview, aiohttp.ClientSession() as http:
        page = PageClient(preview.url, http)
        await page.open(world.alice.id)
        await page.run_command("poll create", question="Best score?", options="A | B", hours="1", anonymous=True)
        clock = Clock(simcord_env, preview, speed=60)
        deadline = simcord_env.now() + timedelta(hours=1)
        while simcord_env.now() < deadline + timedelta(minutes=1):
            await clock.tick(60)
    with sqlite3.connect(settings.database) as conn:
        closed_at, results = conn.execute("SELECT closed_at, results_message_id FROM polls").fetchone()
    assert closed_at is not None and results is not None
