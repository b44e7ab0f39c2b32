"""The one SQLite connection: pragmas, the numbered-migration runner and the Database wrapper."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, closing
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiosqlite

from bot.core.db_writes import Executed, WriteQueue, execute_closed
from bot.core.films import critic_key, norm_key
from bot.core.time import from_iso
from bot.core.writer_thread import WriterThread

log = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs for SQLite's "database is locked" (asyncpg's errors carry `sqlstate`; read without importing
# the driver): lock_not_available (the server's lock_timeout passed while waiting for the write lock) and
# deadlock_detected. db_pg raises them as sqlite3.OperationalError (`db_pg.Busy`); errors.database_busy reads them.
BUSY_SQLSTATES = frozenset({"55P03", "40P01"})

CLOSE_GRACE = 2.0  # seconds close() lets an open transaction finish before cancelling it (then as long for its rollback)
SEEK_BUDGET = 0.005  # seconds a seek may hold the event loop before it is rerun on the database thread
RECHECK_AFTER = 1.0  # seconds a "no rows" of GuildsWith is kept: how stale another process's insert may find it

T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^(\d{3})-[\w-]+\.sql$")


class DatabaseTooNew(RuntimeError):
    """The database's schema is newer than this code's migrations."""


class MigrationFailed(sqlite3.DatabaseError):
    """A migration failed (disk full, a broken file): all were rolled back, the database is as it was."""


class DatabaseUnavailable(RuntimeError):
    """The PostgreSQL server refused us (wrong password, unknown database, too old), or the SQLite path names
    no file a database can be (a folder, a device, a pipe, a looping link): one line, exit 2."""


def file_problem(path: Path | str) -> str | None:
    """Why `path` cannot be a SQLite database file (None: a regular file, or nothing there yet, which SQLite
    creates). Asked before SQLite opens it: /dev/null got every migration run against it and a 1,500-character
    line ending in 'disk I/O error', a folder or a pipe 'database error: … is the file a filmbot SQLite
    database?' (exit 1), a symlink loop a traceback (`filmbot backup`)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None  # a new database (through a link to where it will be, too)
    except OSError as error:  # a loop of links, a path through a file, a folder we may not enter
        return f"{path} cannot be opened ({error.strerror})"
    if stat.S_ISREG(mode):
        return None
    kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"{path} is {kind}, not a database file: name a file (a new one is created)"


def migration_files() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every bundled migration, in order."""
    found = []
    for entry in resources.files("bot").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return found


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open the database with the pragmas every connection needs.

    ":memory:" opens a throwaway file instead (removed once the connection is collected): the writer
    thread and seek_one's reader are connections of their own, and no second connection sees an
    in-memory database.
    """
    throwaway = None
    if str(path) == ":memory:":
        throwaway = tempfile.mkdtemp(prefix="filmbot-memory-")
        path = Path(throwaway) / "memory.sqlite"
    if problem := file_problem(path):
        raise DatabaseUnavailable(problem)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # A bot that is never closed (a crashed test, a killed playground) must not keep the interpreter
    # alive through aiosqlite's worker thread: a thread is a daemon when the thread that creates it is
    # (threading's documented default), and aiosqlite creates its worker when the connection is made.
    pending = _made_on_a_daemon_thread(lambda: aiosqlite.connect(str(path), isolation_level=None))
    conn = await pending
    _PATHS[conn] = str(Path(path).resolve())
    if throwaway is not None:
        weakref.finalize(conn, shutil.rmtree, throwaway, True)
    conn.row_factory = aiosqlite.Row
    for name, arity, function in _SQL_FUNCTIONS:
        await conn.create_function(name, arity, function, deterministic=True)
    for pragma in _PRAGMAS:
        # Close each cursor: journal_mode returns a row, and an unread row keeps a statement
        # open, which makes the next COMMIT fail.
        await _pragma(conn, pragma)
    return conn


async def _pragma(conn: aiosqlite.Connection, pragma: str) -> None:
    """Run one PRAGMA. Switching a new file to WAL needs its exclusive lock, and SQLite answers "database is
    locked" at once (no busy wait) while another process starting on it holds the file: retried for 5 s."""
    for attempt in range(100):
        try:
            await (await conn.execute(f"PRAGMA {pragma}")).close()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
        await asyncio.sleep(0.05)


