"""PostgreSQL: another process holds the write lock past the server's lock_timeout (an operator's `ALTER DATABASE
… SET lock_timeout`): the member gets the same clear private "busy, try again" SQLite's busy timeout gets, nothing
is half-written, and the next try (lock free) works. The lock is real: a second connection on the database."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import pg_backend
from tests.cross.test_faults_db_busy import text
from tests.helpers import hold_write_lock
from tests.helpers import rows as db

pytestmark = pytest.mark.skipif(not pg_backend.on_postgres(), reason="PostgreSQL's lock timeout")


@pytest.fixture
def settings(settings):
    name = urlsplit(settings.database_url).path.lstrip("/")
    pg_backend._run(pg_backend._admin(f"ALTER DATABASE {name} SET lock_timeout = '1s'"))
    return settings


async def test_a_write_past_postgresqls_lock_timeout_is_refused_privately_and_whole(world, settings):
    world.env.settle_timeout = 30.0
    holder = hold_write_lock(settings, 4.0)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert r.ephemeral or all(m.flags.ephemeral for m in r.followups), text(r)
    assert "busy" in text(r).lower() and "went wrong" not in text(r), text(r)
    assert db(settings, "SELECT count(*) FROM watchlist") == [(0,)]
    assert db(settings, "SELECT count(*) FROM audit_log WHERE action LIKE 'watchlist%'") == [(0,)]
    assert ["lock timeout" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above
    again = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert "La La Land" in text(again) and len(db(settings, "SELECT id FROM watchlist")) == 1, text(again)


async def test_every_pooled_connection_works_after_a_lock_timeout(world, settings):
    """The timed-out BEGIN leaves its connection in an aborted transaction unless rolled back: each of the pool's
    connections must serve the next writes and reads."""
    world.env.settle_timeout = 30.0
    holder = hold_write_lock(settings, 4.0)
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert len(world.env.errors) == 1  # the one lock timeout, answered privately
    for title, year in [("Whiplash", 2014)] + [("La La Land", 2016)] * 9:
        r = await world.mod.slash(world.channel, "watchlist add", film=title, year=year)
        assert "went wrong" not in text(r), text(r)
    assert len(db(settings, "SELECT id FROM watchlist")) == 2
