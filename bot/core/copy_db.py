"""`filmbot copy-db SOURCE TARGET`: move a club between SQLite and PostgreSQL (either way), whole or not at all.

Both sides are opened (and migrated) as the bot opens them; the target must be empty. Every table is
copied in one transaction on the target, parents before children (the foreign keys say which), and
each table's row count is checked against the source's before the transaction commits: an interrupted
or failed copy leaves the target as empty as it was. The source is only read.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.db import Database, migration_files, open_database

log = logging.getLogger(__name__)

BATCH = 20_000
# Kept by the runner or by SQLite itself, never copied: the target has its own.
# corpus_generation: one counter row the migration creates (a new database's caches start from it).
_NOT_COPIED = frozenset({"schema_migrations", "sqlite_sequence", "corpus_generation"})
# Columns the target's own triggers number on insert (migration 075: a theme's tags 1, 2, 3…): left out,
# and rows copied in that order, so the numbers come out the same.
_NUMBERED = {"passage_themes": "seq"}


class CopyRefused(RuntimeError):
    """The copy would lose or mix data (a non-empty target, the same database twice): nothing was written."""


@dataclass(frozen=True)
class Copied:
    tables: int
    rows: int
    by_table: dict[str, int]


def _is_url(value: str) -> bool:
    return value.startswith(("postgresql://", "postgres://"))


async def _open(where: str) -> Database:
    return await open_database(Path(where), where) if _is_url(where) else await open_database(Path(where))


def table_order() -> list[str]:
    """Every table of the schema, each after the tables its foreign keys point at (from the migrations)."""
    conn = sqlite3.connect(":memory:")
    try:
        from bot.core.db import _SQL_FUNCTIONS

        for name, arity, function in _SQL_FUNCTIONS:
            conn.create_function(name, arity, function, deterministic=True)
        for _, _, sql in migration_files():
            conn.executescript(sql)
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            " AND name NOT LIKE 'passages_fts%' ORDER BY name")]
        parents = {t: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({t})")} - {t} for t in tables}
    finally:
        conn.close()
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:
            raise RuntimeError(f"foreign keys form a cycle among {sorted(set(tables) - set(ordered))}")
        ordered += ready
    return [t for t in ordered if t not in _NOT_COPIED]


async def _columns(db: Database, table: str) -> list[str]:
    if db.dialect == "postgresql":
        rows = await db.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ? ORDER BY ordinal_position", (table,))
    else:
        rows = await db.fetchall("SELECT name FROM pragma_table_info(?)", (table,))
    return [r[0] for r in rows]


async def _count(db: Database, table: str) -> int:
    return int(await db.fetchval(f"SELECT count(*) FROM {table}", (), 0))


async def copy_database(source: str, target: str) -> Copied:
    """Copy every row of `source` into the empty `target` (paths or postgresql:// URLs)."""
    if source == target:
        raise CopyRefused("the source and the target are the same database")
    if not _is_url(source) and not Path(source).is_file():
        raise CopyRefused(f"there is no database at {source}")
    src = await _open(source)
    try:
        dst = await _open(target)
        try:
            return await _copy(src, dst)
        finally:
            await dst.close()
    finally:
        await src.close()


async def _copy(src: Database, dst: Database) -> Copied:
    tables = table_order()
    for table in tables:
        if await _count(dst, table):
            raise CopyRefused(f"the target is not empty ({table} has rows): copy into a new, empty database")
    by_table: dict[str, int] = {}
    async with dst.transaction() as conn:
        for table in tables:
            numbered = _NUMBERED.get(table)
            columns = [c for c in await _columns(src, table) if c in set(await _columns(dst, table)) and c != numbered]
            listed = ", ".join(columns)
            order = ", ".join([*([numbered] if numbered else []), *(str(i + 1) for i in range(len(columns)))])
            insert = f"INSERT INTO {table}({listed}) VALUES ({', '.join('?' for _ in columns)})"
            copied = 0
            offset = 0
            while True:  # pages in a stable order: the first column (the key of every table here), then all
                rows = await src.fetchall(
                    f"SELECT {listed} FROM {table} ORDER BY {order}"
                    " LIMIT ? OFFSET ?", (BATCH, offset))
                if not rows:
                    break
                values = [tuple(_plain(v) for v in row) for row in rows]
                if dst.dialect == "postgresql":  # COPY: one round trip a batch, not one a row
                    await conn.copy_rows(table, columns, values)  # type: ignore[attr-defined]
                else:
                    await conn.executemany(insert, values)
                copied += len(rows)
                offset += len(rows)
            expected = await _count(src, table)
            async with conn.execute(f"SELECT count(*) FROM {table}") as cur:
                row = await cur.fetchone()
            landed = int(row[0]) if row is not None else -1
            if copied != expected or landed != expected:
                raise RuntimeError(f"{table}: {expected} rows in the source, {landed} in the target: nothing copied")
            by_table[table] = expected
            log.info("copied %s: %d rows", table, expected)
    return Copied(len(tables), sum(by_table.values()), by_table)


def _plain(value: Any) -> Any:
    """Values as both drivers take them (asyncpg hands back bools for boolean expressions only)."""
    return int(value) if isinstance(value, bool) else value