# The file each connection `connect` made opened: the writer and the reader open the same one without a trip.
_PATHS: weakref.WeakKeyDictionary[aiosqlite.Connection, str] = weakref.WeakKeyDictionary()

# WAL keeps readers unblocked while a write runs; foreign keys make deletes cascade.
_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000")


def _made_on_a_daemon_thread(make: Callable[[], T]) -> T:
    made: list[T] = []
    maker = threading.Thread(target=lambda: made.append(make()), name="filmbot-db-open", daemon=True)
    maker.start()
    maker.join()
    if not made:
        raise RuntimeError("the database connection could not be created")
    return made[0]


def open_writer(path: str) -> sqlite3.Connection:
    """The writer thread's connection (writer_thread.py), opened on that thread: the same SQL functions and
    pragmas as `connect`'s."""
    writer = sqlite3.connect(path, isolation_level=None)
    writer.row_factory = sqlite3.Row
    for name, arity, function in _SQL_FUNCTIONS:
        writer.create_function(name, arity, function, deterministic=True)
    for pragma in _PRAGMAS:
        writer.execute(f"PRAGMA {pragma}").close()
    return writer


def open_reader(path: str, over_budget: Callable[[], bool]) -> sqlite3.Connection:
    """A read-only connection for `Database.seek_one`, on the thread that opens it, with the same SQL
    functions as `connect`'s. It runs on the event loop, so it never waits for a lock and a statement
    is stopped once `over_budget()` says so (asked every few thousand SQLite instructions)."""
    reader = sqlite3.connect(path, isolation_level=None, timeout=0)
    reader.set_progress_handler(over_budget, 2000)
    reader.row_factory = sqlite3.Row
    for name, arity, function in _SQL_FUNCTIONS:
        reader.create_function(name, arity, function, deterministic=True)
    reader.execute("PRAGMA query_only=ON").close()
    return reader


def _casefold(value: object) -> Any:
    """SQL casefold(): Unicode-aware case folding (NOCASE only folds A-Z)."""
    return value.casefold() if isinstance(value, str) else value


def _critic_key(critic: object, review_id: object) -> Any:
    """SQL critic_key(critic, review id): bot.core.films.critic_key, so SQL and Python agree exactly."""
    if critic is not None and not isinstance(critic, str) or not isinstance(review_id, int):
        return None
    return critic_key(critic, review_id)


def _film_key(title: object) -> Any:
    """SQL film_key(title): bot.core.films.norm_key, the catalogue key (migration 030, its triggers)."""
    return norm_key(title) if isinstance(title, str) else None


def _local_day(at: object, zone: object) -> Any:
    """SQL local_day(UTC ISO timestamp, IANA zone): that moment's calendar day there, 'YYYY-MM-DD' (a /rate at
    03:00 UTC is the evening before in Los Angeles); the UTC day when the zone is unknown. Its PostgreSQL twin is
    migration postgresql/246 (AT TIME ZONE)."""
    if not isinstance(at, str):
        return None
    try:
        return from_iso(at).astimezone(ZoneInfo(str(zone))).date().isoformat()
    except (ValueError, ZoneInfoNotFoundError, OSError):  # OSError: a region's folder (America), a name too long
        return at[:10]


# The Python functions every connection (aiosqlite's and seek_one's reader) offers SQL: (name, arity, function).
_SQL_FUNCTIONS: tuple[tuple[str, int, Callable[..., Any]], ...] = (
    ("casefold", 1, _casefold), ("critic_key", 2, _critic_key), ("film_key", 1, _film_key),
    ("local_day", 2, _local_day),
)


def inserted_id(cursor: aiosqlite.Cursor) -> int:
    """The rowid an INSERT just created (SQLite always sets it after a successful INSERT)."""
    if cursor.lastrowid is None:
        raise RuntimeError("the INSERT created no row")
    return cursor.lastrowid


