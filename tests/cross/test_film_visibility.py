"""One catalogue, many servers: a film only another server refers to (its watchlist title, never reviewed) is
unknown here, exactly as a film that does not exist, through every film-taking command and autocomplete."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import leaf_commands, message_payloads, text_of

SECRET = "Quiet Orchard Secret"  # typed by the other server's member, never reviewed, never here
NOBODY = "Quiet Orchard Nothing"  # no film at all: what "unknown" looks like
BODY = (b"Quiet Orchard is a patient drama about two sisters running a seaside hotel out of season. The photography is"
        b" lovely, all pale blues and grey light on wet sand, and the score hums softly under every scene.")


def extra_options(world) -> dict[str, dict[str, Any]]:
    """Every command with a film option, and valid values for its other required options (a new film-taking
    command fails `test_every_film_option_is_covered` until it is listed here)."""
    return {
        "rate film": {"stars": 4.0}, "rate remove": {}, "ratings": {}, "compare": {}, "discuss": {}, "debate": {},
        "themes": {}, "watchlist add": {}, "watchlist support": {}, "watchlist remove": {},
        "filmnight schedule": {"when": "2026-12-20 20:00"}, "film info": {}, "watched": {},
        "poll theme": {"theme": "ending"}, "quote": {}, "review add": {"file": ("r.txt", BODY)},
        "review add-link": {"url": "https://example.com/review"}, "review edit": {"review": "1"}, "review list": {},
        "schedule set": {"channel": world.channel, "time": "09:00"},
        "suggest question": {"text": "What did the sea mean to the sisters?"},
        "theme question add": {"theme": "ending", "question": "What did the last shot mean to you?"},
        "theme question remove": {"theme": "ending", "question": "What did the last shot mean to you?"},
        "theme list": {}, "film alias": {"title": "The Orchard Secret"},
    }


# Commands that create the film a title names (the catalogue row is shared): a typed title is theirs to add.
CREATING = {"watchlist add", "review add", "review add-link", "review edit"}


class Elsewhere:
    """The other server: its member put a film on its watchlist that nobody reviewed."""

    def __init__(self, world) -> None:
        self.guild = world.env.create_guild(name="Orchard Club")
        self.channel = self.guild.create_text_channel("films")
        self.member = self.guild.add_member(world.env.create_user("orchardist"))


@pytest.fixture
async def elsewhere(world) -> Elsewhere:
    other = Elsewhere(world)
    added = await other.member.slash(other.channel, "watchlist add", film=SECRET, year=2020)
    assert "Added" in text_of(added), text_of(added)
    return other


@pytest.fixture
def secret(world, elsewhere) -> int:
    """The other server's film's id."""
    ((film_id,),) = world.q("SELECT id FROM films WHERE title = ?", SECRET)
    return int(film_id)


def stored(world) -> dict[str, list[str]]:
    """Every row of every table but the saved searches (/review list saves its filters for its page buttons, for
    any film typed): what a refused command must leave as it was."""
    skip = ("quote_queries", "sqlite_sequence", "passages_fts")
    return {t: sorted(repr(tuple(r)) for r in world.q(f"SELECT * FROM {t}"))
            for t in world.tables() if not t.startswith(skip)}


def film_commands(world) -> list[str]:
    return sorted(name for name, command in leaf_commands(world.bot.tree)
                  if any(p.name == "film" for p in command.parameters))


async def test_every_film_option_is_covered(world):
    """The sweep below runs every command with a film option (walked from the command tree)."""
    assert film_commands(world) == sorted(extra_options(world))


def said(world, mark: int) -> str:
    return "\n".join(str(body) for body in message_payloads(world.env)[mark:])


async def run(world, command: str, film: str) -> tuple[str, str]:
    """(the reply's text, everything the bot sent) for the command run here by a moderator."""
    mark = len(message_payloads(world.env))
    result = await world.mod.slash(world.channel, command, film=film, **extra_options(world)[command])
    return text_of(result), said(world, mark)


async def test_another_servers_film_by_id_is_unknown_in_every_command(world, secret):
    """`film:<id>` of the other server's film answers here as an id no film has, shows its title nowhere, and
    stores nothing."""
    nobody = secret + 1000
    for command in film_commands(world):
        before = stored(world)
        text, sent = await run(world, command, f"film:{secret}")
        assert SECRET not in sent, f"/{command} showed the other server's film: {sent[:300]}"
        assert stored(world) == before, f"/{command} stored something for the other server's film"
        control, _ = await run(world, command, f"film:{nobody}")
        assert text.replace(f"film:{secret}", "ID") == control.replace(f"film:{nobody}", "ID"), (command, text, control)
    assert not world.env.errors, world.env.errors[:3]


async def test_another_servers_film_by_title_is_unknown_in_every_command(world, secret):
    """Its exact title (with or without its year) answers here as a title no film has, and stores nothing."""
    for command in film_commands(world):
        if command in CREATING:
            continue
        for typed in (SECRET, f"{SECRET} (2020)"):
            before = stored(world)
            text, _ = await run(world, command, typed)
            assert stored(world) == before, f"/{command} {typed}: stored something"
            control, _ = await run(world, command, typed.replace(SECRET, NOBODY))
            assert text.replace(SECRET, "TITLE") == control.replace(NOBODY, "TITLE"), (command, text, control)
    assert not world.env.errors, world.env.errors[:3]


async def test_another_servers_film_is_offered_by_no_autocomplete(world, secret):
    """Every autocomplete of a film-taking command, with the other server's film chosen so far (by id or title),
    offers what it offers for a film that does not exist."""
    nobody = secret + 1000
    for name, command in leaf_commands(world.bot.tree):
        if not any(p.name == "film" for p in command.parameters):
            continue
        for option in [p.name for p in command.parameters if p.autocomplete]:
            for typed, control in ((f"film:{secret}", f"film:{nobody}"), (SECRET, NOBODY)):
                filled = {} if option == "film" else {"film": typed}
                current = "quiet" if option == "film" else ""
                found = await world.mod.autocomplete(world.channel, name, option, current, **filled)
                assert SECRET not in str(found), (name, option, found)
                expected = await world.mod.autocomplete(
                    world.channel, name, option, current, **({} if option == "film" else {"film": control}))
                assert found == expected, (name, option, found, expected)


async def test_the_server_that_listed_the_film_still_reaches_it(world, elsewhere, secret):
    """The server whose watchlist holds the film offers it and resolves it by id and title, as before."""
    offered = await elsewhere.member.autocomplete(elsewhere.channel, "rate film", "film", "quiet")
    assert offered == [{"name": f"{SECRET} (2020)", "value": f"film:{secret}"}]
    for typed in (f"film:{secret}", SECRET):
        rated = await elsewhere.member.slash(elsewhere.channel, "rate film", film=typed, stars=4.0)
        assert f"*{SECRET} (2020)*" in text_of(rated), text_of(rated)


async def test_a_film_this_server_listed_is_reached_here_too(world, secret):
    """Once this server puts the same title on its own watchlist (the catalogue's row is shared), its members
    reach it by id and title like any film of theirs."""
    await world.alice.slash(world.channel, "watchlist add", film=SECRET, year=2020)
    rated = await world.alice.slash(world.channel, "rate film", film=f"film:{secret}", stars=4.0)
    assert f"*{SECRET} (2020)*" in text_of(rated), text_of(rated)
    watched = await world.bob.slash(world.channel, "watched", film=SECRET)
    assert "don't know a film" not in text_of(watched), text_of(watched)
    assert world.count("club_ratings", "guild_id = ? AND film_id = ?", world.guild.id, secret) == 1


DUNE = (b"Dune is a long, strange desert epic. The sandworms are the best special effect of the year, and the score"
        b" hums under every scene like wind over dunes.")


async def test_a_title_another_server_listed_twice_names_only_this_servers_films(world, elsewhere):
    """Two Dunes on another server's watchlist only: `/watchlist add film:Dune` here asks for the year without
    listing theirs (years, directors) and stores nothing; once this server has Dune (1984), a moderator's
    `/review add film:Dune` is of that film, the only Dune it sees (as every film option reads the title here)."""
    for year in (1984, 2021):
        await elsewhere.member.slash(elsewhere.channel, "watchlist add", film="Dune", year=year)
    before = stored(world)
    refused = await world.alice.slash(world.channel, "watchlist add", film="Dune")
    text = text_of(refused)
    assert refused.ephemeral and "Several films are called “Dune”" in text, text
    assert "1984" not in text and "2021" not in text, text
    assert stored(world) == before
    await world.alice.slash(world.channel, "watchlist add", film="Dune", year=1984)
    added = await world.mod.slash(world.channel, "review add", film="Dune", file=("d.txt", DUNE))
    assert "Added review" in text_of(added) and "2021" not in text_of(added), text_of(added)
    assert world.q("SELECT f.year FROM reviews r JOIN films f ON f.id = r.film_id WHERE r.added_by IS NOT NULL") == [(1984,)]
