"""A prompt's thread Discord made while answering an error: discord.py's own retry of a 5xx meets Discord's 400
'a thread has already been created for this message' (160004), or the thread was made before a 5xx and the
gateway has not yet told the bot. Never an orphan thread (its prompt deleted, nothing recorded), never a second
thread on retry, and the member told what is really there: /discuss, scheduled prompts, film night's prompt."""

from __future__ import annotations

from tests.cross.test_faults_filmnight import schedule
from tests.faults import discord_fault, gateway_held
from tests.helpers import advance_to, prompts, slot_rows, text_of
from tests.helpers import rows as db

HOUR = 3600


def threads_in(world) -> list:
    """Every thread of the channel as Discord holds it (not the bot's cache)."""
    backend = world.env.backend
    return [c for c in backend.channels.values() if getattr(c, "parent_id", None) == world.channel.id]


def threads_route(world) -> str:
    return f"/channels/{world.channel.id}/messages/*/threads"


async def test_discuss_whose_thread_discord_py_retried_keeps_the_thread(world, settings):
    """Thread made, 502, discord.py's retry refused (160004): the prompt keeps its one thread, recorded, said so."""
    discord_fault(world.env, "POST", threads_route(world), 502, retried=True)
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [prompt] = prompts(world)
    assert [t.id for t in threads_in(world)] == [prompt.id]
    assert text_of(result).startswith("Started a discussion"), text_of(result)
    assert db(settings, "SELECT message_id, thread_id FROM posted_prompts") == [(prompt.id, prompt.id)]


async def test_discuss_whose_thread_was_made_unseen_leaves_nothing_behind(world, settings):
    """Thread made then 503, not yet on the gateway and unreadable: it is removed with the prompt, as the member
    is told ('Nothing was posted'); the next /discuss opens one thread."""
    release = gateway_held(world.env, "THREAD_CREATE")
    discord_fault(world.env, "POST", threads_route(world), 503, applied=True)
    discord_fault(world.env, "GET", "/channels/*", 503)
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    release()
    assert result.ephemeral and "Nothing was posted" in text_of(result), text_of(result)
    assert prompts(world) == [] and threads_in(world) == [], "an orphan thread (or prompt) stayed public"
    assert world.count("posted_prompts") == 0
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [prompt] = prompts(world)
    assert [t.id for t in threads_in(world)] == [prompt.id]


async def test_a_scheduled_prompt_whose_thread_was_made_unseen_posts_once_with_one_thread(world, settings):
    """The slot's thread made then 503 and unreadable: removed with the prompt, the retry posts one prompt with
    one thread (before: the prompt deleted, its thread left orphaned, and a second prompt and thread)."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    release = gateway_held(world.env, "THREAD_CREATE")
    discord_fault(world.env, "POST", threads_route(world), 503, applied=True)
    discord_fault(world.env, "GET", "/channels/*", 503)
    await advance_to(world, 2026, 1, 1, 8, 0, 30)
    release()
    await advance_to(world, 2026, 1, 1, 9)
    [prompt] = prompts(world)
    assert [t.id for t in threads_in(world)] == [prompt.id]
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
    assert db(settings, "SELECT DISTINCT thread_id FROM posted_prompts") == [(prompt.id,)]


async def test_a_scheduled_prompt_whose_thread_discord_py_retried_is_not_paused(world, settings):
    """Discord's 160004 to discord.py's retry is not a refusal: the slot is posted with its thread, the schedule
    runs on (before: the prompt deleted, its thread orphaned, the schedule paused 'Discord rejected the post')."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", threads_route(world), 502, retried=True)
    await advance_to(world, 2026, 1, 1, 9)
    [prompt] = prompts(world)
    assert [t.id for t in threads_in(world)] == [prompt.id]
    assert db(settings, "SELECT paused FROM schedules") == [(0,)]


async def test_the_after_screening_thread_retried_by_discord_py_is_the_only_one(world, settings):
    """Film night's spoiler thread made, 502, discord.py's retry refused: one thread, the prompt kept, the
    invitation to rate inside it, the end step settled."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", threads_route(world), 502, retried=True)
    await world.env.advance_time(HOUR)
    [thread] = threads_in(world)
    assert "Spoilers" in thread.name
    assert [m.id for m in prompts(world)] == [thread.id]
    assert db(settings, "SELECT status, message_id FROM screening_reminders WHERE kind = 'end'") == [
        ("sent", thread.id)]
    invited = [m for m in world.env.backend.messages[thread.id].values() if "Watched it?" in (m.content or "")]
    assert len(invited) == 1