async def one_row(cursor: aiosqlite.Cursor) -> aiosqlite.Row:
    """The single row of an aggregate or lookup that always yields one (count, max, PRAGMA)."""
    row = await cursor.fetchone()
    if row is None:
        raise RuntimeError("the query returned no row")
    return row


# The table that records every applied migration by number. Created by the runner itself, not by a
# migration file, so a database of any age can be read before anything is applied to it.
_LEDGER = "schema_migrations"
_LEDGER_DDL = (
    f"CREATE TABLE IF NOT EXISTS {_LEDGER} (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));"
)
_CREATES = re.compile(r"\bCREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE)
_ADDS = re.compile(r"\bALTER\s+TABLE\s+(\w+)\s+ADD\s+(?:COLUMN\s+)?(\w+)", re.IGNORECASE)


# Work run just before a migration's own SQL, in its transaction, where the landed file (never edited) costs time
# that grows with the table squared. 226's UPDATE reads its new key back through film_refold, a temp table with no
# index on id: one scan of every film per re-keyed film (105 s at 100k films, 20k re-keyed; quadratic beyond).
# The same rule is applied here first through an indexed table, so 226's statement finds nothing left to do: a
# film takes film_key(title) unless a film of its year already holds that key; of films that would share one, the
# oldest (every condition read as the films were before, as 226's single UPDATE reads them). The old key is copied
# rather than joined back: PostgreSQL, misjudging the min(id) filter at one row, joined films by a scan per film
# (67 s at 100k films).
REKEY_FILMS_226 = """
CREATE TEMP TABLE film_rekey_all AS
SELECT id, norm_key AS old_key, film_key(title) AS new_key, coalesce(year, 0) AS y FROM films;
CREATE INDEX film_rekey_all_key ON film_rekey_all(new_key, y);
CREATE TEMP TABLE film_rekey (id BIGINT PRIMARY KEY, new_key TEXT NOT NULL);
INSERT INTO film_rekey (id, new_key)
SELECT r.id, r.new_key FROM film_rekey_all r
WHERE r.new_key <> r.old_key
  AND r.id = (SELECT min(o.id) FROM film_rekey_all o WHERE o.new_key = r.new_key AND o.y = r.y)
  AND NOT EXISTS (SELECT 1 FROM films h WHERE h.norm_key = r.new_key AND coalesce(h.year, 0) = r.y);
UPDATE films SET norm_key = (SELECT k.new_key FROM film_rekey k WHERE k.id = films.id)
WHERE id IN (SELECT id FROM film_rekey);
DROP TABLE film_rekey;
DROP TABLE film_rekey_all;
"""
BEFORE_MIGRATION = {226: REKEY_FILMS_226}


async def migrate(conn: aiosqlite.Connection) -> int:
    """Apply every bundled migration not yet recorded in `schema_migrations`, in order, in one transaction.

    Numbers are recorded one by one (not as a high-water mark), so a migration that lands after a
    higher-numbered one is still applied to databases that upgraded in between. Returns the highest
    applied number (also kept in PRAGMA user_version, which older filmbots read to refuse a newer database).
    """
    files = migration_files()
    known = {number for number, _, _ in files}
    applied = await _applied_numbers(conn, files)
    refuse_unknown_migrations(applied, known)
    pending = [m for m in files if m[0] not in applied]
    top = max(applied | {m[0] for m in pending}, default=0)
    ledger = await _has_ledger(conn)
    if not pending and ledger:
        return top
    for _, name, _ in pending:
        log.info("applying migration %s", name)
    # One script, one transaction: every pending migration lands with its ledger row and the version, or none.
    parts = ["BEGIN IMMEDIATE;", _LEDGER_DDL]
    if not ledger:  # a database from before the ledger: record what its schema shows it already has
        parts += [_record(number, name) for number, name, _ in files if number in applied]
    for number, name, sql in pending:
        parts += [BEFORE_MIGRATION.get(number, ""), sql, ";", _record(number, name)]
    parts += [f"PRAGMA user_version = {int(top)};", "COMMIT;"]
    try:
        await conn.executescript("\n".join(parts))
    except BaseException as error:
        await rollback_quietly(conn)
        if not isinstance(error, sqlite3.Error):
            raise
        # Another process starting on the same database migrated between our read and our BEGIN IMMEDIATE
        # (its CREATE TABLE or ledger row made ours fail): plan again from what it recorded.
        if await _applied_numbers(conn, files) != applied:
            return await migrate(conn)
        raise MigrationFailed(
            f"could not upgrade the database ({', '.join(name for _, name, _ in pending)}): {error}. Nothing was"
            f" changed: it is still at migration {max(applied, default=0)}. Fix the cause (disk space, a file"
            " another program holds) and start filmbot again"
        ) from error
    return top


def refuse_unknown_migrations(applied: set[int], known: set[int]) -> None:
    """A database holding a migration this code does not have was written by a newer filmbot (both backends)."""
    newer = sorted(applied - known)
    if newer:
        raise DatabaseTooNew(
            f"the database has migration {newer[-1]}, which this filmbot does not know (it knows up to"
            f" {max(known, default=0)}): run the newer filmbot, or restore a backup made by this version"
        )


def _record(number: int, name: str) -> str:
    return f"INSERT INTO {_LEDGER} (number, name) VALUES ({int(number)}, '{name.replace(chr(39), chr(39) * 2)}');"


async def _has_ledger(conn: aiosqlite.Connection) -> bool:
    async with conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_LEDGER,)) as cur:
        return await cur.fetchone() is not None


