"""A club watching remakes and sequels: titles repeat, and one film's review retells another's ending.

A Star Is Born (1937, 1954, 1976, 2018), Suspiria (1977, 2018), The Thing (1982, 2011), Dune (1984, 2021) and
Dune: Part Two (2024), Halloween (1978, 2018). Every review here is our own text, in a critic's register.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from tests.helpers import World, assert_no_pings, table_digest, text_of

STAR = "A Star Is Born"
# The 2018 film's ending, and the 1954 film's: each review names its own film's and the other's.
ENDING_2018 = "hangs himself in the garage"
ENDING_1954 = "walks into the sea at dawn"

REVIEWS: list[dict[str, Any]] = [
    {"film": STAR, "year": 2018, "critic": "Maren Holt", "outlet": "The Projector", "text": (
        "A Star Is Born is a loud, tender remake that earns its tears. The concert scenes are shot from the stage,"
        " all glare and roar, and the songs carry more story than the dialogue does.\n\n"
        "The two leads have an easy, bruised chemistry, and the film is best when it simply watches them sing.\n\n"
        f"The ending of A Star Is Born is brutal: in the final act Jackson {ENDING_2018}, and the last scene"
        " leaves Ally alone on stage singing his song to a silent hall.")},
    {"film": STAR, "year": 2018, "critic": "Tobias Reed", "text": (
        "This remake knows its lineage. Where the 1954 version ends with Norman Maine's quiet exit, when he"
        f" {ENDING_1954}, this one moves the death indoors and makes it uglier.\n\n"
        "The music is the film's real engine, warm and ragged, and the photography loves a crowded bar at closing"
        " time.")},
    {"film": STAR, "year": 1954, "critic": "Ada Pell", "outlet": "Reel Notes", "text": (
        "A Star Is Born is a lavish, aching musical, and Judy Garland gives it a bruised grandeur. The colour is"
        " glorious, the long songs are staged like small plays, and the film never hurries its sorrow.\n\n"
        f"The ending is devastating: Norman Maine {ENDING_1954}, and in the final scene Vicki introduces herself"
        " by his name to a crowd that loves her.")},
    {"film": "Dune: Part Two", "year": 2024, "critic": "Ines Kalb", "outlet": "Desert Cut", "text": (
        "Dune: Part Two picks up where the first film closed, with Paul and Jessica taken in by the Fremen after"
        " the Atreides fall, and it wastes no time recapping.\n\n"
        "The scale is astonishing, the sound design shakes the seats, and the sandworm riding is the best spectacle"
        " of the year.\n\n"
        "The ending turns Paul into the thing the first film feared: he claims the throne, and the final shot"
        " leaves Chani walking alone into the desert.")},
    {"film": "Halloween", "year": 2018, "critic": "Rosa Vint", "text": (
        "Halloween is a sequel that pretends forty years of sequels never happened. It remembers the 1978 ending,"
        " when Myers vanished from the lawn after six shots, and builds a whole life of fear out of it.\n\n"
        "The score still hums, the long tracking shot through the neighbourhood is superb, and the film is at its"
        " best when it lets Laurie be angry.")},
    {"film": "Suspiria", "year": 1977, "critic": "Gus Arden", "outlet": "Night Desk", "text": (
        "Suspiria is a fever dream in primary colours. The score screams, the sets glow red and blue, and the plot"
        " barely matters beside the sheer, gleeful design of every murder.")},
    {"film": "The Thing", "year": 1982, "critic": "Gus Arden", "outlet": "Night Desk", "text": (
        "The Thing is a masterclass in paranoia, cold and patient. The practical effects are grotesque and"
        " inventive, and the score's heartbeat pulse never lets the tension fall.")},
]


def export(*items: dict[str, Any]) -> bytes:
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": list(items)}).encode()


async def club(world: World) -> None:
    imported = await world.mod.slash(world.channel, "review import", file=("club.json", export(*REVIEWS)))
    assert f"Imported {len(REVIEWS)} reviews" in text_of(imported), text_of(imported)


def bodies(world: World, start: int = 0) -> str:
    """Every request body the bot sent to Discord since `start`, as one string."""
    return "\n".join(json.dumps(q.json, ensure_ascii=False) for q in world.env.http_requests[start:]
                     if q.method in {"POST", "PATCH", "PUT"} and q.json is not None)


def film_id(world: World, title: str, year: int) -> int:
    return world.q("SELECT id FROM films WHERE title = ? AND year = ?", title, year)[0][0]


async def test_a_yearless_title_several_films_share_names_them_all(world: World, settings) -> None:
    """'A Star Is Born', 'Dune', 'Halloween' typed bare where the club has two of each: every film command refuses,
    naming the films (never Dune: Part Two), and nothing is written; a title the club has once is that film."""
    await club(world)
    for title, year in (("Dune", 1984), ("Dune", 2021), ("Halloween", 1978)):
        await world.mod.slash(world.channel, "watchlist add", film=title, year=year)
    before = table_digest(settings)
    expected = {"A Star Is Born": ("A Star Is Born (1954)", "A Star Is Born (2018)"),
                "Dune": ("Dune (1984)", "Dune (2021)"), "Halloween": ("Halloween (1978)", "Halloween (2018)")}
    for typed, names in expected.items():
        for command, options in (("quote", {}), ("discuss", {}), ("debate", {}), ("film info", {}),
                                 ("rate film", {"stars": 4.0}), ("watched", {}), ("watchlist add", {})):
            refused = await world.alice.slash(world.channel, command, film=typed, **options)
            shown = text_of(refused)
            assert refused.ephemeral and "Several films are called" in shown, (command, typed, shown)
            assert all(f"**{name}**" in shown for name in names) and "Part Two" not in shown, (command, shown)
    assert table_digest(settings) == before
    rated = await world.alice.slash(world.channel, "rate film", film="Dune: Part Two", stars=4.0)
    assert "*Dune: Part Two (2024)*" in text_of(rated)
    assert "*Suspiria (1977)*" in text_of(await world.alice.slash(world.channel, "watched", film="suspiria"))
    choices = await world.alice.autocomplete(world.channel, "quote", "film", "dune")
    assert [c["name"] for c in choices] == ["Dune (1984)", "Dune (2021)", "Dune: Part Two (2024)"]
    assert_no_pings(world.env)


async def test_any_word_search_never_matches_on_a_stop_word(world: World, settings) -> None:
    """/quote film:A Star Is Born (2018) about:sea at dawn: no passage of that film says sea or dawn (its one
    that does is a reveal, never quoted), so none is quoted; before, "at" alone matched "at closing time"."""
    await club(world)
    missed = await world.alice.slash(world.channel, "quote", film=f"{STAR} (2018)", about="sea at dawn")
    assert missed.ephemeral and "No quote matches" in text_of(missed), text_of(missed)
    found = await world.alice.slash(world.channel, "quote", film=f"{STAR} (1954)", about="sea at dawn")
    assert ENDING_1954 in text_of(found) and "Ada Pell" in text_of(found)


async def test_the_2018_screening_gates_the_2018_film_alone(world: World, settings) -> None:
    """A Star Is Born (2018) scheduled while the 1954 film is reviewed: the 2018 ending is nowhere, nor the 2018
    review that retells the 1954 ending; the 1954 ending is quoted (behind bars) and discussed; the event, the
    spoiler thread, /rate, /watched, /film info and /club stats name the year."""
    await club(world)
    start = len(world.env.http_requests)
    when = (world.env.now() + timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film="a star is born 2018", when=when,
                                      where="The barn")
    assert "**A Star Is Born (2018)** is scheduled" in text_of(scheduled), text_of(scheduled)
    (event,) = [q.json for q in world.env.http_requests[start:] if q.path.endswith("/scheduled-events")]
    assert event["name"] == "Film night: A Star Is Born (2018)"
    new, old = film_id(world, STAR, 2018), film_id(world, STAR, 1954)
    recap = world.q("SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.film_id = ?"
                    " AND p.text LIKE ?", new, f"%{ENDING_1954}%")
    assert len(recap) == 1  # the 2018 review's comparison: held with the 2018 film, it tells both endings
    start = len(world.env.http_requests)
    for _ in range(6):
        await world.alice.slash(world.channel, "quote", film=f"film:{new}")
        await world.alice.slash(world.channel, "quote")  # the current film by default
    searched = await world.alice.slash(world.channel, "search", query="sea at dawn")
    assert "Ada Pell" in text_of(searched) and "Tobias Reed" not in text_of(searched)
    refused = await world.alice.slash(world.channel, "discuss", film=f"{STAR} (2018)", theme="ending")
    assert refused.ephemeral and "hasn't watched yet" in text_of(refused)
    assert ENDING_2018 not in bodies(world, start) and "moves the death indoors" not in bodies(world, start)
    quoted = await world.alice.slash(world.channel, "quote", film=f"{STAR} (1954)", theme="ending")
    assert f"||The ending is devastating: Norman Maine {ENDING_1954}" in text_of(quoted)
    await world.alice.slash(world.channel, "discuss", film=f"{STAR} (1954)", theme="ending")
    assert [t.name for t in world.channel.threads] == ["⚠️ Spoilers: A Star Is Born (1954) — the ending"]
    card = await world.alice.slash(world.channel, "film info")
    assert "A Star Is Born (2018)" in text_of(card) and "2 critic reviews" in text_of(card)
    await world.alice.slash(world.channel, "rate film", film=f"{STAR} (2018)", stars=1.0)
    await world.bob.slash(world.channel, "rate film", film=f"{STAR} (2018)", stars=5.0)
    await world.bob.slash(world.channel, "rate film", film=f"{STAR} (1954)", stars=4.0)
    await world.alice.slash(world.channel, "watched", film=f"{STAR} (1954)")
    assert sorted(world.q("SELECT film_id, stars_x2 FROM club_ratings")) == sorted([(new, 2), (new, 10), (old, 8)])
    assert world.q("SELECT film_id FROM film_watches") == [(old,)]
    stats = await world.alice.slash(world.channel, "club stats")
    assert "*A Star Is Born (2018)*: ratings spread" in text_of(stats)
    assert_no_pings(world.env)
