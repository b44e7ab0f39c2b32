"""The bundled-corpus import: idempotent, all-or-nothing, and blind to moderator reviews."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.core.config import DEFAULT_DATA_DIR, Settings
from bot.corpus import content_hash, process_review
from bot.corpus.bundle import import_bundled
from bot.corpus.store import CorpusWriter, NewReview


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("*.db*"))
    return target


@pytest.fixture
async def bot(tmp_path: Path, data_dir: Path):
    bot = FilmBot(Settings(database=tmp_path / "t.db", data_dir=data_dir))
    await bot.open_store()
    yield bot
    await bot.close_store()


async def run_import(bot: FilmBot, **kwargs):
    settings = bot.settings
    return await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, **kwargs)


async def counts(bot: FilmBot) -> tuple[int, int, int]:
    db = bot.store.db
    return (
        await db.fetchval("SELECT count(*) FROM reviews"),
        await db.fetchval("SELECT count(*) FROM passages"),
        await db.fetchval("SELECT count(*) FROM passages_fts"),
    )


async def test_first_import_loads_three_unattributed_reviews(bot):
    """The seeds arrive with no critic or outlet invented."""
    result = await run_import(bot)
    assert result.reviews_added == 3 and result.passages_added > 30
    rows = await bot.store.db.fetchall("SELECT critic, outlet FROM reviews")
    assert all(row[0] is None and row[1] is None for row in rows)


async def test_second_import_imports_nothing(bot):
    """Unchanged files are detected by hash and skipped."""
    await run_import(bot)
    before = await counts(bot)
    result = await run_import(bot)
    assert result.unchanged and result.reviews_added == 0
    assert await counts(bot) == before


async def test_forced_reimport_keeps_passage_ids(bot):
    """Re-deriving unchanged texts retags in place, so rotations and buttons keep their ids."""
    await run_import(bot)
    ids = await bot.store.db.fetchall("SELECT id FROM passages ORDER BY id")
    await run_import(bot, force=True)
    assert await bot.store.db.fetchall("SELECT id FROM passages ORDER BY id") == ids


async def test_edited_file_is_reimported(bot, data_dir):
    """A changed seed file replaces that review's passages and nothing else."""
    await run_import(bot)
    path = next((data_dir / "corpus" / "la-la-land").glob("000_*.txt"))
    path.write_text(path.read_text() + "\nA closing sentence that the critic added later on.\n")
    result = await run_import(bot)
    assert result.reviews_updated == 3 and result.reviews_added == 0
    hits = await bot.store.db.fetchval(
        "SELECT count(*) FROM passages WHERE text LIKE '%closing sentence that the critic added%'"
    )
    assert hits == 1


async def test_moderator_reviews_survive_reimport(bot):
    """A forced bundled re-import never touches a moderator-added review."""
    await run_import(bot)
    body = "Whiplash is a film about drumming. It is intense, loud and very precise in its cutting."
    async with bot.store.db.transaction() as conn:
        film_id = await CorpusWriter.film_id(conn, "Whiplash", 2014)
        review = NewReview(film_id=film_id, body=body, body_hash=content_hash(body), source="moderator",
                           critic="A. Critic", added_by=1)
        review_id = await CorpusWriter.insert_review(conn, review, process_review(body, bot.themes))
    await run_import(bot, force=True)
    row = await bot.store.db.fetchone("SELECT critic, body FROM reviews WHERE id = ?", (review_id,))
    assert tuple(row) == ("A. Critic", body)


async def test_failed_import_leaves_nothing(bot, data_dir):
    """A manifest naming a missing file aborts the whole import: all or nothing."""
    manifest = data_dir / "manifest.toml"
    manifest.write_text(manifest.read_text() + '\n[[review]]\nfile = "corpus/missing.txt"\nfilm = "X"\n')
    with pytest.raises(FileNotFoundError):
        await run_import(bot)
    assert await counts(bot) == (0, 0, 0)
