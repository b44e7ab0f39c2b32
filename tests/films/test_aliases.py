"""A film's other titles (`/film alias`, migration 225) and emoji left out of the film key (migration 226), through
the commands: a member typing another title in every film option and autocomplete, a moderator adding and taking
one back, the refusals, another server, a restart and the spoiler gate."""

from __future__ import annotations

from tests.helpers import (
    add_review_file,
    assert_no_pings,
    bot_down_for,
    check_all_payloads,
    table_digest,
    text_of,
    unique_review,
)

JAPANESE, ENGLISH = "千と千尋の神隠し", "Spirited Away"


async def reviewed(world, title: str, year: int, n: int = 0) -> int:
    """A film with one review of its own (its id); test_alias_attack.py builds on it too."""
    added = await add_review_file(world, unique_review(n), name=f"r{n}.txt", film=title, year=year, critic=f"Critic {n}")
    assert "#" in text_of(added), text_of(added)
    [(film_id,)] = world.q("SELECT id FROM films WHERE title = ? AND year = ?", title, year)
    return film_id


async def test_an_alias_names_the_film_in_every_film_option_and_autocomplete(world, settings):
    """A moderator gives 千と千尋の神隠し (2001) the title "Spirited Away": a member typing it gets the club's film
    in /quote film:, /rate film, /watchlist add and the autocomplete (shown by the club's title), no second film."""
    film_id = await reviewed(world, JAPANESE, 2001)
    typed_before = await world.alice.slash(world.channel, "quote", film=ENGLISH)
    assert typed_before.ephemeral and "I don't know a film called" in text_of(typed_before)
    given = await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=ENGLISH)
    assert given.ephemeral and f"now names **{JAPANESE} (2001)**" in text_of(given)
    assert world.q("SELECT guild_id, film_id, title, source FROM film_aliases") == [
        (world.guild.id, film_id, ENGLISH, "moderator")]
    films = world.q("SELECT count(*) FROM films")
    quoted = await world.alice.slash(world.channel, "quote", film="spirited away")
    assert JAPANESE in text_of(quoted), text_of(quoted)
    rated = await world.alice.slash(world.channel, "rate film", film=ENGLISH, stars=4.5)
    assert JAPANESE in text_of(rated)
    assert world.q("SELECT film_id, stars_x2 FROM club_ratings") == [(film_id, 9)]
    added = await world.bob.slash(world.channel, "watchlist add", film=ENGLISH, year=2001)
    assert f"{JAPANESE} (2001)" in text_of(added), text_of(added)
    assert world.q("SELECT film_id FROM watchlist") == [(film_id,)]
    for command in ("quote", "rate film", "watchlist remove"):
        choices = await world.alice.autocomplete(world.channel, command, "film", "spirit")
        assert {"name": f"{JAPANESE} (2001)", "value": f"film:{film_id}"} in choices, (command, choices)
    assert world.q("SELECT count(*) FROM films") == films
    assert_no_pings(world.env)
    check_all_payloads(world.env)
    assert not world.env.errors


async def test_an_alias_never_takes_another_films_title(world, settings):
    """"Heat" as another title of Ronin is refused, saying which film holds it; the member typing "Heat" still gets
    Heat, and nothing is written. Its own title, a title with a year and a second film's alias are refused too."""
    heat = await reviewed(world, "Heat", 1995, 0)
    ronin = await reviewed(world, "Ronin", 1998, 1)
    other = await reviewed(world, "Collateral", 2004, 2)
    before = table_digest(settings)
    for title, why in (("heat", "is the title of **Heat (1995)** here"), ("RONIN", "it is its own title"),
                       ("Heat (1995)", "without a year in brackets"), ("film:1", "film reference"),
                       ("||twist||", "spoiler bars")):
        refused = await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title=title)
        assert refused.ephemeral and why in text_of(refused), (title, text_of(refused))
        assert title in text_of(refused) or "||" in title  # what was typed is quoted back
    assert table_digest(settings) == before
    await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title="Deniro Car Chase")
    taken = await world.mod.slash(world.channel, "film alias", film=f"film:{other}", title="deniro car chase")
    assert "already names **Ronin (1998)**" in text_of(taken)
    quoted = await world.alice.slash(world.channel, "rate film", film="Heat", stars=3.0)
    assert "Heat (1995)" in text_of(quoted)
    assert world.q("SELECT film_id FROM club_ratings") == [(heat,)]


