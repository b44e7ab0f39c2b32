"""A real server's database made by an older filmbot (migrations up to 050, or up to 075), then started by today's
bot: every migration applied once, nothing lost, the timed work that was open (a poll, a pick, a film night's
reminders and end) done exactly once, and the buttons and menus posted before the upgrade still working.

The old database is made from a live server: today's bot posts the poll, the pick menu and the event (their
custom ids have never changed), then its data is copied into a file built by the migrations of that time (the
columns both schemas have; tables the old bot did not have are left behind), and today's bot starts on it."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core import db as database
from tests.helpers import rows, text_of

HOUR = 3600


async def old_database(path: Path, upto: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty database as the filmbot of migration `upto` made it."""
    older = [f for f in database.migration_files() if f[0] <= upto]
    with monkeypatch.context() as patch:
        patch.setattr(database, "migration_files", lambda: older)
        conn = await database.connect(path)
        try:
            await database.migrate(conn)
        finally:
            await conn.close()


def copy_into_old(today: Path, old: Path) -> dict[str, int]:
    """Every row of `today` into the older schema of `old` (the columns it had); the rows copied per table."""
    con = sqlite3.connect(old, isolation_level=None)
    for name, arity, function in database._SQL_FUNCTIONS:  # the schema's indexes and triggers call them
        con.create_function(name, arity, function, deterministic=True)
    try:
        con.execute("ATTACH DATABASE ? AS today", (str(today),))
        virtual = [n for (n,) in con.execute("SELECT name FROM main.sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
        tables = [n for (n,) in con.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
                  if n not in ("schema_migrations", "sqlite_sequence") and n not in virtual
                  and not any(n.startswith(f"{v}_") for v in virtual)]
        today_tables = {n for (n,) in con.execute("SELECT name FROM today.sqlite_master WHERE type = 'table'")}
        copied = {}
        con.execute("BEGIN")
        for table in tables:
            if table not in today_tables:
                continue
            old_columns = [r[1] for r in con.execute(f"PRAGMA main.table_info({table})")]
            new_columns = {r[1] for r in con.execute(f"PRAGMA today.table_info({table})")}
            # passage_themes.seq is numbered by its insert trigger (075): rows go in in that order, without it
            columns = ", ".join(c for c in old_columns if c in new_columns and c != "seq")
            order = " ORDER BY seq" if "seq" in old_columns else ""
            con.execute(f"DELETE FROM main.{table}")  # rows a migration of that time seeded
            con.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM today.{table}{order}")
            copied[table] = con.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0]
        con.execute("COMMIT")
    finally:
        con.close()
    return copied


async def live_server(world):
    """Reviews, a flag, ratings, an open poll voted once, an open pick with a ballot, a film night two days away."""
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    asked = await world.alice.click(quoted.response, label="Flag")
    await world.alice.click(asked.response, label="Doesn't read well")
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4)
    await world.bob.slash(world.channel, "rate film", film="La La Land", stars=3)
    poll = await world.alice.slash(world.channel, "poll create", question="Best ending?",
                                   options="La La Land | Whiplash", hours=2, anonymous=True)
    await world.bob.click(poll.response.message, label="Whiplash")
    for film, year in (("Whiplash", 2014), ("Paterson", 2016), ("La La Land", 2016)):
        await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
    pick = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=3, method="single")
    await world.alice.select(pick.response, ["2"])
    night = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-03 20:00",
                                  where="Club room")
    assert "is scheduled" in text_of(night), text_of(night)
    assert not world.env.errors
    return poll.response.message, pick.response


def bot_posts(world) -> list:
    return [m for m in world.channel.history() if m.author.bot]


def said(message) -> str:
    return (message.content or "") + "".join((e.title or "") + (e.description or "") for e in message.embeds)


