"""The spoiler gate in the SQL of the picks: the gated film's spoilers are never candidates, and a pick
with other passages left never comes back empty."""

from __future__ import annotations

from bot.core.spoilers import Gate, spoiler_keys
from bot.corpus.passage import QuoteFilters, RotationKey


async def _gate(world) -> Gate:
    film_id = await world.bot.store.catalogue.film_id("La La Land", 2016)
    return Gate(film_id, "La La Land (2016)", "2030-01-01T00:00:00+00:00", tuple(sorted(spoiler_keys(world.bot.themes))))


def _held(world, gate: Gate) -> set[int]:
    """The gated film's spoiler passages (and its untagged ones), read independently of the store."""
    marks = ",".join("?" * len(gate.spoiler_themes))
    rows = world.q(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.film_id = ? AND (r.spoiler = 1"
        f" OR p.quotable = 0 OR p.id IN (SELECT passage_id FROM passage_themes WHERE theme IN ({marks})))",
        gate.film_id, *gate.spoiler_themes)
    return {row[0] for row in rows}


async def test_gated_picks_never_return_the_gated_films_spoilers(world) -> None:
    """pick, Another (exclude), rotation_pick, rotation_pool and search: none returns a held passage."""
    store, gate = world.bot.store.quotes, await _gate(world)
    held = _held(world, gate)
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
    for theme in ("music", "performances", "nostalgia"):
        pick = await store.rotation_pick(QuoteFilters(theme=theme), RotationKey(1, theme, ""), gate)
        assert pick is not None and pick.quote.passage_id not in held
        pool = await store.rotation_pool(QuoteFilters(theme=theme), frozenset(), gate)
        assert pool and not {q.passage_id for q in pool} & held
    found = await store.search("ending final", limit=25, gate=gate)
    assert not {quote.passage_id for quote, _ in found} & held


async def test_a_gated_spoiler_theme_of_the_gated_film_has_no_candidate(world) -> None:
    """theme:ending of the gated film: nothing to pick (the command refuses, saying when it unlocks)."""
    store, gate = world.bot.store.quotes, await _gate(world)
    assert await store.pick(QuoteFilters(theme="ending", film=f"film:{gate.film_id}"), gate=gate) is None
    assert await store.pick(QuoteFilters(theme="ending", film=f"film:{gate.film_id}")) is not None


async def test_more_context_leaves_the_gated_films_spoiler_neighbours_out(world) -> None:
    """context(gate): every neighbour left is not held; the passage itself always stays."""
    store, gate = world.bot.store.quotes, await _gate(world)
    held = _held(world, gate)
    text_of = {row[0]: row[1] for row in world.q("SELECT id, text FROM passages")}
    held_texts = {text_of[i] for i in held}
    for (passage_id,) in world.q("SELECT id FROM passages WHERE quotable = 1 ORDER BY id LIMIT 40"):
        paragraph = await store.context(passage_id, gate)
        assert paragraph is not None and any(own for _, own, _ in paragraph)
        assert not {text for text, own, _ in paragraph if not own} & held_texts
