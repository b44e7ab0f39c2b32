"""A 5xx after Discord applied the call (`discord_fault(..., applied=True)`): every timed post and the
screening's event are made once, never twice, whatever the retry that follows."""

from __future__ import annotations

import pytest

from tests.cross.test_faults_filmnight import events, open_pick, reminders, results, schedule, text
from tests.cross.test_faults_polls import make_poll, results_posted
from tests.faults import discord_fault
from tests.helpers import advance_to, prompts, slot_rows
from tests.helpers import rows as db

HOUR = 3600


def posts(world) -> str:
    return f"/channels/{world.channel.id}/messages"


async def test_a_scheduled_prompt_posted_before_a_5xx_is_not_posted_again(world, settings):
    """The post is made, then 503: the retry finds the slot's marker and settles it, one prompt."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    await advance_to(world, 2026, 1, 1, 9)
    assert len(prompts(world)) == 1, "the scheduled prompt was posted twice"
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_a_scheduled_prompt_still_failing_after_being_made_is_posted_once(world, settings):
    """Made then 503, and the retry's channel read failing too: still one prompt, the slot settled posted."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    await advance_to(world, 2026, 1, 1, 8, 0, 10)
    discord_fault(world.env, "GET", posts(world), 503, times=1)
    await advance_to(world, 2026, 1, 1, 9)
    assert len(prompts(world)) == 1
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_a_prompt_thread_made_before_a_5xx_is_kept(world, settings):
    """The thread is opened, then 503: the prompt keeps it (no orphan thread, no second prompt on retry)."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", f"{posts(world)}/*/threads", 503, applied=True)
    await advance_to(world, 2026, 1, 1, 9)
    [prompt] = prompts(world)
    assert [t.id for t in world.channel.threads] == [prompt.id]
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
    assert db(settings, "SELECT DISTINCT thread_id FROM posted_prompts") == [(prompt.id,)]


async def test_poll_results_posted_before_a_5xx_are_posted_once(world, settings):
    """Results made, then 503: the retry finds them by their footer (held before: checks the fault model)."""
    poll_id = await make_poll(world)
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    await world.env.advance_time(3 * HOUR)
    assert await results_posted(world, settings, poll_id) == 1


async def test_pick_results_posted_before_a_5xx_are_posted_once(world, settings):
    """A pick's results made, then 503: announced once."""
    await open_pick(world)
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    await world.env.advance_time(3 * HOUR)
    assert len(results(world)) == 1


async def test_a_reminder_posted_before_a_5xx_is_not_sent_again(world, settings):
    """The 1 h reminder is made, then 503: the retry finds it and settles it 'sent', one reminder."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 18, 59)
    assert len(reminders(world)) == 1
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    await world.env.advance_time(HOUR)
    assert len(reminders(world)) == 2, reminders(world)
    [(status, message_id)] = db(settings, "SELECT status, message_id FROM screening_reminders WHERE kind = '1h'")
    assert status == "sent" and message_id == max(m.id for m in world.channel.history() if "⏰" in (m.content or ""))


async def test_the_after_screening_prompt_posted_before_a_5xx_is_not_posted_again(world, settings):
    """The end step's prompt is made, then 503: the retry finds it by its screening marker, one prompt."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    await world.env.advance_time(HOUR)
    after = [m for m in world.channel.history() if m.author.bot and m.embeds]
    assert len(after) == 1, [m.embeds[0].footer.text for m in after]
    assert db(settings, "SELECT status, message_id FROM screening_reminders WHERE kind = 'end'") == [
        ("sent", after[0].id)]
    assert db(settings, "SELECT status FROM screenings") == [("ended",)]


async def test_the_after_screening_thread_made_before_a_5xx_is_the_only_one(world, settings):
    """The end step's thread is opened, then 503: one spoiler thread, the step settled."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", f"{posts(world)}/*/threads", 503, applied=True)
    await world.env.advance_time(HOUR)
    assert len([t for t in world.channel.threads if "Spoilers" in t.name]) == 1
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]


async def test_an_event_made_before_a_5xx_becomes_the_screening(world, settings):
    """The server event is made, then 503: the screening is scheduled on it, no orphan event, no second one."""
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    discord_fault(world.env, "POST", f"/guilds/{world.guild.id}/scheduled-events", 503, applied=True)
    result = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 20:00",
                                   where="Club room")
    assert "is scheduled" in text(result), text(result)
    [event] = events(world)
    assert db(settings, "SELECT event_id, status FROM screenings") == [(event.id, "scheduled")]


# ---------------------------------------------------------------- a reply lost after the write: the retry


def polls_shown(world) -> list:
    return [m for m in world.channel.history() if m.author.id == world.bot.user.id and (m.poll or m.components)]


@pytest.mark.parametrize("native", [True, False])
async def test_a_poll_posted_before_a_5xx_is_kept_and_closed(world, settings, native):
    """/poll create's message is made, then 503: the poll is recorded on that message and closed once."""
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=True)
    options = {} if native else {"anonymous": True}
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="Yes|No", hours=1,
                            **options)
    [shown] = polls_shown(world)
    assert db(settings, "SELECT message_id FROM polls") == [(shown.id,)]
    await world.env.advance_time(HOUR + 60)
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert len(polls_shown(world)) == 1


