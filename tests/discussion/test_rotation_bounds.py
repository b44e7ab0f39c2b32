"""The rotation seek's id bounds kept in memory (bot/discussion/rotation_store.py `RotationStore._range`): a pick
with kept bounds is the pick the statement made finding its own bounds, and every write that changes the set
(a passage added, one hidden or shown, a review removed) or a restart is seen by the next pick."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.passage import RECENT_PROMPTS, QuoteFilters, RotationKey
from bot.discussion import rotation_store
from bot.discussion.rotation import PromptUse
from bot.flags.rules import Decision
from tests.helpers import passage_matches
from tests.quotes.test_uniform import filled

THEME = "ending"


@pytest.fixture
async def bot(tmp_path: Path):
    """test_uniform's corpus: passages with gaps between quotable ids, tagged `ending` or `jazz`."""
    async with filled(tmp_path / "t.db") as bot:
        yield bot


def _fixed_random(monkeypatch: pytest.MonkeyPatch, value: float) -> None:
    monkeypatch.setattr(rotation_store.random, "random", lambda: value)


async def _pick(bot: FilmBot, guild: int, film_key: str = "") -> int:
    pick = await bot.store.rotation.pick(QuoteFilters(theme=THEME), RotationKey(guild, THEME, film_key))
    assert pick is not None
    return pick.quote.passage_id


async def _pick_finding_bounds(bot: FilmBot, guild: int, fraction: float) -> int | None:
    """The same pick by the statement that finds the set's bounds itself (as before they were kept)."""
    store = bot.store
    sized = await store.quotes.sized_scope(QuoteFilters(theme=THEME))
    assert sized is not None
    parts = store.quotes.seek_parts(QuoteFilters(theme=THEME), False, *sized)
    assert parts is not None
    column, source, conds, params = parts
    sql, levels = rotation_store._rotation_sql(column, source, tuple(conds), False, False)
    key = [guild, THEME, ""]
    values: list = []
    for level in levels:
        extra = key if level.unused else []
        values += [*params, *extra, *params, *extra]
    row = await store.db.fetchone(sql, [*key, *key, guild, RECENT_PROMPTS, *params, *params, fraction, *key, *values])
    return None if row is None else row["passage_id"]


async def _record(bot: FilmBot, guild: int, passage_id: int, cycle: int = 1) -> None:
    await bot.store.prompts.record(
        guild_id=guild, channel_id=1, message_id=passage_id, thread_id=None, kind="discuss", theme=THEME,
        film_key="", film=None, uses=[PromptUse(passage_id, f"critic:{passage_id}", cycle)], source="command")


async def test_kept_bounds_pick_what_the_statement_picked(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """For random fractions across the range and rotations part used, the kept-bounds pick is the very passage
    the statement finding its own bounds gives."""
    allowed = sorted(await passage_matches(bot.store, QuoteFilters(theme=THEME)))
    assert len(allowed) >= 4
    for used in range(len(allowed) + 1):  # rotations with 0 … all passages used (then a new cycle)
        guild = 100 + used
        for passage_id in allowed[:used]:
            await _record(bot, guild, passage_id)
        for fraction in (0.0, 0.13, 0.5, 0.77, 0.999999):
            _fixed_random(monkeypatch, fraction)
            assert await _pick(bot, guild) == await _pick_finding_bounds(bot, guild, fraction), (used, fraction)


async def test_a_new_passage_above_the_bounds_is_picked_at_once(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A passage written after the bounds were kept (a higher id than any) is where the top of the range lands
    at the next pick: the corpus write moved the corpus version, so the bounds are read again."""
    _fixed_random(monkeypatch, 0.999999)
    top = max(await passage_matches(bot.store, QuoteFilters(theme=THEME)))
    assert await _pick(bot, 1) == top
    async with bot.store.db.corpus_transaction() as conn:
        review_id = await bot.store.db.fetchval("SELECT min(id) FROM reviews")
        cur = await conn.execute(
            "INSERT INTO passages(review_id, ordinal, paragraph, text, quotable) VALUES (?, 999, 0, 'A new end.', 1)",
            (review_id,))
        new = cur.lastrowid
        await conn.execute("INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, 1.0)", (new, THEME))
    assert new is not None and new > top
    assert await _pick(bot, 2) == new


async def test_a_hidden_passage_leaves_the_bounds_and_comes_back_when_shown(
    bot: FilmBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The set's highest passage hidden by a moderator: the kept bounds end below it at once (no pick of it, the
    top of the range is the highest one left: the decision hides every passage of the same text); shown again,
    it is the top again."""
    _fixed_random(monkeypatch, 0.999999)
    top = max(await passage_matches(bot.store, QuoteFilters(theme=THEME)))
    assert await _pick(bot, 1) == top
    await bot.store.flags.decide(passage_id=top, decision=Decision.HIDE, actor_id=1, guild_id=1)
    below = max(await passage_matches(bot.store, QuoteFilters(theme=THEME)))
    assert below < top
    for guild in range(2, 40):
        assert await _pick(bot, guild) == below
    kept = [value for value in bot.store.rotation._bounds.values() if value[0] == bot.store.db.corpus_version]
    assert kept and all(hi == below for _, _, hi in kept)
    await bot.store.flags.decide(passage_id=top, decision=Decision.SHOW, actor_id=1, guild_id=1)
    assert await _pick(bot, 50) == top


async def test_a_removed_review_takes_its_passages_out_of_the_bounds(
    bot: FilmBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fixed_random(monkeypatch, 0.0)
    allowed = sorted(await passage_matches(bot.store, QuoteFilters(theme=THEME)))
    assert await _pick(bot, 1) == allowed[0]
    review_id = await bot.store.db.fetchval("SELECT review_id FROM passages WHERE id = ?", (allowed[0],))
    assert await bot.store.reviews.remove(review_id, actor_id=1, guild_id=1) is not None
    left = sorted(await passage_matches(bot.store, QuoteFilters(theme=THEME)))
    assert allowed[0] not in left
    assert await _pick(bot, 2) == left[0]


async def test_a_restart_keeps_no_bounds(bot: FilmBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounds live in one store's memory: a new process (a restart) reads them again, and sees a passage written
    while it was down."""
    _fixed_random(monkeypatch, 0.999999)
    await _pick(bot, 1)
    assert bot.store.rotation._bounds
    await bot.close_store()
    again = FilmBot(Settings(database=tmp_path / "t.db"))
    store = await again.open_store()
    try:
        assert not store.rotation._bounds
        top = max(await passage_matches(store, QuoteFilters(theme=THEME)))
        assert await _pick(again, 2) == top
    finally:
        await again.close_store()
    await bot.open_store()  # the fixture closes it


async def test_the_kept_bounds_are_bounded(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rotation_store, "BOUNDS_KEPT", 2)
    for theme in ("ending", "jazz", "ending", "jazz"):
        await bot.store.rotation.pick(QuoteFilters(theme=theme), RotationKey(1, theme, ""))
    film_id = await bot.store.db.fetchval("SELECT id FROM films WHERE title = 'Alpha'")
    await bot.store.rotation.pick(QuoteFilters(theme="ending", film=f"film:{film_id}"),
                                  RotationKey(1, "ending", str(film_id)))
    assert len(bot.store.rotation._bounds) == 2
