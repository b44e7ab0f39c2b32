"""The one resolver through the commands: ambiguity, explicit references, autocomplete, bad input,
and 20 members adding the same film at once."""

from __future__ import annotations

import pytest

from tests.helpers import assert_no_pings, burst, table_digest, text_of


def film_id(world, title: str, year: int | None) -> int:
    (row,) = world.q("SELECT id FROM films WHERE title = ? AND year IS ?", title, year)
    return row[0]


async def test_twenty_members_adding_one_film_at_once_make_one_entry(world, settings):
    """The same film added concurrently by 20 members: one film, one entry, 20 supporters."""
    members = [world.guild.add_member(world.env.create_user(f"fan{n}")) for n in range(20)]
    await burst(world.env, [
        lambda m=m, n=n: m.slash(world.channel, "watchlist add", film="Paris, Texas" if n % 2 else "paris texas",
                                 year=1984)
        for n, m in enumerate(members)
    ])
    assert world.q("SELECT count(*) FROM films WHERE year = 1984") == [(1,)]
    assert world.q("SELECT count(*) FROM watchlist") == [(1,)]
    assert world.q("SELECT count(*), count(DISTINCT user_id) FROM watchlist_support") == [(20, 20)]
    listed = await world.alice.slash(world.channel, "watchlist list")
    assert "20 supporters" in text_of(listed)


async def test_a_title_naming_two_films_asks_the_member_to_pick(world, settings):
    """'Dune' with Dune (1984) and Dune (2021) known: refused listing both, with their directors;
    the explicit `film:<id>` of the autocomplete, or the year, picks one."""
    await world.mod.slash(world.channel, "watchlist add", film="Dune", year=1984)
    await world.mod.slash(world.channel, "watchlist add", film="Dune (2021)")
    await world.bot.store.films.set_metadata(film_id(world, "Dune", 2021), director="Denis Villeneuve")
    before = table_digest(settings)
    for command, options in (("watchlist add", {}), ("rate film", {"stars": 4.0}), ("watchlist remove", {})):
        refused = await world.alice.slash(world.channel, command, film="dune", **options)
        assert refused.ephemeral and "Several films are called" in text_of(refused), command
        assert "Dune (1984)" in text_of(refused) and "Dune (2021) — Denis Villeneuve" in text_of(refused)
    assert table_digest(settings) == before
    choices = await world.alice.autocomplete(world.channel, "rate film", "film", "dune")
    new = film_id(world, "Dune", 2021)
    assert {"name": "Dune (2021) — Denis Villeneuve", "value": f"film:{new}"} in choices
    rated = await world.alice.slash(world.channel, "rate film", film=f"film:{new}", stars=4.0)
    assert "Dune (2021)" in text_of(rated)
    assert "Dune (1984)" in text_of(await world.bob.slash(world.channel, "rate film", film="Dune (1984)", stars=2.0))


async def test_watchlist_autocomplete_values_are_film_references(world, settings):
    """Watchlist autocomplete names the film and carries `film:<id>`, which remove/support/schedule read."""
    await world.alice.slash(world.channel, "watchlist add", film="1984", year=1984)
    (choice,) = await world.alice.autocomplete(world.channel, "watchlist remove", "film", "198")
    assert choice == {"name": "1984 (1984)", "value": f"film:{film_id(world, '1984', 1984)}"}
    await world.bot.store.films.set_metadata(film_id(world, "1984", 1984), director="Michael Radford")
    assert await world.alice.autocomplete(world.channel, "watchlist remove", "film", "198") == [
        {"name": "1984 (1984) — Michael Radford", "value": choice["value"]}]
    removed = await world.alice.slash(world.channel, "watchlist remove", film=choice["value"])
    assert "Removed **1984 (1984)**" in text_of(removed)


async def test_another_servers_watchlist_never_shows_in_autocomplete(world, settings):
    """Autocomplete lists films this server knows (reviewed, or its own watchlist), not another's."""
    other = world.env.create_guild(name="Other Club")
    channel = other.create_text_channel("films")
    member = other.add_member(world.env.create_user("stranger"))
    await member.slash(channel, "watchlist add", film="Secret Title", year=2020)
    assert await world.alice.autocomplete(world.channel, "rate film", "film", "secret") == []
    assert [c["name"] for c in await member.autocomplete(channel, "rate film", "film", "secret")] == ["Secret Title (2020)"]


