"""The spoiler gate in the SQL of the picks: the gated film's spoilers are never candidates, and a pick
with other passages left never comes back empty."""

from __future__ import annotations

from bot.corpus.passage import QuoteFilters
from tests.helpers import held_passages, la_la_land_gate


async def test_gated_picks_never_return_the_gated_films_spoilers(world) -> None:
    """pick, Another (exclude) and search: none returns a held passage (the rotation's picks and pool:
    tests/discussion/test_rotation_store.py)."""
    store, gate = world.bot.store.quotes, await la_la_land_gate(world)
    held = held_passages(world, gate)
    assert held
    combos = [QuoteFilters(), QuoteFilters(film=f"film:{gate.film_id}"), QuoteFilters(theme="music"),
              QuoteFilters(about="jazz"), QuoteFilters(film=f"film:{gate.film_id}", theme="performances"),
              QuoteFilters(theme="nostalgia", about="past")]
    for filters in combos:
        for _ in range(25):
            quote = await store.pick(filters, gate=gate)
            assert quote is not None, filters  # other passages exist: never empty
            assert quote.passage_id not in held
            other = await store.pick(filters, exclude=quote.passage_id, gate=gate)
            assert other is not None and other.passage_id not in held
    found = await store.search("ending final", limit=25, gate=gate)
    assert not {quote.passage_id for quote, _ in found} & held


async def test_a_gated_spoiler_theme_of_the_gated_film_has_no_candidate(world) -> None:
    """theme:ending of the gated film: nothing to pick (the command refuses, saying when it unlocks)."""
    store, gate = world.bot.store.quotes, await la_la_land_gate(world)
    assert await store.pick(QuoteFilters(theme="ending", film=f"film:{gate.film_id}"), gate=gate) is None
    assert await store.pick(QuoteFilters(theme="ending", film=f"film:{gate.film_id}")) is not None


async def test_more_context_leaves_the_gated_films_spoiler_neighbours_out(world) -> None:
    """context(gate): every neighbour left is not held; the passage itself always stays."""
    store, gate = world.bot.store.quotes, await la_la_land_gate(world)
    held = held_passages(world, gate)
    text_of = {row[0]: row[1] for row in world.q("SELECT id, text FROM passages")}
    held_texts = {text_of[i] for i in held}
    for (passage_id,) in world.q("SELECT id FROM passages WHERE quotable = 1 ORDER BY id LIMIT 40"):
        paragraph = await store.context(passage_id, gate)
        assert paragraph is not None and any(own for _, own, _, _ in paragraph)
        assert not {text for text, own, _, _ in paragraph if not own} & held_texts
