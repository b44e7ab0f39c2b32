"""The suite on PostgreSQL: `FILMBOT_TEST_DATABASE=postgresql` with `FILMBOT_TEST_POSTGRES` naming a server
(a DSN whose user may create databases; `.ci/run` starts a throwaway one, tools/pgserver.py).

Each test gets a fresh database copied from a template migrated once per process (CREATE DATABASE …
TEMPLATE: ~20 ms), and the suite's read-only helpers (tests/helpers.py `rows`) read it through the same
dialect rewrite the stores use, so one test body checks both backends.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tools.pgserver import admin, with_database

T = TypeVar("T")

BACKEND = os.environ.get("FILMBOT_TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
SERVER = os.environ.get("FILMBOT_TEST_POSTGRES", "")
_names = itertools.count()
_template: str | None = None
_loop: asyncio.AbstractEventLoop | None = None


def on_postgres() -> bool:
    return BACKEND == "postgresql"


def _database_url(name: str) -> str:
    return with_database(SERVER, name)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run on the helpers' own loop thread (a test's loop may be running, or may not exist)."""
    global _loop
    if _loop is None:
        _loop = asyncio.new_event_loop()
        threading.Thread(target=_loop.run_forever, name="pg-test-helpers", daemon=True).start()
    return asyncio.run_coroutine_threadsafe(coro, _loop).result(timeout=120)


async def _admin(sql: str) -> None:
    await admin(SERVER, sql)


def url_of(name: str) -> str:
    return _database_url(name)


def fresh_database(template: str | None = None) -> str:
    """The URL of a new, migrated, empty filmbot database (or a copy of `template`: "template0" is bare)."""
    global _template
    if template is not None:
        name = f"filmbot_t{os.getpid()}_{next(_names)}"
        _run(_admin(f"CREATE DATABASE {name} TEMPLATE {template}"))
        return _database_url(name)
    if not SERVER:
        raise RuntimeError("FILMBOT_TEST_DATABASE=postgresql needs FILMBOT_TEST_POSTGRES (a server DSN)")
    if _template is None:
        from bot.core.db_pg import PostgresDatabase

        name = f"filmbot_tpl_{os.getpid()}"
        _run(_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        _run(_admin(f"CREATE DATABASE {name}"))

        async def migrate() -> None:
            db = await PostgresDatabase.open(_database_url(name), size=1)
            await db.close()

        _run(migrate())
        _template = name
    name = f"filmbot_t{os.getpid()}_{next(_names)}"
    _run(_admin(f"CREATE DATABASE {name} TEMPLATE {_template}"))
    return _database_url(name)


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _run(_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a read-only query, written in SQLite's dialect like the stores' (bot/core/dialect.py)."""
    import asyncpg

    from bot.core.dialect import to_postgres

    statement = to_postgres(sql)

    async def fetch() -> list[tuple[Any, ...]]:
        conn = await asyncpg.connect(url)
        try:
            prepared = await conn.prepare(statement.sql)
            from bot.core.db_pg import _coerce

            args = [_coerce(a, t.name) for a, t in zip(params, prepared.get_parameters(), strict=True)]
            records = await prepared.fetch(*args)
            return [tuple(record.values()) for record in records] if not records else [
                _named(record) for record in records]
        finally:
            await conn.close()

    return _run(fetch())


class _Named(tuple):
    names: tuple[str, ...]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        return tuple.__getitem__(self, self.names.index(key) if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def _named(record: Any) -> _Named:
    row = _Named(tuple(record.values()))
    row.names = tuple(record.keys())
    return row


def execute(url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    """A write the bot did not make (a test's set-up), in SQLite's dialect like the stores' SQL."""
    import asyncpg

    from bot.core.db_pg import _coerce
    from bot.core.dialect import to_postgres

    async def run() -> None:
        conn = await asyncpg.connect(url)
        try:
            prepared = await conn.prepare(to_postgres(sql).sql)
            await prepared.fetch(*[_coerce(a, t.name) for a, t in zip(params, prepared.get_parameters(), strict=True)])
        finally:
            await conn.close()

    _run(run())


def terminate_connections(url: str) -> None:
    """Cut every connection to the test's database, as a server restart does."""
    name = urlsplit(url).path.lstrip("/")
    _run(_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                " AND pid <> pg_backend_pid()"))


def tables(url: str) -> list[str]:
    return [r[0] for r in query(url, "SELECT table_name FROM information_schema.tables"
                                " WHERE table_schema = current_schema() ORDER BY table_name")]