@pytest.mark.parametrize("film, year, why", [
    ("Bad\x07title", None, "control characters"),
    ("x" * 500, None, "longer than 200"),
    ("?!…", None, "no letters, digits or symbols"),
    ("\ud800", None, "no letters, digits or symbols"),  # a lone surrogate, read as U+FFFD: stored as "�" before
    ("\ufffd \ufffd", None, "no letters, digits or symbols"),
    ("Metropolis", 1869, "between 1870 and 2031"),
    ("Metropolis", 2032, "between 1870 and 2031"),
    ("Metropolis (2099)", None, "between 1870 and 2031"),
    ("film:-1", None, "film reference"),  # forged references that are no id: a film titled 'film:-1' before
    ("film:9999999999999999999999", None, "film reference"),
    ("FILM:2", None, "film reference"),
])
async def test_bad_titles_and_years_are_refused_and_store_nothing(world, settings, film, year, why):
    """Control characters, 500 characters, punctuation only, years out of range: refused privately."""
    before = table_digest(settings)
    options = {"film": film} | ({"year": year} if year is not None else {})
    refused = await world.alice.slash(world.channel, "watchlist add", **options)
    assert refused.ephemeral and why in text_of(refused)
    assert table_digest(settings) == before


@pytest.mark.parametrize("film", ["ليلة القدر", "הסרט הזה", "🎬🍿", "Film for @everyone"])
async def test_rtl_and_emoji_titles_are_added_and_found_again(world, settings, film):
    """Right-to-left and emoji titles are films: added once, found again by the same text, no pings."""
    added = await world.alice.slash(world.channel, "watchlist add", film=film, year=2020)
    assert added.ephemeral and "Added" in text_of(added)
    again = await world.bob.slash(world.channel, "watchlist support", film=film)
    assert "You now support" in text_of(again)
    assert world.q("SELECT count(*) FROM watchlist") == [(1,)]
    assert_no_pings(world.env)


async def test_a_review_of_an_ambiguous_title_asks_which_film(world, settings):
    """/review add film:Dune with two Dunes known: refused, nothing stored; with the year it attaches."""
    await world.mod.slash(world.channel, "watchlist add", film="Dune", year=1984)
    await world.mod.slash(world.channel, "watchlist add", film="Dune", year=2021)
    body = (b"Dune is a long, strange desert epic. The sandworms are the best special effect of the year, and the "
            b"score hums under every scene like wind over dunes.")
    before = table_digest(settings)
    refused = await world.mod.slash(world.channel, "review add", film="Dune", file=("d.txt", body))
    assert "Several films are called" in text_of(refused) and table_digest(settings) == before
    added = await world.mod.slash(world.channel, "review add", film="Dune (1984)", file=("d.txt", body))
    assert world.q("SELECT film_id FROM reviews WHERE added_by IS NOT NULL") == [(film_id(world, "Dune", 1984),)], text_of(added)


async def test_a_schedule_names_its_film_by_id_and_shows_its_label(world, settings):
    """/schedule set film:La La Land stores `film:<id>` and lists the film as 'La La Land (2016)'."""
    made = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00", film="la la land")
    (reviewed,) = world.q("SELECT DISTINCT film_id FROM reviews")
    assert world.q("SELECT film FROM schedules") == [(f"film:{reviewed[0]}",)]
    assert "La La Land (2016)" in text_of(made)
    assert "La La Land (2016)" in text_of(await world.mod.slash(world.channel, "schedule list"))


ACCENTED = [  # (title as the catalogue has it, year, what a member types without accents or apostrophes)
    ("Amélie", 2001, "Amelie"),
    ("Léon", 1994, "leon"),
    ("Pan's Labyrinth", 2006, "Pans Labyrinth"),
    ("Y Tu Mamá También", 2001, "Y Tu Mama Tambien"),
    ("Café Society", 2016, "Cafe Society"),
    ("Lars von Trier's Bølgerne", 1996, "Lars von Triers Bolgerne"),  # letters NFKD leaves whole (migration 180)
    ("Łódź Nocą", 2010, "Lodz Noca"),
    ("Æon Flux", 2005, "AEON FLUX"),
]


