"""The rotation's picks served in order by one task (bot/discussion/rotation_store.py `RotationStore.pick`):
picks asked together are each the pick it would have been alone, an error reaches only the pick that met
it, and a caller that gives up leaves the others served."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.corpus.passage import QuoteFilters, RotationKey
from bot.discussion import rotation_store
from bot.discussion.rotation_store import RotationStore
from tests.quotes.test_uniform import filled

THEMES = ("ending", "jazz")


@pytest.fixture
async def bot(tmp_path: Path):
    async with filled(tmp_path / "t.db") as bot:
        yield bot


def _fractions(monkeypatch: pytest.MonkeyPatch, values: list[float]) -> None:
    """random.random() in the rotation store answers `values` in turn, round and round."""
    state = {"at": 0}

    def next_value() -> float:
        value = values[state["at"] % len(values)]
        state["at"] += 1
        return value

    monkeypatch.setattr(rotation_store.random, "random", next_value)


async def test_picks_asked_together_are_the_picks_asked_alone(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    values = [0.05, 0.4, 0.93, 0.61, 0.27]
    asks = [(QuoteFilters(theme=THEMES[n % 2]), RotationKey(n, THEMES[n % 2], "")) for n in range(40)]
    _fractions(monkeypatch, values)
    alone = [await bot.store.rotation.pick(filters, key) for filters, key in asks]
    _fractions(monkeypatch, values)
    together = await asyncio.gather(*(bot.store.rotation.pick(filters, RotationKey(key.guild_id + 1000, key.theme,
                                                                                   key.film_key))
                                      for filters, key in asks))
    assert all(pick is not None for pick in alone)
    assert [(p.quote.passage_id, p.cycle) for p in alone if p] == [(p.quote.passage_id, p.cycle) for p in together if p]


async def test_an_error_reaches_only_its_pick(bot: FilmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    real = RotationStore._pick

    async def failing(self: RotationStore, filters: QuoteFilters, rotation: RotationKey, gate: object = None):
        if rotation.guild_id == 3:
            raise RuntimeError("boom")
        return await real(self, filters, rotation, gate)  # type: ignore[arg-type]

    monkeypatch.setattr(RotationStore, "_pick", failing)
    results = await asyncio.gather(
        *(bot.store.rotation.pick(QuoteFilters(theme="ending"), RotationKey(n, "ending", "")) for n in range(6)),
        return_exceptions=True)
    assert isinstance(results[3], RuntimeError)
    assert all(result is not None and not isinstance(result, BaseException)
               for n, result in enumerate(results) if n != 3)


async def test_a_caller_that_gives_up_leaves_the_others_served(bot: FilmBot) -> None:
    picks = [asyncio.ensure_future(bot.store.rotation.pick(QuoteFilters(theme="ending"), RotationKey(n, "ending", "")))
             for n in range(5)]
    picks[1].cancel()
    done = await asyncio.gather(*picks, return_exceptions=True)
    assert isinstance(done[1], asyncio.CancelledError)
    assert all(result is not None and not isinstance(result, BaseException) for n, result in enumerate(done) if n != 1)
    # and the next pick, asked alone afterwards, is served by a new run
    assert await bot.store.rotation.pick(QuoteFilters(theme="jazz"), RotationKey(9, "jazz", "")) is not None
