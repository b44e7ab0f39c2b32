"""PostgreSQL as the second backend: the same `Database` API the stores use, on asyncpg.

`FILMBOT_DATABASE=postgresql://…` selects it (bot/core/db.py `open_database`). The stores' SQL is
written once, in SQLite's dialect; `bot/core/dialect.py` rewrites each statement once per process, and
this module hands parameters over in the types PostgreSQL expects (learnt from the prepared statement:
SQLite takes any value anywhere, PostgreSQL does not).

Writers are serialised as SQLite's BEGIN IMMEDIATE serialises them, across every process on the
database: each write transaction first takes one transaction-scoped advisory lock. A store's
read-then-write ("is the slot free? take it") therefore means the same on both backends, and two
processes can never both post one scheduled prompt. Reads need no lock (MVCC).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import re
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

import asyncpg

from bot.core.db import (
    BEFORE_MIGRATION,
    BUSY_SQLSTATES,
    DatabaseUnavailable,
    end_transactions,
    migration_files,
    refuse_unknown_migrations,
)
from bot.core.db_writes import Executed
from bot.core.dialect import to_postgres

log = logging.getLogger(__name__)

T = TypeVar("T")

MIN_SERVER_VERSION = 130000  # normalize() (film keys) and the GENERATED columns of the baseline
WRITE_LOCK_KEY = 0x46494C4D  # "FILM": every write transaction of every process takes it
MIGRATE_LOCK_KEY = 0x46494C4E  # migrations and the bundled import, one process at a time
POOL_SIZE = 8
_STATEMENTS_PER_CONNECTION = 512
_BASELINE = 75  # PostgreSQL support starts at schema 075: one file holds everything up to it
_MIGRATION_NAME = re.compile(r"^(\d{3})-[\w-]+\.sql$")
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)
_RETURNS_ROWS = re.compile(r"^\s*(?:SELECT|WITH|VALUES|SHOW|EXPLAIN)\b|\bRETURNING\b", re.IGNORECASE)
_STATUS_COUNT = re.compile(r"(\d+)$")


def is_postgres_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


# -------------------- values in, values out

def _numeric(text: str) -> int | float:
    """numeric results (sum() of integers, avg()) as SQLite gives them: an int when whole, else a float."""
    if "." not in text and "e" not in text.lower():
        return int(text)
    value = float(text)
    return value


def _storable(text: str) -> str:
    """Text PostgreSQL can hold: its text type refuses NUL, which SQLite stores and every renderer drops
    (core/text.inert), so a NUL a member typed — in an option, a form, a custom id, an imported file — is
    dropped here instead of failing the command or the write with it."""
    return text.replace("\x00", "") if "\x00" in text else text


def _coerce(value: Any, pg_type: str) -> Any:
    """A parameter as PostgreSQL's inferred type wants it (SQLite's affinity took anything)."""
    if value is None:
        return None
    if pg_type.endswith("[]"):  # an array: json_each(?) membership hands over a JSON array string
        items = json.loads(value) if isinstance(value, str) else list(value)
        return [_coerce(item, pg_type[:-2]) for item in items]
    if pg_type in ("text", "varchar", "bpchar", "name", "unknown"):
        text = value if isinstance(value, str) else str(int(value) if isinstance(value, bool) else value)
        return _storable(text)
    if pg_type in ("int2", "int4", "int8", "smallint", "integer", "bigint"):
        if isinstance(value, str):
            return int(value.strip())
        return int(value)
    if pg_type in ("float4", "float8", "real", "double precision"):
        return float(value)
    if pg_type == "numeric":
        return value if isinstance(value, int | float) else float(value)
    if pg_type == "bool":
        return bool(value)
    if pg_type in ("json", "jsonb") and not isinstance(value, str):
        return json.dumps(value)
    return value


# A connection the server (or the network) dropped: the statement never ran, or ran and was rolled back.
_LOST = (asyncpg.exceptions.ConnectionDoesNotExistError, asyncpg.exceptions.InterfaceError, ConnectionError,
         asyncpg.exceptions.AdminShutdownError, asyncpg.exceptions.InvalidCachedStatementError,
         asyncpg.exceptions.InternalClientError)
_BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"


# The transaction this task is inside (if any): its reads go through the transaction's connection, so
# they see its uncommitted writes as SQLite's one shared connection does (a store may read back a row
# it just inserted through `db.fetchone` before COMMIT).
_IN_TRANSACTION: contextvars.ContextVar[Connection | None] = contextvars.ContextVar("filmbot_pg_tx", default=None)


class IntegrityError(sqlite3.IntegrityError):
    """A constraint PostgreSQL enforced (unique, foreign key, check), as the stores already catch it."""


class Busy(sqlite3.OperationalError):
    """PostgreSQL gave up waiting for a lock (lock_timeout, 55P03) or broke a deadlock (40P01): SQLite's "database is
    locked", as the jobs and services already catch it (polls' message recording and withdrawal, the closing
    back-off's RETRYABLE, film night's reminders). Left as asyncpg's error, none of them retried it on PostgreSQL."""

    def __init__(self, error: asyncpg.PostgresError) -> None:
        super().__init__(f"database is locked ({type(error).__name__}: {error})")
        self.sqlstate = error.sqlstate


