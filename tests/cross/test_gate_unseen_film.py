"""The spoiler gate for a film the bot never saw, whose title is a common word shared by another film.

An attacker's and a careless member's audit (session attack16): *Home* (2024), reviewed here for the first time and
screened, and *Home* (1987), another film of the same title, never screened. While the screening waits, a member
who has not seen the 2024 film tries to read its ending through every door the firewall's walk
(tests/cross/test_spoiler_firewall.py) leaves out: the ending's own words typed into every autocomplete, the title
typed in other cases, with accents, a trailing space or a zero-width character, ids forged into every persistent
component, a take that spoils it, a review a moderator adds during the gate, a passage a moderator marks spoiler
during the gate. The 1987 film is never held back by the 2024 film's gate. Every review here is our own text.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from tests.helpers import World, click_forged, leaf_commands, msgs, registered_templates, text_of

SCREENED, OTHER_YEAR = 2024, 1987

# Distinctive phrases of the screened film's ending, each one sentence of a review below.
ENDING = [
    "burns the farmhouse down himself",
    "sells the land to the quarry",
    "forged every one of the letters",
    "in a rented flat above the bakery",
]
# The unscreened film's ending: shown hidden, never held back by the other film's gate.
OLD_ENDING = ["the watchman was the burglar all along"]

REVIEWS = [
    {"film": "Home", "year": SCREENED, "critic": "Nell Carrow", "outlet": "The Almanac", "text": (
        "Home is a patient, weathered drama about a father and his grown son rebuilding a farmhouse after the spring"
        " flood. The photography is all wet timber and low grey skies, and the score of reed organ and fiddle keeps"
        " a quiet pulse under the long days of work.\n\n"
        "The two leads are superb, wary and tender by turns, and the film trusts silence more than most.\n\n"
        "The ending of Home is devastating: in the final scene the father burns the farmhouse down himself rather"
        " than see it taken, and the son watches from the road.")},
    {"film": "Home", "year": SCREENED, "critic": "Ivo Brand", "text": (
        "There is a nostalgic ache to Home, a longing for a farming world of auctions, church suppers and radio"
        " weather reports. The music swells in the right places without ever pleading.\n\n"
        "The final twist reveals that the son sells the land to the quarry behind his father's back, and the"
        " closing moments leave him alone in the empty yard with the contract.")},
    {"film": "Home", "year": SCREENED, "critic": "Petra Voss", "outlet": "Frame", "spoiler": True, "text": (
        "Home is a handsome film with performances of real weight. The reveal that the son forged every one of the"
        " letters from his mother changes the whole story, and the cinematography of the last act is bleak and"
        " beautiful.")},
    {"film": "Home", "year": OTHER_YEAR, "critic": "Rex Hale", "outlet": "Night Desk", "text": (
        "Home is a taut little thriller about a night watchman guarding an empty mansion through one long winter."
        " The score of synthesiser drones is wonderfully cheap and menacing.\n\n"
        "The ending of Home is a jolt: in the final scene we learn that the watchman was the burglar all along,"
        " and the last shot shows him locking the gates from the inside.")},
]

# A passage the text rules do not flag: a moderator marks it spoiler during the gate (the last test).
QUIET = {"film": "Home", "year": SCREENED, "critic": "Ula Finch", "text": (
    "Home takes its time with the farm and the town, and its cast of neighbours gives the valley a lived-in warmth."
    "\n\nHome gives the family a rented flat above the bakery in town, cramped and warm, and the film lets"
    " that settle in silence for a long while.\n\n"
    "The photography of Home is lovely, pale light on wet fields and tin roofs.")}


def export(*items: dict[str, Any]) -> bytes:
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": list(items)}).encode()


def bodies(world: World, start: int) -> str:
    """Every request body the bot sent to Discord since `start`, as one string (escapes dropped)."""
    out = []
    for request in world.env.http_requests[start:]:
        if request.method in {"POST", "PATCH", "PUT"} and request.json is not None:
            out.append(json.dumps(request.json, ensure_ascii=False))
    return "\n".join(out).replace("\\\\", "").replace("\\", "")


def seen(world: World, phrases: list[str], start: int) -> list[str]:
    """The phrases that reached Discord since `start`, hidden behind bars or not."""
    text = bodies(world, start)
    return [phrase for phrase in phrases if phrase in text]


async def screened_club(world: World, *extra: dict[str, Any]) -> int:
    """The corpus imported, the 2024 film's screening five days away: the request index after it."""
    imported = await world.mod.slash(world.channel, "review import", file=("home.json", export(*REVIEWS, *extra)))
    assert f"Imported {len(REVIEWS) + len(extra)} reviews" in text_of(imported), text_of(imported)
    when = (world.env.now() + timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film=f"Home ({SCREENED})", when=when,
                                      where="The barn")
    assert "is scheduled" in text_of(scheduled), text_of(scheduled)
    return len(world.env.http_requests)


