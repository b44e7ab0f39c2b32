"""Random picks are uniform over the filtered set, whatever the gaps between passage ids (store level,
no simcord): thousands of picks per filter kind, every passage's share within ±25 % of uniform."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.core import sample_store as sample
from bot.core.config import Settings
from bot.core.films import unattributed_label
from bot.corpus.passage import QuoteFilters

PICKS = 3000
# (film, critic) of each review; each review's passages: quotable ones between runs of unquotable ones,
# so the gaps before quotable ids range from 1 to 40 (a seek to "the first match after a random id"
# would pick them 1:40).
# 12 quotable passages in all: 250 picks each expected, ±25 % is four standard deviations.
REVIEWS = [("Alpha", "Ann"), ("Alpha", None), ("Beta", "Ann"), ("Beta", "Bo")]


@contextlib.asynccontextmanager
async def filled(path: Path) -> AsyncIterator[FilmBot]:
    """A bot on a new database at `path` holding `fill`'s corpus (the rotation tests use it too)."""
    bot = FilmBot(Settings(database=path))
    await fill(bot)
    try:
        yield bot
    finally:
        await bot.close_store()


@pytest.fixture
async def bot(tmp_path: Path):
    async with filled(tmp_path / "t.db") as bot:
        yield bot


async def fill(bot: FilmBot) -> None:
    """Open the bot's store and write REVIEWS' films, reviews and passages (gaps before quotable ones)."""
    store = await bot.open_store()
    rng = random.Random(30)
    async with store.db.corpus_transaction() as conn:
        for number, (title, critic) in enumerate(REVIEWS):
            await conn.execute("INSERT OR IGNORE INTO films(title, year) VALUES (?, 2020)", (title,))
            cur = await conn.execute(
                "INSERT INTO reviews(film_id, critic, outlet, body, body_hash, source, added_at)"
                " VALUES ((SELECT id FROM films WHERE title = ?), ?, NULL, 'b', ?, 'moderator', '2026-01-01')",
                (title, critic, f"h{number}"),
            )
            review_id = cur.lastrowid
            ordinal = 0
            for slot in range(3):
                for _ in range(rng.choice((0, 1, 5, 20, 39))):  # the gap before the next quotable passage
                    await conn.execute(
                        "INSERT INTO passages(review_id, ordinal, paragraph, text, quotable) VALUES (?, ?, 0, 'x', 0)",
                        (review_id, ordinal),
                    )
                    ordinal += 1
                text = "Its jazz swings hard." if (number + slot) % 2 else "A quiet ending, well earned."
                cur = await conn.execute(
                    "INSERT INTO passages(review_id, ordinal, paragraph, text, quotable) VALUES (?, ?, 0, ?, 1)",
                    (review_id, ordinal, text),
                )
                ordinal += 1
                theme = "ending" if slot != 1 else "jazz"
                await conn.execute(
                    "INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, 1.0)", (cur.lastrowid, theme)
                )


async def _kinds(bot: FilmBot) -> dict[str, QuoteFilters]:
    unattributed = await bot.store.db.fetchval("SELECT min(id) FROM reviews WHERE critic IS NULL")
    return {
        "none": QuoteFilters(),
        "film": QuoteFilters(film="Alpha"),
        "critic": QuoteFilters(critic="Ann"),
        "unattributed": QuoteFilters(critic="Unattributed"),
        "unattributed label": QuoteFilters(critic=unattributed_label(unattributed)),
        "theme": QuoteFilters(theme="jazz"),
        "about": QuoteFilters(about="jazz"),
        "theme and film": QuoteFilters(theme="ending", film="Alpha"),
        "critic and about": QuoteFilters(critic="Ann", about="jazz"),
    }


async def _matches(bot: FilmBot, filters: QuoteFilters) -> set[int]:
    clauses, params = bot.store.quotes._where(filters)
    rows = await bot.store.db.fetchall(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"
        f" WHERE {' AND '.join(clauses)}", params)
    return {row[0] for row in rows}


async def _assert_uniform(bot: FilmBot) -> None:
    for kind, filters in (await _kinds(bot)).items():
        allowed = await _matches(bot, filters)
        assert 2 <= len(allowed) <= 12, kind
        counts: Counter[int] = Counter()
        for _ in range(PICKS):
            quote = await bot.store.quotes.pick(filters)
            assert quote is not None and quote.passage_id in allowed, kind
            counts[quote.passage_id] += 1
        expected = PICKS / len(allowed)
        shares = {passage: counts[passage] / expected for passage in allowed}
        assert all(0.75 <= share <= 1.25 for share in shares.values()), (kind, shares)


async def test_every_filter_kind_picks_each_passage_equally_often(bot: FilmBot) -> None:
    """3,000 picks per filter kind: every matching passage within ±25 % of its uniform share."""
    await _assert_uniform(bot)


async def test_big_sets_are_uniform_too(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A set too big to list (here: more than one id) is drawn by random ids alone, still uniform."""
    monkeypatch.setattr(sample, "LIST_CAP", 1)
    monkeypatch.setattr(sample, "FIRST_DRAWS", 1)
    await _assert_uniform(bot)


async def test_another_never_repeats_the_quote_it_replaces(bot: FilmBot) -> None:
    """Excluding the quote on screen: never that quote while another matches; it when it is the only one."""
    for kind, filters in (await _kinds(bot)).items():
        allowed = await _matches(bot, filters)
        shown = next(iter(allowed))
        picked = Counter()
        for _ in range(300):
            quote = await bot.store.quotes.pick(filters, exclude=shown)
            assert quote is not None and quote.passage_id != shown, kind
            picked[quote.passage_id] += 1
        assert set(picked) == allowed - {shown}, kind
    only = await bot.store.db.fetchval("SELECT passage_id FROM passage_themes WHERE theme = 'jazz' LIMIT 1")
    await bot.store.db.execute("DELETE FROM passage_themes WHERE theme = 'jazz' AND passage_id != ?", (only,))
    bot.store.db.corpus_version += 1
    quote = await bot.store.quotes.pick(QuoteFilters(theme="jazz"), exclude=only)
    assert quote is not None and quote.passage_id == only


async def test_search_ranks_a_bounded_candidate_set_and_says_so(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """/search ranks at most SEARCH_CANDIDATES matches (the earliest) and says when more matched."""
    from bot.quotes import store as quotes_store

    matches = sorted(await _matches(bot, QuoteFilters(about="jazz")))
    results, partial = await bot.store.quotes.search_bounded("jazz", limit=50)
    assert sorted(q.passage_id for q, _ in results) == matches and not partial
    monkeypatch.setattr(quotes_store, "SEARCH_CANDIDATES", 3)
    results, partial = await bot.store.quotes.search_bounded("jazz", limit=50)
    assert sorted(q.passage_id for q, _ in results) == matches[:3] and partial