class Cursor:
    """What a statement returned, read the way the stores read an aiosqlite cursor."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> asyncpg.Record | None:
        return self.fetchone_now()

    async def fetchall(self) -> list[asyncpg.Record]:
        return self.fetchall_now()

    def fetchone_now(self) -> asyncpg.Record | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall_now(self) -> list[asyncpg.Record]:
        rest, self._next = self._rows[self._next:], len(self._rows)
        return rest

    async def close(self) -> None:
        return None

    def __aiter__(self) -> Cursor:
        return self

    async def __anext__(self) -> asyncpg.Record:
        row = self.fetchone_now()
        if row is None:
            raise StopAsyncIteration
        return row


class _Pending:
    """`conn.execute(...)`: awaited, or used as `async with conn.execute(...) as cur` (aiosqlite's shape)."""

    def __init__(self, run: Callable[[], Any]) -> None:
        self._run = run

    def __await__(self) -> Any:
        return self._run().__await__()

    async def __aenter__(self) -> Cursor:
        cursor: Cursor = await self._run()
        return cursor

    async def __aexit__(self, *exc: object) -> None:
        return None


@dataclass
class _Link:
    """One server connection and the statements prepared on it."""

    raw: asyncpg.Connection
    statements: OrderedDict[str, asyncpg.prepared_stmt.PreparedStatement]


class Connection:
    """One connection as the stores use it inside a transaction: execute / executemany / fetch."""

    dialect = "postgresql"

    def __init__(self, db: PostgresDatabase, link: _Link) -> None:
        self.db = db
        self.link = link
        self.in_transaction = False
        self._explicit_ids: set[str] = set()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> _Pending:
        return _Pending(lambda: self.run(sql, params))

    async def execute_fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[asyncpg.Record]:
        return (await self.run(sql, params)).fetchall_now()

    async def executemany(self, sql: str, seq: Iterable[Sequence[Any] | dict[str, Any]]) -> Cursor:
        total = 0
        for params in seq:
            total += (await self.run(sql, params)).rowcount
        return Cursor([], total, None)

    async def run(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        text, args, ids_table = self.db.prepare_text(sql, params)
        if ids_table is not None:
            self._explicit_ids.add(ids_table)
        try:
            statement = await self._statement(text)
            args = [_coerce(arg, t.name) for arg, t in zip(args, statement.get_parameters(), strict=True)]
            rows = await statement.fetch(*args)
        except asyncpg.IntegrityConstraintViolationError as error:
            # The stores catch sqlite3.IntegrityError (a duplicate flag, a film taken meanwhile): the same
            # error, whichever backend said it.
            raise IntegrityError(f"{type(error).__name__}: {error}") from error
        except asyncpg.PostgresError as error:
            error.add_note("as PostgreSQL read it: " + " ".join(text.split()))  # the statement in the log, not its values
            if error.sqlstate in BUSY_SQLSTATES:
                raise Busy(error) from error
            raise
        status = statement.get_statusmsg() or ""
        found = _STATUS_COUNT.search(status)
        rowcount = int(found.group(1)) if found and not status.startswith("SELECT") else -1
        lastrowid = None
        if text.endswith(" RETURNING id") and rows:
            lastrowid = rows[-1][0]
            if not _RETURNS_ROWS.search(sql):
                rows = []
        return Cursor(list(rows), rowcount, lastrowid)

    async def _statement(self, text: str) -> asyncpg.prepared_stmt.PreparedStatement:
        cache = self.link.statements
        statement = cache.get(text)
        if statement is None:
            statement = await self.link.raw.prepare(text)
            cache[text] = statement
            if len(cache) > _STATEMENTS_PER_CONNECTION:
                cache.popitem(last=False)
        else:
            cache.move_to_end(text)
        return statement

    async def copy_rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        """Many rows at once with PostgreSQL's COPY (copy-db: a million passages in minutes, not hours),
        each value in its column's type, inside this transaction."""
        types = await self.link.raw.fetch(
            "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = $1", table)
        kind = {row[0]: row[1] for row in types}
        records = [tuple(_coerce(value, kind.get(column, "text")) for value, column in zip(row, columns, strict=True))
                   for row in rows]
        await self.link.raw.copy_records_to_table(table, records=records, columns=columns)
        if "id" in columns:
            self._explicit_ids.add(table)

    async def resync_ids(self) -> None:
        """Rows inserted with explicit ids (the bundled import numbers its own) leave the identity
        sequence behind: move it past them before the transaction ends."""
        for table in sorted(self._explicit_ids):
            await self.link.raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        self._explicit_ids.clear()


class SyncConnection:
    """A transaction's connection for `in_one_hop` work written against sqlite3 (raw.execute(...).fetchone()):
    the work runs on a worker thread and each statement is run on the loop, which stays free meanwhile."""

    def __init__(self, conn: Connection, loop: asyncio.AbstractEventLoop) -> None:
        self.conn = conn
        self.loop = loop

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> SyncCursor:
        cursor = asyncio.run_coroutine_threadsafe(self.conn.run(sql, params), self.loop).result()
        return SyncCursor(cursor)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | dict[str, Any]]) -> SyncCursor:
        items = list(seq)
        cursor = asyncio.run_coroutine_threadsafe(self.conn.executemany(sql, items), self.loop).result()
        return SyncCursor(cursor)


