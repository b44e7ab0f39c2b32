"""Films titled in other scripts, or with very short or odd titles: reviewed, searched, autocompleted and named
in every film option (the reviews are written for these tests)."""

from __future__ import annotations

import json

from tests.helpers import World, assert_no_pings, check_all_payloads, text_of

SPIRITED = ("Spirited Away is Miyazaki's most generous fable: a sulking ten-year-old crosses into a bathhouse of"
            " spirits and learns, chore by chore, to be brave. The original title, 千と千尋の神隠し, promises a"
            " vanishing, and the film delivers a whole world instead.\n\n"
            "The animation breathes everywhere: steam rising from the baths, soot sprites hauling coal, a train"
            " gliding across flooded fields at dusk. 湯屋の描写は見事だ。")
PARASITE = ("Parasite (기생충) is Bong Joon-ho's sharpest comedy of class, a heist picture in which the loot is a"
            " house. The semi-basement flat and the architect's glass mansion face each other like two sides of"
            " an argument.\n\n기생충은 계급에 관한 날카로운 영화다. The staircase is the film's great image: every"
            " character keeps going down.")
M_1931 = ("M is Fritz Lang's first sound film, and it uses sound like a weapon: a whistled tune marks the killer"
          " long before we see his face. Peter Lorre's plea to the underworld court is terrifying and pitiable"
          " at once, a piece of acting that still unsettles.")
US = ("Us is Jordan Peele's second feature, a home-invasion nightmare in which the invaders are a family's own"
      " doubles. Lupita Nyong'o plays both mothers with a rasping, unforgettable physical precision.")
IT = ("It turns Stephen King's sewer clown into a summer adventure about seven misfits on bicycles. Bill"
      " Skarsgård's Pennywise drools and giggles, but the kids' banter is the film's real engine.")
RAN = ("Ran is Kurosawa's King Lear in armour, and its battle at the third castle plays in near silence, with"
       " only Takemitsu's mournful score over the slaughter. The colours of the three armies burn.")
NINE = ("9 is a stitched-together fable of ragdoll survivors in a ruined city, gorgeous to look at and thin in"
        " story. The burlap heroes have more texture than the script.")


async def add(world: World, film: str, year: int, text: str):
    return await world.mod.slash(world.channel, "review add", film=film, year=year,
                                 file=("r.txt", text.encode()))


IMPORTED = [
    {"film": "Amélie", "year": 2001, "text": "Amélie is a sugared postcard of Montmartre, and Audrey Tautou's gamine"
     " smile carries every whimsical contrivance. The colour grading is pure candy."},
    {"film": "Don't Look Now", "year": 1973, "text": "Don't Look Now is Nicolas Roeg's Venetian ghost story, edited"
     " like a shattered mirror. The red coat glimpsed down every canal is unforgettable."},
    {"film": "'Round Midnight", "year": 1986, "text": "'Round Midnight lets Dexter Gordon play a tired saxophonist"
     " in Paris, and his husky voice and slow tenor do the acting for him."},
    {"film": "Face/Off", "year": 1997, "text": "Face/Off is John Woo's operatic action at its most delirious:"
     " Travolta and Cage swap faces and then trade each other's mannerisms with glee."},
]
FILM_OPTIONS = ["quote", "discuss", "rate film", "film info", "watchlist add", "filmnight schedule", "schedule set"]


async def club(world: World) -> None:
    for film, year, text in [("千と千尋の神隠し", 2001, SPIRITED), ("기생충", 2019, PARASITE), ("M", 1931, M_1931),
                             ("Us", 2019, US), ("It", 2017, IT), ("Ran", 1985, RAN), ("9", 2009, NINE)]:
        added = await add(world, film, year, text)
        assert "Added review" in text_of(added), (film, text_of(added))
    data = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": IMPORTED}).encode()
    imported = await world.mod.slash(world.channel, "review import", file=("club.json", data))
    assert "Imported 4 reviews" in text_of(imported), text_of(imported)


async def test_a_review_of_it_opening_with_its_title_is_stored_and_quoted(world: World):
    """A review of *It* opening "It turns Stephen King's clown into…" is stored with a quotable passage and
    /quote film:It quotes it (it was refused whole: "no quotable passage", and the film stayed unknown)."""
    added = await add(world, "It", 2017, IT)
    assert "Added review" in text_of(added), text_of(added)
    quoted = await world.alice.slash(world.channel, "quote", film="It")
    assert "sewer clown" in text_of(quoted) or "Pennywise" in text_of(quoted), text_of(quoted)
    assert [c["name"] for c in await world.alice.autocomplete(world.channel, "quote", "film", "it")] == ["It (2017)"]


