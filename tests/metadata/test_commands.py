"""/film info through simcord, the providers played back from a loopback server."""

from __future__ import annotations

import pytest

from bot.metadata.rules import TMDB_ATTRIBUTION
from tests.helpers import assert_no_pings, check_all_payloads, embed_of, msgs

FILM = "La La Land"


async def card(world, who=None, **options):
    result = await (who or world.alice).slash(world.channel, "film info", **options)
    [message] = msgs(result)
    return message, embed_of(message)


async def test_full_card_from_tmdb(world, recorded):
    """With a TMDB key: poster, title and year, runtime, director, genres, overview, links, TMDB's notice."""
    message, embed = await card(world, film=FILM)
    assert not message.ephemeral
    assert embed.title == "La La Land (2016)"
    assert embed.thumbnail.url == "https://image.tmdb.org/t/p/w342/uDO8zWDhfWwoFdKS4fzkUJt0Rf0.jpg"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Runtime"] == "2 h 9 min"
    assert fields["Director"] == "Damien Chazelle"
    assert fields["Genres"] == "Comedy, Drama, Romance, Music"
    assert "letterboxd.com/film/la-la-land/" in fields["Links"]
    assert "imdb.com/title/tt3783958/" in fields["Links"] and "themoviedb.org/movie/313369" in fields["Links"]
    assert embed.description.startswith("Mia, an aspiring actress")
    assert TMDB_ATTRIBUTION in embed.footer.text
    assert "critic review" in fields["Critics"] and "No ratings yet" in fields["The club"]
    assert_no_pings(world.env)
    check_all_payloads(world.env)
    assert not world.env.errors