async def test_accent_free_typing_finds_the_film_in_every_film_option(world, settings):
    """'Amelie', 'leon', 'Pans Labyrinth', 'Y Tu Mama Tambien', 'Cafe Society' (and 'Pan’s' / "Pan's"), 'Bolgerne',
    'Lodz', 'AEON' name the catalogue's Amélie, Léon, Pan's Labyrinth, Bølgerne, Łódź, Æon, …: /quote film:, /discuss, /debate, /rate film (with a
    take), /watchlist add, /poll theme film:, /film info, /filmnight schedule and the film and critic
    autocompletes; no second film is made, and the title shows as written."""
    from datetime import timedelta

    from tests.helpers import add_review_file, bot_posts, msg_text, unique_review

    for n, (title, year, _) in enumerate(ACCENTED):
        for second in (0, 1):  # two reviews each: /debate sets two critics against each other
            added = await add_review_file(world, unique_review(2 * n + second), name=f"r{n}{second}.txt", film=title,
                                          year=year, critic="Björk Guðmundsdóttir" if n + second == 0 else f"Critic {n}{second}")
            assert "#" in text_of(added), text_of(added)
    films = world.q("SELECT count(*) FROM films")
    for title, year, typed in ACCENTED + [("Pan's Labyrinth", 2006, "Pan’s Labyrinth"),
                                          ("Pan's Labyrinth", 2006, "pan's labyrinth (2006)")]:
        for command, options in (
            ("quote", {}), ("discuss", {}), ("debate", {}), ("poll theme", {"theme": "ending"}), ("film info", {}),
            ("rate film", {"stars": 4.0, "take": "Loved the colours of it."}),
        ):
            before = len(bot_posts(world))
            done = await world.alice.slash(world.channel, command, film=typed, **options)
            posted = bot_posts(world)[before:]  # /discuss and /debate post in the channel, answer privately
            seen = "\n".join([text_of(done), *(msg_text(m) for m in posted)])
            assert title in seen, (command, typed, seen)
        choices = await world.alice.autocomplete(world.channel, "quote", "film", typed[:4])
        assert any(title in c["name"] for c in choices), (typed, choices)
        choices = await world.alice.autocomplete(world.channel, "rate film", "film", typed[:6])
        assert any(title in c["name"] for c in choices), (typed, choices)
        added = await world.bob.slash(world.channel, "watchlist add", film=typed)
        assert f"{title} ({year})" in text_of(added), text_of(added)
    assert world.q("SELECT count(*) FROM films") == films
    when = (world.env.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film="Y Tu Mama Tambien", when=when,
                                      where="the back room")
    assert "Y Tu Mamá También" in text_of(scheduled), text_of(scheduled)
    for typed in ("bjork", "Bjork G", "BJÖRK", "gudmundsdottir"):
        critics = await world.alice.autocomplete(world.channel, "quote", "critic", typed)
        assert [c["value"] for c in critics] == ["Björk Guðmundsdóttir"], (typed, critics)
    assert_no_pings(world.env)


async def test_a_year_typed_after_the_title_autocompletes_that_film(world, settings):
    """'halloween 2018', 'Halloween (2018)', 'halloween (20' as typed: Halloween (2018) offered in every film
    option, never Halloween (1978); plain 'halloween' offers both (remakes: session newfilm7)."""
    await world.mod.slash(world.channel, "watchlist add", film="Halloween", year=1978)
    await world.mod.slash(world.channel, "watchlist add", film="Halloween", year=2018)
    new = {"name": "Halloween (2018)", "value": f"film:{film_id(world, 'Halloween', 2018)}"}
    old = {"name": "Halloween (1978)", "value": f"film:{film_id(world, 'Halloween', 1978)}"}
    for command in ("rate film", "quote", "watched", "film info", "discuss", "filmnight schedule", "watchlist remove"):
        for typed in ("halloween 2018", "Halloween (2018)", "halloween (2018", "HALLOWEEN (20"):
            assert await world.alice.autocomplete(world.channel, command, "film", typed) == [new], (command, typed)
        assert await world.alice.autocomplete(world.channel, command, "film", "halloween 1978") == [old], command
        assert await world.alice.autocomplete(world.channel, command, "film", "halloween") == [old, new], command


