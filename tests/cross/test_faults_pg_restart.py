"""PostgreSQL restarting under the bot (a crash, the host's restart, a failover on the same address): a command
during the outage gets a clear private error and changes nothing; after it, commands and timed jobs go on without
restarting the bot, nothing doubled. The outage is real: a server of this module's own (tools/pgserver), stopped
stopped (fast, as a host restarts it) and started again on its port, so the lane's shared server is left alone."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from bot import Settings
from tests import pg_backend
from tests.cross.test_faults_polls import make_poll
from tests.helpers import rows as db
from tests.helpers import text_of
from tools import pgserver

pytestmark = pytest.mark.skipif(not pg_backend.on_postgres(), reason="PostgreSQL restarting under the bot")

HOUR = 3600


@pytest.fixture(scope="module")
def own_server():
    folder = Path(tempfile.mkdtemp(prefix="filmbot-pgr-"))
    folder.chmod(0o711)
    try:
        yield folder / "data", pgserver.start(folder / "data")
    finally:
        pgserver.stop(folder / "data")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(own_server):
    """(folder, DSN) of this module's server, running."""
    folder, dsn = own_server
    if not (folder / "postmaster.pid").exists():  # a test that failed while it was down
        pgserver.resume(folder)
    return folder, dsn


@pytest.fixture
def settings(server, tmp_path):
    _, dsn = server
    name = f"filmbot_r{tmp_path.name[-12:].replace('-', '_').lower()}"
    pg_backend._run(pgserver.admin(dsn, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    pg_backend._run(pgserver.admin(dsn, f"CREATE DATABASE {name}"))
    return Settings(database=tmp_path / "filmbot.db", database_url=pgserver.with_database(dsn, name))


async def test_a_command_during_an_outage_is_refused_clearly_and_the_next_after_it_works(world, settings, server):
    """/watchlist add while the server is down: 'cannot reach its database … nothing was changed' (before:
    'Something went wrong'); the same command after the restart is made, on the same bot."""
    folder, _ = server
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    pgserver.pause(folder)
    try:
        during = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    finally:
        pgserver.resume(folder)
    assert during.ephemeral and "cannot reach its database" in text_of(during), text_of(during)
    assert "nothing was changed" in text_of(during)
    assert all("PostgreSQL" in str(getattr(e, "original", e)) for e in world.env.errors)  # answered above
    after = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert "La La Land" in text_of(after) and "went wrong" not in text_of(after), text_of(after)
    assert db(settings, "SELECT count(*) FROM watchlist") == [(2,)]


async def test_a_poll_due_during_an_outage_closes_once_after_it(world, settings, server):
    """A poll's deadline passes while the server is down: closed within minutes of its return, results once
    (before: every job's next due time unreadable read as 'nothing due', and the loop slept 6 h)."""
    folder, _ = server
    poll_id = await make_poll(world)
    posts = len(world.bot_messages())
    pgserver.pause(folder)
    try:
        await world.env.advance_time(HOUR + 60)
        assert len(world.bot_messages()) == posts
    finally:
        pgserver.resume(folder)
    await world.env.advance_time(3 * 60)
    assert db(settings, "SELECT close_state FROM polls WHERE id = ?", (poll_id,)) == [("announced",)]
    assert len(world.bot_messages()) == posts + 1
    await world.env.advance_time(HOUR)
    assert len(world.bot_messages()) == posts + 1
