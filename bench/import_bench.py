"""Import throughput: the real importer against a raw executemany of the same rows."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.client import FilmBot
from bot.core.config import Settings


async def raw_executemany(source_db: Path, target_db: Path, data_dir: Path) -> float:
    """Seconds to insert the source's films, reviews, passages and tags with plain executemany."""
    bot = FilmBot(Settings(database=target_db, data_dir=data_dir))
    await bot.open_store()  # same schema, same triggers (the FTS index is maintained in both)
    await bot.close_store()
    with sqlite3.connect(source_db) as source:
        tables = {
            name: source.execute(f"SELECT * FROM {name}").fetchall()
            for name in ("films", "reviews", "passages", "passage_themes")
        }
    target = sqlite3.connect(target_db, isolation_level=None)
    start = time.perf_counter()
    target.execute("BEGIN")
    for name, rows in tables.items():
        marks = ",".join("?" * len(rows[0]))
        target.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    target.execute("COMMIT")
    seconds = time.perf_counter() - start
    target.close()
    return seconds
