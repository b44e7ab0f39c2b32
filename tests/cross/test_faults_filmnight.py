"""Film night under faults and downtime (issue 29): nothing lost, nothing stale, nothing doubled.

Picks close like polls (closing → announced, retried, moderators told); reminders and the screening's end
are retried through the job loop; a reminder past its moment after downtime is skipped; events moved or
deleted in Discord while the bot was offline are reconciled at start and when a fetch says they are gone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.faults import db_fault, discord_fault
from tests.helpers import advance_to, bot_down_for, msgs, write
from tests.helpers import rows as db

HOUR = 3600
START = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)  # the screening: 20:00-23:00 UTC


def text(result) -> str:
    return "\n".join((m.content or "") + "".join(e.description or "" for e in m.embeds) for m in msgs(result))


def results(world) -> list:
    return [m for m in world.channel.history() if m.author.bot and m.embeds
            and (m.embeds[0].title or "").startswith("Results of pick")]


def reminders(world) -> list[str]:
    return [m.content for m in world.channel.history() if m.author.bot and "⏰" in (m.content or "")]


def events(world) -> list:
    return list(world.env.backend.get_guild(world.guild.id).scheduled_events.values())


def pick_state(settings) -> list:
    return db(settings, "SELECT close_state, winner FROM filmnight_picks")


async def open_pick(world, hours: int = 1):
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=hours, method="single")
    for member, choice in ((world.alice, "2"), (world.bob, "2"), (world.mod, "1")):
        await member.select(opened.response, [choice])
    return opened.response


def menu_disabled(world, message_id: int) -> bool:
    message = next(m for m in world.channel.history() if m.id == message_id)
    return all(c.disabled for row in message.components for c in row.children)


async def schedule(world, when: str = "2026-01-05 20:00"):
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    result = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when=when,
                                   where="Club room")
    assert "is scheduled" in text(result), text(result)


# ---------------------------------------------------------------- 1. picks: closing → announced


async def test_one_5xx_posting_a_pick_result_is_retried(world, settings):
    """A 503 on the result post: the pick stays 'closing', the retry posts the result once, menu disabled."""
    message = await open_pick(world)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503)
    await world.env.advance_time(HOUR + 1)
    assert results(world) == [] and pick_state(settings) == [("closing", 2)]
    await world.env.advance_time(60)
    [result] = results(world)
    assert "**Ran** wins" in result.embeds[0].description
    assert db(settings, "SELECT close_state, results_message_id FROM filmnight_picks") == [("announced", result.id)]
    assert menu_disabled(world, message.id)
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    assert len(results(world)) == 1


async def test_a_locked_database_right_after_closing_still_announces(world, settings, monkeypatch):
    """Storing the winner fails once after the close: the winner is stored and announced on the retry."""
    message = await open_pick(world)
    failed = db_fault(monkeypatch, world.bot.store.filmnight, "set_result", times=1)
    await world.env.advance_time(HOUR + 1)
    assert failed == [1]
    await world.env.advance_time(60)
    assert pick_state(settings) == [("announced", 2)] and len(results(world)) == 1
    assert menu_disabled(world, message.id)


async def test_a_pick_closed_just_before_a_crash_is_announced_after_restart(world, settings):
    """The process dies between closing and announcing: after restart the job counts and announces it."""
    message = await open_pick(world)
    await world.bot.scheduler.stop()
    write(settings, "UPDATE filmnight_picks SET closed_at = deadline, close_state = 'closing',"
          " next_close_at = deadline")
    await world.env.advance_time(HOUR + 60)
    await world.env.restart_bot()
    await world.env.advance_time(5)
    assert pick_state(settings) == [("announced", 2)] and len(results(world)) == 1
    assert menu_disabled(world, message.id)


async def test_after_the_last_attempt_moderators_are_told_about_the_pick(world, settings):
    """Discord down for good in the pick's channel: 'abandoned' after the back-off, a notice in the log."""
    logs = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=logs)
    await open_pick(world)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503, times=None)
    await world.env.advance_time(HOUR + 8 * HOUR)
    assert pick_state(settings) == [("abandoned", 2)]
    notices = [m.content for m in logs.history() if m.author.bot]
    assert any("Pick #1" in n and "could not post its result" in n for n in notices), notices


# ---------------------------------------------------------------- 2. no stale reminders


