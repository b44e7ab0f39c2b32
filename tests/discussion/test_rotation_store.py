"""The discussion rotation's SQL (bot/discussion/rotation_store.py, `bot.store.rotation`): a big theme's
pool is sampled with its unused passages, a big film scope tries random reviews first and still picks
only its passages, and the spoiler gate holds for the pick and the pool."""

from __future__ import annotations

import pytest

from bot.corpus.passage import QuoteFilters, RotationKey
from bot.discussion import rotation_store
from bot.discussion.rotation_store import POOL_EXACT, RotationStore
from tests.helpers import held_passages, la_la_land_gate, passage_matches


async def test_big_pool_is_sampled_with_unused_passages(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool bigger than POOL_EXACT is a sample of the pool, and the one unused passage is always in it."""
    monkeypatch.setattr(rotation_store, "POOL_EXACT", 2)
    monkeypatch.setattr(rotation_store, "POOL_SAMPLE", 5)
    store = world.bot.store
    everything = {q.passage_id for q in await store.quotes.passages_for(QuoteFilters(theme="ending"))}
    assert len(everything) > 3 and POOL_EXACT > 2
    keep = min(everything)
    used = frozenset(everything - {keep})
    pool = await store.rotation.pool(QuoteFilters(theme="ending"), used)
    ids = {q.passage_id for q in pool}
    assert ids <= everything and keep in ids  # the one unused passage is always offered


async def test_big_scopes_try_random_reviews_and_keep_exclusion(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """A film scope of more than SCOPE_WHOLE reviews: SCOPE_TRIES random reviews are sought first (strict),
    and every pick of every server is one of the scope's passages."""
    monkeypatch.setattr(rotation_store, "SCOPE_WHOLE", 1)
    monkeypatch.setattr(rotation_store, "SCOPE_TRIES", 2)
    tried: list[bool] = []  # each seek's strict flag
    real = RotationStore._seek

    async def seek(self, *args, strict: bool, **kwargs):
        found = await real(self, *args, strict=strict, **kwargs)
        tried.append(strict)
        return found

    monkeypatch.setattr(RotationStore, "_seek", seek)
    store = world.bot.store
    film_id = (await store.catalogue.films())[0][0]
    for filters in (QuoteFilters(film=f"film:{film_id}"), QuoteFilters(film=f"film:{film_id}", theme="ending")):
        allowed = await passage_matches(store, filters)
        assert allowed
        for guild in range(1, 16):
            pick = await store.rotation.pick(filters, RotationKey(guild, filters.theme or "", str(film_id)))
            assert pick is not None and pick.quote.passage_id in allowed
    assert True in tried


async def test_gated_rotation_never_offers_the_gated_films_spoilers(world) -> None:
    """pick and pool under a screening's gate: neither returns a held passage, and neither comes back empty."""
    store, gate = world.bot.store, await la_la_land_gate(world)
    held = held_passages(world, gate)
    assert held
    for theme in ("music", "performances", "nostalgia"):
        pick = await store.rotation.pick(QuoteFilters(theme=theme), RotationKey(1, theme, ""), gate)
        assert pick is not None and pick.quote.passage_id not in held
        pool = await store.rotation.pool(QuoteFilters(theme=theme), frozenset(), gate)
        assert pool and not {q.passage_id for q in pool} & held