async def test_a_title_ending_in_digits_keeps_its_own_film_in_autocomplete(world, settings):
    """'blade runner 2049' offers Blade Runner 2049 (2017), the title's digits, first."""
    await world.mod.slash(world.channel, "watchlist add", film="Blade Runner 2049", year=2017)
    choices = await world.alice.autocomplete(world.channel, "rate film", "film", "blade runner 2049")
    assert [c["name"] for c in choices] == ["Blade Runner 2049 (2017)"]


async def test_a_year_typed_without_brackets_names_the_clubs_film(world, settings):
    """'Halloween 2018' (no brackets) with Halloween (1978) and (2018) known: /watchlist add, /rate, /watched and
    /review add all reach Halloween (2018); no film called 'Halloween 2018' is created."""
    await world.mod.slash(world.channel, "watchlist add", film="Halloween", year=1978)
    await world.mod.slash(world.channel, "watchlist add", film="Halloween", year=2018)
    wanted = film_id(world, "Halloween", 2018)
    added = await world.alice.slash(world.channel, "watchlist add", film="halloween 2018")
    assert "**Halloween (2018)**" in text_of(added)
    rated = await world.alice.slash(world.channel, "rate film", film="Halloween 2018", stars=3.5)
    assert "*Halloween (2018)*" in text_of(rated)
    watched = await world.alice.slash(world.channel, "watched", film="Halloween 2018")
    assert "*Halloween (2018)*" in text_of(watched)
    body = (b"Halloween is a lean, angry sequel that remembers only the first film. The long tracking shot through the"
            b" neighbourhood is superb, and the score still hums under every porch light.")
    await world.mod.slash(world.channel, "review add", film="Halloween 2018", file=("h.txt", body))
    assert world.q("SELECT count(*) FROM films WHERE norm_key LIKE 'halloween%'") == [(2,)]
    assert world.q("SELECT w.film_id FROM watchlist w JOIN watchlist_support s ON s.entry_id = w.id"
                   " WHERE s.user_id = ?", world.alice.id) == [(wanted,)]
    assert world.q("SELECT film_id FROM club_ratings") == [(wanted,)]
    assert world.q("SELECT film_id FROM reviews WHERE added_by IS NOT NULL") == [(wanted,)]


async def test_a_year_no_film_of_the_title_has_adds_that_title_of_that_year(world, settings):
    """'halloween 2011' beside Halloween (1978) and (2018): a new Halloween (2011), not a yearless film called
    'halloween 2011' next to the club's Halloweens; a title the server does not know keeps its digits ('Apollo 2013'
    stays itself)."""
    await world.mod.slash(world.channel, "watchlist add", film="Halloween", year=1978)
    await world.mod.slash(world.channel, "watchlist add", film="Halloween", year=2018)
    added = await world.alice.slash(world.channel, "watchlist add", film="halloween 2011")
    assert "**halloween (2011)**" in text_of(added).casefold()
    assert world.q("SELECT year FROM films WHERE norm_key = 'halloween' ORDER BY year") == [(1978,), (2011,), (2018,)]
    assert world.q("SELECT count(*) FROM films WHERE title LIKE '%2011%'") == [(0,)]
    other = await world.alice.slash(world.channel, "watchlist add", film="Apollo 2013")
    assert "**Apollo 2013**" in text_of(other)
    assert world.q("SELECT title, year FROM films WHERE norm_key LIKE 'apollo%'") == [("Apollo 2013", None)]


async def test_a_title_ending_in_a_year_the_server_sees_wins_over_the_split(world, settings):
    """A film literally called 'Class of 1984' is that film, even beside a 'Class of' film of 1984."""
    await world.mod.slash(world.channel, "watchlist add", film="Class of 1984", year=1982)
    await world.mod.slash(world.channel, "watchlist add", film="Class of", year=1984)
    rated = await world.alice.slash(world.channel, "rate film", film="Class of 1984", stars=3.0)
    assert "*Class of 1984 (1982)*" in text_of(rated)
