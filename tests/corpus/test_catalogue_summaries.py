"""The catalogue (bot/corpus/catalogue_store.py) and its corpus summaries (bot/corpus/summary.py) follow each
corpus write incrementally (bot/corpus/changes_store.py): after a review is added, edited, removed or
imported, a passage tagged or hidden, a film given its year, every summary equals what a fresh read gives,
and no summary is read whole again; a cold summary is read once by every caller waiting on it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus import load_themes
from bot.corpus.catalogue_store import CatalogueStore
from bot.filmnight.rules import FilmName
from bot.flags.rules import Decision
from bot.reviews.rules import DuplicateReview, check_meta, prepare

THEMES = load_themes(DEFAULT_DATA_DIR / "themes.toml")
PROSE = ("The music of this film is a battlefield, not a refuge, and the ending stays with you for days."
         " The performances are warm and the nostalgia for old Hollywood is everywhere in it.")
# What a full read of a summary looks like (bot/corpus/catalogue_store.py's loaders).
WHOLE_READS = ("FROM reviews ORDER BY id", "GROUP BY f.id", "GROUP BY critic, outlet", "GROUP BY t.theme")


async def snapshot(store: CatalogueStore) -> dict[str, Any]:
    """Every kept summary, as the store answers it."""
    index = await store.review_index()
    return {
        "films": await store.films(),
        "themes": await store.theme_counts(),
        "names": await store.critic_names(),
        "named": await store.named_critics(),
        "film ac": await store.name_matches("films", ""),
        "film ac typed": await store.name_matches("films", "wh"),
        "critic ac": await store.name_matches("critics", "un"),
        "critic ac typed": await store.name_matches("critics", "jane"),
        "named ac": await store.name_matches("named_critics", ""),
        "by film": index.reviews_by_film, "by name": index.reviews_by_name, "unattributed": index.unattributed,
        "whiplash": await store.film_id("Whiplash", 2014),
        "knows jane": await store.knows_critic("jane doe"),
    }


@pytest.fixture
async def warm(world, monkeypatch: pytest.MonkeyPatch):
    """The bot's store with every summary read once, and a list collecting whole-summary reads from now on."""
    store = world.bot.store
    await snapshot(store.catalogue)
    reads: list[str] = []
    real = type(store.db).fetchall

    async def fetchall(self, sql, params=()):
        if any(marker in sql for marker in WHOLE_READS) and "r.film_id = ?" not in sql:
            reads.append(sql)
        return await real(self, sql, params)

    monkeypatch.setattr(type(store.db), "fetchall", fetchall)
    return store, reads


async def assert_exact(store, reads: list[str]) -> None:
    kept = await snapshot(store.catalogue)
    assert not reads, f"a summary was read whole after the write: {reads}"
    fresh = await snapshot(CatalogueStore(store.db))  # a store with nothing in memory reads everything
    reads.clear()
    assert kept == fresh


async def add(store, film: str = "Whiplash", critic: str | None = "Jane Doe", outlet: str | None = None,
              year: int | None = 2014, text: str = PROSE):
    prepared = prepare(check_meta(film, year, critic, outlet), text, THEMES)
    return await store.reviews.add(prepared, actor_id=1, guild_id=None)


async def test_a_review_added_to_a_new_film_by_a_new_critic(warm) -> None:
    """Films, names, counts, the review index and both autocompletes gain the review without a whole read."""
    store, reads = warm
    await add(store)
    await assert_exact(store, reads)


async def test_an_unattributed_review_added_then_removed(warm) -> None:
    """An unattributed review's label comes and goes in the critic names and their autocomplete."""
    store, reads = warm
    added = await add(store, critic=None, outlet="Club zine", text=PROSE + " Unattributed.")
    await assert_exact(store, reads)
    await store.reviews.remove(added.id, actor_id=1, guild_id=None)
    await assert_exact(store, reads)


async def test_a_review_edited_to_another_film_and_critic(warm) -> None:
    """An edit moves the review's counts from its old film and byline to the new ones."""
    store, reads = warm
    added = await add(store)
    await store.reviews.edit(added.id, {"film": ("La La Land", 2016), "critic": "Ann Other", "outlet": "Zine"},
                             actor_id=1, guild_id=None)
    await assert_exact(store, reads)


async def test_the_last_review_of_a_film_and_a_seed_review_removed(warm) -> None:
    """A film without reviews leaves the films list, its label the autocomplete; a seed review's removal
    lowers its film's count and its themes'."""
    store, reads = warm
    added = await add(store)
    await store.reviews.remove(added.id, actor_id=1, guild_id=None)
    first = await store.db.fetchval("SELECT min(id) FROM reviews")
    await store.reviews.remove(first, actor_id=1, guild_id=None)
    await assert_exact(store, reads)


async def test_an_import_of_several_reviews(warm) -> None:
    store, reads = warm
    items = [prepare(check_meta(film, 2001, critic), PROSE + f" Number {n}.", THEMES)
             for n, (film, critic) in enumerate([("Heat", "Jane Doe"), ("Heat", None), ("Alien", "Bo Li")])]
    await store.reviews.import_reviews(items, actor_id=1, guild_id=None)
    await assert_exact(store, reads)


