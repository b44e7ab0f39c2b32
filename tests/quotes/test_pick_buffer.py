"""Quote picks served from the per-filter queue drawn ahead (bot/quotes/pick_buffer.py), store level: every
write that can change a filter's set empties its queue at once, the queue's picks are uniform, "Another"
never repeats the quote on screen, and the queues are bounded."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.client import FilmBot
from bot.core.config import Settings
from bot.core.spoilers import Gate
from bot.corpus.passage import QuoteFilters
from bot.flags.rules import Decision
from bot.quotes import pick_buffer
from tests.quotes.test_uniform import _assert_uniform, _kinds, _matches, fill

AFTER_WRITE = 500


@pytest.fixture
async def bot(settings: Settings):
    """test_uniform's corpus, on SQLite or (the PostgreSQL lane) PostgreSQL."""
    bot = FilmBot(settings)
    await fill(bot)
    yield bot
    await bot.close_store()


def _no_exact_path(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any pick the queue does not serve."""

    async def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("picked by a statement of its own, not from the queue")

    monkeypatch.setattr(bot.store.quotes, "pick_now", refused)


async def _prime(bot: FilmBot, filters: QuoteFilters, wanted: int) -> None:
    """Pick until `wanted` has been served once (so the queue holds draws made before the write)."""
    for _ in range(2000):
        quote = await bot.store.quotes.pick(filters)
        if quote is not None and quote.passage_id == wanted:
            return
    raise AssertionError("never picked")


async def test_every_filter_kind_is_uniform_through_the_queue(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """3,000 picks per filter kind, all from the queue (no statement of their own): each within ±25 %."""
    _no_exact_path(bot, monkeypatch)
    await _assert_uniform(bot)


async def test_a_refill_is_one_statement_for_a_batch(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the first refills, BATCH picks cost one read between them."""
    reads = 0
    seek_rows = bot.store.db.seek_rows

    async def counted(*args: object) -> object:
        nonlocal reads
        reads += 1
        return await seek_rows(*args)  # type: ignore[arg-type]

    for _ in range(100):
        await bot.store.quotes.pick(QuoteFilters())
    monkeypatch.setattr(bot.store.db, "seek_rows", counted)
    _no_exact_path(bot, monkeypatch)
    for _ in range(pick_buffer.BATCH * 10):
        assert await bot.store.quotes.pick(QuoteFilters()) is not None
    assert reads <= 11


async def test_a_hidden_passage_is_never_picked_once_the_decision_returns(bot: FilmBot) -> None:
    for filters in (QuoteFilters(), QuoteFilters(theme="jazz"), QuoteFilters(film="Alpha")):
        allowed = sorted(await _matches(bot, filters))
        hidden = allowed[0]
        await _prime(bot, filters, hidden)
        decided = await bot.store.flags.decide(passage_id=hidden, decision=Decision.HIDE, actor_id=1, guild_id=1)
        assert decided is not None and decided[1].hidden
        for _ in range(AFTER_WRITE):
            quote = await bot.store.quotes.pick(filters)
            assert quote is not None and quote.passage_id != hidden, filters
        await bot.store.flags.decide(passage_id=hidden, decision=Decision.SHOW, actor_id=1, guild_id=1)
        await _prime(bot, filters, hidden)  # shown again: back in the draws


async def test_a_trim_is_quoted_as_trimmed_at_once(bot: FilmBot) -> None:
    filters = QuoteFilters(theme="jazz")
    target = min(await _matches(bot, filters))
    await _prime(bot, filters, target)
    await bot.store.flags.decide(
        passage_id=target, decision=Decision.TRIM, actor_id=1, guild_id=1, sentence="Its jazz swings.")
    for _ in range(AFTER_WRITE):
        quote = await bot.store.quotes.pick(filters)
        assert quote is not None
        if quote.passage_id == target:
            assert quote.trimmed and quote.text == "Its jazz swings."


async def test_a_removed_review_is_never_quoted_once_removal_returns(bot: FilmBot) -> None:
    filters = QuoteFilters(critic="Ann")
    review_id = await bot.store.db.fetchval("SELECT min(id) FROM reviews WHERE critic = 'Ann'")
    gone = {row[0] for row in await bot.store.db.fetchall(
        "SELECT id FROM passages WHERE review_id = ? AND quotable = 1", (review_id,))}
    await _prime(bot, filters, min(gone))
    await _prime(bot, QuoteFilters(), min(gone))
    assert await bot.store.reviews.remove(review_id, actor_id=1, guild_id=1) is not None
    for filters in (QuoteFilters(critic="Ann"), QuoteFilters()):
        for _ in range(AFTER_WRITE):
            quote = await bot.store.quotes.pick(filters)
            assert quote is not None and quote.passage_id not in gone


async def test_a_gate_keeps_its_film_spoilers_out_and_lets_them_back_when_it_ends(bot: FilmBot) -> None:
    filters = QuoteFilters(theme="ending")
    film_id = await bot.store.db.fetchval("SELECT id FROM films WHERE title = 'Alpha'")
    spoilers = {row[0] for row in await bot.store.db.fetchall(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id JOIN passage_themes t"
        " ON t.passage_id = p.id WHERE r.film_id = ? AND t.theme = 'ending'", (film_id,))}
    assert spoilers
    await _prime(bot, filters, min(spoilers))
    gate = Gate(film_id=film_id, label="Alpha (2020)", ends_at="2030-01-01T00:00:00+00:00", spoiler_themes=("ending",))
    for _ in range(AFTER_WRITE):
        quote = await bot.store.quotes.pick(filters, gate=gate)
        assert quote is not None and quote.passage_id not in spoilers
    await _prime(bot, filters, min(spoilers))  # no gate: they are drawn again


async def test_another_never_repeats_the_quote_on_screen(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    for kind, filters in (await _kinds(bot)).items():
        allowed = await _matches(bot, filters)
        shown = min(allowed)
        picked: Counter[int] = Counter()
        for _ in range(500):
            quote = await bot.store.quotes.pick(filters, exclude=shown)
            assert quote is not None and quote.passage_id != shown, kind
            picked[quote.passage_id] += 1
        assert set(picked) == allowed - {shown}, kind
    # The only match: the quote on screen comes back (by the exact path).
    only = await bot.store.db.fetchval("SELECT passage_id FROM passage_themes WHERE theme = 'jazz' LIMIT 1")
    for other in await _matches(bot, QuoteFilters(theme="jazz")) - {only}:
        await bot.store.flags.decide(passage_id=other, decision=Decision.HIDE, actor_id=1, guild_id=1)
    for _ in range(50):
        quote = await bot.store.quotes.pick(QuoteFilters(theme="jazz"), exclude=only)
        assert quote is not None and quote.passage_id == only


async def test_nothing_matching_answers_none(bot: FilmBot) -> None:
    for filters in (QuoteFilters(film="Gamma"), QuoteFilters(theme="nonesuch"), QuoteFilters(about="zzyzx")):
        for _ in range(3):
            assert await bot.store.quotes.pick(filters) is None


async def test_the_queues_are_bounded(bot: FilmBot) -> None:
    buffers = bot.store.quotes._buffers
    for number in range(buffers.kept + 40):
        await bot.store.quotes.pick(QuoteFilters(about=f"jazz quiet{number}"))
    assert len(buffers) <= buffers.kept


def test_a_costly_filters_refills_are_sized_to_the_statement_budget() -> None:
    """A keyword's draws are FTS probes (~30 µs each): a sparse word's refill was sized up to MAX_DRAWS (8192
    draws held the reader 50-70 ms at ~102k passages). The next refill takes no more than STATEMENT_BUDGET's
    worth at the time a draw took, never fewer than FIRST_DRAWS; a cheap filter keeps the hit-rate sizing."""
    costly = pick_buffer.Drawn(version=1)
    costly.hit_rate(96, 2, seconds=0.003)  # 2 hits in 96 draws would ask for 2,304 draws
    assert costly.draws == int(pick_buffer.STATEMENT_BUDGET * 96 / 0.003) == 192
    costly.hit_rate(192, 1, seconds=0.5)  # far over budget: still FIRST_DRAWS
    assert costly.draws == pick_buffer.FIRST_DRAWS
    cheap = pick_buffer.Drawn(version=1)
    cheap.hit_rate(96, 2, seconds=0.0001)
    assert cheap.draws == (3 * pick_buffer.BATCH * 96) // 4 == 2304
