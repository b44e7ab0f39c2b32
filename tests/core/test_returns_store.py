"""RemovalStore's return marks on either backend (migrations 211 and 237): a removal seen, or a later join than the
one recorded, is one return, taken by exactly one of the processes and starts that race for it."""

from __future__ import annotations

import asyncio

GUILD, OTHER = 1_300_000_000_000_000_001, 1_300_000_000_000_000_002  # snowflakes: past 32 bits
FIRST, LATER = "2026-01-01T00:00:00.000000+00:00", "2026-02-03T10:00:00.250000+00:00"


async def test_a_first_sighting_is_recorded_not_returned(two_processes):
    a, _ = two_processes
    assert await a.removals.returns({GUILD: FIRST, OTHER: None}) == [GUILD]  # nothing recorded yet: back() decides
    assert await a.removals.back(GUILD, FIRST) is False
    assert await a.removals.returns({GUILD: FIRST}) == []  # a plain restart: two reads, nothing to take
    assert await a.removals.back(GUILD, FIRST) is False


async def test_a_later_join_is_one_return_for_one_of_two_processes(two_processes):
    a, b = two_processes
    assert await a.removals.back(GUILD, FIRST) is False  # a first sighting: recorded
    assert await a.removals.returns({GUILD: LATER}) == [GUILD]
    taken = await asyncio.gather(a.removals.back(GUILD, LATER), b.removals.back(GUILD, LATER), a.removals.back(GUILD, LATER))
    assert sorted(taken) == [False, False, True]
    assert await b.removals.returns({GUILD: LATER}) == []
    assert await a.removals.back(GUILD, FIRST) is False  # an older member record (a stale cache) is no return


async def test_a_removal_and_a_later_join_are_one_return(two_processes):
    a, b = two_processes
    await a.removals.back(GUILD, FIRST)
    await a.removals.removed(GUILD, "2026-01-10T00:00:00+00:00")
    taken = await asyncio.gather(a.removals.back(GUILD, LATER), b.removals.back(GUILD, LATER))
    assert sorted(taken) == [False, True]
    assert await a.removals.removed_from() == [] and await b.removals.returns({GUILD: LATER}) == []
