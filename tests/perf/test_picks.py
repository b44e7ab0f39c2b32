"""Picks by rowid seek: every filter combination finds only matches, `exclude` holds, and the
in-memory corpus summaries stay exact across corpus writes."""

from __future__ import annotations

import asyncio

import pytest

from bot.corpus.passage import QuoteFilters
from bot.quotes.store import POOL_EXACT


async def _matches(world, filters: QuoteFilters) -> set[int]:
    store = world.bot.store
    clauses, params = store.quotes._where(filters)
    rows = await store.db.fetchall(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"
        f" WHERE {' AND '.join(clauses)}", params)
    return {row[0] for row in rows}


async def test_every_filter_combination_picks_a_match_and_excludes(world) -> None:
    store = world.bot.store.quotes
    names = await store.critic_names()
    critic = next((n for n in names if not n.startswith("Unattributed")), names[0])
    film = f"film:{(await store.films())[0][0]}"  # digits alone are a title since the catalogue
    combos = [QuoteFilters(), QuoteFilters(critic=critic), QuoteFilters(film=film), QuoteFilters(theme="ending"),
              QuoteFilters(theme="ending", film=film), QuoteFilters(critic=critic, theme="ending")]
    for filters in combos:
        allowed = await _matches(world, filters)
        seen = set()
        for _ in range(30):
            quote = await store.pick(filters)
            if not allowed:
                assert quote is None
                break
            assert quote is not None and quote.passage_id in allowed
            seen.add(quote.passage_id)
            other = await store.pick(filters, exclude=quote.passage_id)
            assert other is not None
            assert other.passage_id != quote.passage_id or len(allowed) == 1
        if len(allowed) > 3:
            assert len(seen) > 1  # random, not the same passage every time


async def test_summaries_follow_corpus_writes(world) -> None:
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
    warm, tests/quotes/test_incremental_summaries.py), 50 commands asking at once share one read of each
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


async def test_big_pool_is_sampled_with_unused_passages(world, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.quotes.store as quotes_store

    monkeypatch.setattr(quotes_store, "POOL_EXACT", 2)
    monkeypatch.setattr(quotes_store, "POOL_SAMPLE", 5)
    store = world.bot.store.quotes
    everything = {q.passage_id for q in await store.passages_for(QuoteFilters(theme="ending"))}
    assert len(everything) > 3 and POOL_EXACT > 2
    keep = min(everything)
    used = frozenset(everything - {keep})
    pool = await store.rotation_pool(QuoteFilters(theme="ending"), used)
    ids = {q.passage_id for q in pool}
    assert ids <= everything and keep in ids  # the one unused passage is always offered


async def test_big_scopes_try_random_reviews_and_keep_exclusion(world, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.quotes.store as quotes_store

    monkeypatch.setattr(quotes_store, "SCOPE_WHOLE", 1)
    monkeypatch.setattr(quotes_store, "SCOPE_TRIES", 2)
    await test_every_filter_combination_picks_a_match_and_excludes(world)


async def test_a_theme_rarer_than_the_scope_is_walked_instead(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scope pick with a theme walks the theme's tags when they are fewer than the scope's passages
    (still only matches, exclusion kept), and a theme without any passage answers None at once."""
    import bot.quotes.store as quotes_store

    monkeypatch.setattr(quotes_store, "PASSAGES_PER_REVIEW", 10**6)  # every theme counts as the rarer side
    await test_every_filter_combination_picks_a_match_and_excludes(world)
    store = world.bot.store.quotes
    critic = (await store.critic_names())[0]
    assert await store.pick(QuoteFilters(critic=critic, theme="no-such-theme")) is None
