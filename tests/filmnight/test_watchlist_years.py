"""A member suggests the club's reviewed film with its year misremembered by one (festival against release year)."""

from __future__ import annotations

from tests.helpers import World, text_of

SLASHER = ("Hollow Pines is a slasher that knows its genre and plays every card with skill: six friends, a lake house,"
           " no phone signal. The sound design keeps the forest creaking around the house all night.\n\n"
           "Then the last act turns everything on its head. It turns out that Maya has been the killer all along, and"
           " the reveal recasts every scene we have watched.")


async def reviewed(world: World) -> int:
    await world.mod.slash(world.channel, "review add", film="Hollow Pines", year=2019, critic="Dana Mercer",
                          file=("pines.txt", SLASHER.encode()))
    return world.q("SELECT id FROM films WHERE title = 'Hollow Pines' AND year = 2019")[0][0]


async def test_a_suggestion_a_year_off_names_the_clubs_reviewed_film_and_says_so(world: World):
    """`/watchlist add film:hollow pines year:2018` lists the reviewed Hollow Pines (2019), telling the member so; no
    2018 film is made beside it (it won picks, was screened, and its gate held back nothing of the reviewed film)."""
    film_id = await reviewed(world)
    added = await world.alice.slash(world.channel, "watchlist add", film="hollow pines", year=2018)
    assert added.ephemeral and "Added **Hollow Pines (2019)**" in text_of(added), text_of(added)
    assert "You typed 2018" in text_of(added), text_of(added)
    backed = await world.bob.slash(world.channel, "watchlist add", film="Hollow Pines (2020)")
    assert "you now back it (2 in all)" in text_of(backed), text_of(backed)
    assert world.q("SELECT film_id FROM watchlist") == [(film_id,)]
    assert world.q("SELECT year FROM films WHERE lower(title) = 'hollow pines'") == [(2019,)]


async def test_the_year_off_suggestion_screened_holds_back_the_reviewed_films_twist(world: World):
    """The suggestion a year off, scheduled as the watchlist names it, is the reviewed film's screening (its gate
    held back another, unreviewed film): its twist is found by neither /search nor /quote."""
    film_id = await reviewed(world)
    await world.alice.slash(world.channel, "watchlist add", film="Hollow Pines", year=2018)
    (entry_film,) = world.q("SELECT f.title, f.year FROM watchlist w JOIN films f ON f.id = w.film_id")
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film=f"{entry_film[0]} ({entry_film[1]})",
                                      when="2026-01-03 20:00", where="The boathouse")
    assert "is scheduled" in text_of(scheduled), text_of(scheduled)
    assert world.q("SELECT film_id FROM screenings") == [(film_id,)]
    found = await world.alice.slash(world.channel, "search", query="killer")
    assert "killer all along" not in text_of(found), text_of(found)
    for _ in range(6):
        quoted = await world.alice.slash(world.channel, "quote", film="Hollow Pines (2019)")
        assert "killer all along" not in text_of(quoted), text_of(quoted)


async def test_a_namesake_two_years_apart_or_already_catalogued_stays_its_own_film(world: World):
    """Two years off is another film; so is a year off whose film the catalogue already has: neither is merged."""
    film_id = await reviewed(world)
    await world.alice.slash(world.channel, "watchlist add", film="Hollow Pines", year=2017)
    await world.mod.slash(world.channel, "review add", film="Hollow Pines", year=2020, critic="Owen Pike",
                          file=("p2.txt", SLASHER.replace("Maya", "Ruth").encode()))
    added = await world.bob.slash(world.channel, "watchlist add", film="Hollow Pines", year=2020)
    assert "Added **Hollow Pines (2020)**" in text_of(added) and "You typed" not in text_of(added), text_of(added)
    years = {year for (year,) in world.q("SELECT f.year FROM watchlist w JOIN films f ON f.id = w.film_id")}
    assert years == {2017, 2020} and film_id not in {i for (i,) in world.q("SELECT film_id FROM watchlist")}