async def test_a_tag_an_untag_and_a_hidden_passage(warm) -> None:
    """Theme counts follow a moderator's tag and untag, and a hidden passage leaves them."""
    store, reads = warm
    passage = await store.db.fetchval("SELECT min(id) FROM passages WHERE quotable = 1")
    await store.corpus.override(passage_id=passage, theme="music", action="add", actor_id=1, guild_id=None)
    await assert_exact(store, reads)
    await store.corpus.override(passage_id=passage, theme="music", action="remove", actor_id=1, guild_id=None)
    await assert_exact(store, reads)
    await store.flags.decide(passage_id=passage, decision=Decision.HIDE, actor_id=1, guild_id=1)
    await assert_exact(store, reads)
    await store.flags.decide(passage_id=passage, decision=Decision.SHOW, actor_id=1, guild_id=1)
    await assert_exact(store, reads)


async def test_a_reviewed_film_given_its_year_by_the_watchlist(warm) -> None:
    """The catalogue's ensure may give a yearless reviewed film its year: its label follows."""
    store, reads = warm
    await add(store, film="Yearless Wonder", year=None)
    await assert_exact(store, reads)
    await store.filmnight.add(1, FilmName("Yearless Wonder", 1999), None, 1, "active", datetime.now(UTC))
    await assert_exact(store, reads)


async def test_a_failed_write_and_an_unrecorded_one_rebuild(warm) -> None:
    """A write that rolls back, or one that records nothing (a bundle import), leaves summaries that are
    read again: still exact."""
    store, reads = warm
    with pytest.raises(DuplicateReview):
        await add(store)
        await add(store)
    store.db.corpus_version += 1  # as a bundle import or a film's metadata year does
    await store.db.execute("DELETE FROM reviews WHERE id = (SELECT max(id) FROM reviews)")
    store.db.corpus_version += 1
    kept = await snapshot(store.catalogue)
    assert reads  # read whole again
    assert kept == await snapshot(CatalogueStore(store.db))


async def test_own_writes_keep_the_summaries_and_another_process_write_drops_them(warm) -> None:
    """The corpus generation (core/generation_store): this process's recorded write is not taken for another
    process's, so the summaries stay warm; a bump it did not make (another process) drops them."""
    store, reads = warm
    store.generation.check_every = 0
    await store.generation.follow()
    await add(store)
    assert await store.generation.follow() is False
    await assert_exact(store, reads)
    await store.db.execute("UPDATE corpus_generation SET generation = generation + 1 WHERE id = 1")
    assert await store.generation.follow() is True
    await snapshot(store.catalogue)
    assert reads  # read whole again: another process's write is not known change by change


async def test_summaries_follow_corpus_writes(world) -> None:
    """A review removed: theme counts, films and /critics' rows say so at once (bot.store.catalogue)."""
    store = world.bot.store
    before = await store.catalogue.theme_counts()
    films = await store.catalogue.films()
    review_id = await store.db.fetchval("SELECT id FROM reviews ORDER BY id LIMIT 1")
    await store.reviews.remove(review_id, actor_id=1, guild_id=None)
    fresh = await store.db.fetchall(  # every passage is tagged; the counts are of quotable ones
        "SELECT t.theme, count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " WHERE p.quotable = 1 GROUP BY t.theme"
    )
    assert await store.catalogue.theme_counts() == {row[0]: row[1] for row in fresh} != before
    assert sum(f[3] for f in await store.catalogue.films()) == sum(f[3] for f in films) - 1
    assert all(row["id"] != review_id for row in await store.catalogue.critics())


async def test_a_cold_summary_is_read_once_by_everyone_waiting(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a corpus write that recorded no change (a bundle import: recorded writes keep the summaries
    warm, above), 50 commands asking at once share one read of each
    summary (not 50), one waiter's cancel leaves the others their answer, and the answer is kept."""
    store = world.bot.store
    reads: list[str] = []
    real = type(store.db).fetchall

    async def fetchall(self, sql, params=()):
        reads.append(sql)
        return await real(self, sql, params)

    monkeypatch.setattr(type(store.db), "fetchall", fetchall)
    await store.catalogue.films()
    store.db.corpus_version += 1  # an unrecorded corpus write: every summary is cold now
    reads.clear()
    asked = [asyncio.ensure_future(store.catalogue.films()) for _ in range(25)]
    asked += [asyncio.ensure_future(store.catalogue.film_id("La La Land", 2016)) for _ in range(25)]
    asked += [asyncio.ensure_future(store.catalogue.critic_names()) for _ in range(25)]
    asked[0].cancel()
    done = await asyncio.gather(*asked[1:])
    assert all(films == done[0] for films in done[1:24])
    assert len({str(answer) for answer in done[24:49]}) == 1 and done[24] is not None
    assert sum("FROM films" in sql for sql in reads) == 1
    assert sum("GROUP BY critic, outlet" in sql for sql in reads) == 1  # the bylines summary
    assert sum("FROM reviews ORDER BY id" in sql for sql in reads) == 1  # the review index
    await store.catalogue.films()
    assert sum("FROM films" in sql for sql in reads) == 1  # kept
