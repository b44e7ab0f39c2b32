"""Discord failing on the routes the bot uses (403/404/429/500): the bot stays up and says so."""

from __future__ import annotations

import re

import discord
import pytest

from tests.helpers import (
    World,
    assert_ephemeral_reply,
    msgs,
    prompt_messages,
    text_of,
)

STATUSES = [403, 404, 429, 500]


async def assert_alive(world) -> None:
    """The bot still answers a fresh command normally."""
    result = await world.bob.slash(world.channel, "quote", about="jazz")
    assert result.response is not None and result.response.embeds


async def prompt_count(world) -> int:
    return await world.bot.store.db.fetchval("SELECT count(*) FROM posted_prompts")


@pytest.mark.parametrize("status", STATUSES)
async def test_reply_route_failing_does_not_take_the_bot_down(world, status):
    """If Discord refuses the interaction reply itself, the bot logs it and keeps serving."""
    world.env.inject_error("POST", "/interactions/*/callback", status=status)
    await world.alice.slash(world.channel, "quote")
    errors = world.env.errors  # inspected: a reply Discord refused cannot reach the user
    assert all(getattr(e, "original", e).__class__.__name__ in {"Forbidden", "NotFound", "HTTPException",
                                                                 "DiscordServerError"} for e in errors)
    await assert_alive(world)


@pytest.mark.parametrize("route", ["/channels/*/messages", "/channels/*/messages/*/threads"])
@pytest.mark.parametrize("status", STATUSES)
async def test_discuss_tells_the_member_when_discord_refuses(world, status, route):
    """A failed post or thread: the member is told privately, nothing is half-done or used up."""
    before = await prompt_count(world)
    world.env.inject_error("POST", route, status=status)
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert result.ephemeral
    text = (result.followups[-1].content if result.followups else result.response.content).lower()
    assert "nothing was posted" in text
    assert await prompt_count(world) == before
    assert not world.env.errors
    await assert_alive(world)


@pytest.mark.parametrize("status", STATUSES)
async def test_poll_deadline_survives_a_failing_edit(world, status):
    """Closing a button poll whose message edit fails still closes it once and keeps the bot up."""
    await world.mod.slash(
        world.channel, "poll create", question="Happy ending?", options="Yes|No", anonymous=True, hours=1
    )
    world.env.inject_error("PATCH", "/channels/*/messages/*", status=status)
    await world.env.advance_time(3600 + 5)
    closed = await world.bot.store.db.fetchval("SELECT count(*) FROM polls WHERE closed_at IS NOT NULL")
    assert closed == 1
    await world.env.advance_time(3600)
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM polls WHERE closed_at IS NOT NULL") == 1
    await assert_alive(world)


@pytest.mark.parametrize("status", [403, 404])
async def test_schedule_post_refused_pauses_and_bot_stays_up(world, status):
    """A scheduled post Discord refuses pauses that schedule with a reason; other work continues."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    world.env.inject_error("POST", "/channels/*/messages", status=status, times=None)
    await world.env.advance_time(86400 + 60)
    row = await world.bot.store.db.fetchone("SELECT paused, paused_reason FROM schedules")
    assert row[0] == 1 and row[1]
    world.env.backend.faults.clear()
    await assert_alive(world)


@pytest.mark.parametrize("status", [403, 404, 429, 500])
async def test_discord_faults_on_thread_creation(world: World, status):
    """Discord faults on thread creation."""
    times = 1 if status == 429 else None
    code = {403: 50013, 404: 10003}.get(status, 0)
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=status, code=code, times=times)
    world.env.inject_error("POST", "/channels/*/threads", status=status, code=code, times=times)
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    replies = msgs(r)
    assert replies, "the user was told nothing"
    # (simcord's injected 429 carries no retry_after, so discord.py raises instead of waiting: treat it as a
    # refusal like the others.) The user is told privately and no half-done prompt stays behind.
    assert_ephemeral_reply(r)
    assert "went wrong" not in text_of(r) or "code" in text_of(r)
    assert prompt_messages(world) == [], "a prompt without its thread stayed behind"
    assert world.count("posted_prompts") == 0, "rotation consumed by a failed prompt"
    world.env.backend.faults.clear()
    r = await world.alice.slash(world.channel, "quote")
    assert msgs(r) and not msgs(r)[0].ephemeral, "bot not alive after the fault"


@pytest.mark.parametrize("status", [403, 500])
async def test_discord_faults_on_poll_post(world: World, status):
    """Discord faults on poll post."""
    world.env.inject_error("POST", "/interactions/*/callback", status=status, times=1)
    world.env.inject_error("POST", "/channels/*/messages", status=status, times=1)
    r = await world.alice.slash(world.channel, "poll create", question="Q?", options="A | B", anonymous=True)
    world.env.backend.faults.clear()
    # a failed interaction response reaches the bot's one error handler; nothing but the Discord error may escape
    errors = world.env.errors
    for err in errors:
        assert isinstance(getattr(err, "original", err), discord.HTTPException), repr(err)
    assert msgs(r), "the user was told nothing"
    told = text_of(r)
    if errors:  # known errors: a short message; unexpected ones: a short code to quote to a moderator
        assert len(told) < 300 and (re.search(r"code `?[0-9a-f]{4,}`?", told) or "Discord" in told), told
    assert all(m.ephemeral for m in msgs(r) if not m.embeds)
    # whatever happened, no poll row is left without its message, and the bot still works
    orphan = world.count("polls", "message_id IS NULL")
    assert orphan == 0, "a poll row without a message stayed behind"
    r = await world.alice.slash(world.channel, "poll create", question="Q2?", options="A | B", anonymous=True)
    assert msgs(r) or world.bot_messages()
    assert world.count("polls", "question='Q2?' AND message_id IS NOT NULL") == 1
