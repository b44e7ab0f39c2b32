"""A film title has one limit, the catalogue's (200 characters): a film on the watchlist with a long title gets
reviews under its own title, and every screen that shows a review's title clips it there, never in storage."""

from __future__ import annotations

import json

from tests.helpers import add_review_file, check_all_payloads, msgs, text_of, unique_review

# 150 characters, an accent and an emoji: as long as /watchlist add lets a member name a film, past the old 90.
LONG = ("The Unbearably Long Night of the Drummers Who Never Slept Again — Éternité 🎞 and the Morning After It, "
        "Told in Nine Movements by a Choir").ljust(150, "x")
LONGEST = ("A" + " very long title" * 20)[:200]


async def test_a_watchlist_film_with_a_150_character_title_gets_a_review_under_its_own_title(world):
    """/watchlist add takes a 150-character title; /review add of that film (its autocomplete choice, or the
    title typed with its year) stores the review on that very film, whole, and no second film."""
    assert len(LONG) == 150
    added = await world.alice.slash(world.channel, "watchlist add", film=LONG, year=2014)
    assert not world.env.errors and world.count("films", "title = ?", LONG) == 1, text_of(added)
    choices = await world.mod.autocomplete(world.channel, "review add", "film", "The Unbearably")
    assert choices and all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices)
    picked = await add_review_file(world, film=choices[0]["value"], critic="Jane Doe")
    assert "Added review" in text_of(picked), text_of(picked)
    typed = await add_review_file(world, text=unique_review(1), film=f"{LONG} (2014)", critic="John Roe")
    assert "Added review" in text_of(typed), text_of(typed)
    assert world.q("SELECT f.title, f.year, count(*) FROM reviews r JOIN films f ON f.id = r.film_id"
                   " WHERE f.title = ? GROUP BY f.id", LONG) == [(LONG, 2014, 2)]
    assert world.count("films", "title LIKE 'The Unbearably%'") == 1


async def test_a_200_character_title_is_stored_whole_and_clipped_only_where_shown(world):
    """A 200-character title (the catalogue's limit) is reviewed, imported, listed, shown, autocompleted and
    quoted: stored whole, every embed title, select label and autocomplete choice within Discord's limits."""
    added = await add_review_file(world, film=LONGEST, year=2001, critic="Jane Doe")
    assert "Added review" in text_of(added), text_of(added)
    items = [{"film": LONGEST, "year": 2002, "critic": "Critic", "outlet": None, "url": None, "date": None,
              "spoiler": False, "source": "moderator", "text": unique_review(2)}]
    body = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": items}).encode()
    imported = await world.mod.slash(world.channel, "review import", file=("reviews.json", body))
    assert "Imported 1 review" in text_of(imported), text_of(imported)
    assert world.q("SELECT title, year FROM films WHERE title LIKE 'A very%' ORDER BY year") == [(LONGEST, 2001), (LONGEST, 2002)]
    for command, options in (("review list", {}), ("review show", {"review": "1"}), ("review history", {}),
                             ("quote", {"film": f"{LONGEST} (2001)"}), ("film info", {"film": f"{LONGEST} (2002)"})):
        shown = await world.mod.slash(world.channel, command, **options)
        assert msgs(shown), (command, text_of(shown))
    for option in (("review show", "review"), ("review add", "film"), ("quote", "film")):
        choices = await world.mod.autocomplete(world.channel, *option, "A very")
        assert choices and all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices), option
    check_all_payloads(world.env)
    assert not world.env.errors


async def test_a_title_over_200_characters_is_refused_naming_the_catalogues_limit(world, settings):
    """201 characters: refused privately with the catalogue's limit, nothing stored."""
    from tests.helpers import table_digest
    before = table_digest(settings)
    refused = await add_review_file(world, film=LONGEST + "x", year=2014)
    assert refused.ephemeral and "200" in text_of(refused), text_of(refused)
    assert table_digest(settings) == before