class SyncCursor:
    def __init__(self, cursor: Cursor) -> None:
        self.cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid = cursor.lastrowid

    def fetchone(self) -> asyncpg.Record | None:
        return self.cursor.fetchone_now()

    def fetchall(self) -> list[asyncpg.Record]:
        return self.cursor.fetchall_now()

    def close(self) -> None:
        return None


class PostgresDatabase:
    """A small pool of asyncpg connections behind the stores' `Database` API (see bot/core/db.py)."""

    dialect = "postgresql"

    def __init__(self, dsn: str, links: list[_Link], columns: dict[str, set[str]]) -> None:
        self.dsn = dsn
        self._idle: asyncio.Queue[_Link] = asyncio.Queue()
        for link in links:
            self._idle.put_nowait(link)
        self._links = links
        self._columns = columns  # table -> its columns: which INSERTs can report the id they made
        self._write_lock = asyncio.Lock()
        self._in_transaction: set[asyncio.Task[Any]] = set()  # the tasks inside `transaction()`, for close()
        self._closing = False
        self.corpus_version = 0
        self.conn = None  # SQLite's shared aiosqlite connection: stores read through fetchone/fetchall here

    # -- opening

    @classmethod
    async def open(cls, dsn: str, *, size: int = POOL_SIZE) -> PostgresDatabase:
        first = await _connect(dsn)
        try:
            await migrate_postgres(first)
            columns = await _table_columns(first)
        except BaseException:
            await first.close()
            raise
        links = [_Link(first, OrderedDict())]
        for _ in range(size - 1):
            links.append(_Link(await _connect(dsn), OrderedDict()))
        return cls(dsn, links, columns)

    async def close(self) -> None:
        """As SQLite's (bot/core/db.py): an open transaction gets CLOSE_GRACE, then is cancelled and rolled back."""
        self._closing = True
        await end_transactions(self._write_lock, self._in_transaction)
        for link in self._links:
            if not link.raw.is_closed():
                await link.raw.close()

    # -- the statement as PostgreSQL reads it

    def prepare_text(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> tuple[str, list[Any], str | None]:
        statement = to_postgres(sql)
        text = statement.sql
        if statement.names is not None:
            if not isinstance(params, dict):
                raise TypeError("named placeholders need a dict of parameters")
            args = [params[name] for name in statement.names]
        else:
            args = list(params.values()) if isinstance(params, dict) else list(params)
        ids_table = None
        insert = _INSERT_INTO.match(text)
        if insert is not None:
            table = insert.group(1).lower()
            listed = {c.strip().lower() for c in insert.group(2).split(",")}
            if "id" in listed:
                ids_table = table
            elif "id" in self._columns.get(table, ()) and not _RETURNS_ROWS.search(text):
                text += " RETURNING id"
        return text, args, ids_table

    @asynccontextmanager
    async def _link(self) -> AsyncIterator[_Link]:
        link = await self._idle.get()
        try:
            if link.raw.is_closed():  # the server restarted under us: a new connection, same place
                link.raw = await _connect(self.dsn)
                link.statements.clear()
            yield link
        except _LOST:
            link.raw.terminate()  # never reuse a connection in an unknown state: reopened on its next use
            raise
        finally:
            self._idle.put_nowait(link)

    # -- reads

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[asyncpg.Record]:
        # A read is safe to repeat: on a lost connection it is retried on the next one (each dead
        # connection is met once and reopened on its next use), so a server restart costs no read.
        current = _IN_TRANSACTION.get()
        if current is not None and current.db is self and current.in_transaction:
            return (await current.run(sql, params)).fetchall_now()
        for attempt in range(len(self._links) + 1):
            try:
                async with self._link() as link:
                    return (await Connection(self, link).run(sql, params)).fetchall_now()
            except _LOST as error:
                if attempt == len(self._links):
                    raise
                log.warning("PostgreSQL connection lost during a read (%s); retrying", type(error).__name__)
        raise AssertionError("unreachable")

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> asyncpg.Record | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Sequence[Any] = (), default: Any = None) -> Any:
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    seek_one = fetchone
    seek_rows = fetchall
    read_aside = fetchall  # the pool's connections already read side by side

    # -- writes

    @asynccontextmanager
    async def _held(self) -> AsyncIterator[None]:
        """This task is inside a transaction (close cancels it past its grace); none begins once closing."""
        if self._closing:
            raise asyncpg.InterfaceError("the database is closing")
        task = asyncio.current_task()
        if task is not None:
            self._in_transaction.add(task)
        try:
            yield
        finally:
            self._in_transaction.discard(task)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """One write transaction at a time, across every process (the advisory lock)."""
        async with self._write_lock, self._link() as link, self._held():
            conn = Connection(self, link)
            try:
                await link.raw.execute(_BEGIN)
            except _LOST:  # nothing was sent yet: a connection the server dropped is reopened, once
                link.raw = await _connect(self.dsn)
                link.statements.clear()
                await link.raw.execute(_BEGIN)
            except asyncpg.PostgresError as error:
                # BEGIN ran, the write lock did not come (the server's lock_timeout): end the aborted transaction,
                # or the pooled connection refuses every later statement ("current transaction is aborted").
                await link.raw.execute("ROLLBACK")
                if error.sqlstate in BUSY_SQLSTATES:
                    raise Busy(error) from error
                raise
            conn.in_transaction = True
            token = _IN_TRANSACTION.set(conn)
            try:
                yield conn
                await conn.resync_ids()
                await link.raw.execute("COMMIT")
            except BaseException:
                if not link.raw.is_closed():
                    try:
                        await link.raw.execute("ROLLBACK")
                    except (asyncpg.PostgresError, ConnectionError, OSError):
                        log.warning("rollback after a failed transaction failed too", exc_info=True)
                raise
            finally:
                conn.in_transaction = False
                _IN_TRANSACTION.reset(token)

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """One process at a time across the database (the bundled import at start): an advisory lock held
        on a pooled connection while the work runs on the others."""
        async with self._link() as link:
            await link.raw.execute(f"SELECT pg_advisory_lock({MIGRATE_LOCK_KEY})")
            try:
                yield
            finally:
                if not link.raw.is_closed():
                    await link.raw.execute(f"SELECT pg_advisory_unlock({MIGRATE_LOCK_KEY})")

    @asynccontextmanager
    async def corpus_transaction(self) -> AsyncIterator[Connection]:
        try:
            async with self.transaction() as conn:
                self.corpus_version += 1
                yield conn
        finally:
            self.corpus_version += 1

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Executed:
        async with self.transaction() as conn:
            cursor = await conn.run(sql, params)
        return Executed(cursor.rowcount, cursor.lastrowid)

    async def in_one_hop(self, work: Callable[[Any], T]) -> T:
        """`work` (written for a sqlite3 connection) inside one transaction, on a worker thread."""
        loop = asyncio.get_running_loop()
        async with self.transaction() as conn:
            return await asyncio.to_thread(work, SyncConnection(conn, loop))

    async def executescript(self, sql: str) -> None:
        async with self._link() as link:
            await link.raw.execute(sql)