def film_id(world: World, year: int) -> int:
    return world.q("SELECT id FROM films WHERE title = 'Home' AND year = ?", year)[0][0]


def passages_of(world: World, year: int) -> list[tuple[int, str]]:
    return [(pid, text) for pid, text in world.q(
        "SELECT p.id, p.text FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.film_id = ? ORDER BY p.id",
        film_id(world, year))]


# The title as a careless member types it: every spelling must reach the screened film (held back), or be refused.
SPELLINGS = [f"Home ({SCREENED})", f"home ({SCREENED})", f"HOME ({SCREENED})", f"Hômé ({SCREENED})",
             f"Home ({SCREENED}) ", f"Home\u200b ({SCREENED})", f" Home  ({SCREENED})", "Home", "home", "Home ",
             "Home\u200b", "HOME\u200d"]


async def test_every_spelling_of_the_screened_title_shows_none_of_its_ending(world: World) -> None:
    """The title typed in other cases, with accents, a trailing space or a zero-width character, as `film:<id>`:
    /quote, /discuss, /debate and /poll theme on the ending never show the screened film's ending, hidden or not."""
    start = await screened_club(world)
    spellings = [*SPELLINGS, f"film:{film_id(world, SCREENED)}"]
    for spelling in spellings:
        for command, options in (("quote", {"theme": "ending"}), ("quote", {}), ("discuss", {"theme": "ending"}),
                                 ("debate", {"theme": "ending"}), ("poll theme", {"theme": "ending"}),
                                 ("search", {"query": "farmhouse quarry letters"})):
            if command == "search":
                options = {**options, "film": spelling} if _has_option(world, "search", "film") else options
            else:
                options = {**options, "film": spelling}
            await world.alice.slash(world.channel, command, **options)
    assert not seen(world, ENDING, start), seen(world, ENDING, start)


def _has_option(world: World, command: str, option: str) -> bool:
    tree = dict(leaf_commands(world.bot.tree))
    return any(p.name == option for p in tree[command].parameters)


async def test_the_other_film_of_the_same_title_is_not_held_back(world: World) -> None:
    """/quote and /discuss on the ending of Home (1987), never screened, answer publicly with its ending hidden."""
    start = await screened_club(world)
    quoted = await world.alice.slash(world.channel, "quote", film=f"Home ({OTHER_YEAR})", theme="ending")
    assert not quoted.ephemeral, text_of(quoted)
    discussed = await world.alice.slash(world.channel, "discuss", film=f"home ({OTHER_YEAR})", theme="ending")
    assert "Started a discussion" in text_of(discussed), text_of(discussed)
    assert seen(world, OLD_ENDING, start), "the 1987 film's ending was held back by the 2024 film's gate"


async def test_typing_the_ending_into_every_autocomplete_shows_none_of_it(world: World) -> None:
    """The ending's own words typed into every autocomplete option of every command, with and without a film."""
    start = await screened_club(world)
    typed = ["farmhouse", "burns the farmhouse", "quarry", "letters", "forged", "Home", f"Home ({SCREENED})",
             str(passages_of(world, SCREENED)[0][0])]
    for name, command in leaf_commands(world.bot.tree):
        for parameter in command.parameters:
            if not parameter.autocomplete:
                continue
            members_see = command.default_permissions is None and (
                command.parent is None or command.parent.default_permissions is None) and (
                command.root_parent is None or command.root_parent.default_permissions is None)
            for text in typed:
                for who in (world.alice, world.mod) if members_see else (world.mod,):
                    await who.autocomplete(world.channel, name, parameter.name, text)
                    filled = {k: v for k, v in {"film": f"Home ({SCREENED})", "theme": "ending"}.items()
                              if k in {p.name for p in command.parameters} - {parameter.name}}
                    if filled:
                        await who.autocomplete(world.channel, name, parameter.name, text, **filled)
    assert not seen(world, ENDING, start), seen(world, ENDING, start)


