"""Film titles of 200 characters (the catalogue's limit) through every door where a title meets a Discord limit:
clipped where shown, never inside a grapheme, the year kept, nobody pinged."""

from __future__ import annotations

import unicodedata

import pytest

from tests.helpers import World, advance_to, assert_no_pings, check_all_payloads, text_of

BODY = ("This film is a patient drama about two sisters running a seaside hotel out of season. The photography is"
        " lovely, all pale blues and grey light on wet sand, and the score hums softly under every scene.\n\n"
        "The ending is devastating. In the final scene the younger sister walks into the winter sea and drowns,"
        " and the last shot shows the hotel sign switched off for good.")
FAMILY = "👩\u200d👩\u200d👧\u200d👦"  # one grapheme of seven code points


def title_of(unit: str, tag: str, size: int = 200) -> str:
    """`tag` then `unit` repeated, at most `size` characters."""
    text = tag
    while len(text + unit) <= size:
        text += unit
    return text.strip()


KINDS = {
    "letters": lambda i: title_of(" Lighthouse", f"Keeper{i}"),
    "cjk": lambda i: title_of("灯台守の物語", f"第{i}"),
    "emoji": lambda i: title_of(FAMILY + "e\u0301\u0302", f"E{i}"),
    "hostile": lambda i: title_of(" @everyone `x` *b* _u_ ~s~ | <@123456789012345678> \u05d0\u05d1", f"H{i}"),
}


def sent_strings(env) -> list[str]:
    """Every string the bot sent Discord: message bodies, thread and event names, choices, menus, modals."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.append(value)

    for request in env.http_requests:
        if request.method in ("POST", "PATCH") and isinstance(request.json, dict):
            walk(request.json)
    return found


def cut_inside_a_grapheme(text: str) -> bool:
    """A clip mark right after a joiner, or right before a mark that belonged to the letter before it."""
    at = text.find("…")
    while at != -1:
        if at and text[at - 1] == "\u200d" or text[at + 1: at + 2] in ("\u0301", "\u0302", "\u200d"):
            return True
        at = text.find("…", at + 1)
    return False


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_200_character_title_through_every_door_stays_within_discords_limits(world: World, kind: str):
    """A 200-character title (letters, CJK, emoji with combining marks, markdown and @everyone) with 10 other titles,
    reviewed, listed, picked among 10 such films, rated, scheduled, moved, discussed, polled, played and digested:
    every payload within Discord's limits, nobody pinged, nothing cut inside a grapheme, no error."""
    make = KINDS[kind]
    added = await world.mod.slash(world.channel, "review add", film=make(0), year=2001, file=("r.txt", BODY.encode()))
    assert "Added review" in text_of(added), text_of(added)
    [(film_id,)] = world.q("SELECT id FROM films WHERE year = 2001")
    film = f"film:{film_id}"
    for n in range(1, 11):
        aliased = await world.mod.slash(world.channel, "film alias", film=film, title=make(100 + n))
        assert "now names" in text_of(aliased), text_of(aliased)
        await world.mod.slash(world.channel, "watchlist add", film=make(n), year=1990 + n)
    assert world.count("film_aliases") == 10 and world.count("watchlist") == 10
    for who, command, options in [
            (world.alice, "film info", {"film": film}), (world.alice, "watchlist list", {}),
            (world.mod, "filmnight pick", {"candidates": 10}), (world.alice, "rate film", {"film": film, "stars": 4.0}),
            (world.bob, "rate film", {"film": film, "stars": 2.0, "take": "Fine."}),
            (world.alice, "watched", {"film": film}), (world.alice, "ratings", {"film": film}),
            (world.alice, "compare", {"film": film}), (world.alice, "history", {}), (world.alice, "club stats", {}),
            (world.alice, "review list", {}), (world.mod, "review export", {}), (world.alice, "quote", {"film": film}),
            (world.alice, "discuss", {"film": film}), (world.alice, "poll theme", {"theme": "ending", "film": film}),
            (world.mod, "filmnight close-pick", {}),
            (world.mod, "filmnight schedule", {"film": film, "when": "2026-01-05 20:00", "where": "Club room"}),
            (world.alice, "filmnight next", {}), (world.mod, "filmnight move", {"when": "2026-01-06 20:00"})]:
        await who.slash(world.channel, command, **options)
    await world.alice.autocomplete(world.channel, "quote", "film", make(0)[:4])
    await advance_to(world, 2026, 1, 8, 12)  # reminders, the screening's end, its rating invitation
    await world.alice.slash(world.channel, "filmnight history")
    await world.mod.slash(world.channel, "game critic-or-club", rounds=1)
    await advance_to(world, 2026, 1, 10, 12)  # the game's reveal, digests
    assert not world.env.errors
    check_all_payloads(world.env)
    assert_no_pings(world.env)
    assert not [text[:120] for text in sent_strings(world.env) if cut_inside_a_grapheme(text)]
    assert world.q("SELECT title FROM films WHERE id = ?", film_id)[0][0] == unicodedata.normalize("NFC", make(0))  # clipped where shown only


async def test_two_films_of_one_long_title_are_told_apart_by_their_year(world: World):
    """A remake under the same 200-character title: its autocomplete choice, its ballot option and the server
    event keep the year when the title is clipped (both films were one identical 'Title…' choice and option)."""
    title = KINDS["letters"](0)
    for year in (1990, 2020):
        added = await world.mod.slash(world.channel, "watchlist add", film=title, year=year)
        assert "Added" in text_of(added), text_of(added)
    choices = [c["name"] for c in await world.alice.autocomplete(world.channel, "watchlist support", "film", "Keeper")]
    assert len(choices) == 2 and {name[-6:] for name in choices} == {"(1990)", "(2020)"}, choices
    await world.mod.slash(world.channel, "filmnight pick", candidates=2)
    [ballot] = [m for m in world.bot_messages() if m.components]
    labels = [o.label for row in ballot.components for item in row.children for o in getattr(item, "options", [])]
    assert sorted(label[-6:] for label in labels) == ["(1990)", "(2020)"], labels
    [(remake,)] = world.q("SELECT id FROM films WHERE year = 2020")
    await world.mod.slash(world.channel, "filmnight schedule", film=f"film:{remake}", when="2026-01-05 20:00",
                          where="Club room")
    (event,) = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    name = event.name if isinstance(event.name, str) else event["name"]
    assert name.endswith("… (2020)") and len(name) <= 100, name
    check_all_payloads(world.env)