async def _applied_numbers(conn: aiosqlite.Connection, files: list[tuple[int, str, str]]) -> set[int]:
    """The migrations this database has: its ledger, or for a database from before the ledger, the files
    up to its user_version whose tables and columns are all there (a file the old high-water-mark runner
    skipped shows as missing tables, and is applied now)."""
    if await _has_ledger(conn):
        async with conn.execute(f"SELECT number FROM {_LEDGER}") as cur:
            return {row[0] for row in await cur.fetchall()}
    async with conn.execute("PRAGMA user_version") as cur:
        (version,) = await one_row(cur)
    check_version(version, files[-1][0] if files else 0)
    if version == 0:
        return set()
    columns = await _schema_columns(conn)
    return {number for number, _, sql in files if number <= version and _schema_has(columns, sql)}


async def _schema_columns(conn: aiosqlite.Connection) -> dict[str, set[str]]:
    async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
        tables = [row[0] for row in await cur.fetchall()]
    columns: dict[str, set[str]] = {}
    for table in tables:
        async with conn.execute("SELECT name FROM pragma_table_info(?)", (table,)) as cur:
            columns[table.casefold()] = {row[0].casefold() for row in await cur.fetchall()}
    return columns


def _schema_has(columns: dict[str, set[str]], sql: str) -> bool:
    """True when every table the migration creates and every column it adds exist already."""
    if any(table.casefold() not in columns for table in _CREATES.findall(sql)):
        return False
    return all(column.casefold() in columns.get(table.casefold(), set()) for table, column in _ADDS.findall(sql))


def check_version(current: int, known: int) -> None:
    """A database written by a newer filmbot is never opened: this code would misread or damage it."""
    if current > known:
        raise DatabaseTooNew(
            f"the database is at schema version {current}, newer than this filmbot knows ({known}):"
            " run the newer filmbot, or restore a backup made by this version"
        )


async def rollback_quietly(conn: aiosqlite.Connection) -> None:
    """Roll back what is still open, without masking the error that got us here.

    SQLite already rolls back by itself on some errors (disk full, I/O error); a second ROLLBACK would
    then raise "cannot rollback - no transaction is active" in place of the real cause.
    """
    try:
        if not conn.in_transaction:
            return
    except ValueError:  # aiosqlite's "no active connection": closed, and SQLite rolled back as it closed
        return
    try:
        await conn.execute("ROLLBACK")
    except sqlite3.Error:
        log.warning("rollback after a failed transaction failed too", exc_info=True)