async def test_cjk_words_inside_a_longer_run_are_found_by_search(world: World):
    """/search 계급 finds "계급에…" and /search 千と千尋 finds "千と千尋の神隠し": the tokenizers keep a CJK run whole,
    so a word of it found nothing ("No passage mentions"); the whole title still finds its passage."""
    await club(world)
    for query, needle in [("계급", "계급에"), ("千と千尋", "千と千尋の神隠し"), ("千と千尋の神隠し", "千と千尋の神隠し"),
                          ("기생충", "기생충"), ("湯屋", "湯屋")]:
        found = await world.alice.slash(world.channel, "search", query=query)
        assert needle in text_of(found) and "No passage mentions" not in text_of(found), (query, text_of(found))
    about = await world.alice.slash(world.channel, "quote", about="계급")
    assert "계급에" in text_of(about), text_of(about)
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_odd_titles_are_searched_by_their_words(world: World):
    """An apostrophe, a slash and a one-letter title: /search finds the film's passage."""
    await club(world)
    for query, film in [("Don't Look Now", "Don't Look Now (1973)"), ("'Round Midnight", "'Round Midnight (1986)"),
                        ("Face/Off", "Face/Off (1997)"), ("M", "M (1931)"), ("Us", "Us (2019)"), ("Amelie", "Amélie")]:
        found = await world.alice.slash(world.channel, "search", query=query)
        assert film in text_of(found), (query, text_of(found))


async def test_every_film_option_names_the_right_film_for_short_and_cjk_titles(world: World):
    """Every film option autocompletes CJK typing to its film and puts a one- or two-letter title first; each
    title typed in full (or Amelie without its accent) names that film in /quote, /discuss, /film info, /rate."""
    await club(world)
    for typed, first in [("千", "千と千尋の神隠し (2001)"), ("기생", "기생충 (2019)"), ("m", "M (1931)"), ("us", "Us (2019)"),
                         ("it", "It (2017)"), ("9", "9 (2009)"), ("amelie", "Amélie (2001)"),
                         ("don't", "Don't Look Now (1973)"), ("face/", "Face/Off (1997)"), ("round", "'Round Midnight (1986)")]:
        for command in FILM_OPTIONS:
            names = [c["name"] for c in await world.alice.autocomplete(world.channel, command, "film", typed)]
            assert names[:1] == [first], (command, typed, names)
    for film, shown in [("千と千尋の神隠し", "千と千尋の神隠し (2001)"), ("기생충", "기생충 (2019)"), ("M", "M (1931)"),
                        ("us", "Us (2019)"), ("It", "It (2017)"), ("9", "9 (2009)"), ("Amelie", "Amélie (2001)"),
                        ("Face/Off", "Face/Off (1997)"), ("'Round Midnight", "'Round Midnight (1986)")]:
        info = await world.alice.slash(world.channel, "film info", film=film)
        assert shown in text_of(info), (film, text_of(info))
        rated = await world.alice.slash(world.channel, "rate film", film=film, stars=4.0)
        assert shown.rsplit(" (", 1)[0] in text_of(rated), (film, text_of(rated))
        for command in ("quote", "discuss"):
            answer = await world.alice.slash(world.channel, command, film=film)
            assert "don't know a film" not in text_of(answer), (command, film, text_of(answer))
    assert world.count("club_ratings") == 9
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_a_screening_and_a_watchlist_entry_of_cjk_and_short_titles(world: World):
    """/filmnight schedule film:千と千尋の神隠し names the Discord event after the film (within 100 characters);
    /watchlist add film:M lists M, not a film with an m in its title; /schedule set film:기생충 is accepted."""
    await club(world)
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film="千と千尋の神隠し",
                                      when="2026-01-03 20:00", where="The back room")
    assert "is scheduled" in text_of(scheduled), text_of(scheduled)
    events = [e.name for e in world.env.backend.get_guild(world.guild.id).scheduled_events.values()]
    assert any("千と千尋の神隠し" in name and len(name) <= 100 for name in events), events
    listed = await world.alice.slash(world.channel, "watchlist add", film="M")
    assert "M (1931)" in text_of(listed) or "**M**" in text_of(listed), text_of(listed)
    assert ("M",) in world.q("SELECT f.title FROM watchlist w JOIN films f ON f.id = w.film_id")
    check_all_payloads(world.env)
