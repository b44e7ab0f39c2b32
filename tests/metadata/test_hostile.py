"""Hostile TMDB and Wikidata answers through the loopback server: /film info and the watchlist's metadata stay
bounded, honest (attribution kept), inert (no ping, no live spoiler bar or link) and spoiler-safe."""

from __future__ import annotations

import json

import pytest

from bot.metadata.rules import TMDB_ATTRIBUTION, clean_year
from tests.helpers import assert_no_pings, check_all_payloads, embed_of, message_payloads, msgs
from tests.metadata.conftest import DATA, record_la_la_land

FILM = "La La Land"
HOSTILE = "@everyone <@&1> ||Mia marries someone else|| [win](https://evil.example)"


def details(**changes) -> bytes:
    """TMDB's recorded movie/313369 answer with `changes` applied (None deletes the field)."""
    data = json.loads((DATA / "tmdb/movie-313369.json").read_bytes())
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return json.dumps(data).encode()


def search(**changes) -> bytes:
    data = json.loads((DATA / "tmdb/search-la-la-land.json").read_bytes())
    data["results"][0].update(changes)
    return json.dumps(data).encode()


def shown_texts(world) -> list[str]:
    """Every text the bot sent that carries the hostile director (content, embed descriptions and fields)."""
    found = []
    for payload in message_payloads(world.env):
        texts = [payload.get("content") or ""]
        for embed in payload.get("embeds") or []:
            texts += [embed.get("description") or "", *(f.get("value") or "" for f in embed.get("fields") or [])]
        found += [t for t in texts if "Mia marries" in t]
    return found


async def card(world):
    result = await world.alice.slash(world.channel, "film info", film=FILM)
    [message] = msgs(result)
    return message, embed_of(message)


def assert_inert(world) -> int:
    """No ping, Discord's limits kept, and wherever the hostile text shows: its spoiler bars, mention and
    masked link escaped (a reader sees them as typed, none live). Returns how many texts showed it."""
    assert_no_pings(world.env)
    check_all_payloads(world.env)
    shown = shown_texts(world)
    for text in shown:
        assert "||Mia" not in text.replace("\\|\\|Mia", ""), text
        assert "@everyone" not in text, text  # defused with a zero-width space
        assert "[win](" not in text.replace("\\[win\\](", ""), text
    return len(shown)


async def test_hostile_director_genres_and_overview_are_inert_on_the_card_and_the_watchlist(world, recorded):
    """A director, genres and a 50 KB overview full of @everyone, || and a masked link: the card shows them
    escaped and clipped, with TMDB's notice; the watchlist, the pick's menu and /filmnight next too."""
    crew = [{"job": "Director", "name": HOSTILE}]
    recorded.serve("/3/movie/313369", body=details(
        overview=(HOSTILE + " ") * 700, genres=[{"name": HOSTILE}, {"name": "Drama"}],
        credits={"crew": crew, "cast": []}))
    message, embed = await card(world)
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    assert TMDB_ATTRIBUTION in embed.footer.text
    assert len(embed.description) <= 400 and "@everyone" not in embed.description.replace("@\u200beveryone", "")
    await world.alice.slash(world.channel, "watchlist add", film=FILM)
    await world.env.settle()
    await world.alice.slash(world.channel, "watchlist list")
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.mod.slash(world.channel, "filmnight pick", candidates=2)
    await world.mod.slash(world.channel, "filmnight schedule", film=FILM, when="2026-01-05 20:00", where="Club room")
    await world.alice.slash(world.channel, "filmnight next")
    assert assert_inert(world) >= 4  # the card, the watchlist, the pick's ballot, /filmnight next
    assert not world.env.errors


@pytest.mark.parametrize("changes", [
    {"runtime": "128", "genres": {"name": "Drama"}, "credits": [], "external_ids": "tt3783958"},
    {"title": 313369, "release_date": 2016},
    {"runtime": [128], "imdb_id": {"id": "tt3783958"}, "poster_path": ["/x.jpg"], "overview": {"text": "x"}},
    {"release_date": None, "title": None, "credits": None, "genres": None},
], ids=["lists and objects swapped", "numbers for strings", "wrong containers", "fields missing"])
async def test_wrong_types_and_missing_fields_leave_an_honest_card(world, recorded, changes):
    """Details with a number where a string belongs, a list where an object does, or fields missing: the card
    shows what is well-formed (from the search's record when the details are unusable), never an error, and
    TMDB's notice whenever TMDB's data is on it."""
    recorded.serve("/3/movie/313369", body=details(**changes))
    message, embed = await card(world)
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    fields = {f.name: f.value for f in embed.fields}
    assert "Runtime" not in fields or fields["Runtime"] in ("2 h 8 min", "2 h 9 min")
    assert TMDB_ATTRIBUTION in (embed.footer.text or "") or not (embed.description or embed.thumbnail.url)
    check_all_payloads(world.env)
    assert not world.env.errors


