"""PostgreSQL for tests: a server for the session and a fresh empty database per test.

`pg_server_dsn` (session): $FILMBOT_TEST_POSTGRES when set (CI starts one server with tools/pgserver.py
and exports it), else a throwaway server started under a temporary folder for this session (with xdist,
each worker starts its own: ~1 s, nothing shared to lock), else the test is skipped (no binaries).
`pg_database` (function): the DSN of a new empty database on that server, dropped after the test.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tools import pgserver
from tools.pgserver import admin as _admin
from tools.pgserver import with_database

ENV = "FILMBOT_TEST_POSTGRES"
BASELINE = Path(__file__).resolve().parents[1] / "bot" / "migrations" / "postgresql" / "075-baseline.sql"
T = TypeVar("T")


def run_sync(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on its own loop in its own thread (safe inside a running loop too)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(work)
        except BaseException as error:  # noqa: BLE001  (re-raised in the caller's thread)
            box["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture(scope="session")
def pg_server_dsn() -> Iterator[str]:
    """A PostgreSQL server's DSN for the whole session (see the module docstring)."""
    given = os.environ.get(ENV)
    if given:
        yield given
        return
    if pgserver.binaries() is None:
        pytest.skip(f"no PostgreSQL binaries (initdb, pg_ctl) and {ENV} not set")
    folder = Path(tempfile.mkdtemp(prefix="filmbot-pg-"))  # /tmp: short enough for the unix socket
    folder.chmod(0o711)  # as root the server runs as another user, who must get through to data/
    try:
        yield pgserver.start(folder / "data")
    finally:
        pgserver.stop(folder / "data")
        shutil.rmtree(folder, ignore_errors=True)


async def apply_baseline(conn: Any) -> None:
    """The PostgreSQL schema (075-baseline.sql) on an asyncpg connection, in one transaction."""
    async with conn.transaction():
        await conn.execute(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture
def pg_database(pg_server_dsn: str) -> Iterator[str]:
    """The DSN of a fresh empty database (CREATE DATABASE with a unique name), dropped after the test."""
    name = f"filmbot_test_{uuid.uuid4().hex[:16]}"
    run_sync(_admin(pg_server_dsn, f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
    try:
        yield with_database(pg_server_dsn, name)
    finally:
        run_sync(_admin(pg_server_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