async def _connect(dsn: str) -> asyncpg.Connection:
    try:
        # Our casefold() before PostgreSQL 18's own pg_catalog.casefold() (a different folding).
        raw = await asyncpg.connect(dsn, statement_cache_size=0, server_settings={"search_path": "public, pg_catalog"})
    except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError) as error:
        raise DatabaseUnavailable(f"PostgreSQL refused the login in FILMBOT_DATABASE: {error}") from None
    except asyncpg.InvalidCatalogNameError as error:
        raise DatabaseUnavailable(f"FILMBOT_DATABASE names a database that does not exist: {error}") from None
    except (OSError, asyncpg.CannotConnectNowError) as error:
        raise DatabaseUnavailable(f"cannot reach the PostgreSQL server in FILMBOT_DATABASE: {error}") from None
    except (ValueError, OverflowError) as error:  # asyncpg's reading of the URL: a port 'x' or 99999, '[::1'
        password = re.match(r"[^:/]+://[^:@/]*:([^@/]*)@", dsn)
        said = str(error).replace(password.group(1), "***") if password and password.group(1) else str(error)
        raise DatabaseUnavailable(
            f"FILMBOT_DATABASE is not a PostgreSQL URL I can read ({said}):"
            " e.g. postgresql://user:password@host:5432/filmbot"
        ) from None
    version = raw.get_server_version()
    number = version.major * 10000 + version.minor
    if number < MIN_SERVER_VERSION:
        await raw.close()
        raise DatabaseUnavailable(
            f"PostgreSQL {version.major}.{version.minor} is too old: filmbot needs 13 or newer"
        )
    await raw.set_type_codec("numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text")
    return raw


