"""A provider's overview that gives the ending away: hidden on the film card, and left out of it while the
club's screening of that film is upcoming (bot/core/spoilers.py `Gate`), whatever TMDB wrote."""

from __future__ import annotations

import json

from tests.helpers import check_all_payloads, embed_of, message_payloads, msgs, write
from tests.metadata.conftest import DATA

FILM = "La La Land"
SETUP = "Mia, an aspiring actress, falls for Sebastian, a jazz pianist, in Los Angeles."
ENDING = "Five years later she is married to another man and walks into his club by chance."


def details_with_overview(overview: str) -> bytes:
    data = json.loads((DATA / "tmdb/movie-313369.json").read_bytes())
    data["overview"] = overview
    return json.dumps(data).encode()


def search_with_overview(overview: str) -> bytes:
    data = json.loads((DATA / "tmdb/search-la-la-land.json").read_bytes())
    data["results"][0]["overview"] = overview
    return json.dumps(data).encode()


def sent_text(world) -> str:
    return json.dumps(message_payloads(world.env), ensure_ascii=False)


async def film_card(world, **options):
    [message] = msgs(await world.alice.slash(world.channel, "film info", **options))
    return message, embed_of(message)


async def test_an_overview_telling_the_ending_shows_the_set_up_and_hides_the_ending(world, recorded):
    """TMDB's overview ends on how the love story comes out: the card shows the set-up in clear and the
    ending only behind spoiler bars."""
    recorded.serve("/3/movie/313369", body=details_with_overview(f"{SETUP} {ENDING}"))
    message, embed = await film_card(world, film=FILM)
    assert not message.ephemeral
    assert embed.description.startswith(SETUP)
    assert "married to another man" in embed.description
    for text in (embed.description.split("||")[0], *embed.description.split("||")[2::2]):
        assert "married" not in text, embed.description  # never outside a pair of bars
    check_all_payloads(world.env)
    assert not world.env.errors


async def test_an_ordinary_overview_is_shown_in_clear(world, recorded):
    """A set-up with no ending in it (the recorded La La Land overview) keeps no spoiler bars."""
    _, embed = await film_card(world, film=FILM)
    assert embed.description.startswith("Mia, an aspiring actress") and "||" not in embed.description
    assert not world.env.errors


async def test_while_the_films_screening_is_upcoming_its_overviews_ending_is_not_sent_at_all(world, recorded):
    """The club's screening of La La Land is upcoming: /film info (the current film by default, posted
    publicly) shows the set-up and a note saying when the rest unlocks; the ending is in no request."""
    recorded.serve("/3/search/movie", body=search_with_overview(f"{SETUP} {ENDING}"))
    recorded.serve("/3/movie/313369", body=details_with_overview(f"{SETUP} {ENDING}"))
    await world.mod.slash(world.channel, "filmnight schedule", film=FILM, when="2026-01-05 20:00", where="Club room")
    message, embed = await film_card(world)
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    assert embed.description.startswith(SETUP)
    assert "held back until the screening ends" in embed.description
    _, again = await film_card(world, film=FILM)  # named, not defaulted: the same
    assert "held back until the screening ends" in again.description
    assert "married to another man" not in sent_text(world)
    check_all_payloads(world.env)
    assert not world.env.errors


AMELIE_SETUP = "Shy Amélie works in a café in Montmartre and secretly helps the people around her."
AMELIE_ENDING = "At last she lets Nino in, and the two ride off together across Paris on his moped."


def record_amelie(recorded, overview: str) -> None:
    """TMDB's answers for Amélie (2001): English title "Amélie", original title "Le Fabuleux Destin
    d'Amélie Poulain" (the search matches either), with `overview` in both."""
    for route, file in (("/3/search/movie", "tmdb/search-amelie.json"), ("/3/movie/194", "tmdb/movie-194.json")):
        data = json.loads((DATA / file).read_bytes())
        for record in data.get("results") or [data]:
            record["overview"] = overview
        recorded.serve(route, body=json.dumps(data).encode())