async def test_members_cannot_give_other_titles_and_a_moderator_takes_one_back(world, settings):
    """A member's /film alias is refused with nothing written; the moderator's alias is taken back with
    remove:True, after which the title names nothing here again."""
    film_id = await reviewed(world, JAPANESE, 2001)
    before = table_digest(settings)
    refused = await world.alice.slash(world.channel, "film alias", film=JAPANESE, title=ENGLISH)
    assert refused.ephemeral and table_digest(settings) == before
    await world.mod.slash(world.channel, "film alias", film=JAPANESE, title=ENGLISH)
    missing = await world.mod.slash(world.channel, "film alias", film=JAPANESE, title="Chihiro", remove=True)
    assert missing.ephemeral and f"Its other titles: “{ENGLISH}”" in text_of(missing)
    removed = await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=ENGLISH, remove=True)
    assert "no longer names" in text_of(removed)
    assert world.q("SELECT count(*) FROM film_aliases") == [(0,)]
    gone = await world.alice.slash(world.channel, "quote", film=ENGLISH)
    assert "I don't know a film called" in text_of(gone)


async def test_a_servers_alias_is_its_own_and_outlives_a_restart(world, settings):
    """Another server seeing the same reviewed film does not read this server's alias; after a restart this
    server still does."""
    film_id = await reviewed(world, JAPANESE, 2001)
    await world.mod.slash(world.channel, "film alias", film=JAPANESE, title=ENGLISH)
    other = world.env.create_guild(name="Other Club")
    channel = other.create_text_channel("films")
    member = other.add_member(world.env.create_user("stranger"))
    elsewhere = await member.slash(channel, "quote", film=ENGLISH)
    assert "I don't know a film called" in text_of(elsewhere)
    assert await member.autocomplete(channel, "quote", "film", "spirit") == []
    await bot_down_for(world.env, 60)
    quoted = await world.alice.slash(world.channel, "quote", film=ENGLISH)
    assert JAPANESE in text_of(quoted)
    assert world.q("SELECT film_id FROM film_aliases") == [(film_id,)]


async def test_the_gated_film_typed_by_its_alias_is_held_back(world, settings):
    """The club's screening of 千と千尋の神隠し is upcoming: /quote film:Spirited Away, as by its title (the same film
    by id), never shows the review's ending passage, nor do a hundred more draws."""
    await reviewed(world, JAPANESE, 2001)
    await world.mod.slash(world.channel, "film alias", film=JAPANESE, title=ENGLISH)
    await world.mod.slash(world.channel, "filmnight schedule", film=JAPANESE, when="2026-01-05 20:00", where="Club")
    by_title = await world.alice.slash(world.channel, "quote", film=JAPANESE)
    by_alias = await world.alice.slash(world.channel, "quote", film=ENGLISH)
    assert JAPANESE in text_of(by_title) and JAPANESE in text_of(by_alias)
    for _ in range(100):
        drawn = await world.alice.slash(world.channel, "quote", film="spirited away")
        assert "final solo" not in text_of(drawn), text_of(drawn)
    assert "final solo" not in text_of(by_alias)


async def test_a_title_typed_without_its_emoji_names_the_film(world, settings):
    """"Tick, Tick... Boom! 🎹" is named by "tick tick boom" in /rate and /watchlist add, and offered for "tick"."""
    title = "Tick, Tick... Boom! 🎹"
    await world.alice.slash(world.channel, "watchlist add", film=title, year=2021)
    [(film_id,)] = world.q("SELECT id FROM films WHERE year = 2021")
    rated = await world.bob.slash(world.channel, "rate film", film="Tick, Tick... Boom!", stars=4.0)
    assert title in text_of(rated), text_of(rated)
    supported = await world.bob.slash(world.channel, "watchlist add", film="tick tick boom", year=2021)
    assert title in text_of(supported)
    assert world.q("SELECT count(*) FROM films WHERE year = 2021") == [(1,)]
    assert {"name": f"{title} (2021)", "value": f"film:{film_id}"} in await world.alice.autocomplete(
        world.channel, "rate film", "film", "tick tick")


async def test_a_title_it_has_already_is_said_so_even_with_ten(world, settings):
    """With 10 other titles, adding one of them again says it names the film already (it said to remove one
    first); an 11th is refused listing the ten to take back; removing one it lacks says nothing was taken back."""
    ronin = await reviewed(world, "Ronin", 1998, 1)
    for i in range(10):
        await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title=f"Nick {i}")
    again = text_of(await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title="nick 3"))
    assert "already names **Ronin (1998)** here: nothing to change" in again, again
    full = text_of(await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title="Nick X"))
    assert "has 10 other titles here already (“Nick 0”" in full and "`remove:True`" in full and "…" not in full, full
    gone = text_of(await world.mod.slash(world.channel, "film alias", film=f"film:{ronin}", title="Nope",
                                         remove=True))
    assert "no other title “Nope” here, so nothing was taken back" in gone, gone
    assert world.q("SELECT count(*) FROM film_aliases") == [(10,)]
