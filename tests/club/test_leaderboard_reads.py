"""The leaderboard each revealed round posts reads this server's revealed rounds only, through an index
(087), not every server's revealed rounds ever."""

from __future__ import annotations

import pytest

from bot.core.db import inserted_id, open_database
from bot.stores import Store
from tests import pg_backend

A, B = 10, 20  # two servers


@pytest.fixture
async def store(settings):
    store = Store(await open_database(settings.database, settings.database_url))
    yield store
    await store.db.close()


async def _round(store: Store, guild_id: int, status: str, answers: dict[int, int]) -> None:
    async with store.db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO club_game_rounds(guild_id, channel_id, game_id, number, rounds, kind, status)"
            " VALUES (?, 1, 1, 1, 1, 'critic', ?)", (guild_id, status))
        round_id = inserted_id(cur)
        for user_id, correct in answers.items():
            await conn.execute(
                "INSERT INTO club_game_answers(round_id, user_id, answer, correct, at)"
                " VALUES (?, ?, 'critic', ?, '2026-03-01T12:00:00+00:00')", (round_id, user_id, correct))


async def test_the_leaderboard_counts_this_servers_revealed_rounds(store):
    await _round(store, A, "revealed", {1: 1, 2: 0})
    await _round(store, A, "revealed", {1: 1, 2: 1})
    await _round(store, A, "open", {2: 1})  # not revealed yet: not counted
    await _round(store, B, "revealed", {1: 0, 3: 1})  # another server's
    assert await store.club.leaderboard(A, {1}) == [(1, 2, 2), (2, 1, 2)]
    assert await store.club.leaderboard(B, {1}) == [(3, 1, 1), (1, 0, 1)]
    assert await store.club.game_channels(A) == [1]
    assert await store.club.leaderboard(A, {2}) == [] and await store.club.leaderboard(A, set()) == []


@pytest.mark.skipif(pg_backend.on_postgres(), reason="SQLite's query plans")
async def test_the_leaderboard_finds_the_servers_rounds_through_their_index(store):
    sent: list[str] = []
    await store.db.conn.set_trace_callback(sent.append)
    await store.club.game_channels(A)
    await store.club.leaderboard(A, {1})
    await store.db.conn.set_trace_callback(None)
    reads = [s for s in sent if "club_game_rounds" in s and s.lstrip().startswith("SELECT")]
    assert len(reads) == 2, reads  # the channels played in, then the board
    for sql in reads:
        plan = " / ".join(row[3] for row in await store.db.fetchall("EXPLAIN QUERY PLAN " + sql))
        assert "club_game_rounds_revealed" in plan, plan
