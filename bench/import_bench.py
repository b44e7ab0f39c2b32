"""Import throughput: the real importer against a raw executemany of the same rows; and the peak
memory and rate of an import in a process of its own."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
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


PEAK_TARGET_MB = 500  # issue 17: a 100k-review import peaks under 500 MB
# The import rate before streaming (one transaction, everything in memory), measured on this machine
# with bench.import_probe on the 10k-review bench corpus: the rate must not fall below it.
RATE_BEFORE = 215.0


def probe(data_dir: Path, database: Path, bare: bool = False) -> dict:
    """One import (or, bare, just opening the store) in a fresh process: its own figures."""
    child = subprocess.run(
        [sys.executable, "-m", "bench.import_probe", str(data_dir), str(database), *(["bare"] if bare else [])],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(child.stdout.splitlines()[-1])


async def rows(row: Callable[..., None], tmp: Path, data_dir: Path) -> None:
    """Peak RSS of the whole import (the process plus each pool worker at its largest) against a bare
    bot's process, and the import rate against the rate before streaming."""
    bare = probe(data_dir, tmp / "bare.db", bare=True)
    run = probe(data_dir, tmp / "probe.db")
    workers = min(os.cpu_count() or 1, 8) if run["children_rss_mb"] else 0
    peak = run["rss_mb"] + workers * run["children_rss_mb"]
    reviews = run["reviews"]
    row(f"import peak RSS, {reviews} reviews (process + {workers} workers)", peak, bare["rss_mb"], "MB (vs bare bot)",
        f"< {PEAK_TARGET_MB} MB {'met' if peak < PEAK_TARGET_MB else 'MISSED'} (flat in size)")
    rate = reviews / run["seconds"]
    row(f"import rate, {reviews} reviews in its own process", rate, RATE_BEFORE, "reviews/s (vs before streaming)",
        f"≥ {RATE_BEFORE:.0f}/s {'met' if rate >= RATE_BEFORE else 'MISSED'}")
