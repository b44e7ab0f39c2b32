"""SQLite refusing every write: the file read-only (a volume remounted read-only; real: PRAGMA query_only makes
SQLite itself answer SQLITE_READONLY) or the disk full (SQLITE_FULL at COMMIT, rolled back: tests/faults.py says why
that one is injected). A command or a button gets a clear private error and writes nothing; a timed job's pass (a
poll's close, a reminder) is retried later and done once when the database takes writes again."""

from __future__ import annotations

import pytest

from tests.cross.test_faults_filmnight import reminders, schedule
from tests.cross.test_faults_polls import make_poll
from tests.faults import sqlite_full, sqlite_read_only
from tests.helpers import advance_to, table_digest, text_of
from tests.helpers import rows as db

HOUR = 3600


@pytest.fixture(params=["read-only", "full"])
def refusing(request, monkeypatch, world):
    """An async function: the database refuses writes from now on; it returns the one that gives them back."""

    async def start():
        if request.param == "read-only":
            await sqlite_read_only(world.bot.store.db)

            async def writable():
                await sqlite_read_only(world.bot.store.db, on=False)
            return writable
        room = sqlite_full(monkeypatch)

        async def freed():
            room()
        return freed
    return start


def refused_writes(world) -> list[str]:
    """The bot's errors so far (answered privately, so acknowledged here), as text."""
    return [str(getattr(error, "original", error)) for error in world.env.errors]


async def test_a_command_the_database_cannot_save_is_refused_clearly_and_whole(world, settings, refusing):
    """/watchlist add on a full or read-only database: a private reply saying why, nothing written; then it works."""
    before = table_digest(settings.database)
    writable = await refusing()
    result = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert result.ephemeral, text_of(result)
    assert "disk is full or it is read-only" in text_of(result) and "nothing was changed" in text_of(result), \
        text_of(result)
    assert table_digest(settings.database) == before
    assert refused_writes(world) and all("full" in e or "readonly" in e for e in refused_writes(world))
    await writable()
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert len(db(settings, "SELECT id FROM watchlist")) == 1


async def test_a_vote_the_database_cannot_save_is_refused_clearly(world, settings, refusing):
    """A vote button on a full or read-only database: told privately why, no vote stored."""
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    await refusing()
    answer = await world.bob.click(created.response.message, label="Happy")
    assert answer.ephemeral and "disk is full or it is read-only" in text_of(answer), text_of(answer)
    assert db(settings, "SELECT count(*) FROM poll_votes") == [(0,)]


async def test_a_poll_due_while_writes_are_refused_closes_once_after(world, settings, refusing):
    """The deadline passes while nothing can be written: still open, nothing posted; once writable, closed once."""
    poll_id = await make_poll(world)
    writable = await refusing()
    posts_before = len(world.bot_messages())
    await world.env.advance_time(HOUR + 10 * 60)
    assert db(settings, "SELECT close_state, results_message_id FROM polls") == [("open", None)]
    assert len(world.bot_messages()) == posts_before, "a result posted that the database could not record"
    await writable()
    await world.env.advance_time(2 * 60)
    assert db(settings, "SELECT close_state FROM polls WHERE id = ?", (poll_id,)) == [("announced",)]
    [(results_id,)] = db(settings, "SELECT results_message_id FROM polls")
    assert len(world.bot_messages()) == posts_before + 1 and results_id is not None
    await world.env.advance_time(HOUR)
    assert len(world.bot_messages()) == posts_before + 1


async def test_a_reminder_due_while_writes_are_refused_is_sent_once_after(world, settings, refusing):
    """The 1 h reminder falls due while nothing can be written: not sent (its claim could not be made); once
    writable it is sent once, settled 'sent'."""
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 18, 50)
    assert len(reminders(world)) == 1
    writable = await refusing()
    await advance_to(world, 2026, 1, 5, 19, 10)
    assert len(reminders(world)) == 1
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = '1h'") == [("due",)]
    await writable()
    await advance_to(world, 2026, 1, 5, 19, 30)
    assert len(reminders(world)) == 2
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = '1h'") == [("sent",)]
