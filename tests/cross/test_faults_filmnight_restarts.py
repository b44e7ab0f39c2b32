"""Film night with a restart between every step, and each step's Discord call failing (a 5xx before or after
Discord applied it) just before that restart: every post once, nothing stuck, nothing lost."""

from __future__ import annotations

import pytest

from tests.cross.test_faults_filmnight import events, menu_disabled, reminders, results, schedule, text
from tests.faults import discord_fault
from tests.helpers import advance_to, buttons
from tests.helpers import rows as db

HOUR = 3600


def posts(world) -> str:
    return f"/channels/{world.channel.id}/messages"


def spoiler_threads(world) -> list:
    return [t for t in world.channel.threads if "Spoilers" in t.name]


def invitations(world) -> list:
    return [m for place in (world.channel, *world.channel.threads) for m in place.history()
            if any(b.get("custom_id", "").startswith("filmbot:watched:") for b in buttons(m))]


def fault(world, mode: str | None, method: str, path: str) -> None:
    if mode is not None:
        discord_fault(world.env, method, path, 503, applied=mode == "applied")


@pytest.mark.parametrize("mode", [None, "refused", "applied"])
async def test_film_night_with_a_restart_after_every_step(world, settings, mode):
    """pick → votes → close → schedule → 24 h → 1 h → start → end, a restart after each (the step's Discord call
    failing first): one ballot, one result, one event, one of each reminder, one thread, one invitation."""
    env = world.env
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    await world.mod.slash(world.channel, "filmnight reminder-mentions", mode="interested")
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    ballot = opened.response
    assert ballot is not None and ballot.components
    await env.restart_bot()
    for member, choice in ((world.alice, "2"), (world.bob, "2"), (world.mod, "1")):
        await member.select(ballot, [choice])
        await env.restart_bot()
    assert db(settings, "SELECT COUNT(*) FROM filmnight_ballots") == [(3,)]
    fault(world, mode, "POST", posts(world))
    await env.advance_time(HOUR + 1)
    await env.restart_bot()
    await env.advance_time(HOUR)
    [result] = results(world)
    assert "**Ran** wins" in result.embeds[0].description and menu_disabled(world, ballot.id)
    assert db(settings, "SELECT close_state FROM filmnight_picks") == [("announced",)]

    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    fault(world, mode, "POST", f"/guilds/{world.guild.id}/scheduled-events")
    first = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 20:00",
                                  where="Club room")
    await env.restart_bot()
    if "is scheduled" not in text(first):
        assert mode == "refused" and "Nothing was scheduled" in text(first), text(first)
        assert events(world) == [] and db(settings, "SELECT COUNT(*) FROM screenings") == [(0,)]
        again = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land",
                                      when="2026-01-05 20:00", where="Club room")
        assert "is scheduled" in text(again), text(again)
        await env.restart_bot()
    [event] = events(world)
    assert db(settings, "SELECT event_id, status FROM screenings") == [(event.id, "scheduled")]
    await world.alice.subscribe_event(event.id)
    await env.restart_bot()

    for moment, kind in (((2026, 1, 4, 19, 59), "24h"), ((2026, 1, 5, 18, 59), "1h")):
        await advance_to(world, *moment)
        fault(world, mode, "POST", posts(world))
        await env.advance_time(2 * 60)
        await env.restart_bot()
        await env.advance_time(HOUR)
        assert db(settings, "SELECT status FROM screening_reminders WHERE kind = ?", (kind,)) == [("sent",)], kind
    assert len(reminders(world)) == 2 and all(f"<@{world.alice.id}>" in r for r in reminders(world))

    await advance_to(world, 2026, 1, 5, 20, 1)  # the screening starts: nothing posted, the gate holds
    await env.restart_bot()
    await advance_to(world, 2026, 1, 5, 22, 59)
    fault(world, mode, "POST", posts(world))
    fault(world, mode, "POST", f"{posts(world)}/*/threads")
    fault(world, mode, "POST", "/channels/*/messages")
    await env.advance_time(2 * 60)
    await env.restart_bot()
    await env.advance_time(HOUR)
    await env.restart_bot()
    await env.advance_time(8 * HOUR)
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]
    assert db(settings, "SELECT kind, status FROM screening_reminders ORDER BY kind") == [
        ("1h", "sent"), ("24h", "sent"), ("end", "sent")]
    [thread] = spoiler_threads(world)
    [invitation] = invitations(world)
    assert invitation.channel.id == thread.id
    assert len(results(world)) == 1 and len(reminders(world)) == 2 and len(events(world)) == 1
    assert not env.errors


# ---------------------------------------------------------------- calls no test reached


async def test_a_cancel_whose_event_delete_was_applied_before_a_5xx_is_cancelled_once(world, settings):
    """/filmnight cancel: Discord deletes the event, then 503: the screening is cancelled, said so, no reminder."""
    await schedule(world)
    discord_fault(world.env, "DELETE", f"/guilds/{world.guild.id}/scheduled-events/*", 503, applied=True)
    cancelled = await world.mod.slash(world.channel, "filmnight cancel")
    assert "Cancelled the screening" in text(cancelled) and "Nothing changed" not in text(cancelled), text(cancelled)
    assert events(world) == []
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    await advance_to(world, 2026, 1, 6)
    assert reminders(world) == [] and not world.env.errors


async def test_a_cancel_whose_event_a_moderator_deleted_settles(world, settings):
    """The event already deleted in Discord (404 Unknown Guild Scheduled Event): cancelled once, said plainly."""
    await schedule(world)
    discord_fault(world.env, "DELETE", f"/guilds/{world.guild.id}/scheduled-events/*", 404, code=10070, times=None)
    cancelled = await world.mod.slash(world.channel, "filmnight cancel")
    assert "Cancelled the screening" in text(cancelled), text(cancelled)
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    await advance_to(world, 2026, 1, 6)
    assert reminders(world) == [] and not world.env.errors


@pytest.mark.parametrize("status", [403, 503])
async def test_reminders_whose_subscriber_list_is_refused_still_go_out(world, settings, status):
    """The event's subscribers cannot be read (403 for good, or 503 every try): the reminder is posted anyway,
    mentioning nobody, rather than dropped."""
    await world.mod.slash(world.channel, "filmnight reminder-mentions", mode="interested")
    await schedule(world)
    await world.alice.subscribe_event(events(world)[0].id)
    discord_fault(world.env, "GET", f"/guilds/{world.guild.id}/scheduled-events/*/users", status, times=None)
    await advance_to(world, 2026, 1, 5, 20, 1)
    assert len(reminders(world)) == 2 and not any("<@" in r for r in reminders(world)), reminders(world)
    assert db(settings, "SELECT kind, status FROM screening_reminders WHERE kind != 'end' ORDER BY kind") == [
        ("1h", "sent"), ("24h", "sent")]
