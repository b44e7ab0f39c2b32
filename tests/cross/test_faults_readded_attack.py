"""Attack audit of the re-invitation work (faults15): what Discord may do around a removal that the bot cannot see —
a film night called off while the bot was away, an outage that is no removal, a server that never invites it back,
two processes meeting one removal."""

from __future__ import annotations

import asyncio

import pytest

from tests.cross.test_faults_filmnight import schedule
from tests.cross.test_faults_readded import kick
from tests.cross.test_faults_readded_steps import (
    DAY,
    HOUR,
    end_posts,
    invitations,
    kicked_across_the_end,
    reminders,
)
from tests.helpers import advance_to
from tests.helpers import rows as db

CANCELLED = 4  # Discord's GuildScheduledEventStatus.CANCELED


@pytest.mark.parametrize("how", ["cancelled"])
async def test_a_film_night_called_off_while_removed_gets_no_late_end_step(world, settings, how):
    """Removed before a screening, whose event a moderator cancels while the bot is away; invited back after its end:
    no "Film night is over" thread nor rating invitation for a night that did not happen, the screening is cancelled,
    not ended; a restart and days after add nothing. (An event gone altogether is the next test: Discord removes a
    completed event too.)"""
    await schedule(world, "2026-01-05 20:00")
    await advance_to(world, 2026, 1, 4, 18)
    guild = world.env.backend.guilds[world.guild.id]
    invite_back = kick(world)
    await world.env.advance_time(12 * HOUR)
    for event in guild.scheduled_events.values():
        event.status = CANCELLED
    await world.env.advance_time(36 * HOUR)  # past its end (5 Jan 22:38): the job ended it blind
    invite_back()
    await world.env.advance_time(HOUR)
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    assert not invitations(world) and not end_posts(world) and not reminders(world), invitations(world)
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("skipped",)]
    assert not world.env.errors


async def test_a_film_night_whose_event_is_gone_after_its_end_still_gets_its_late_end_step(world, settings):
    """The event gone while the bot was removed, invited back after the night's end: Discord also removes an event
    once it has completed, so the night may well have been held: its spoiler thread and rating invitation come,
    once, saying they are late; the screening stays ended."""
    await schedule(world, "2026-01-05 20:00")
    await advance_to(world, 2026, 1, 4, 18)
    guild = world.env.backend.guilds[world.guild.id]
    invite_back = kick(world)
    await world.env.advance_time(48 * HOUR)  # past its end: the job ended it blind
    guild.scheduled_events.clear()
    invite_back()
    await world.env.advance_time(HOUR)
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    assert len(invitations(world)) == 1 and "comes late" in invitations(world)[0]
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]
    assert not world.env.errors


async def test_a_film_night_called_off_while_removed_gets_no_late_reminder(world, settings):
    """Held: the event deleted while removed, invited back while its 24 h reminder is still true: nothing is sent (the
    reminder looks at the event) and the screening is cancelled."""
    await schedule(world, "2026-01-05 20:00")
    await advance_to(world, 2026, 1, 4, 18)
    guild = world.env.backend.guilds[world.guild.id]
    invite_back = kick(world)
    await world.env.advance_time(3 * HOUR)  # the 24 h reminder (4 Jan 20:00) fails while removed
    guild.scheduled_events.clear()
    invite_back()
    await world.env.advance_time(DAY)
    assert not reminders(world) and not end_posts(world)
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    assert not world.env.errors


async def test_an_outage_is_not_a_removal(world, settings):
    """Held: GUILD_DELETE with `unavailable: true` (a Discord outage) is remembered as no removal, and a restart after
    it dispatches no join."""
    world.env.backend.emit("GUILD_DELETE", {"id": str(world.guild.id), "unavailable": True})
    await world.env.advance_time(60)
    assert db(settings, "SELECT count(*) FROM guild_removals") == [(0,)]
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert not world.env.errors


async def test_a_server_that_never_invites_the_bot_back_costs_one_row(world, settings):
    """Held: removed across a screening's end and never invited back, the bot restarted five times: one removal row,
    each given-up post tried once, nothing posted, nothing due."""
    await kicked_across_the_end(world, 48)
    for _ in range(5):
        await world.env.restart_bot()
        await world.env.advance_time(HOUR)
    assert db(settings, "SELECT count(*) FROM guild_removals") == [(1,)]
    assert db(settings, "SELECT kind, status, attempts FROM screening_reminders ORDER BY kind") == [
        ("1h", "failed", 1), ("24h", "failed", 1), ("end", "failed", 1)]
    assert not end_posts(world) and not world.env.errors


async def test_two_processes_seeing_one_return_run_it_once(two_processes):
    """Held: two processes (a start and a join, or two starts) taking the same removal at once: one of them runs it."""
    a, b = two_processes
    await a.removals.removed(42, "2026-01-01T00:00:00+00:00")
    taken = await asyncio.gather(a.removals.back(42), b.removals.back(42), a.removals.back(42))
    assert sorted(taken) == [False, False, True]
    assert await b.removals.removed_from() == []