async def test_reminders_past_their_moment_after_downtime_are_not_sent_late(world, settings):
    """Down from before the 24 h reminder until 22:01 on the night: neither reminder is posted."""
    await schedule(world)
    await advance_to(world, 2026, 1, 4, 12)
    await bot_down_for(world.env, (datetime(2026, 1, 5, 22, 1, tzinfo=UTC) - world.env.now()).total_seconds())
    await world.env.advance_time(60)
    assert reminders(world) == []
    assert db(settings, "SELECT kind, status FROM screening_reminders WHERE kind != 'end' ORDER BY kind") == [
        ("1h", "skipped"), ("24h", "skipped")]
    await advance_to(world, 2026, 1, 5, 23, 1)
    assert db(settings, "SELECT status FROM screenings") == [("ended",)] and reminders(world) == []


# ---------------------------------------------------------------- 3. events changed while offline


async def test_an_event_deleted_while_offline_cancels_the_screening(world, settings):
    """Deleted in Discord during downtime: cancelled at start, no reminders, gate open, schedule works."""
    await schedule(world)
    [event] = events(world)
    await world.env.shutdown()
    world.env.backend.delete_scheduled_event(world.guild.id, event.id)
    await world.env.start()
    await world.env.advance_time(5)
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    assert "Started a discussion" in text(await world.alice.slash(world.channel, "discuss", theme="ending"))
    await advance_to(world, 2026, 1, 6)
    assert reminders(world) == []
    again = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-09 20:00",
                                  where="Club room")
    assert "is scheduled" in text(again), text(again)


async def test_an_event_moved_while_offline_moves_the_screening(world, settings):
    """Moved a day later in Discord during downtime: new time, reminders at it, /filmnight move works."""
    await schedule(world)
    [event] = events(world)
    await world.env.shutdown()
    world.env.backend.edit_scheduled_event(world.guild.id, event.id, {
        "scheduled_start_time": "2026-01-06T20:00:00+00:00", "scheduled_end_time": "2026-01-06T23:00:00+00:00"})
    await world.env.start()
    await world.env.advance_time(5)
    assert db(settings, "SELECT starts_at FROM screenings") == [("2026-01-06T20:00:00+00:00",)]
    assert db(settings, "SELECT kind, due_at FROM screening_reminders ORDER BY due_at") == [
        ("24h", "2026-01-05T20:00:00+00:00"), ("1h", "2026-01-06T19:00:00+00:00"), ("end", "2026-01-06T23:00:00+00:00")]
    await advance_to(world, 2026, 1, 5, 20, 1)
    assert len(reminders(world)) == 1
    moved = await world.mod.slash(world.channel, "filmnight move", when="2026-01-07 21:00")
    assert "Moved" in text(moved), text(moved)


async def test_a_move_whose_event_is_gone_cancels_and_says_so(world, settings):
    """The event fetch answers 404 Unknown Guild Scheduled Event: the screening is cancelled, said plainly."""
    await schedule(world)
    world.bot.get_guild(world.guild.id)._scheduled_events.clear()  # not in the cache: the bot must fetch
    discord_fault(world.env, "GET", "/guilds/*/scheduled-events/*", 404, code=10070, times=None)
    moved = await world.mod.slash(world.channel, "filmnight move", when="2026-01-07 21:00")
    assert moved.ephemeral and "deleted in Discord" in text(moved), text(moved)
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]


# ---------------------------------------------------------------- 4. retries through the job loop


async def test_one_5xx_at_the_end_of_a_screening_is_retried(world, settings):
    """The after-screening post fails once at the end: the retry posts the thread and the rating invitation."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503)
    await world.env.advance_time(2 * 60)
    await world.env.advance_time(60)
    threads = [t for t in world.channel.threads if "Spoilers" in t.name]
    assert len(threads) == 1
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]
    invitations = [m for t in threads for m in t.history() if m.author.bot and "/rate" in (m.content or "")]
    assert len(invitations) == 1


def invitations(world) -> list:
    """The rating invitations the bot posted anywhere in the club channel or its threads."""
    return [m for place in (world.channel, *world.channel.threads) for m in place.history()
            if m.author.bot and "Watched it?" in (m.content or "")]


async def test_a_5xx_on_the_rating_invitation_is_retried_into_the_spoiler_thread(world, settings):
    """The invitation to rate meets a 503 in the spoiler thread: retried by the job loop, posted there once."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", "/channels/*/messages", 503, content="Watched it?")
    await world.env.advance_time(2 * 60)
    await world.env.advance_time(60)
    [thread] = [t for t in world.channel.threads if "Spoilers" in t.name]
    [invitation] = invitations(world)
    assert invitation.channel.id == thread.id and "La La Land" in invitation.content
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    assert len(invitations(world)) == 1 and len(world.channel.threads) == 1


