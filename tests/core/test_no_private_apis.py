"""Issue 23 item 8: no code of ours reaches into aiosqlite's private attributes (its worker's `_execute`,
`_conn`, `_tx`, `_thread`…), so aiosqlite can be upgraded like any dependency. Group commit runs on a writer
thread of our own (bot/core/writer_thread.py); aiosqlite's worker is a daemon because a daemon thread makes it."""

from __future__ import annotations

import ast
import asyncio
import threading
from pathlib import Path

import aiosqlite

from bot.core import db as database

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = {name for name in vars(aiosqlite.Connection) if name.startswith("_") and not name.startswith("__")}
PRIVATE |= {"_connection", "_tx", "_thread", "_running", "_connector", "_iter_chunk_size"}  # set in __init__


def test_aiosqlite_private_names_are_known() -> None:
    assert {"_execute", "_conn"} <= PRIVATE


# The one exception, named: the bench's database-thread hold figure times what aiosqlite's worker runs by
# wrapping its queue (bench/every_command.py Holds). Instrumentation, not the bot: if aiosqlite changes, that
# bench row breaks, the bot does not.
ALLOWED = {"bench/every_command.py": {"_tx"}}


def test_no_module_touches_aiosqlite_privates_on_another_object() -> None:
    """`x._execute`, `db.conn._conn`, `pending._thread`…: any of aiosqlite's private names read off an object
    that is not the module's own `self`/`cls` fails (our own classes use other names or `self`)."""
    offenders = []
    for folder in ("bot", "cogs", "bench", "tools", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Attribute) and node.attr in PRIVATE
                        and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
                        and node.attr not in ALLOWED.get(str(path.relative_to(ROOT)), set())):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert offenders == []


async def test_aiosqlite_worker_is_a_daemon(tmp_path: Path) -> None:
    """A bot never closed must not keep the interpreter alive: every thread the database starts is a daemon."""
    before = set(threading.enumerate())
    db = database.Database(await database.connect(tmp_path / "d.db"))
    try:
        await db.execute("CREATE TABLE t(v TEXT)")  # starts the writer thread too
        started = set(threading.enumerate()) - before
        assert len(started) >= 2 and all(thread.daemon for thread in started)
    finally:
        await db.close()
    await asyncio.sleep(0.05)