@pytest.mark.parametrize("release", ["99999-01-01", "20161-01-01", "+20161-01-01T00:00:00Z", "-1", "0016-12-09", ""])
async def test_an_implausible_release_year_is_never_the_films_year(world, recorded, release):
    """A release date of year 99999, 20161, -1 or 16: no year is read from it, so the 2016 film asked for is
    not matched to that record (20161 was read as 2016 and matched: its director on the card and the film)."""
    recorded.fail(status=404)  # Wikidata's fallback off: only TMDB's hostile record is in play
    recorded.serve("/3/search/movie", body=search(release_date=release))
    recorded.serve("/3/movie/313369", body=details(release_date=release))
    await world.alice.slash(world.channel, "watchlist add", film="La La Land")  # the seed's film has its year
    await world.env.settle()
    assert world.q("SELECT year, director FROM films WHERE title = 'La La Land'") == [(2016, None)]
    _, embed = await card(world)
    assert embed.title == "La La Land (2016)"
    assert "Director" not in {f.name for f in embed.fields}  # not matched: a 2016 film asked, no year given
    assert not world.env.errors


def test_a_year_of_more_than_four_digits_is_not_read_as_its_first_four():
    """'20161-01-01' is year 20161 (out of range), not 2016; '+2016-08-31T00:00:00Z' is still 2016."""
    assert clean_year("20161-01-01") is None
    assert clean_year("+20161-01-01T00:00:00Z") is None
    assert clean_year("99999") is None
    assert clean_year("+2016-08-31T00:00:00Z") == 2016
    assert clean_year("2016-12-09") == 2016
    assert clean_year("2016") == 2016


@pytest.mark.parametrize("body", [b"<!doctype html><html><body>Gateway</body></html>",
                                  b'{"results": [' + b'{"id": 1, "title": "x"},' * 700_000 + b'{}]}'],
                         ids=["200 with HTML", "20 MB of JSON"])
async def test_an_unusable_200_answer_gives_the_plain_card_and_is_not_kept_as_unknown(world, recorded, body):
    """TMDB answers 200 with an HTML page or 20 MB of JSON: the card is plain (no borrowed notice), the answer
    is not remembered as 'no such film', and the next lookup once TMDB is well again fills the card."""
    recorded.fail(status=200, body=body)
    message, embed = await card(world)
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    assert "Director" not in {f.name for f in embed.fields} and not embed.footer.text
    record_la_la_land(recorded)
    _, embed = await card(world)
    assert {f.name: f.value for f in embed.fields}.get("Director") == "Damien Chazelle"
    assert not world.env.errors


async def test_a_title_with_spoiler_bars_is_matched_but_never_shown(world, recorded):
    """TMDB names the film '||La La Land||' (its key matches the one asked): the card keeps the catalogue's own
    title, and the record's fields are shown escaped, with TMDB's notice."""
    recorded.serve("/3/search/movie", body=search(title="||La La Land|| @everyone"))
    recorded.serve("/3/movie/313369", body=details(title="||La La Land||"))
    _, embed = await card(world)
    assert embed.title == "La La Land (2016)" and TMDB_ATTRIBUTION in embed.footer.text
    assert "||" not in json.dumps(message_payloads(world.env), ensure_ascii=False).replace("\\\\|", "")
    assert_no_pings(world.env)
    assert not world.env.errors


@pytest.mark.metadata("wikidata")
async def test_hostile_wikidata_labels_are_inert_and_credited(world, recorded):
    """Wikidata's director and genre labels carrying @everyone, || and a masked link: escaped on the card,
    with Wikidata's credit."""
    labels = json.loads((DATA / "wikidata/labels.json").read_bytes())
    for entity in labels["entities"].values():
        entity["labels"]["en"]["value"] = HOSTILE
    recorded.serve("/w/api.php?action=wbgetentities", body=json.dumps(labels).encode())
    _, embed = await card(world)
    fields = {f.name: f.value for f in embed.fields}
    assert "Mia marries" in fields["Director"] and "Wikidata" in embed.footer.text
    assert assert_inert(world) >= 1
    assert not world.env.errors


BIDI = "\u202e\u2066"  # right-to-left override, left-to-right isolate: what follows displays as something else


async def test_bidi_overrides_in_provider_text_are_dropped_from_the_card_and_the_catalogue(world, recorded):
    """A title, director, genre and overview carrying a right-to-left override (a film only TMDB knows,
    shown under TMDB's title): none reaches the card or the films table, where it reversed the
    " (2017)" after the title and every column after the director in lists."""
    recorded.serve("/3/search/movie", body=search(title=f"La La Land{BIDI}"))
    recorded.serve("/3/movie/441130", body=details(
        id=441130, title=f"La La Land: Behind the Scenes{BIDI}", release_date="2017-04-25",
        overview=f"Sebastian{BIDI} plays the piano.", genres=[{"name": f"Drama{BIDI}"}],
        credits={"crew": [{"job": "Director", "name": f"Damien{BIDI} Chazelle"}], "cast": []}))
    recorded.serve("/3/movie/313369", body=details(
        title=f"La La Land{BIDI}", credits={"crew": [{"job": "Director", "name": f"{BIDI}Damien Chazelle"}]}))
    _, club = await card(world)
    [message] = msgs(await world.alice.slash(world.channel, "film info", film="La La Land: Behind the Scenes (2017)"))
    other = embed_of(message)
    assert other.title == "La La Land: Behind the Scenes (2017)"
    for embed in (club, other):
        assert not any(c in json.dumps(embed.to_dict(), ensure_ascii=False) for c in BIDI), embed.to_dict()
    assert world.q("SELECT director FROM films WHERE title = 'La La Land'") == [("Damien Chazelle",)]
    assert not world.env.errors
