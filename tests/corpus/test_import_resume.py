"""The bundled import streams in chunks, reports progress, and resumes after a kill without doubling."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.corpus_gen import write_data_dir
from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.bundle import PROGRESS_KEY, import_bundled

REVIEWS = 60
CHUNK = 8


class Killed(Exception):
    """Stands for the process dying between two chunks."""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return write_data_dir(tmp_path_factory.mktemp("resume") / "data", REVIEWS)


async def run(database: Path, data_dir: Path, progress=None):
    bot = FilmBot(Settings(database=database, data_dir=data_dir))
    store = await bot.open_store()
    try:
        return await import_bundled(store, data_dir, bot.themes, bot.settings.themes_file, chunk=CHUNK,
                                    progress=progress)
    finally:
        await bot.close_store()


def kill_after(calls: int):
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == calls:
            raise Killed

    return progress, seen


def dump(database: Path) -> dict[str, list]:
    """Everything an import writes, ids included (added_at aside: it is the wall clock)."""
    with sqlite3.connect(database) as conn:
        return {
            "films": conn.execute("SELECT * FROM films ORDER BY id").fetchall(),
            "reviews": conn.execute(
                "SELECT id, film_id, critic, outlet, url, published, spoiler, body, body_hash, source, source_key"
                " FROM reviews ORDER BY id"
            ).fetchall(),
            "passages": conn.execute("SELECT * FROM passages ORDER BY id").fetchall(),
            "themes": conn.execute("SELECT * FROM passage_themes ORDER BY passage_id, theme").fetchall(),
            "fts": conn.execute("SELECT rowid FROM passages_fts ORDER BY rowid").fetchall(),
            "meta": conn.execute(
                "SELECT key, value FROM meta WHERE key LIKE 'bundled%' ORDER BY key"
            ).fetchall(),
        }


def meta(database: Path, key: str) -> str | None:
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


async def test_progress_reports_every_chunk(data_dir, tmp_path):
    """The callback hears (done, total) at the start and after each committed chunk, ending at the total."""
    seen: list[tuple[int, int]] = []
    result = await run(tmp_path / "p.db", data_dir, lambda done, total: seen.append((done, total)))
    assert result.reviews_added == REVIEWS
    assert seen == [(min(n, REVIEWS), REVIEWS) for n in range(0, REVIEWS + CHUNK, CHUNK)]


async def test_killed_import_resumes_to_the_same_database(data_dir, tmp_path):
    """Killed after 3 chunks: those stay committed, the next run does only the rest, and the end
    state (ids, passages, tags, index) equals an uninterrupted import's."""
    await run(tmp_path / "clean.db", data_dir)
    database = tmp_path / "killed.db"
    progress, _ = kill_after(4)  # the start, then three chunks
    with pytest.raises(Killed):
        await run(database, data_dir, progress)
    partial = dump(database)
    assert len(partial["reviews"]) == 3 * CHUNK  # committed chunks are kept
    assert meta(database, PROGRESS_KEY).endswith(f" {3 * CHUNK}")
    assert meta(database, "bundled_corpus_hash") is None  # not marked imported

    resumed: list[tuple[int, int]] = []
    result = await run(database, data_dir, lambda done, total: resumed.append((done, total)))
    assert result.reviews_added == REVIEWS - 3 * CHUNK  # only the rest was processed and written
    assert resumed[:2] == [(3 * CHUNK, REVIEWS), (4 * CHUNK, REVIEWS)]
    assert meta(database, PROGRESS_KEY) is None
    after, clean = dump(database), dump(tmp_path / "clean.db")
    assert len(after["reviews"]) == REVIEWS and len(after["passages"]) > REVIEWS * 5
    assert len({row[1] for row in after["reviews"]}) == len(clean["films"])  # no film doubled either
    assert after == clean
    assert (await run(database, data_dir)).unchanged


async def test_bundle_changed_after_a_kill_starts_over_without_doubling(data_dir, tmp_path):
    """If the files changed while the import was down, it starts from the top, updating what the
    killed run wrote (matched by file) instead of adding it twice."""
    changed = tmp_path / "data"
    write_data_dir(changed, REVIEWS)
    database = tmp_path / "changed.db"
    progress, _ = kill_after(3)
    with pytest.raises(Killed):
        await run(database, changed, progress)
    first = changed / "corpus" / "generated" / "review_000000.txt"
    first.write_text(first.read_text(encoding="utf-8") + "\n\nA postscript the critic added later on.\n",
                     encoding="utf-8")
    result = await run(database, changed)
    assert result.reviews_added == REVIEWS - 2 * CHUNK and result.reviews_updated == 2 * CHUNK
    after = dump(database)
    assert len(after["reviews"]) == REVIEWS
    assert sum("postscript the critic added" in row[4] for row in after["passages"]) == 1
