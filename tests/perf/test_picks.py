"""Picks by rowid seek: every filter combination finds only matches and `exclude` holds (the in-memory
corpus summaries across corpus writes: tests/corpus/test_catalogue_summaries.py; the rotation's pool and
scopes: tests/discussion/test_rotation_store.py)."""

from __future__ import annotations

import pytest

from bot.corpus.passage import QuoteFilters
from tests.helpers import passage_matches


async def test_every_filter_combination_picks_a_match_and_excludes(world) -> None:
    store = world.bot.store.quotes
    names = await world.bot.store.catalogue.critic_names()
    critic = next((n for n in names if not n.startswith("Unattributed")), names[0])
    film = f"film:{(await world.bot.store.catalogue.films())[0][0]}"  # digits alone are a title since the catalogue
    combos = [QuoteFilters(), QuoteFilters(critic=critic), QuoteFilters(film=film), QuoteFilters(theme="ending"),
              QuoteFilters(theme="ending", film=film), QuoteFilters(critic=critic, theme="ending")]
    for filters in combos:
        allowed = await passage_matches(world.bot.store, filters)
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


async def test_a_theme_rarer_than_the_scope_is_walked_instead(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scope pick with a theme walks the theme's tags when they are fewer than the scope's passages
    (still only matches, exclusion kept), and a theme without any passage answers None at once."""
    import bot.quotes.store as quotes_store

    monkeypatch.setattr(quotes_store, "PASSAGES_PER_REVIEW", 10**6)  # every theme counts as the rarer side
    await test_every_filter_combination_picks_a_match_and_excludes(world)
    store = world.bot.store.quotes
    critic = (await world.bot.store.catalogue.critic_names())[0]
    assert await store.pick(QuoteFilters(critic=critic, theme="no-such-theme")) is None
