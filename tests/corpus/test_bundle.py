"""The bundled-corpus import: idempotent, all-or-nothing, and blind to moderator reviews."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.core.config import DEFAULT_DATA_DIR, Settings
from bot.corpus import content_hash, process_review
from bot.corpus.bundle import BundleError, import_bundled
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
    with pytest.raises(BundleError, match="missing.txt: no such file"):
        await run_import(bot)
    assert await counts(bot) == (0, 0, 0)


BODY = "A patient, handsome drama whose lead holds every scene together with grace and a dry, quiet wit.\n"
BAD_ENTRIES = {  # one [[review]] (and its file's bytes) that must stop the import, and what the error says
    "nul": ('file = "corpus/bad.txt"\nfilm = "Bad"', b"The film\0 is good. " + BODY.encode(), "NUL bytes"),
    "utf16": ('file = "corpus/bad.txt"\nfilm = "Bad"', BODY.encode("utf-16"), "UTF-16 text"),
    "latin1": ('file = "corpus/bad.txt"\nfilm = "Bad"', "Café society. ".encode("latin-1") + BODY.encode(),
               "not UTF-8 text"),
    "20 MB": ('file = "corpus/bad.txt"\nfilm = "Bad"', BODY.encode() * 200_000, "larger than 1 MB"),
    "a folder": ('file = "corpus"\nfilm = "Bad"', None, "is a directory"),
    "film a number": ('file = "corpus/bad.txt"\nfilm = 42', BODY.encode(), "film must be"),
    "no film": ('file = "corpus/bad.txt"', BODY.encode(), "film must be"),
    "empty film": ('file = "corpus/bad.txt"\nfilm = ""', BODY.encode(), "the title is empty"),
    "film with spoiler bars": ('file = "corpus/bad.txt"\nfilm = "Se7en ||the box||"', BODY.encode(), "spoiler bars"),
    "negative year": ('file = "corpus/bad.txt"\nfilm = "Bad"\nyear = -5', BODY.encode(), "year must be"),
    "huge year": ('file = "corpus/bad.txt"\nfilm = "Bad"\nyear = 99999999999', BODY.encode(), "year must be"),
    "spoiler as text": ('file = "corpus/bad.txt"\nfilm = "Bad"\nspoiler = "false"', BODY.encode(), "spoiler must be"),
    "critic a number": ('file = "corpus/bad.txt"\nfilm = "Bad"\ncritic = 7', BODY.encode(), "critic must be"),
}


@pytest.mark.parametrize("case", list(BAD_ENTRIES))
async def test_a_bad_manifest_entry_or_file_stops_the_import_before_any_write(bot, data_dir, case):
    """A listed file that is binary, not UTF-8, 20 MB or a folder, or an entry with wrong types or values (listed
    after three good ones, committed one by one) stops the whole import with one line naming it: nothing
    written (they raised tracebacks after the good chunks were committed, or stored a NUL byte, an empty title,
    a year -5 or 'false' as a spoiler)."""
    entry, body, said = BAD_ENTRIES[case]
    if body is not None:
        (data_dir / "corpus" / "bad.txt").write_bytes(body)
    manifest = data_dir / "manifest.toml"
    manifest.write_text(manifest.read_text() + f"\n[[review]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(BundleError, match=said) as raised:
        await run_import(bot, chunk=1)
    assert str(raised.value).startswith(str(manifest)) and "\n" not in str(raised.value)
    assert await counts(bot) == (0, 0, 0)


async def test_a_year_written_in_quotes_is_read_as_the_number(bot, data_dir):
    """year = "2016" (quoted) names the film of 2016, as it did before the manifest's types were checked."""
    manifest = data_dir / "manifest.toml"
    manifest.write_text(manifest.read_text().replace("year = 2016", 'year = "2016"'), encoding="utf-8")
    assert (await run_import(bot)).reviews_added == 3
    assert [tuple(row) for row in await bot.store.db.fetchall("SELECT title, year FROM films")] == [("La La Land", 2016)]
