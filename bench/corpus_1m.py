"""The ~1M-passage benchmark corpus, written straight into a database and cached on disk.

Importing 108k reviews through the bundle pipeline takes many minutes (that rate is measured by
the import benchmark); the picks and round trips only need the rows. So a few thousand generated
reviews (corpus_gen's sentences and layout) go through the real pipeline (clean, segment, tag) once,
and 108,500 reviews reuse their passages and tags, each with its own serial number, in the real
schema (bot migrations) with the same rows an import leaves: films, reviews, passages, tags and
the FTS index over quotable passages. Summaries (counts, autocomplete lists) are in-memory caches
derived from these tables, so nothing else needs to be kept exact.

The file is keyed by VERSION (bump it when the generator changes) and by the migrations' names. `python -m bench.corpus_1m` builds it
(the bench runs that under `nice` when the file is missing).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import re
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from bot.core import db as database
from bot.core.config import DEFAULT_DATA_DIR
from bot.core.time import utc_now_iso
from bot.corpus import content_hash, load_themes, process_review
from bot.films.rules import norm_key

from . import corpus_gen

VERSION = 1
REVIEWS = 108_500
TEMPLATES = 2_000  # reviews run through the real pipeline; the others reuse their passages
CHUNK = 5_000  # reviews per executemany batch
CACHE = Path(__file__).resolve().parent / ".cache"
SERIAL = re.compile(r"Generated review number \d+ ends here\.")


def schema_key() -> str:
    """Which migrations a cached database was built with: a cache from other migrations is not reused."""
    names = "\n".join(name for _, name, _ in database.migration_files())
    return hashlib.sha256(names.encode()).hexdigest()[:8]


def path() -> Path:
    return CACHE / f"corpus-1m-v{VERSION}-{schema_key()}.db"


def data_dir() -> Path:
    """A data dir with the bundled themes and an empty manifest: the bot's start imports nothing."""
    target = CACHE / f"data-1m-v{VERSION}"
    if not (target / "manifest.toml").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFAULT_DATA_DIR / "themes.toml", target / "themes.toml")
        (target / "manifest.toml").write_text("# the 1M corpus is written into the database directly\n")
    return target


def templates(count: int) -> list[tuple[str, list]]:
    """(body, tagged passages) of `count` generated reviews, through the real text pipeline."""
    rng = random.Random(corpus_gen.SEED)
    sentences = corpus_gen.seed_sentences()
    themes = load_themes(DEFAULT_DATA_DIR / "themes.toml")
    out = []
    for number in range(count):
        body = corpus_gen.review_text(rng, sentences)
        # A generated film has no film-specific themes, like corpus_gen's "Generated Film NNNNN".
        out.append((body, process_review(body, themes, f"Generated Film {number // 10:05d}", 2000)))
    return out


def _review_rows(first: int, last: int, bodies: list[str], added_at: str) -> list[tuple]:
    rows = []
    for number in range(first, last):
        critic = f"Critic {number % 397:03d}" if number % 3 else None
        outlet = f"Outlet {number % 23:02d}" if number % 3 else None
        body = bodies[number - first]
        rows.append((number + 1, number // 10 + 1, critic, outlet, body, content_hash(body),
                     f"corpus/generated/review_{number:06d}.txt", added_at))
    return rows


def write(target: Path, reviews: int = REVIEWS, template_count: int = TEMPLATES) -> dict[str, float]:
    """Build the corpus database at `target` (replaced if present); returns counts and seconds."""
    started = time.perf_counter()
    building = target.with_name(target.name + ".building")
    for stale in target.parent.glob(building.name + "*"):
        stale.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)

    async def migrate() -> None:
        conn = await database.connect(building)
        await database.migrate(conn)
        await conn.close()

    asyncio.run(migrate())
    pool = templates(template_count)
    processed = time.perf_counter() - started
    conn = sqlite3.connect(building, isolation_level=None)
    for name, arity, function in database._SQL_FUNCTIONS:  # the triggers' SQL functions (film_key …)
        conn.create_function(name, arity, function, deterministic=True)
    conn.execute("PRAGMA synchronous=OFF")
    # The FTS rows are written in one statement at the end (as the trigger would, quotable only).
    (trigger,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'passages_ai'").fetchone()
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER passages_ai")
    films = (reviews + 9) // 10
    conn.executemany("INSERT INTO films(id, title, year, norm_key) VALUES (?, ?, ?, ?)",
                     [(f + 1, f"Generated Film {f:05d}", 1990 + f % 35, norm_key(f"Generated Film {f:05d}"))
                      for f in range(films)])
    added_at = utc_now_iso()
    passage_id = 0
    for first in range(0, reviews, CHUNK):
        last = min(reviews, first + CHUNK)
        bodies, passages, tags = [], [], []
        for number in range(first, last):
            body, tagged = pool[number % len(pool)]
            serial = f"Generated review number {number} ends here."
            bodies.append(SERIAL.sub(serial, body))
            for passage in tagged:
                passage_id += 1
                passages.append((passage_id, number + 1, passage.ordinal, passage.paragraph,
                                 SERIAL.sub(serial, passage.text), int(passage.quotable)))
                tags += [(passage_id, theme, score) for theme, score in passage.themes.items()]
        conn.executemany(
            "INSERT INTO reviews(id, film_id, critic, outlet, spoiler, body, body_hash, source, source_key,"
            " added_at) VALUES (?, ?, ?, ?, 0, ?, ?, 'bundled', ?, ?)",
            _review_rows(first, last, bodies, added_at),
        )
        conn.executemany(
            "INSERT INTO passages(id, review_id, ordinal, paragraph, text, quotable) VALUES (?, ?, ?, ?, ?, ?)",
            passages,
        )
        conn.executemany("INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, ?)", tags)
    conn.execute("INSERT INTO passages_fts(rowid, text) SELECT id, text FROM passages WHERE quotable = 1")
    conn.execute(trigger)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    building.replace(target)
    for leftover in target.parent.glob(building.name + "-*"):
        leftover.unlink()
    return {"reviews": reviews, "passages": passage_id, "process_s": processed,
            "total_s": time.perf_counter() - started}


def ensure() -> Path:
    """The cached corpus, built first (in a child process under `nice`) when missing."""
    target = path()
    if not target.exists():
        print(f"building the 1M-passage corpus once into {target} (a few minutes)…", flush=True)
        started = time.perf_counter()
        import subprocess

        subprocess.run(["nice", "-n", "10", sys.executable, "-m", "bench.corpus_1m"], check=True,
                       cwd=Path(__file__).resolve().parent.parent, env={**os.environ})
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    return target


if __name__ == "__main__":
    figures = write(path())
    print(f"{figures['reviews']} reviews, {figures['passages']} passages; pipeline {figures['process_s']:.1f} s,"
          f" total {figures['total_s']:.1f} s -> {path()}")