async def test_the_gated_film_typed_by_its_original_title_is_the_clubs_film_and_stays_held_back(world, recorded):
    """The club screens Amélie (2001); a member asks for it by its French original title, which the club
    never used: the card is the club's film (its rating counted) and its overview's ending is not sent at
    all (it went out behind bars, counted as a film nobody rated, before the fix)."""
    record_amelie(recorded, f"{AMELIE_SETUP} {AMELIE_ENDING}")
    await world.alice.slash(world.channel, "watchlist add", film="Amélie", year=2001)
    await world.bob.slash(world.channel, "rate film", film="Amélie (2001)", stars=4.0)
    await world.mod.slash(world.channel, "filmnight schedule", film="Amélie (2001)", when="2026-01-05 20:00",
                          where="Club room")
    for n, typed in enumerate(("Le Fabuleux Destin d'Amélie Poulain (2001)", "Le fabuleux destin d'Amelie Poulain")):
        message, embed = await film_card(world, film=typed)
        # Asked privately, answered privately; the card keeps the original title as another title of the club's
        # film (migration 225), so asked again by it, the club's film answers publicly, as by its own title.
        assert message.ephemeral is (n == 0) and embed.title == "Amélie (2001)"
        assert embed.description.startswith(AMELIE_SETUP)
        assert "held back until the screening ends" in embed.description
        assert "4.00★" in {f.name: f.value for f in embed.fields}["The club"]
    assert "moped" not in sent_text(world)
    check_all_payloads(world.env)
    assert not world.env.errors


async def test_a_record_whose_ids_contradict_the_club_films_is_not_pinned_on_it(world, recorded):
    """The club's Amélie (2001) already holds another TMDB id (an earlier card of another film by that name): a
    record found by the original title is not taken for it, so its details never overwrite the club film's."""
    record_amelie(recorded, AMELIE_SETUP)
    await world.alice.slash(world.channel, "watchlist add", film="Amélie", year=2001)
    await world.bob.slash(world.channel, "rate film", film="Amélie (2001)", stars=4.0)
    [(film_id,)] = world.q("SELECT id FROM films WHERE title = 'Amélie'")
    write(world.env.bot.settings, "UPDATE films SET tmdb_id = 999999, director = 'Kept As Is' WHERE id = ?", film_id)
    message, embed = await film_card(world, film="Le Fabuleux Destin d'Amélie Poulain (2001)")
    assert message.ephemeral and "4.00★" not in {f.name: f.value for f in embed.fields}.get("The club", "")
    assert world.q("SELECT tmdb_id, director FROM films WHERE id = ?", film_id) == [(999999, "Kept As Is")]


async def test_a_record_sharing_no_id_with_the_club_film_does_not_overwrite_it(world, recorded):
    """The club's Amélie (2001) holds only a Wikidata id (an earlier card of another film by that name, found through
    Wikidata); a record found by the original title through TMDB, which gives no Wikidata id, neither agrees nor
    contradicts: the card may count it as the club's (its gate holds), but its details are not written over the
    club film's, which nothing proved the same film."""
    record_amelie(recorded, AMELIE_SETUP)
    await world.alice.slash(world.channel, "watchlist add", film="Amélie", year=2001)
    [(film_id,)] = world.q("SELECT id FROM films WHERE title = 'Amélie'")
    write(world.env.bot.settings, "UPDATE films SET tmdb_id = NULL, imdb_id = NULL, wikidata_id = 'Q999999',"
          " director = 'Kept As Is' WHERE id = ?", film_id)
    await film_card(world, film="Le Fabuleux Destin d'Amélie Poulain (2001)")
    assert world.q("SELECT tmdb_id, imdb_id, wikidata_id, director FROM films WHERE id = ?", film_id) == [
        (None, None, "Q999999", "Kept As Is")]
    assert not world.env.errors
