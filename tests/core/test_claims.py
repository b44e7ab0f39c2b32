"""Exactly-once across processes: every job's claim is decided by the database (two stores on one file
stand for two processes), and a claim whose holder is gone can be recovered (core/claims)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import UTC, datetime, timedelta

from bot.core.claims import abandoned, new_holder
from bot.core.shards import Shards
from bot.core.time import iso
from bot.films.store import FilmStore
from bot.schedules.rules import Cadence, parse_days, parse_time

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LEASE = timedelta(minutes=5)
SHARD0, SHARD1 = 2 << 22, 3 << 22  # guild ids on shard 0 and shard 1 of 2



def test_a_claim_of_a_live_holder_waits_for_its_lease():
    """Another live process's claim (or one on another machine) is left alone until the lease ends."""
    me = new_holder()
    alive = f"{me.split(':')[0]}:{os.getppid()}:abcd"
    assert not abandoned(alive, iso(NOW), NOW + timedelta(minutes=1), LEASE, me)
    assert not abandoned(f"elsewhere:{os.getpid()}:0000", iso(NOW), NOW + timedelta(minutes=1), LEASE, me)
    assert abandoned(f"elsewhere:{os.getpid()}:0000", iso(NOW), NOW + LEASE, LEASE, me)


def test_a_claim_of_a_gone_holder_is_recovered_at_once():
    """A dead process on this machine, or an earlier bot object of this one: recovered without waiting."""
    me = new_holder()
    host, pid, _ = me.split(":")
    assert abandoned(f"{host}:{pid}:ffff", iso(NOW), NOW, LEASE, me)  # restarted in-process
    dead = subprocess.Popen(["true"])
    dead.wait()
    assert abandoned(f"{host}:{dead.pid}:ffff", iso(NOW), NOW, LEASE, me)  # a process that ended (SIGKILL, crash)
    assert not abandoned(me, iso(NOW), NOW, LEASE, me)  # my own live claim
    assert abandoned(None, None, NOW, LEASE, me)  # from before claims had holders


async def test_two_processes_claim_each_reminder_once(two_processes):
    """Both processes see the same 20 reminders due at once: each is claimed by exactly one of them."""
    a, b = two_processes
    async with a.db.transaction() as conn:
        film = await FilmStore.ensure(conn, "Whiplash", 2014)
    for event in range(10):
        await a.filmnight.create_screening(
            guild_id=SHARD0 + event, film_id=film, channel_id=1, event_id=100 + event, start=NOW + timedelta(hours=1),
            end=NOW + timedelta(hours=3), location=None, actor_id=1, now=NOW - timedelta(days=1),
            reminders=[("24h", NOW - timedelta(minutes=1)), ("1h", NOW)])
    got = await asyncio.gather(a.filmnight.claim_reminders(NOW, "a:1:1"), b.filmnight.claim_reminders(NOW, "b:2:2"))
    assert not set(got[0]) & set(got[1]) and len(got[0]) + len(got[1]) == 20
    holders = await a.db.fetchall("SELECT DISTINCT claimed_by FROM screening_reminders WHERE status = 'claimed'")
    assert {row[0] for row in holders} <= {"a:1:1", "b:2:2"}


async def test_two_processes_take_one_announcement_once(two_processes):
    """A closed poll's announcement due in both processes is taken (leased) by exactly one."""
    a, b = two_processes
    poll = await a.polls.create(guild_id=SHARD0, channel_id=1, creator_id=1, kind="buttons", question="Q?",
                                options=("x", "y"), multiple=False, anonymous=False, hide_results=False,
                                created_at=iso(NOW - timedelta(hours=1)), deadline=iso(NOW))
    await a.polls.close(poll, iso(NOW), None)
    assert await a.polls.closing_due(iso(NOW)) == [poll] == await b.polls.closing_due(iso(NOW))
    lease = iso(NOW + timedelta(minutes=2))
    taken = await asyncio.gather(a.polls.closing.take(poll, iso(NOW), lease), b.polls.closing.take(poll, iso(NOW), lease))
    assert sorted(taken) == [False, True]
    assert await a.polls.closing_due(iso(NOW)) == []  # leased: nobody else takes it meanwhile
    assert await a.polls.closing_due(iso(NOW + timedelta(minutes=2))) == [poll]  # the holder died: due again


async def test_due_rows_are_read_for_this_processs_shards_only(two_processes):
    """A process serving shard 1 of 2 never sees shard 0's due schedules, polls or reminders."""
    a, _ = two_processes
    for guild in (SHARD0, SHARD1):
        await a.schedules.create(guild_id=guild, channel_id=1, cadence=Cadence(parse_time("09:00"),
                                 parse_days("daily"), "UTC"), theme=None, film=None, ping_role_id=None,
                                 make_thread=False, actor_id=1, now=NOW - timedelta(days=2))
    await a.schedules.set_next_due([(NOW, schedule.id) for schedule in await a.schedules.unknown_due()])
    mine = Shards(2, (1,))
    due = await a.schedules.due_ids(NOW, mine)
    assert [(await a.schedules.get(i)).guild_id for i in due] == [SHARD1]
    assert len(await a.schedules.due_ids(NOW)) == 2


def test_a_claim_stamped_after_a_clock_step_back_is_neither_stolen_early_nor_held_forever():
    """The clock stepped back 51 min after another machine's process claimed: its claim (stamped 'in the future')
    is not taken over while that process may still be settling it, and is once its lease has run on the wall
    clock past its stamp: held the step longer, never forever. A gone process on this machine: at once."""
    elsewhere = "other-host:4242:abcd1234"
    stamped = iso(NOW)
    stepped_back = NOW - timedelta(minutes=51)
    me = new_holder()
    assert not abandoned(elsewhere, stamped, stepped_back, LEASE, me)
    assert not abandoned(elsewhere, stamped, NOW + LEASE - timedelta(seconds=1), LEASE, me)
    assert abandoned(elsewhere, stamped, NOW + LEASE, LEASE, me)
    host, pid, _ = me.split(":")
    assert abandoned(f"{host}:{pid}:00000000", stamped, stepped_back, LEASE, me)  # this process, an earlier bot
