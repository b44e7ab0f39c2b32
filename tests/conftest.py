"""Shared fixtures: a bot on a fresh temporary database, driven through simcord."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import Settings, create_bot
from bot.core.config import DEFAULT_DATA_DIR
from bot.core.db import open_database
from bot.stores import Store
from tests import pg_backend

# Every test sees Discord errors as discord.py raises them (DiscordServerError for 5xx), see faults.py.
from tests.faults import (  # noqa: F401
    applied_then_error,
    discord_history_order,
    rate_limits,
    realistic_http_errors,
)
from tests.helpers import World
from tests.pg import pg_database, pg_server_dsn  # noqa: F401  (a PostgreSQL per session, a database per test)

# Tests that boot a whole simulated bot, or are slow by nature, carry the `slow` marker, so the inner loop
# `pytest -m "not slow"` runs the pure and store tests alone. Marked here, by what a test uses, so a new
# test is classified the day it is written.
_BOT_FIXTURES = frozenset({"simcord_env", "simcord_bot", "world"})
_SLOW_FOLDERS = frozenset({"perf"})
# Whole-bot sweeps and subprocess tests that build their own bots or interpreters (seconds to minutes each).
_SLOW_FILES = frozenset({"test_fuzz.py", "test_crash_safety.py", "test_architecture.py"})


# The PostgreSQL lane (`FILMBOT_TEST_DATABASE=postgresql pytest -m postgres_lane`, run by .ci/run): the same tests
# on the second backend, as far as they exercise SQL. Every fast test (stores, jobs' queries, the dialect) of the
# folders whose stores run on it, and of those folders' simulated-bot tests the ones that walk a feature's SQL end to
# end: its issue's acceptance tests, the races (locks and upserts differ most between the backends), the spoiler
# gate's clause, saved searches, the film resolver, the cluster's processes sharing one database, and the tests of
# PostgreSQL's own faults. The other simulated-bot tests (wording, Discord faults, limits) run on SQLite only, so
# the whole CI run stays well under ten minutes on two cores; the whole suite passes on PostgreSQL too
# (`FILMBOT_TEST_DATABASE=postgresql python -m pytest`, README: Tests), not on every CI run.
_POSTGRES_LANE = frozenset({"core", "schedules", "polls", "quotes", "flags", "films", "cluster", "club", "filmnight"})
_POSTGRES_BOT_FILES = frozenset({
    "test_acceptance.py", "test_races.py", "test_gate.py", "test_saved_searches.py", "test_cluster.py",
})
_POSTGRES_BOT_TESTS = (
    "films/test_commands.py::",  # the film resolver's twelve EXISTS, through every command
    "films/test_alias_filters.py::",  # /review list: a typed film filter's alias clause (film_clause: those EXISTS, `?`-bound)
    "filmnight/test_history.py::",  # /history's one query over watches and ratings, local_day (postgresql/246)
)
# PostgreSQL-only tests outside those folders, and what only PostgreSQL refuses (a NUL in every text option)
_POSTGRES_LANE_FILES = frozenset({"test_faults_pg_lock.py", "test_faults_pg_restart.py", "test_postgres_text.py"})
_SQLITE_ONLY = frozenset({
    "test_migrations.py",  # upgrades legacy SQLite files (PostgreSQL starts at the 075 baseline)
    "test_db_writes.py",  # the SQLite writer thread's group commit
    "test_sample_store.py",  # seek_one's read-only SQLite reader
})


# Under FILMBOT_TEST_DATABASE=postgresql the whole suite passes but for these, skipped there: they open the
# SQLite file itself (its bytes, its writer thread's trips, its busy timeout, the playground's own file) or run
# `filmbot backup`, which copies a SQLite file (PostgreSQL has pg_dump). Set-up writes go through helpers.write
# and another process's write lock through helpers.hold_write_lock, which speak both backends.
_SQLITE_ONLY_TESTS = (
    "corpus/test_data_files.py::", "corpus/test_unicode.py::", "cross/test_cli.py::test_backup",
    "cross/test_playground",
    "cross/test_faults_db_busy.py::", "cross/test_faults_disk.py::", "cross/test_upgrade.py::",
    "cross/test_upgrade_film_keys.py::",
    "perf/test_one_hop_writes.py::", "perf/test_picks.py::",
    "perf/test_scheduler_due.py::",
)


# The files whose tests run longest (tens of seconds each, measured with --durations), run first: with the workers'
# work-stealing (pyproject's addopts) the short tests then fill in around them instead of a 60 s test starting last.
_LONGEST_FIRST = ("test_fuzz.py", "test_crash_safety.py", "test_event_loop.py", "test_cluster.py",
                  "test_spoiler_firewall.py", "test_uniform.py", "test_architecture.py", "test_autocomplete.py",
                  "test_film_visibility.py")


def _longest_first(item: pytest.Item) -> int:
    name = Path(str(item.fspath)).name
    return _LONGEST_FIRST.index(name) if name in _LONGEST_FIRST else len(_LONGEST_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_longest_first)  # stable: each file's tests keep their order (module fixtures set up once)
    for item in items:
        path = Path(str(item.fspath))
        if pg_backend.on_postgres() and any(key in item.nodeid for key in _SQLITE_ONLY_TESTS):
            item.add_marker(pytest.mark.skip(reason="reads or writes the SQLite file itself (tests/conftest.py)"))
        slow = bool(_BOT_FIXTURES & set(getattr(item, "fixturenames", ()))) or path.name in _SLOW_FILES
        end_to_end = path.name in _POSTGRES_BOT_FILES or any(key in item.nodeid for key in _POSTGRES_BOT_TESTS)
        lane = (path.parent.name in _POSTGRES_LANE and (not slow or end_to_end)) or path.name in _POSTGRES_LANE_FILES
        if lane and path.name not in _SQLITE_ONLY:
            item.add_marker(pytest.mark.postgres_lane)
        if (
            _BOT_FIXTURES & set(getattr(item, "fixturenames", ()))
            or path.parent.name in _SLOW_FOLDERS
            or path.name in _SLOW_FILES
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def quick_ack(monkeypatch: pytest.MonkeyPatch) -> float:
    """bot/core/slow's real-time waits scaled down 6x (ACK_AFTER 0.25 s, FORM_GIVE_UP 0.4 s), so a fault test that
    holds the write lock past the late acknowledgement waits the returned 1 s instead of 3 s, with the same order of
    events. One test (test_faults_db_busy's vote) keeps the real 1.5 s against Discord's real 3 s."""
    from bot.core import slow

    monkeypatch.setattr(slow, "ACK_AFTER", 0.25)
    monkeypatch.setattr(slow, "FORM_GIVE_UP", 0.4)
    return 1.0


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """SQLite's busy timeout cut from 5 s to 1 s for tests that wait it out (request before `world`: the pragma is
    set when the bot opens its connections). Returns how long to hold the lock to outlast it."""
    from bot.core import db

    pragmas = tuple("busy_timeout=1000" if p.startswith("busy_timeout=") else p for p in db._PRAGMAS)
    monkeypatch.setattr(db, "_PRAGMAS", pragmas)
    return 2.5


@pytest.fixture
def settings(tmp_path: Path):
    """A fresh database: a SQLite file, or with FILMBOT_TEST_DATABASE=postgresql a new PostgreSQL database
    (tests/pg_backend.py) — the same test body checks both backends."""
    if not pg_backend.on_postgres():
        yield Settings(database=tmp_path / "filmbot.db")
        return
    url = pg_backend.fresh_database()
    yield Settings(database=tmp_path / "filmbot.db", database_url=url)
    pg_backend.drop_database(url)


@pytest.fixture
async def two_processes(settings: Settings):
    """Two processes' stores on one database (SQLite file, or PostgreSQL under FILMBOT_TEST_DATABASE): each has its
    own connections and caches, as two bot processes would."""
    stores = [Store(await open_database(settings.database, settings.database_url)) for _ in range(2)]
    yield stores
    for store in stores:
        await store.db.close()


@pytest.fixture
async def simcord_bot(settings: Settings):
    bot = create_bot(settings)
    yield bot
    # simcord never calls close(); without this the database stays open.
    await bot.close_store()


@pytest.fixture
def world(simcord_env) -> World:
    return World(simcord_env)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("*.db", "*.db-*"))
    return target


@pytest.fixture(scope="session")
def review_site():
    """The loopback review website (tests.helpers.ReviewSite), one per test session."""
    from tests.helpers import ReviewSite

    site = ReviewSite().start()
    yield site
    site.stop()