async def test_ids_forged_into_every_component_show_none_of_the_ending(world: World) -> None:
    """Every persistent component, its id groups filled with the screened film's passage, review and film ids:
    a member reads none of its ending."""
    start = await screened_club(world)
    target = msgs(await world.alice.slash(world.channel, "quote", film=f"Home ({OTHER_YEAR})"))[0]
    ids = {str(pid) for pid, _ in passages_of(world, SCREENED)}
    ids |= {str(r) for (r,) in world.q("SELECT id FROM reviews WHERE film_id = ?", film_id(world, SCREENED))}
    ids |= {str(film_id(world, SCREENED)), "1"}
    group = re.compile(r"\(\?P<\w+>\\d\{1,\d+\}\)")
    for template, factory in sorted(registered_templates(world.bot).items()):
        if not group.search(template):
            continue
        values = ["1"] if factory.__name__.endswith("Select") else None
        for value in sorted(ids):
            custom_id = group.sub(value, template)
            custom_id = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m[1].split("|")[-1], custom_id)
            custom_id = re.sub(r"\(\?:.*\)\?$", "", custom_id).replace("\\", "")
            if re.search(r"[()?\[\]{}]", custom_id):
                continue
            await click_forged(world.env, world.alice, target, custom_id, values)
    assert not world.q("SELECT * FROM film_watches"), "a forged 'I've watched it' recorded an unseen film night"
    assert not seen(world, ENDING, start), seen(world, ENDING, start)


async def test_a_take_that_spoils_the_screened_film_is_left_out_everywhere_and_the_other_films_stays_hidden(
        world: World) -> None:
    """A member's take on Home (2024) hiding its ending in `||…||`, typed with the title in another case: /ratings,
    /compare, /history, /club stats, /film info and the game never send what it hid; a take on Home (1987) stays
    shown behind bars."""
    start = await screened_club(world)
    for who in (world.alice, world.bob):
        await who.slash(world.channel, "rate consent", state="on")
    await world.alice.slash(world.channel, "rate film", stars=4, film=f"HOME ({SCREENED})",
                            take="Bleak and fine ||the father burns the farmhouse down himself||")
    await world.bob.slash(world.channel, "rate film", stars=3, film=f"home ({OTHER_YEAR}) ",
                          take="Cheap thrills ||the watchman was the burglar all along||")
    await world.bob.slash(world.channel, "watchlist add", film=f"Home ({OTHER_YEAR})",
                          note="fun ||the watchman was the burglar all along||")
    for who, command, options in (
            (world.bob, "ratings", {}), (world.bob, "ratings", {"film": f"Hômé ({SCREENED})"}),
            (world.bob, "compare", {"film": f"Home ({SCREENED})"}), (world.bob, "history", {"member": world.alice}),
            (world.bob, "club stats", {}), (world.bob, "film info", {"film": f"Home ({SCREENED})"}),
            (world.bob, "watchlist list", {}), (world.bob, "game critic-or-club", {"rounds": 10})):
        await who.slash(world.channel, command, **options)
    await world.env.advance_time(15 * 60)  # the game's rounds
    old = await world.alice.slash(world.channel, "ratings", film=f"Home ({OTHER_YEAR})")
    assert "||the watchman was the burglar all along||" in str(old.response.embeds[0].to_dict()), text_of(old)
    listed = await world.alice.slash(world.channel, "watchlist list")
    assert "||the watchman was the burglar all along||" in str(listed.response.embeds[0].to_dict()), text_of(listed)
    assert not seen(world, ENDING, start), seen(world, ENDING, start)


async def test_a_review_added_during_the_gate_shows_none_of_its_ending_to_members(world: World) -> None:
    """A moderator adds a review of the screened film that tells its ending while the screening waits (the title
    typed with a trailing zero-width space): members' /quote, Another, /search, /review show, /discuss never show
    its ending."""
    start = await screened_club(world)
    text = ("Home is a slow film that rewards patience, with a score that hums beneath every field.\n\n"
            "Its last act is cruel: the father burns the farmhouse down himself while the town watches, and the son"
            " drives off without looking back.")
    added = await world.mod.slash(world.channel, "review add", film=f"Home\u200b ({SCREENED})", critic="Tam Okoro",
                                  file=("late.txt", text.encode()))
    assert "Added review" in text_of(added), text_of(added)
    member_start = len(world.env.http_requests)
    new_id = world.q("SELECT max(id) FROM reviews")[0][0]
    assert world.q("SELECT film_id FROM reviews WHERE id = ?", new_id)[0][0] == film_id(world, SCREENED)
    await world.alice.slash(world.channel, "review show", review=str(new_id))
    await world.alice.slash(world.channel, "review list", film=f"Home ({SCREENED})")
    await world.alice.slash(world.channel, "search", query="farmhouse town watches")
    quoted = await world.alice.slash(world.channel, "quote", film=f"Home ({SCREENED})")
    message = msgs(quoted)[0]
    for _ in range(8):
        again = await world.alice.click(message, label="Another")
        message = msgs(again)[0] if msgs(again) and msgs(again)[0].embeds else message
    for theme in ("ending", "music", None):
        await world.alice.slash(world.channel, "discuss", film=f"Home ({SCREENED})", **({"theme": theme} if theme else {}))
    assert not seen(world, ENDING, member_start), seen(world, ENDING, member_start)
    assert start <= member_start