@pytest.mark.parametrize("upto", [50, 75])
async def test_an_older_database_upgraded_keeps_everything_and_finishes_open_work_once(
        world, settings, monkeypatch, tmp_path, upto):
    """Upgraded from migration 050 (or 075): all migrations recorded once; reviews, passages, the flag, ratings,
    poll votes, the ballot, the watchlist and the screening kept; the old poll buttons and pick menu still count;
    the poll and the pick close once, the film night's reminders and end step come once each."""
    poll, pick = await live_server(world)
    await world.env.shutdown()
    today = Path(settings.database)
    old = tmp_path / "old.db"
    await old_database(old, upto, monkeypatch)
    copied = copy_into_old(today, old)
    assert copied["poll_votes"] == 1 and copied["filmnight_ballots"] == 1 and copied["screening_reminders"] == 3
    for suffix in ("", "-wal", "-shm"):
        Path(f"{today}{suffix}").unlink(missing_ok=True)
    shutil.copy(old, today)
    posts = len(bot_posts(world))
    pending = [n for n, _, _ in database.migration_files() if n > upto]
    assert pending and rows(settings, "SELECT max(number) FROM schema_migrations") == [(upto,)]
    await world.env.start()
    await world.env.advance_time(5)

    numbers = [n for n, _, _ in database.migration_files()]
    assert [r[0] for r in rows(settings, "SELECT number FROM schema_migrations ORDER BY number")] == numbers
    for table, count in copied.items():
        assert rows(settings, f"SELECT count(*) FROM {table}") == [(count,)], table
    assert rows(settings, "SELECT count(*) FROM passage_flags WHERE resolved_at IS NULL") == [(1,)]
    queue = await world.mod.slash(world.channel, "passage flagged")
    assert "Hide 1" in str(queue.response.components), text_of(queue)

    voted = await world.alice.click(poll, label="La La Land")  # a button posted before the upgrade
    assert voted.ephemeral and "La La Land" in text_of(voted), text_of(voted)
    ballot = await world.bob.select(pick, ["1"])
    assert "ballot" in text_of(ballot).lower(), text_of(ballot)
    assert len(bot_posts(world)) == posts  # nothing posted again at start

    await world.env.advance_time(4 * HOUR)  # the poll's and the pick's deadlines
    new = bot_posts(world)[posts:]
    assert len([m for m in new if "Results of anonymous poll" in said(m)]) == 1, [said(m) for m in new]
    assert len([m for m in new if m.embeds and (m.embeds[0].title or "").startswith("Results of pick")]) == 1
    assert rows(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert rows(settings, "SELECT close_state FROM filmnight_picks") == [("announced",)]
    assert rows(settings, "SELECT count(*) FROM filmnight_ballots") == [(2,)]

    for _ in range(6):  # to 2026-01-04: the 24 h and 1 h reminders, the screening's end
        await world.env.advance_time(12 * HOUR)
    assert rows(settings, "SELECT kind, status FROM screening_reminders ORDER BY kind") == [
        ("1h", "sent"), ("24h", "sent"), ("end", "sent")]
    reminders = [m for m in bot_posts(world) if "⏰" in (m.content or "")]
    assert len(reminders) == 2, [m.content for m in reminders]
    assert rows(settings, "SELECT status FROM screenings") == [("ended",)]
    later = len(bot_posts(world))
    await world.env.advance_time(12 * HOUR)
    assert len(bot_posts(world)) == later and not world.env.errors



async def test_a_reminder_the_old_bot_claimed_and_never_sent_is_sent_once_after_the_upgrade(
        world, settings, monkeypatch, tmp_path):
    """The old bot (075: claims had no holder nor time) was stopped for the upgrade right after claiming the 24 h
    reminder, before posting it: today's bot, started 30 s later, takes the holderless claim over and posts the
    reminder once; the others follow once each."""
    await live_server(world)
    await world.env.shutdown()
    today = Path(settings.database)
    old = tmp_path / "old.db"
    await old_database(old, 75, monkeypatch)
    copy_into_old(today, old)
    with sqlite3.connect(old) as con:
        con.execute("UPDATE screening_reminders SET status = 'claimed' WHERE kind = '24h'")
    con.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{today}{suffix}").unlink(missing_ok=True)
    shutil.copy(old, today)
    due = datetime(2026, 1, 2, 20, 0, 30, tzinfo=UTC)
    world.env.backend.advance_clock((due - world.env.now()).total_seconds())
    await world.env.start()
    await world.env.advance_time(60)
    assert len([m for m in bot_posts(world) if "⏰" in (m.content or "")]) == 1
    for _ in range(4):
        await world.env.advance_time(12 * HOUR)
    assert rows(settings, "SELECT kind, status FROM screening_reminders ORDER BY kind") == [
        ("1h", "sent"), ("24h", "sent"), ("end", "sent")]
    assert len([m for m in bot_posts(world) if "⏰" in (m.content or "")]) == 2 and not world.env.errors
