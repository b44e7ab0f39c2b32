"""ScheduleStore.paused_unreachable on either backend: the schedules the bot resumes when invited back into a server
(ScheduleJob.rejoined) are those it paused for an unreachable channel, never a moderator's pause."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.schedules.job import CHANNEL_GONE, REFUSED
from bot.schedules.rules import Cadence, parse_days, parse_time

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GUILD, OTHER = 1_300_000_000_000_000_001, 1_300_000_000_000_000_002  # snowflakes: past 32 bits
CHANNEL = 1_300_000_000_000_000_101


async def paused(store, guild_id: int, reason: str | None) -> int:
    schedule = await store.schedules.create(
        guild_id=guild_id, channel_id=CHANNEL, cadence=Cadence(parse_time("09:00"), parse_days("daily"), "UTC"),
        theme=None, film=None, ping_role_id=None, make_thread=False, actor_id=3, now=NOW)
    if reason is not None:
        await store.schedules.set_paused(schedule.id, paused=True, reason=reason, actor_id=None, now=NOW)
    return schedule.id


async def test_only_schedules_paused_for_an_unreachable_channel_are_found(two_processes):
    """The job's two reasons (a channel gone, Discord refusing) match by their own words, oldest first; a moderator's
    reason mentioning them elsewhere, a running schedule and another server's are left out."""
    store, _ = two_processes
    gone = await paused(store, GUILD, f"the channel <#{CHANNEL}> {CHANNEL_GONE}")
    refused = await paused(store, GUILD, f"{REFUSED} <#{CHANNEL}> (Missing Access 50_001%).")
    await paused(store, GUILD, f"paused by a moderator: {CHANNEL_GONE} (no, it was not)")
    await paused(store, GUILD, f"quoted: {REFUSED} <#{CHANNEL}>")
    await paused(store, GUILD, None)
    await paused(store, OTHER, f"the channel <#{CHANNEL}> {CHANNEL_GONE}")
    found = await store.schedules.paused_unreachable(GUILD, (f"%{CHANNEL_GONE}", f"{REFUSED} %"))
    assert [(s.id, s.channel_id) for s in found] == [(gone, CHANNEL), (refused, CHANNEL)]