async def test_a_passage_marked_spoiler_during_the_gate_is_never_shown_again(world: World) -> None:
    """A passage of the screened film the text rules let through, quoted, flagged by a member and marked spoiler by a
    moderator while the screening waits: no /quote, Another, /search or /discuss shows it again before it ends."""
    await screened_club(world, QUIET)
    [(quiet_id, _)] = [(pid, text) for pid, text in passages_of(world, SCREENED) if "rented flat above" in text]
    assert world.q("SELECT spoiler_reason FROM passages WHERE id = ?", quiet_id) == [(None,)], "the rules hid it"
    shown_before = False
    for _ in range(200):  # random picks among ~12 passages: quote until this one is met (a miss: ~3e-8)
        result = await world.alice.slash(world.channel, "quote", film=f"Home ({SCREENED})")
        shown_before |= "rented flat above" in text_of(result)
        if shown_before:
            break
    assert shown_before, "the quiet passage was never quoted"
    quote = next(m for m in world.bot_messages() if m.embeds and "rented flat above" in str(m.embeds[0].to_dict()))
    flagged = await world.alice.click(quote, label="Flag")
    await world.alice.click(msgs(flagged)[0], label="Spoiler")
    queue = msgs(await world.mod.slash(world.channel, "passage flagged"))[0]
    await world.mod.click(queue, label="Mark spoiler 1")
    assert world.q("SELECT spoiler FROM passage_decisions WHERE text LIKE '%rented flat above%'") == [(1,)]
    start = len(world.env.http_requests)
    message = msgs(await world.alice.slash(world.channel, "quote", film=f"Home ({SCREENED})"))[0]
    for _ in range(10):
        again = await world.alice.click(message, label="Another")
        message = msgs(again)[0] if msgs(again) and msgs(again)[0].embeds else message
    for _ in range(6):
        await world.alice.slash(world.channel, "quote")
        await world.alice.slash(world.channel, "discuss", film=f"Home ({SCREENED})")
    await world.alice.slash(world.channel, "search", query="rented flat above")
    assert not seen(world, ["in a rented flat above the bakery"], start), seen(world, ["in a rented flat above the bakery"], start)


async def test_scheduled_prompts_and_digests_of_the_screened_film_show_none_of_its_ending(world: World) -> None:
    """Schedules on the screened film (the ending theme, and the rotation) post through the gate; their digests too."""
    start = await screened_club(world)
    await world.mod.slash(world.channel, "config digest-hours", hours=1)
    now = world.env.now()
    for minutes, extra in ((10, {"theme": "ending"}), (20, {}), (30, {"theme": "music"})):
        await world.mod.slash(world.channel, "schedule set", channel=world.channel, film=f"home ({SCREENED})",
                              time=(now + timedelta(minutes=minutes)).strftime("%H:%M"), timezone="UTC", **extra)
    await world.env.advance_time(45 * 60)
    for thread in world.channel.threads:
        await world.bob.send(thread, "What a film")
    await world.env.advance_time(2 * 3600)
    assert not seen(world, ENDING, start), seen(world, ENDING, start)


async def test_a_spoiler_thread_of_a_film_sharing_its_title_names_its_year(world: World) -> None:
    """Two films called Home: the 1987 film's ending prompt opens a thread named "Home (1987)", so members waiting
    for the 2024 screening do not take it for theirs; a film with a title of its own keeps the title alone."""
    await screened_club(world)
    await world.alice.slash(world.channel, "discuss", theme="ending", film=f"Home ({OTHER_YEAR})")
    await world.alice.slash(world.channel, "discuss", theme="ending", film="La La Land")
    names = [thread.name for thread in world.channel.threads]
    assert f"⚠️ Spoilers: Home ({OTHER_YEAR}) — the ending" in names, names
    assert "⚠️ Spoilers: La La Land — the ending" in names, names
