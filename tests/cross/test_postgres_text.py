"""What only PostgreSQL refuses, typed by members: a NUL byte (its text type cannot hold one; SQLite's can).
Run on both backends and in the postgres lane (tests/conftest.py `_POSTGRES_LANE_FILES`)."""

from __future__ import annotations

import json

from tests.helpers import (
    WHIPLASH,
    Scenario,
    World,
    assert_no_pings,
    grant_hidden_commands,
    leaf_commands,
    string_options,
    text_of,
)


async def test_a_nul_in_every_string_option_is_answered(world: World) -> None:
    """Every string option of every command, as a member and a moderator: answered, no error, pinging nobody."""
    world.role, world.member = world.mod_role, world.alice  # what Scenario.defaults fills required options with
    grant_hidden_commands(world, world.alice)
    failed = []
    for name, command in leaf_commands(world.bot.tree):
        base = Scenario.defaults(world, command)  # type: ignore[arg-type]
        if "__skip__" in base:
            continue
        for option in string_options(command):
            for actor in (world.mod, world.alice):
                seen = len(world.env.errors)
                result = await actor.slash(world.channel, name, **{**base, option: "a\x00b"})
                if len(world.env.errors) > seen or not result.acknowledged:
                    failed.append(f"/{name} {option}: {world.env.errors[seen:seen + 1]}")
    assert not failed, "\n".join(failed)
    assert_no_pings(world.env)


async def test_a_nul_in_a_note_is_stored_without_it(world: World) -> None:
    """/watchlist add note:… with a NUL: the film is listed and the note kept, as the member sees it."""
    result = await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022, note="sea\x00side")
    assert "Aftersun" in text_of(result) and not world.env.errors
    notes = [row[0].replace("\x00", "") for row in world.q("SELECT note FROM watchlist")]  # SQLite keeps the NUL
    assert notes == ["seaside"]


async def test_a_nul_in_the_review_form_stores_the_review(world: World) -> None:
    """The review form's text with a NUL: the review is added, its passages quotable."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash (2014)", critic="Ann Lee")
    result = await world.mod.submit_modal(shown, {"filmbot:review:text": WHIPLASH.replace("drummer", "drum\x00mer")})
    assert "Added review" in text_of(result) and not world.env.errors
    assert world.q("SELECT count(*) FROM reviews WHERE critic = 'Ann Lee'") == [(1,)]


async def test_a_nul_in_an_imported_review_is_imported(world: World) -> None:
    """/review import of a file whose film, critic and text hold NULs (JSON's \\u0000): imported, not a failure."""
    item = {"film": "Good\x00 Film", "year": 2001, "critic": "G\x00", "outlet": "", "url": "", "date": "",
            "spoiler": False, "text": WHIPLASH.replace("Whiplash", "Good\x00 Film"), "source": "moderator"}
    data = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": [item]}).encode()
    result = await world.mod.slash(world.channel, "review import", file=("batch.json", data))
    assert "Imported 1 review" in text_of(result) and not world.env.errors
    assert world.q("SELECT f.title FROM reviews r JOIN films f ON f.id = r.film_id WHERE source = 'moderator'") \
        == [("Good Film",)]
