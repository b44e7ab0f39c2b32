"""Refusal and spoiler reasons are stored with each passage (migration 045) and follow every retag."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus import process_review
from bot.corpus.bundle import import_bundled
from bot.corpus.reasons import Refusal, SpoilerReason
from bot.corpus.store import SPOILER_REASON_SQL, CorpusWriter

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def query(database: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        return conn.execute(sql, params).fetchall()


async def test_import_stores_a_reason_for_every_refused_passage_and_the_spoiler_reasons(tmp_path):
    """Bundled import: refusal is set exactly on unquotable passages; the seed that warns of spoilers
    has every passage 'after_warning' (issue 28 item 3, issue 25 item 5)."""
    database = tmp_path / "r.db"
    bot = FilmBot(Settings(database=database, data_dir=DATA))
    store = await bot.open_store()
    try:
        await import_bundled(store, DATA, bot.themes, bot.settings.themes_file)
    finally:
        await bot.close_store()
    assert query(database, "SELECT count(*) FROM passages WHERE (refusal IS NULL) != (quotable = 1)") == [(0,)]
    refusals = {row[0] for row in query(database, "SELECT DISTINCT refusal FROM passages WHERE refusal IS NOT NULL")}
    assert refusals and refusals <= {r.value for r in Refusal}
    warned = query(database, "SELECT DISTINCT p.spoiler_reason FROM passages p JOIN reviews r ON r.id = p.review_id"
                             " WHERE r.source_key LIKE '%002_%'")
    assert warned == [(SpoilerReason.AFTER_WARNING.value,)]
    # Every passage is tagged now, refused ones too; the quote reads keep to quotable passages.
    assert query(database, "SELECT count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
                           " WHERE p.quotable = 0") != [(0,)]


async def test_retag_updates_quotability_and_reasons_and_keeps_a_moderators_mark(tmp_path):
    """A retag (same texts) writes the rules' new verdict and reasons, but a moderator's spoiler mark stays."""
    database = tmp_path / "t.db"
    bot = FilmBot(Settings(database=database, data_dir=DATA))
    store = await bot.open_store()
    try:
        await import_bundled(store, DATA, bot.themes, bot.settings.themes_file)
        review_id, body = query(database, "SELECT id, body FROM reviews WHERE source_key LIKE '%000_%'")[0]
        passages = process_review(body, bot.themes, "La La Land", 2016)
        first = passages[0]
        assert first.quotable
        async with store.db.corpus_transaction() as conn:
            await conn.execute("UPDATE passages SET spoiler_reason = 'moderator' WHERE review_id = ? AND ordinal = 1",
                               (review_id,))
        refused = [replace(first, quotable=False, refusal=Refusal.RUN_ON), *passages[1:]]
        async with store.db.corpus_transaction() as conn:
            await CorpusWriter.retag(conn, review_id, refused)
    finally:
        await bot.close_store()
    rows = query(database, "SELECT ordinal, quotable, refusal, spoiler_reason FROM passages WHERE review_id = ?"
                           " AND ordinal IN (0, 1) ORDER BY ordinal", (review_id,))
    assert rows[0][:3] == (0, 0, "run_on")
    assert rows[1][3] == "moderator"
    # The full-text index follows quotability: the refused passage is no longer searchable.
    (pid, text), = query(database, "SELECT id, text FROM passages WHERE review_id = ? AND ordinal = 0", (review_id,))
    word = max(text.split(), key=len).strip(".,;:!?“”\"'’()")
    assert query(database, "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ? AND rowid = ?",
                 (f'"{word}"', pid)) == [(0,)]


async def test_spoiler_reason_as_read_puts_a_moderator_mark_first_then_the_text_then_the_review(tmp_path):
    """SPOILER_REASON_SQL: a moderator's mark (passage_marks), else the text's reason, else 'review_marked'."""
    database = tmp_path / "s.db"
    bot = FilmBot(Settings(database=database, data_dir=DATA))
    store = await bot.open_store()
    try:
        await import_bundled(store, DATA, bot.themes, bot.settings.themes_file)
    finally:
        await bot.close_store()
    with sqlite3.connect(database) as conn:
        review_id, pid = conn.execute(
            "SELECT p.review_id, p.id FROM passages p WHERE p.spoiler_reason IS NULL ORDER BY p.id LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE reviews SET spoiler = 1 WHERE id = ?", (review_id,))
        other = conn.execute("SELECT id FROM passages WHERE review_id = ? AND id != ? AND spoiler_reason IS NULL"
                             " LIMIT 1", (review_id, pid)).fetchone()[0]
        conn.execute("INSERT INTO passage_marks(passage_id, spoiler) VALUES (?, 1)", (pid,))
    read = f"SELECT {SPOILER_REASON_SQL} FROM passages p JOIN reviews r ON r.id = p.review_id WHERE p.id = ?"
    assert query(database, read, (pid,)) == [("moderator",)]
    assert query(database, read, (other,)) == [("review_marked",)]
