"""The one SQLite connection: pragmas and the numbered-migration runner."""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})-[\w-]+\.sql$")


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
    """Open the database with the pragmas every connection needs."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    pending = aiosqlite.connect(str(path), isolation_level=None)
    # A bot that is never closed (a crashed test, a killed playground) must not keep the
    # interpreter alive through aiosqlite's worker thread.
    pending._thread.daemon = True
    conn = await pending
    conn.row_factory = aiosqlite.Row
    # WAL keeps readers unblocked while a write runs; foreign keys make deletes cascade.
    await conn.create_function("casefold", 1, _casefold, deterministic=True)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
        # Close each cursor: journal_mode returns a row, and an unread row keeps a statement
        # open, which makes the next COMMIT fail.
        await (await conn.execute(f"PRAGMA {pragma}")).close()
    return conn


def _casefold(value: object) -> object:
    """SQL casefold(): Unicode-aware case folding (NOCASE only folds A-Z)."""
    return value.casefold() if isinstance(value, str) else value


async def migrate(conn: aiosqlite.Connection) -> int:
    """Apply every migration newer than PRAGMA user_version, all in one transaction."""
    async with conn.execute("PRAGMA user_version") as cur:
        (current,) = await cur.fetchone()
    pending = [m for m in migration_files() if m[0] > current]
    if not pending:
        return current
    target = pending[-1][0]
    for _, name, _ in pending:
        log.info("applying migration %s", name)
    # One script, one transaction: either every pending migration lands with the new version, or none.
    script = "\n".join(sql for _, _, sql in pending)
    try:
        await conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {int(target)};\nCOMMIT;")
    except BaseException:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise
    return target