async def end_transactions(lock: asyncio.Lock, holders: set[asyncio.Task[Any]]) -> None:
    """At close: let the open write transaction end for CLOSE_GRACE, then cancel the tasks inside one (each
    rolls back and frees `lock`), waiting CLOSE_GRACE again: a close never waits on a long import for ever."""
    if not lock.locked() or await _free_within(lock, CLOSE_GRACE):
        return
    for task in holders - {asyncio.current_task()}:
        log.warning("closing the database: cancelling a transaction still open after %.1f s", CLOSE_GRACE)
        task.cancel()
    if not await _free_within(lock, CLOSE_GRACE):
        log.warning("closing the database with a transaction still open: the database rolls it back")


async def _free_within(lock: asyncio.Lock, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds), lock:
            return True
    except TimeoutError:
        return False


class Database:
    """One aiosqlite connection shared by every store.

    aiosqlite runs statements in order on one thread, but coroutines interleave between
    them: a write issued while another coroutine is inside BEGIN…COMMIT would silently join
    (and could be rolled back with) that transaction. So every write takes `_write_lock`.
    One-hop writes (`in_one_hop`, `execute`) are sent in batches, each still its own transaction, to the
    writer thread's own connection (writer_thread.py); bounded index seeks (`seek_one`) read on the loop's
    thread through a third, read-only connection.
    """

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._write_lock = asyncio.Lock()
        self._writes = WriteQueue(self._on_writer, self._write_lock)  # one-hop writes, in batches (db_writes.py)
        self._writer: WriterThread | None = None
        self._writer_starting: asyncio.Future[WriterThread] | None = None
        self._path: str | None = None
        self._closed = False
        self._closing = False
        self._in_transaction: set[asyncio.Task[Any]] = set()  # the tasks inside `transaction()`, for close()
        self._read_conn: sqlite3.Connection | None | Literal[False] = None  # seek_one's; False: none can be had
        self._seek_deadline = 0.0
        self._aside: asyncio.Future[aiosqlite.Connection | None] | None = None  # read_aside's connection
        # Bumped after every write to films/reviews/passages/themes (corpus_transaction): caches of
        # corpus summaries (counts, critics, films) compare it to know they are still exact.
        self.corpus_version = 0

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Work only one process may do at a time (the bundled import at start). One SQLite file serves one
        machine, where the import's own transactions and resume point already keep it whole; PostgreSQL
        (db_pg.py) holds an advisory lock, so processes started together import once."""
        yield

    @asynccontextmanager
    async def corpus_transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction that writes the corpus: every corpus cache is invalid once it ends.

        Bumped on the way out whatever happened (commit or rollback), so a cache filled from
        uncommitted rows read inside the transaction never outlives it.
        """
        try:
            async with self.transaction() as conn:
                self.corpus_version += 1
                yield conn
        finally:
            self.corpus_version += 1

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error, one writer at a time."""
        async with self._write_lock:
            if self._closing:
                raise sqlite3.InterfaceError("the database is closing")
            task = asyncio.current_task()
            if task is not None:
                self._in_transaction.add(task)
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                    await self.conn.execute("COMMIT")  # inside the try: a failed COMMIT must roll back too
                except BaseException:
                    await rollback_quietly(self.conn)  # queued on aiosqlite's thread even if cancelled again
                    raise
            finally:
                self._in_transaction.discard(task)

    async def in_one_hop(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` inside BEGIN IMMEDIATE … COMMIT on the writer thread: the whole transaction
        is one hop from the event loop (each statement through aiosqlite is one loop round trip),
        shared with the other writes queued meanwhile (group commit, bot/core/db_writes.py)."""
        return await self._writes.submit(work, in_transaction=True)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Executed:
        """One autocommitted write statement, run and closed in one hop to the writer thread."""
        return await self._writes.submit(lambda raw: execute_closed(raw, sql, params), in_transaction=False)

    # execute_fetchall runs, reads and closes in one hop to aiosqlite's thread (instead of three):
    # each hop is a loop round trip, and they dominate a simple command's latency.
    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> aiosqlite.Row | None:
        rows = list(await self.conn.execute_fetchall(sql, params))
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def seek_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        """The first row of a bounded index seek, read on the event loop's own thread.

        For statements an index bounds (a pick by rowid range, a lookup by key: ~0.1 ms at 10k reviews).
        Through aiosqlite's thread such a read waits for the GIL after every SQLite step while the loop
        is busy: 200 servers' /discuss picks took 1.2-1.4 ms each that way for 0.12 ms of work. A seek
        still running after SEEK_BUDGET, or one that meets a lock, is stopped and rerun on the database
        thread; an in-memory database (no second connection can see it) always uses the thread.
        """
        reader = await self._reader()
        if reader is not None:
            self._seek_deadline = time.perf_counter() + SEEK_BUDGET
            try:
                with closing(reader.execute(sql, params)) as cursor:  # a cursor left open pins a WAL snapshot
                    return cursor.fetchone()
            except sqlite3.OperationalError as error:
                if not any(word in str(error) for word in ("interrupted", "locked", "busy")):
                    raise
        return await self.fetchone(sql, params)

    async def seek_rows(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[sqlite3.Row] | list[aiosqlite.Row]:
        """Every row of a bounded read (a LIMIT an index reaches quickly), as `seek_one` reads: on the
        loop's thread within SEEK_BUDGET, else rerun on the database thread."""
        reader = await self._reader()
        if reader is not None:
            self._seek_deadline = time.perf_counter() + SEEK_BUDGET
            try:
                with closing(reader.execute(sql, params)) as cursor:
                    return cursor.fetchall()
            except sqlite3.OperationalError as error:
                if not any(word in str(error) for word in ("interrupted", "locked", "busy")):
                    raise
        return await self.fetchall(sql, params)

    async def read_aside(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        """Every row of a read whose cost grows with what matches (`/search` ranking up to SEARCH_CANDIDATES
        passages: 10-25 ms at ~1.1M), on a read-only connection with a thread of its own. On aiosqlite's one
        thread it held every vote, rating and read of every server behind it; SQLite releases the GIL while
        it steps, so here it holds neither. An in-memory database (no second connection sees it) reads on
        the database thread."""
        if self._aside is None and (self._closing or self._closed):
            # A /search arriving as the bot stops: a connection opened now would outlive the close (its thread too).
            return await self.fetchall(sql, params)
        if self._aside is None:
            self._aside = asyncio.ensure_future(self._open_aside())
        opening = self._aside
        try:
            aside = await asyncio.shield(opening)
        except (OSError, sqlite3.Error):  # no connection to be had now (too many open files…): asked again next time
            if self._aside is opening:
                self._aside = None
            log.warning("the search connection could not be opened: reading on the database thread", exc_info=True)
            return await self.fetchall(sql, params)
        if aside is None or self._closed:
            return await self.fetchall(sql, params)
        return list(await aside.execute_fetchall(sql, params))

    async def _open_aside(self) -> aiosqlite.Connection | None:
        path = await self._main_path()
        if not path:
            return None
        aside = await _made_on_a_daemon_thread(
            lambda: aiosqlite.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, isolation_level=None)
        )
        aside.row_factory = aiosqlite.Row
        for name, arity, function in _SQL_FUNCTIONS:
            await aside.create_function(name, arity, function, deterministic=True)
        await _pragma(aside, "busy_timeout=5000")
        await _pragma(aside, "query_only=ON")
        return aside

    def _seek_over_budget(self) -> bool:
        """SQLite's progress handler on the reader: a seek running past its budget is stopped (and rerun
        on the database thread), so the loop is never held longer than that, whatever the data."""
        return time.perf_counter() > self._seek_deadline

    async def _main_path(self) -> str:
        """The database file's path ("" for an in-memory database, which `connect` never opens)."""
        if self._path is None and self.conn in _PATHS:
            self._path = _PATHS[self.conn]
        if self._path is None:
            main = await self.fetchone("PRAGMA database_list")
            self._path = main[2] if main is not None else ""
        return self._path

    async def _on_writer(self, work: Callable[..., T], *args: Any) -> T:
        """Run `work(connection, *args)` on the writer thread, started at the first write."""
        if self._closed:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        writer = self._writer
        if writer is None:
            if self._writer_starting is None:
                self._writer_starting = asyncio.ensure_future(self._start_writer())
            writer = await asyncio.shield(self._writer_starting)
        return await writer.run(work, *args)

    async def _start_writer(self) -> WriterThread:
        path = await self._main_path()
        if not path:
            raise sqlite3.ProgrammingError("an in-memory database has no second connection: open it with connect()")
        self._writer = await WriterThread.start(lambda: open_writer(path))
        return self._writer

    @property
    def writer_trips(self) -> int:
        """Trips taken to the writer thread so far (tests count hops with it)."""
        return self._writer.runs if self._writer is not None else 0

    async def _reader(self) -> sqlite3.Connection | None:
        if self._read_conn is None:
            path = await self._main_path()
            if self._read_conn is None:  # another caller may have opened it meanwhile
                self._read_conn = open_reader(path, self._seek_over_budget) if path else False
        return self._read_conn or None

    async def fetchval(self, sql: str, params: Sequence[Any] = (), default: Any = None) -> Any:
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    async def close(self) -> None:
        """Within about 2 × CLOSE_GRACE: a transaction still open then (a long /review import) is cancelled,
        rolled back and its write lock released, instead of holding the close (and the queued writes behind
        it) for as long as it runs."""
        self._closing = True  # no new transaction begins; the writes already queued still go
        await end_transactions(self._write_lock, self._in_transaction)
        await self._writes.drain()  # queued writes finish (or fail) before the connection goes
        self._closed = True
        if self._writer_starting is not None and self._writer is None:
            await asyncio.wait([self._writer_starting])
        if self._writer is not None:
            await self._writer.close()
        if self._read_conn:
            self._read_conn.close()
        self._read_conn = None
        if self._aside is not None:
            await asyncio.wait([self._aside])
            aside = None if self._aside.cancelled() or self._aside.exception() else self._aside.result()
            if aside is not None:
                await aside.close()
        await self.conn.close()


async def open_database(database: Path | str, url: str | None = None) -> Database:
    """The database the settings name, migrated: PostgreSQL for a `postgresql://` URL, else the SQLite file."""
    if url:
        from bot.core.db_pg import PostgresDatabase  # asyncpg is only imported by a bot that uses it

        return await PostgresDatabase.open(url)  # type: ignore[return-value]  # the same API (db_pg.py)
    conn = await connect(database)
    try:
        await migrate(conn)
    except BaseException:
        await conn.close()
        raise
    return Database(conn)


class GuildsWith:
    """The guilds that have at least one row of one kind, read once, then grown by the owning store.

    A store asks `may_have(guild)` before a per-command read: for a guild outside the set the answer is
    "no rows" without a database round trip. The store calls `add(guild)` before every insert of such
    a row (a failed insert only leaves a guild that then gets queried), and after a read that found one.
    Deleted rows never take a guild out: it is then just queried as before. Another process on the same
    database (FILMBOT_SHARD_IDS, a machine taking over) inserts without telling this one, so a "no" is
    kept at most `recheck_after` seconds per guild: then that guild is queried once again (a screening
    scheduled there holds its film's spoilers back here too, not never).
    """

    def __init__(self, db: Database, sql: str, recheck_after: float = RECHECK_AFTER) -> None:
        self.db = db
        self.sql = sql  # SELECT DISTINCT guild_id FROM …
        self.recheck_after = recheck_after
        self._guilds: set[int] | None = None
        self._added: set[int] = set()
        self._loaded_at = 0.0
        self._asked_at: dict[int, float] = {}  # a guild outside the set: when the database was last asked

    async def may_have(self, guild_id: int) -> bool:
        if self._guilds is None:
            loaded_at = time.monotonic()
            found = {row[0] for row in await self.db.fetchall(self.sql)}
            if self._guilds is None:
                self._guilds = found | self._added  # an add() during the read is kept
                self._loaded_at = loaded_at
        if guild_id in self._guilds:
            return True
        now = time.monotonic()
        if now - self._asked_at.get(guild_id, self._loaded_at) < self.recheck_after:
            return False
        self._asked_at[guild_id] = now  # ask once more: the caller's read then `add`s it if found
        return True

    def add(self, guild_id: int) -> None:
        self._added.add(guild_id)
        self._asked_at.pop(guild_id, None)
        if self._guilds is not None:
            self._guilds.add(guild_id)
