"""Per-member writes are one hop to the database thread (Database.in_one_hop), as /rate is: a game
answer, a film-night ballot, a passage flag and a question suggestion each make one trip, and answer
as before (issue 30: one-hop writes everywhere a transaction only needs one batch)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.flags.rules import Reason
from tests.helpers import count_db_trips

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


async def test_a_game_answer_is_one_hop(world, monkeypatch) -> None:
    store = world.bot.store
    await store.db.execute(
        "INSERT INTO club_game_rounds(id, guild_id, channel_id, game_id, number, rounds, kind, quote, author_id,"
        " deadline, status) VALUES (900, 1, 1, 900, 1, 1, 'critic', 'x', 7, '2999-01-01T00:00:00+00:00', 'open')"
    )
    trips = count_db_trips(monkeypatch, store.db)
    now = NOW.isoformat()
    assert await store.club.answer(900, 5, "critic", now) == "ok"
    assert trips[0] == 1
    assert await store.club.answer(900, 5, "club", now) == "again"
    assert await store.club.answer(900, 7, "club", now) == "own"
    assert await store.club.answer(901, 5, "club", now) == "missing"
    assert await store.club.answer(900, 6, "club", "2999-01-02T00:00:00+00:00") == "closed"
    assert trips[0] == 5
    assert await store.club.answer_counts(900) == (1, 1)


async def test_a_ballot_is_one_hop(world, monkeypatch) -> None:
    store = world.bot.store
    await store.db.execute(
        "INSERT INTO filmnight_picks(id, guild_id, channel_id, creator_id, method, created_at, deadline)"
        " VALUES (900, 1, 1, 1, 'single', ?, ?)", (NOW.isoformat(), (NOW + timedelta(hours=1)).isoformat()),
    )
    trips = count_db_trips(monkeypatch, store.db)
    assert await store.filmnight.cast(900, 5, (1,), NOW) is True
    assert trips[0] == 1
    assert await store.filmnight.cast(900, 5, (2,), NOW) is True  # replaced, not added
    assert await store.filmnight.cast(900, 6, (1,), NOW + timedelta(hours=2)) is False  # past the deadline
    assert await store.filmnight.ballot_count(900) == 1


async def test_a_flag_is_one_hop(world, monkeypatch) -> None:
    store = world.bot.store
    passage = await store.db.fetchval("SELECT min(id) FROM passages")
    trips = count_db_trips(monkeypatch, store.db)
    assert await store.flags.flag(passage_id=passage, user_id=5, guild_id=1, reason=Reason.SPOILER) == "flagged"
    assert trips[0] == 1
    assert await store.flags.flag(passage_id=passage, user_id=5, guild_id=1, reason=Reason.SPOILER) == "duplicate"
    assert await store.flags.flag(passage_id=10**9, user_id=5, guild_id=1, reason=Reason.SPOILER) == "gone"


async def test_a_suggestion_is_one_hop(world, monkeypatch) -> None:
    store = world.bot.store
    trips = count_db_trips(monkeypatch, store.db)
    new_id, _ = await store.suggestions.create(guild_id=1, user_id=5, question="Why?", theme=None, film_id=None,
                                               credit=True, now=NOW)
    assert new_id is not None and trips[0] == 1
    again, wait = await store.suggestions.create(guild_id=1, user_id=5, question="Why not?", theme=None,
                                                 film_id=None, credit=True, now=NOW + timedelta(minutes=5))
    assert again is None and wait is not None and wait > NOW