async def _table_columns(raw: asyncpg.Connection) -> dict[str, set[str]]:
    rows = await raw.fetch(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    )
    columns: dict[str, set[str]] = {}
    for row in rows:
        columns.setdefault(row[0], set()).add(row[1])
    return columns


# -------------------- migrations

def postgres_migration_files() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration PostgreSQL runs, in order: the baseline, then each later
    number's file in bot/migrations/postgresql/ when its SQL must differ, else the one written portably
    for both (bot/migrations/NNN-*.sql: plain tables, columns and ON CONFLICT, no SQLite-only syntax)."""
    own = {}
    for entry in resources.files("bot").joinpath("migrations", "postgresql").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            own[int(match.group(1))] = (int(match.group(1)), entry.name, entry.read_text(encoding="utf-8"))
    shared = {number: (number, name, sql) for number, name, sql in migration_files() if number > _BASELINE}
    return sorted({**shared, **own}.values())


# The functions a PostgreSQL migration file (re)defines (226: the new film_key), so the work core/db runs before that
# file (BEFORE_MIGRATION) reads them as the file's own statements do.
_FUNCTIONS = re.compile(r"CREATE OR REPLACE FUNCTION .*?\$fn\$;", re.DOTALL)


def before_postgres_migration(number: int, sql: str) -> str | None:
    """What runs just before migration `number` on PostgreSQL: its file's functions, then core/db's work for it,
    with its temp table analyzed (PostgreSQL never analyzes a temp table by itself); None for most migrations."""
    work = BEFORE_MIGRATION.get(number)
    if work is None:
        return None
    analyzed = work.replace("film_rekey_all(new_key, y);", "film_rekey_all(new_key, y);\nANALYZE film_rekey_all;")
    return "\n".join(_FUNCTIONS.findall(sql)) + "\n" + analyzed


async def migrate_postgres(raw: asyncpg.Connection) -> int:
    """The order-safe runner of bot/core/db.py on PostgreSQL: the same ledger of numbers, every file not
    recorded applied in order in one transaction, a newer database refused. Under an advisory lock, so
    processes started together migrate once. The baseline file stands for every SQLite migration up to
    075 (no PostgreSQL database predates it)."""
    sqlite_files = migration_files()
    files = postgres_migration_files()
    known = {number for number, _, _ in sqlite_files}
    await raw.execute(f"SELECT pg_advisory_lock({MIGRATE_LOCK_KEY})")
    try:
        await raw.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC',"
            " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"
        )
        applied = {row[0] for row in await raw.fetch("SELECT number FROM schema_migrations")}
        refuse_unknown_migrations(applied, known)
        pending = [m for m in files if m[0] not in applied]
        if not pending:
            return max(applied, default=0)
        async with raw.transaction():
            for number, name, sql in pending:
                log.info("applying PostgreSQL migration %s", name)
                if (before := before_postgres_migration(number, sql)) is not None:
                    await raw.execute(before)
                await raw.execute(sql)
                covered = [(n, nm) for n, nm, _ in sqlite_files if n <= number] if number == _BASELINE \
                    else [(number, name)]
                await raw.executemany(
                    "INSERT INTO schema_migrations(number, name) VALUES ($1, $2) ON CONFLICT DO NOTHING", covered
                )
        return max(applied | {m[0] for m in pending})
    finally:
        await raw.execute(f"SELECT pg_advisory_unlock({MIGRATE_LOCK_KEY})")
