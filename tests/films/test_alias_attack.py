"""The attack audit of other titles (`/film alias`) and titles nobody can see: a careless moderator's alias never takes
the name a member types for another film, and a title of invisible characters is refused before anything is stored."""

from __future__ import annotations

from tests.films.test_aliases import reviewed
from tests.helpers import table_digest, text_of


async def test_an_alias_never_takes_another_films_title_with_its_year_typed_after_it(world, settings):
    """"Heat 1995" names Heat (1995) here (a year typed after the title): as another title of Ronin it is refused,
    naming Heat, nothing is written, and a member typing "Heat 1995" still rates Heat."""
    heat = await reviewed(world, "Heat", 1995, 0)
    ronin = await reviewed(world, "Ronin", 1998, 1)
    before = table_digest(settings)
    refused = await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title="Heat 1995")
    assert refused.ephemeral and "**Heat (1995)**" in text_of(refused), text_of(refused)
    assert table_digest(settings) == before
    rated = await world.alice.slash(world.channel, "rate film", film="heat 1995", stars=3.0)
    assert "Heat (1995)" in text_of(rated), text_of(rated)
    assert world.q("SELECT film_id FROM club_ratings") == [(heat,)]
    own = await world.mod.slash(world.channel, "film alias", film=f"film:{heat}", title="Heat 1995")
    assert "now names **Heat (1995)**" in text_of(own), text_of(own)  # the film's own title and year: its own


async def test_a_title_of_invisible_characters_is_refused(world, settings):
    """A variation selector, a Hangul filler or a blank braille cell alone shows as nothing in every list: refused
    privately as a watchlist film and as another title, nothing written."""
    film_id = await reviewed(world, "Ronin", 1998, 1)
    before = table_digest(settings)
    for blank in ("\ufe0f", "\ufe0f\ufe0f", "\u3164", "\u2800", "\uffa0", "\u115f \u1160", "\U000e0100"):
        added = await world.alice.slash(world.channel, "watchlist add", film=blank, year=2001)
        assert added.ephemeral and "no letters, digits or symbols" in text_of(added), (repr(blank), text_of(added))
        aliased = await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=blank)
        assert aliased.ephemeral and "no letters, digits or symbols" in text_of(aliased), (repr(blank), text_of(aliased))
    assert table_digest(settings) == before
    assert not world.env.errors