async def test_a_rating_invitation_made_before_its_5xx_is_not_posted_twice(world, settings):
    """Discord made the invitation, then answered 503: the retry finds it and posts nothing more."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", "/channels/*/messages", 503, content="Watched it?", applied=True)
    await world.env.advance_time(3 * 60)
    await world.env.advance_time(HOUR)
    assert len(invitations(world)) == 1
    assert db(settings, "SELECT status, attempts FROM screening_reminders WHERE kind = 'end'") == [("sent", 1)]


async def test_a_rating_invitation_refused_for_good_tells_the_moderators(world, settings):
    """Every retry of the invitation fails: after the back-off the moderators are told, nothing is doubled."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", "/channels/*/messages", 503, content="Watched it?", times=None)
    await world.env.advance_time(2 * 60)
    for _ in range(6):
        await world.env.advance_time(7 * HOUR)
    assert invitations(world) == [] and len([t for t in world.channel.threads if "Spoilers" in t.name]) == 1
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("failed",)]
    told = [m.content for m in world.channel.history() if m.author.bot and "could not post" in (m.content or "")]
    assert len(told) == 1 and "invitation to rate" in told[0], told


async def test_one_5xx_at_a_reminder_is_retried(world, settings):
    """The 1 h reminder's post fails once: it is posted on the retry, once."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 18, 59)
    assert len(reminders(world)) == 1
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503)
    await world.env.advance_time(2 * 60)
    await world.env.advance_time(60)
    assert len(reminders(world)) == 2 and "in an hour" in reminders(world)[0] + reminders(world)[1]
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = '1h'") == [("sent",)]


async def test_an_end_step_claimed_before_a_crash_runs_after_restart(world, settings):
    """The process dies between claiming the end step and running it: after restart it runs, once."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 50)
    await world.bot.scheduler.stop()
    write(settings, "UPDATE screening_reminders SET status = 'claimed' WHERE kind = 'end'")
    await advance_to(world, 2026, 1, 5, 23, 5)
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert len([t for t in world.channel.threads if "Spoilers" in t.name]) == 1
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]


async def test_a_reminder_posted_just_before_a_crash_is_not_posted_again(world, settings):
    """Posted, then the process died before settling it: the channel proves it, nothing is re-sent."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 19, 1)
    assert len(reminders(world)) == 2
    await world.bot.scheduler.stop()
    write(settings, "UPDATE screening_reminders SET status = 'claimed', message_id = NULL WHERE kind = '1h'")
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert len(reminders(world)) == 2
    assert db(settings, "SELECT status, message_id IS NOT NULL FROM screening_reminders WHERE kind = '1h'") == [
        ("sent", 1)]


async def test_a_reminder_discord_refuses_for_good_is_reported_to_moderators(world, settings):
    """403 on the 1 h reminder: not retried, 'failed', and the log channel says which reminder and why."""
    logs = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=logs)
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 18, 59)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 403)
    await world.env.advance_time(2 * 60)
    assert db(settings, "SELECT status, attempts FROM screening_reminders WHERE kind = '1h'") == [("failed", 1)]
    notices = [m.content for m in logs.history() if m.author.bot]
    assert any("1h reminder" in n and "La La Land" in n and "403" in n for n in notices), notices


async def test_schedule_right_after_restart_sees_the_deleted_event(world, settings, monkeypatch):
    """Scheduling before the start-up check ran: the fetch says the old event is gone, so the new one goes in."""
    from bot.filmnight import job

    async def not_yet(service) -> bool:
        return True

    monkeypatch.setattr(job, "reconcile", not_yet)  # the start-up check has not run yet
    await schedule(world)
    [event] = events(world)
    await world.env.shutdown()
    world.env.backend.delete_scheduled_event(world.guild.id, event.id)
    await world.env.start()
    again = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-09 20:00",
                                  where="Club room")
    assert "is scheduled" in text(again), text(again)
    assert db(settings, "SELECT status FROM screenings ORDER BY id") == [("cancelled",), ("scheduled",)]


async def test_a_pick_announced_days_after_its_deadline_says_it_is_late(world, settings):
    """Down for 3 days across a pick's deadline: its result names the winner once and says voting was due to
    close at the deadline and the result comes late."""
    await open_pick(world, hours=1)
    [(deadline,)] = db(settings, "SELECT deadline FROM filmnight_picks")
    await bot_down_for(world.env, 3 * 24 * HOUR)
    await world.env.advance_time(60)
    results = [m for m in world.bot_messages() if m.embeds and (m.embeds[0].title or "").startswith("Results of pick")]
    [result] = results
    text = result.embeds[0].description
    assert "**Ran** wins" in text and "these results come late" in text
    assert f"<t:{int(datetime.fromisoformat(deadline).timestamp())}:f>" in text
    assert not world.env.errors
