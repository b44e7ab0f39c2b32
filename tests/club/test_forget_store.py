"""ClubStore.forget's SQL added with migration 188 on either backend: the member's watchlist suggestion's log post
queued for its edit, and their poll and running import kept under FORGOTTEN_MEMBER."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.text import FORGOTTEN_MEMBER
from bot.core.time import iso
from bot.films.store import FilmStore

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GUILD = 1_300_000_000_000_000_001  # snowflakes: past 32 bits
CHANNEL, MESSAGE = 1_300_000_000_000_000_101, 1_300_000_000_000_000_201
ALICE, BOB = 1_300_000_000_000_000_301, 1_300_000_000_000_000_302


async def test_forget_queues_the_watchlist_log_post_and_unnames_the_members_poll(two_processes):
    """Alice's suggestion's log post is queued once as kind 'watchlist'; the poll she made and closed is
    FORGOTTEN_MEMBER's, Bob's poll she closed as a moderator still names her."""
    store, _ = two_processes
    async with store.db.transaction() as conn:
        film_id = await FilmStore.ensure(conn, "Heat", 1995)
    entry, _, _ = await store.filmnight.add(GUILD, film_id, "a note", ALICE, "pending", NOW)
    await store.filmnight.set_log_post(entry.id, CHANNEL, MESSAGE)
    polls = []
    for creator in (ALICE, BOB):
        poll = await store.polls.create(guild_id=GUILD, channel_id=CHANNEL, creator_id=creator, kind="buttons",
                                        question="Q?", options=("x", "y"), multiple=False, anonymous=False,
                                        hide_results=False, created_at=iso(NOW - timedelta(hours=1)),
                                        deadline=iso(NOW + timedelta(hours=1)))
        await store.polls.close(poll, iso(NOW), ALICE)
        polls.append(poll)
    await store.club.forget(ALICE, GUILD, NOW)
    queued = await store.db.fetchall("SELECT message_id, guild_id, channel_id, kind FROM suggestion_retractions")
    assert [tuple(row) for row in queued] == [(MESSAGE, GUILD, CHANNEL, "watchlist")]
    made = await store.db.fetchall("SELECT id, creator_id, closed_by FROM polls ORDER BY id")
    assert [tuple(row) for row in made] == [(polls[0], FORGOTTEN_MEMBER, FORGOTTEN_MEMBER), (polls[1], BOB, ALICE)]
    await store.club.forget(ALICE, GUILD, NOW)  # again: nothing queued twice
    assert await store.db.fetchval("SELECT count(*) FROM suggestion_retractions") == 1
