"""bot/core/errors: which database failures a member is told about in plain words."""

from __future__ import annotations

import sqlite3

import pytest

from bot.core.errors import NO_ROOM_DATABASE, database_refusing_writes, message_for


def real_sqlite_error(tmp_path, kind: str) -> sqlite3.OperationalError:
    """SQLite's own error: a write past the file's page cap (SQLITE_FULL), or on a read-only connection."""
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    conn.execute("CREATE TABLE t (b BLOB)")
    if kind == "full":
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
    else:
        conn.execute("PRAGMA query_only = 1")
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    conn.close()
    return caught.value


@pytest.mark.parametrize("kind", ["full", "read-only"])
def test_a_database_that_cannot_save_is_named_to_the_member(tmp_path, kind):
    """SQLITE_FULL and SQLITE_READONLY, as SQLite raises them, get the plain 'cannot save' message."""
    error = real_sqlite_error(tmp_path, kind)
    assert database_refusing_writes(error)
    assert message_for(error) == NO_ROOM_DATABASE


def test_postgres_disk_full_and_read_only_are_named_too():
    """PostgreSQL's disk_full and read_only_sql_transaction (a standby after a failover) read the same."""
    for sqlstate in ("53100", "25006"):
        error = Exception("x")
        error.sqlstate = sqlstate  # type: ignore[attr-defined]
        assert message_for(error) == NO_ROOM_DATABASE


def test_other_database_errors_stay_unexpected():
    """A syntax error or a missing table is a bug: no friendly message, the logged code instead."""
    assert message_for(sqlite3.OperationalError("no such table: x")) is None


def test_a_database_server_out_of_reach_or_lost_is_named():
    """PostgreSQL down (no connection could be made, or starting up) or gone mid-transaction: said plainly,
    and only the first promises nothing was changed."""
    from bot.core.db import DatabaseUnavailable
    from bot.core.errors import LOST_DATABASE, UNREACHABLE_DATABASE

    assert message_for(DatabaseUnavailable("cannot reach the PostgreSQL server")) == UNREACHABLE_DATABASE
    for sqlstate, said in (("57P03", UNREACHABLE_DATABASE), ("57P01", LOST_DATABASE), ("08003", LOST_DATABASE)):
        error = Exception("x")
        error.sqlstate = sqlstate  # type: ignore[attr-defined]
        assert message_for(error) == said
