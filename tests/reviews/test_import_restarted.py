"""A /review import cut short by a restart (a deploy, a crash) while its one transaction is open: nothing of it
is stored, and the moderator's private reply, frozen at "Importing… N / 300", is edited at the next start to
say so; a token older than Discord's 15 minutes is only forgotten."""

from __future__ import annotations

import asyncio
import sys

from bot import create_bot
from bot.core import db as database
from bot.reviews.store import ReviewStore
from tests.faults import discord_fault
from tests.helpers import bot_down_for, rows, text_of
from tests.reviews.test_import_killed import REVIEWS, big_export, imported, orphans


async def start_import_and_hang(world, monkeypatch):
    """/review import of 300 reviews, stopped in its transaction after 150 (parked, as a process about to die)."""
    monkeypatch.setattr(sys.modules["cogs.reviews"], "PROGRESS_EVERY", 0.0)  # as loaded by the bot
    world.env.settle_timeout = 60.0  # honest CPU work on a shared, busy machine
    original = ReviewStore._insert
    written = 0

    async def insert_then_hang(self, *args, **kwargs):
        nonlocal written
        written += 1
        if written == REVIEWS // 2:
            await world.env.external_wait(asyncio.Event().wait(), reason="the process stops here")
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(ReviewStore, "_insert", insert_then_hang)
    hanging = await world.mod.slash(world.channel, "review import", file=("big.json", big_export()))
    monkeypatch.setattr(ReviewStore, "_insert", original)
    return hanging


async def test_an_import_cut_by_a_restart_tells_the_moderator_nothing_was_kept(world, settings, monkeypatch):
    """Restarted mid-import: the private reply says the bot restarted, none of the 300 was stored, run it again;
    the database holds no part of it and no leftover record of the import."""
    hanging = await start_import_and_hang(world, monkeypatch)
    assert "Importing" in text_of(hanging), text_of(hanging)
    await world.env.shutdown()
    world.env.backend.advance_clock(30)
    await world.env.start()
    told = text_of(hanging)
    assert "restarted" in told and "nothing" in told.lower() and "again" in told, told
    assert hanging.ephemeral and not hanging.followups
    assert imported(settings) == [(0, 0)] and orphans(settings) == [(0,)]
    assert rows(settings, "SELECT count(*) FROM running_imports") == [(0,)]
    assert not world.env.errors


async def test_an_import_cut_longer_ago_than_its_token_lives_is_only_forgotten(world, settings, monkeypatch):
    """Down 20 minutes (Discord's interaction token lives 15): no edit is tried, the record is dropped."""
    hanging = await start_import_and_hang(world, monkeypatch)
    before = text_of(hanging)
    await bot_down_for(world.env, 20 * 60)
    edits = [r for r in world.env.http_requests if r.method == "PATCH" and "@original" in r.path]
    await world.env.settle()
    assert text_of(hanging) == before and [r for r in world.env.http_requests
                                           if r.method == "PATCH" and "@original" in r.path] == edits
    assert imported(settings) == [(0, 0)]
    assert rows(settings, "SELECT count(*) FROM running_imports") == [(0,)]


async def test_a_finished_import_leaves_nothing_to_tell_after_a_restart(world, settings):
    """An import that ended (stored, or refused) is forgotten with it: a restart does not touch its summary."""
    done = await world.mod.slash(world.channel, "review import", file=("big.json", big_export(20)))
    refused = await world.mod.slash(world.channel, "review import", file=("bad.json", b'{"format": "x"}'))
    summary, refusal = text_of(done), text_of(refused)
    assert summary.startswith("**Imported 20 reviews.**"), summary
    assert rows(settings, "SELECT count(*) FROM running_imports") == [(0,)]
    await world.env.restart_bot()
    assert text_of(done) == summary and text_of(refused) == refusal


async def test_a_graceful_stop_mid_import_closes_promptly_and_the_next_start_tells(world, settings, monkeypatch):
    """`bot.close()` while the import's transaction is open (a write queued behind it): close ends within its
    grace twice over (it waited for the import for ever), the import is rolled back, its lock released and the
    queued write answered; the next start tells the moderator."""
    monkeypatch.setattr(database, "CLOSE_GRACE", 0.2)
    hanging = await start_import_and_hang(world, monkeypatch)
    db = world.bot.store.db
    queued = asyncio.ensure_future(db.execute("INSERT INTO meta(key, value) VALUES ('queued', '1')"))
    async with asyncio.timeout(5):  # it waited for the import for ever
        await world.bot.close()
    assert queued.done() and not db._write_lock.locked()  # written on SQLite, refused on PostgreSQL: not stuck
    assert imported(settings) == [(0, 0)] and orphans(settings) == [(0,)]
    await world.env.restart_bot(create_bot(settings))  # a new process on the same database
    assert "nothing of it was stored" in text_of(hanging), text_of(hanging)
    assert not world.env.errors


async def test_the_notice_whose_edit_meets_a_5xx_is_tried_again(world, settings, monkeypatch):
    """Discord answers 503 to the start's edit (discord.py does not retry a 503; one injected fault stands for all its
    tries): the notice is tried again a little later, within the token's 15 minutes, and the reply says so once."""
    hanging = await start_import_and_hang(world, monkeypatch)
    await world.env.shutdown()
    world.env.backend.advance_clock(30)
    discord_fault(world.env, "PATCH", "/webhooks/*/messages/@original", 503, times=2)
    await world.env.start()
    assert "Importing" in text_of(hanging), text_of(hanging)
    await world.env.advance_time(5 * 60)
    told = text_of(hanging)
    assert "nothing of it was stored" in told, told
    assert rows(settings, "SELECT count(*) FROM running_imports") == [(0,)]
    assert not world.env.errors
