"""The bot down across many due things at once (issue faults12): three weekly prompts, a poll's close, a pick's
close, a screening's reminders and its end all fall due while it is away; at start each happens once or is
skipped with its reason, late results say they are late, and nothing posts twice, then or after a restart."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers import advance_to, bot_down_for, prompt_messages, set_schedule
from tests.helpers import rows as db

HOUR = 3600


def bot_posts(world) -> list:
    return [m for m in world.channel.history() if m.author.bot]


def titled(world, prefix: str) -> list:
    return [m for m in bot_posts(world) if m.embeds and (m.embeds[0].title or "").startswith(prefix)]


async def test_three_weeks_down_settles_every_due_thing_once(world, settings):
    """Down 3 weeks: one catch-up prompt at most (the others skipped with a reason), the poll and pick announced
    once each saying they are late, no reminder sent late, the screening ended once; a restart adds nothing."""
    await set_schedule(world, time="09:00", days="mon", timezone="Europe/Berlin")
    await world.alice.slash(world.channel, "poll create", question="Best ending?",
                            options="La La Land | Whiplash", hours=1)
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=2, method="single")
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-10 20:00",
                          where="Club room")
    await advance_to(world, 2026, 1, 1, 0, 30)
    await bot_down_for(world.env, (datetime(2026, 1, 26, 12, tzinfo=UTC) - world.env.now()).total_seconds())
    await world.env.advance_time(120)
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert db(settings, "SELECT close_state FROM filmnight_picks") == [("announced",)]
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]
    assert db(settings, "SELECT kind, status FROM screening_reminders ORDER BY kind") == [
        ("1h", "skipped"), ("24h", "skipped"), ("end", "sent")]
    assert db(settings, "SELECT slot_utc, status FROM schedule_posts ORDER BY slot_utc") == [
        ("2026-01-05T08:00:00+00:00", "skipped"), ("2026-01-12T08:00:00+00:00", "skipped"),
        ("2026-01-19T08:00:00+00:00", "skipped"), ("2026-01-26T08:00:00+00:00", "posted")]
    assert all("offline" in reason for (reason,) in db(settings, "SELECT reason FROM schedule_posts"
                                                       " WHERE status = 'skipped'"))
    [pick] = titled(world, "Results of pick")
    assert "these results come late" in pick.embeds[0].description
    polls = [m for m in bot_posts(world) if m.embeds and "Best ending?" in str(m.embeds[0].to_dict())
             and "offline" in str(m.embeds[0].to_dict())]
    assert len(polls) == 1
    assert not [m for m in bot_posts(world) if "⏰" in (m.content or "")]
    scheduled = [m for m in prompt_messages(world) if "Scheduled prompt" in (m.embeds[0].footer.text or "")]
    assert len(scheduled) == 1
    snapshot = [m.id for m in bot_posts(world)]
    await world.env.restart_bot()
    await world.env.advance_time(2 * HOUR)
    assert [m.id for m in bot_posts(world)] == snapshot
    assert not world.env.errors
