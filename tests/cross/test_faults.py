"""Discord failing on the routes the bot uses (403/404/429/500): the bot stays up and says so."""

from __future__ import annotations

import pytest

STATUSES = [403, 404, 429, 500]


async def assert_alive(world) -> None:
    """The bot still answers a fresh command normally."""
    result = await world.bob.slash(world.channel, "quote", about="jazz")
    assert result.response is not None and result.response.embeds


async def prompt_rows(world) -> int:
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
    before = await prompt_rows(world)
    world.env.inject_error("POST", route, status=status)
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert result.ephemeral
    text = (result.followups[-1].content if result.followups else result.response.content).lower()
    assert "nothing was posted" in text
    assert await prompt_rows(world) == before
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
