"""CloseStates' SQL for a server the bot is invited back into (core/closing.rejoined), on either backend: which
given-up announcements are tried again, and each revived once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.store import NOTHING_TO_ANNOUNCE
from bot.core.time import iso

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GUILD, OTHER = 1_300_000_000_000_000_001, 1_300_000_000_000_000_002  # snowflakes: past 32 bits
CHANNEL = 1_300_000_000_000_000_101


async def abandoned_poll(store, guild_id: int, error: str) -> int:
    poll = await store.polls.create(guild_id=guild_id, channel_id=CHANNEL, creator_id=1, kind="buttons",
                                    question="Q?", options=("x", "y"), multiple=False, anonymous=False,
                                    hide_results=False, created_at=iso(NOW - timedelta(hours=1)), deadline=iso(NOW))
    await store.polls.close(poll, iso(NOW), None)
    await store.polls.closing.failed(poll, error, None)
    return poll


async def test_rejoined_server_revives_its_given_up_announcements_but_not_those_with_nothing_to_post(two_processes):
    """Abandoned ones are listed oldest first with their channel (past 32 bits); one given up as NOTHING_TO_ANNOUNCE
    and another server's are not; a revive happens once and makes it due now with its attempts reset."""
    store, _ = two_processes
    gone = await abandoned_poll(store, GUILD, "404 Not Found (error code: 10003): Unknown Channel")
    await abandoned_poll(store, GUILD, NOTHING_TO_ANNOUNCE + "its message was deleted")
    refused = await abandoned_poll(store, GUILD, "403 Forbidden (error code: 50001): Missing Access 100%_done")
    await abandoned_poll(store, OTHER, "403 Forbidden")
    assert await store.polls.closing.abandoned_in(GUILD) == [
        (gone, CHANNEL, "404 Not Found (error code: 10003): Unknown Channel"),
        (refused, CHANNEL, "403 Forbidden (error code: 50001): Missing Access 100%_done")]
    assert await store.polls.closing.revive(gone, iso(NOW)) is True
    assert await store.polls.closing.revive(gone, iso(NOW)) is False  # no longer abandoned
    assert await store.polls.closing_due(iso(NOW)) == [gone]
    assert await store.polls.closing.attempts(gone) == 0
    assert [row[:2] for row in await store.polls.closing.abandoned_in(GUILD)] == [(refused, CHANNEL)]