async def test_a_theme_poll_posted_before_a_5xx_is_kept(world, settings):
    """/poll theme's poll (a follow-up) is made, then 503: recorded on that message, not left orphaned."""
    discord_fault(world.env, "POST", "/webhooks/*", 503, applied=True)
    await world.alice.slash(world.channel, "poll theme", theme="ending")
    [shown] = polls_shown(world)
    assert db(settings, "SELECT message_id FROM polls") == [(shown.id,)]


async def test_a_schedule_set_whose_reply_was_lost_is_not_doubled_by_the_retry(world, settings):
    """The schedule is stored, the reply fails; the moderator runs it again: one schedule, one prompt a slot."""
    discord_fault(world.env, "POST", "/interactions/*/callback", 503)
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    again = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    assert again.ephemeral and "already existed" in text(again), text(again)
    assert len(db(settings, "SELECT id FROM schedules")) == 1
    await advance_to(world, 2026, 1, 1, 9)
    assert len(prompts(world)) == 1


async def test_a_discuss_prompt_posted_before_a_5xx_is_the_prompt(world, settings):
    """/discuss's message is made, then 503: the member is told it was posted, its thread opened, recorded once."""
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert "Nothing was posted" not in text(r), text(r)
    [prompt] = prompts(world)
    assert [t.id for t in world.channel.threads] == [prompt.id]
    assert db(settings, "SELECT DISTINCT message_id FROM posted_prompts") == [(prompt.id,)]


async def test_a_pick_posted_before_a_5xx_is_kept_and_closed(world, settings):
    """/filmnight pick's ballot is made, then 503: the pick is kept on that message and closes at its deadline."""
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=True)
    await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    [ballot] = [m for m in world.bot_messages() if m.components]
    assert db(settings, "SELECT message_id FROM filmnight_picks") == [(ballot.id,)]
    await world.alice.select(ballot, ["2"])
    await world.env.advance_time(HOUR + 60)
    assert db(settings, "SELECT close_state FROM filmnight_picks") == [("announced",)]
    assert len(results(world)) == 1


async def test_a_game_round_posted_before_a_5xx_is_kept(world, settings):
    """/game's first round is made, then 503: the game runs on that message and is revealed once."""
    from tests.club.test_commands import members, rate

    for i, member in enumerate(members(world, 3, "critic-fan")):
        await rate(member, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await member.slash(world.channel, "rate consent", state="on")
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=True)
    await world.mod.slash(world.channel, "game critic-or-club", rounds=1)
    [shown] = [m for m in world.bot_messages() if m.components]
    assert db(settings, "SELECT message_id, status FROM club_game_rounds") == [(shown.id, "open")]
    await world.env.advance_time(120)
    assert db(settings, "SELECT status FROM club_game_rounds") == [("revealed",)]
    assert len([m for m in world.bot_messages() if (m.content or "").startswith("🎭 Round 1/1: it was")]) == 1


async def test_an_event_moved_before_a_5xx_moves_the_screening(world, settings):
    """/filmnight move: Discord moves the event, then 503: the screening and its reminders follow the event."""
    await schedule(world)
    discord_fault(world.env, "PATCH", f"/guilds/{world.guild.id}/scheduled-events/*", 503, applied=True)
    moved = await world.mod.slash(world.channel, "filmnight move", when="2026-01-07 21:00")
    assert "Nothing changed" not in text(moved), text(moved)
    [event] = events(world)
    assert str(event.scheduled_start_time).startswith("2026-01-07T21:00")
    assert db(settings, "SELECT starts_at FROM screenings") == [("2026-01-07T21:00:00+00:00",)]
    assert db(settings, "SELECT due_at FROM screening_reminders WHERE kind = '1h'") == [("2026-01-07T20:00:00+00:00",)]


# ---------------------------------------------------------------- found on retry: completed, once


async def test_a_scheduled_prompt_found_on_retry_gets_its_thread_and_rotation_record(world, settings):
    """Made then 503, and the check read failing too: the retry finds the slot's marker and completes the
    prompt (its thread, its rotation record) once, where it used to be settled bare."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    discord_fault(world.env, "GET", posts(world), 503, times=1)  # post_prompt's own look for it fails
    await advance_to(world, 2026, 1, 1, 9)
    [prompt] = prompts(world)
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
    assert [t.id for t in world.channel.threads] == [prompt.id]
    assert db(settings, "SELECT DISTINCT message_id, thread_id FROM posted_prompts") == [(prompt.id, prompt.id)]
    assert db(settings, "SELECT source FROM pending_prompts") == []
    await world.env.advance_time(HOUR)
    assert len(db(settings, "SELECT DISTINCT message_id FROM posted_prompts")) == 1


async def test_an_after_screening_prompt_found_on_retry_gets_its_thread_and_rating_invitation(world, settings):
    """The end step's prompt made then 503, its own check read failing too: the retry finds it by its marker and
    gives it its spoiler thread and the rating invitation, each once."""
    from tests.helpers import buttons

    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", posts(world), 503, applied=True)
    discord_fault(world.env, "GET", posts(world), 503, times=1)
    await world.env.advance_time(HOUR)
    [prompt] = [m for m in world.channel.history() if m.author.bot and m.embeds]
    assert [t.id for t in world.channel.threads if "Spoilers" in t.name] == [prompt.id]
    invitations = [m for place in (world.channel, *world.channel.threads) for m in place.history()
                   if any(b.get("custom_id", "").startswith("filmbot:watched:") for b in buttons(m))]
    assert len(invitations) == 1
    assert db(settings, "SELECT DISTINCT thread_id FROM posted_prompts") == [(prompt.id,)]
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]
