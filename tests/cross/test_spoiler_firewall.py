"""The spoiler firewall: no labelled ending sentence is ever shown in clear, through any door.

A labelled test corpus (two films, one review marked spoiler) is imported with /review import. Every
command of the registered tree is run (a per-command argument table: a leaf without an entry fails the
test, so a new command cannot be forgotten), every button of every reply is clicked, every autocomplete
option is typed into, and the clock runs through the timed jobs (game rounds, poll deadlines, digests,
scheduled prompts) — once in a server with an upcoming screening of one film, once in a server without.
Every request body the bot sends to the simulated Discord is read back:

- a labelled sentence appears only between `||` pairs, and only where Discord can hide text (message
  content, embed descriptions, field values): never in thread names, embed titles, field names, footers,
  autocomplete choices, button or select labels, modals, polls or scheduled-event fields;
- while the screening of the gated film is upcoming, its labelled sentences appear nowhere at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import discord

from tests.helpers import World, advance_to, buttons, film_theme, leaf_commands, msgs, selects

GATED, OTHER = "Harbour Lights", "The Salt Road"

# Ending-revealing sentences, labelled by hand; `filmbot preview --json` flags each one's passage spoiler
# (the ending theme), and the last two come from a review marked spoiler = true. Each is checked by a
# distinctive phrase, so a clipped excerpt still counts.
LABELLED = {
    GATED: [
        "old Tomas walks into the sea at dawn",
        "switching off the lighthouse lamp for good",
        "set the fire that killed her mother",
    ],
    OTHER: [
        "the older brother dies in a crash on the salt flats",
        "buries him beside the road and drives on alone",
        "the salt was stolen from their own father",
        "twangy guitar that hums under every mile",
    ],
}

REVIEWS = [
    {"film": GATED, "year": 2019, "critic": "Ada Quill", "outlet": "The Lamp", "text": (
        "Harbour Lights is a quiet, salty drama about a lighthouse keeper and the daughter who comes home after"
        " twenty years away. The score, all low cello lines and a lonely accordion, does much of the emotional"
        " work and never once overstates it.\n\n"
        "Mara Quist gives a wonderful performance as the daughter, restrained and watchful, and her chemistry"
        " with the old keeper is the best thing in the film. The photography turns the grey harbour into"
        " something close to a painting, with fog that seems to glow from within.\n\n"
        "The ending of Harbour Lights is devastating: in the final scene old Tomas walks into the sea at dawn and"
        " never comes back. The last shot of Harbour Lights shows Mara Quist switching off the lighthouse lamp"
        " for good.")},
    {"film": GATED, "year": 2019, "critic": "Ben Tarrow", "text": (
        "There is a nostalgic pull to Harbour Lights, a longing for a vanished coastal world of ferries, fish"
        " markets and radio serials. The music swells in the right places, and the songs the keeper hums on the"
        " stairs become a kind of chorus for the whole film.\n\n"
        "The performances are superb across the board, with the supporting cast of fishermen giving the village"
        " a lived-in warmth. The final twist reveals that the daughter was the one who set the fire that killed"
        " her mother, and the closing moments leave her alone on the pier with the truth.")},
    {"film": OTHER, "year": 2021, "critic": "Cleo Vance", "outlet": "Dust", "text": (
        "The Salt Road follows two brothers driving a truck of salt across a desert that seems to go on forever."
        " The soundtrack of old desert blues records gives the long drive a hypnotic rhythm, and the music keeps"
        " the film moving when the plot stalls.\n\n"
        "Dev Arora and Sam Okafor are terrific as the brothers, funny and furious by turns, and their chemistry"
        " carries the quiet stretches. The ending of The Salt Road is brutal: by the end of the film the older"
        " brother dies in a crash on the salt flats. In the final scene of The Salt Road, the younger brother"
        " buries him beside the road and drives on alone.")},
    {"film": OTHER, "year": 2021, "critic": "Dan Moss", "spoiler": True, "text": (
        "The Salt Road is scored with a twangy guitar that hums under every mile, and the music of The Salt Road"
        " is the best thing about it. The performances of The Salt Road are strong, and the reveal that the salt"
        " was stolen from their own father changes the whole journey.")},
    {"film": OTHER, "year": 2021, "critic": "Eve Ross", "text": (
        "The Salt Road is a warm, nostalgic road movie that longs for a bygone era of roadside diners and jukebox"
        " songs. The cinematography of The Salt Road catches the desert light at every hour, from the blue before"
        " dawn to the red dust of evening.\n\n"
        "The music of The Salt Road is its secret weapon, a jukebox of forgotten soul songs that plays under"
        " every long drive.")},
]

# Where Discord can hide text behind spoiler tags; every other string of a request body cannot.
HIDEABLE = {("content",), ("embeds", "description"), ("embeds", "fields", "value")}
# Request keys that never carry shown text.
_IGNORED = {"custom_id", "url", "allowed_mentions", "flags", "type", "style", "id", "value_id", "proxy_url"}
_SPOILER_SPAN = re.compile(r"(?<!\\)\|\|.*?(?<!\\)\|\|", re.DOTALL)


def export(*items: dict[str, Any]) -> bytes:
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": list(items)}).encode()


def strings(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string of a request body with its key path (list indexes dropped)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in _IGNORED:
                yield from strings(value, (*path, key))
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, path)


def sent(env: Any, start: int = 0, stop: int | None = None) -> list[tuple[str, bool, str]]:
    """(where, can hide text, text) for every string the bot sent to Discord in requests[start:stop]."""
    out = []
    for request in env.http_requests[start:stop]:
        body = request.json
        if not isinstance(body, dict) or request.method not in {"POST", "PATCH", "PUT"}:
            continue
        kind = None
        if "/callback" in request.path:
            kind = body.get("type")
            body = body.get("data") or {}
        for path, text in strings(body):
            if kind == 8 and path == ("choices", "value"):
                continue  # what the bot receives back: Discord shows the choice's name
            # autocomplete choices (type 8) and modals (type 9) cannot hide text; messages can, in places
            hideable = kind not in (8, 9) and path in HIDEABLE and "/scheduled-events" not in request.path
            out.append((f"{request.method} {request.path} {'.'.join(path)}", hideable, text))
    return out


def visible(text: str) -> str:
    """What a reader sees without clicking a spoiler."""
    return _SPOILER_SPAN.sub("", text).replace("\\", "")


def leaks(env: Any, phrases: list[str], start: int = 0, stop: int | None = None, *,
          anywhere: bool = False) -> list[str]:
    """Where a phrase shows: in clear (or, with anywhere, at all, hidden or not)."""
    found = []
    for where, hideable, text in sent(env, start, stop):
        plain = text.replace("\\", "")
        for phrase in phrases:
            if phrase not in plain:
                continue
            if anywhere or not hideable or phrase in visible(text):
                found.append(f"{phrase!r} at {where}: {text[:160]!r}")
    return found


# ---------------------------------------------------------------- the per-command argument table

Args = dict[str, Any] | Callable[["Club"], dict[str, Any]]


class Club(World):
    """A server of the run; `who` picks its moderator or a member."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)

    def last_id(self, table: str) -> str:
        row = self.q(f"SELECT max(id) FROM {table} WHERE guild_id = ?", self.guild.id)
        return str(row[0][0] or 1)


def _review_id(club: Club) -> str:
    return str(club.q("SELECT min(r.id) FROM reviews r JOIN films f ON f.id = r.film_id WHERE f.title = ?",
                      GATED)[0][0])


def _passage(club: Club) -> str:
    return _review_id(club) + "/1"


def _when(club: Club, days: float) -> str:
    return (club.env.now() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


# Every leaf command: who runs it, with which options (several rows: several runs). Runs in tree order,
# except LAST (they end the gate, forget or remove things), which run after the clock has moved.
TABLE: dict[str, list[tuple[str, Args]]] = {
    "rate film": [("alice", {"stars": 4.5, "film": GATED, "take": "Loved it, and ||the dog lives|| at least"}),
                  ("bob", {"stars": 2, "film": OTHER, "take": "It ends || badly, unbalanced"}),
                  ("mod", {"stars": 3, "film": GATED, "take": "||"})],
    "rate remove": [("mod", lambda c: {"film": OTHER, "member": c.bob})],
    "rate consent": [("alice", {"state": "on"}), ("mod", {"state": "on"})],
    "rate forget-me": [("bob", {"confirm": False})],
    "rate export": [("alice", {})],
    "game critic-or-club": [("alice", {"rounds": 4})],
    "game leaderboard": [("alice", {})],
    "ratings": [("alice", {"film": GATED}), ("alice", {"film": OTHER})],
    "compare": [("alice", {"film": GATED})],
    "config moderator-role": [("mod", lambda c: {"role": c.mod_role})],
    "config timezone": [("mod", {"zone": "UTC"})],
    "config log-channel": [("mod", lambda c: {"channel": c.channel})],
    "config watchlist-approval": [("mod", {"state": "off"})],
    "config digest-hours": [("mod", {"hours": 1})],
    "config show": [("mod", {})],
    "discuss": [("alice", {}), ("alice", {}), ("alice", {"theme": "ending"}),
                ("alice", {"theme": "ending", "film": GATED}), ("alice", {"theme": "ending", "film": OTHER}),
                ("alice", {"theme": "performances", "film": GATED}), ("alice", {"theme": "music", "film": OTHER}),
                ("alice", {"theme": "performances", "film": OTHER}), ("alice", {"film": GATED})],
    "debate": [("alice", {"theme": "ending", "film": OTHER}), ("alice", {"theme": "performances", "film": GATED}),
               ("alice", {"theme": "music"}), ("alice", {"film": GATED})],
    "themes": [("alice", {"film": GATED}), ("alice", {})],
    "watchlist add": [("alice", {"film": OTHER, "year": 2021, "note": "desert"})],
    "watchlist list": [("alice", {})],
    "watchlist pending": [("mod", {})],
    "watchlist support": [("bob", {"film": OTHER})],
    "watchlist remove": [("mod", {"film": OTHER})],
    "watchlist import": [("mod", {"file": ("w.txt", f"{OTHER} (2021)\n".encode())})],
    "filmnight pick": [("mod", {"candidates": 2, "hours": 1})],
    "filmnight schedule": [("mod", lambda c: {"film": OTHER, "when": _when(c, -1), "where": "x"})],  # refused
    "filmnight next": [("alice", {})],
    "filmnight cancel": [("mod", {})],
    "filmnight move": [("mod", lambda c: {"when": _when(c, 4)})],
    "filmnight unlock": [("mod", {})],
    "filmnight history": [("alice", {})],
    "filmnight reminder-role": [("mod", lambda c: {"role": c.mod_role})],
    "poll create": [("alice", {"question": "Best ending?", "options": "Sad|Happy", "hours": 1})],
    "poll theme": [("alice", {"theme": "ending", "film": OTHER}), ("alice", {"theme": "ending", "film": GATED}),
                   ("alice", {"theme": "performances", "film": GATED}), ("alice", {"theme": "ending"})],
    "poll close": [("mod", lambda c: {"poll": c.last_id("polls")})],
    "poll results": [("alice", lambda c: {"poll": c.last_id("polls")})],
    "poll list": [("alice", {})],
    "quote": [("alice", {}), ("alice", {"film": GATED}), ("alice", {"theme": "ending"}),
              ("alice", {"film": GATED, "theme": "ending"}), ("alice", {"about": "final scene"}),
              ("alice", {"film": OTHER, "theme": "ending"}), ("alice", {"critic": "Dan Moss"}),
              ("alice", {"film": GATED, "about": "fire mother"}), ("alice", {"theme": "performances"})],
    "search": [("alice", {"query": "final scene"}), ("alice", {"query": "lighthouse lamp"}),
               ("alice", {"query": "salt flats crash"}), ("alice", {"query": "guitar mile"})],
    "critics": [("alice", {})],
    "review add": [("mod", {"film": OTHER, "year": 2021, "critic": "Fay Lin",
                            "file": ("r.txt", (b"The Salt Road has a lovely score of slide guitar and the"
                                     b" performances of the two leads are superb throughout the long drive."))})],
    "review edit": [("mod", lambda c: {"review": str(c.q("SELECT max(id) FROM reviews")[0][0]), "outlet": "Fay's"})],
    "review remove": [("mod", lambda c: {"review": str(c.q("SELECT max(id) FROM reviews")[0][0])})],
    "review list": [("alice", {"film": GATED}), ("alice", {})],
    "review show": [("alice", lambda c: {"review": _review_id(c)}),
                    ("alice", lambda c: {"review": str(int(_review_id(c)) + 1)}),
                    ("alice", lambda c: {"review": str(int(_review_id(c)) + 2)}),
                    ("alice", lambda c: {"review": str(int(_review_id(c)) + 3)})],
    "review export": [("mod", {})],
    "review import": [("mod", {"file": ("again.json", export(*REVIEWS))})],  # all duplicates
    "review history": [("mod", lambda c: {"review": _review_id(c)})],
    "schedule set": [("mod", lambda c: {"channel": c.channel, "time": (c.env.now() + timedelta(minutes=30))
                                        .strftime("%H:%M"), "timezone": "UTC"}),
                     ("mod", lambda c: {"channel": c.channel, "time": (c.env.now() + timedelta(minutes=40))
                                        .strftime("%H:%M"), "timezone": "UTC", "theme": "ending"})],
    "schedule list": [("mod", {})],
    "schedule pause": [("mod", lambda c: {"id": int(c.last_id("schedules"))})],
    "schedule resume": [("mod", lambda c: {"id": int(c.last_id("schedules"))})],
    "schedule remove": [("mod", lambda c: {"id": int(c.last_id("schedules"))})],
    "schedule skip": [("mod", lambda c: {"id": int(c.last_id("schedules")) - 1})],
    "schedule test": [("mod", lambda c: {"id": int(c.last_id("schedules"))}),
                      ("mod", lambda c: {"id": int(c.last_id("schedules")) - 1})],
    "theme question add": [("mod", {"theme": "ending", "question": "Did {film} earn its last scene?", "film": GATED})],
    "theme question remove": [("mod", {"theme": "ending", "question": "Did {film} earn its last scene?",
                                       "film": GATED})],
    "theme list": [("mod", {"film": GATED}), ("mod", {"film": OTHER}), ("mod", {"film": "La La Land"}),
                   ("alice", {})],
    "passage tag": [("mod", lambda c: {"passage": _passage(c), "theme": "music"})],
    "passage untag": [("mod", lambda c: {"passage": _passage(c), "theme": "music"})],
    "passage flagged": [("mod", {})],
    "passage hide": [("mod", lambda c: {"passage": _review_id(c) + "/2"})],
    "passage show": [("mod", lambda c: {"passage": _review_id(c) + "/2"}),
                     ("mod", lambda c: {"passage": _review_id(c) + "/5"})],
    # A moderator showing a labelled ending in clear would be a choice, not a leak: both runs are refused (the
    # ending theme's passage; a passage that is no spoiler), and the refusals must not leak either.
    "passage not-spoiler": [("mod", lambda c: {"passage": _review_id(c) + "/3"}),
                            ("mod", lambda c: {"passage": _review_id(c) + "/1"})],
    "film info": [("alice", {"film": GATED}), ("alice", {"film": OTHER})],
    # The gated film by another title: held back whatever title names it.
    "film alias": [("mod", {"film": GATED, "title": "Phares du port"}),
                   ("mod", {"film": OTHER, "title": "Harbour Lights"}),  # refused: the gated film's own title
                   ("mod", {"film": GATED, "title": "Phares du port", "remove": True})],
    "help": [("alice", {}), ("mod", {})],
    "review add-link": [("mod", {"url": "http://127.0.0.1:9/review", "film": OTHER})],  # refused: no fetch here
    "suggest question": [("alice", {"text": "What did the lighthouse mean to you?", "film": GATED, "credit": True})],
    "filmnight reminder-mentions": [("mod", {"mode": "interested"})],
    "filmnight close-pick": [("mod", {})],
    "watched": [("alice", {"film": GATED}), ("bob", {"film": OTHER})],
    "history": [("alice", {}), ("bob", lambda c: {"member": c.alice})],
    "club stats": [("alice", {})],
}
LAST = ("filmnight move", "filmnight unlock", "filmnight cancel", "rate forget-me", "review remove",
        "schedule remove")
DANGER = ("forget", "Reject", "Remove", "Delete")  # buttons the run does not press: they end the run's data
TYPED = ("", "end", "a")  # what the autocomplete run types into every option


def actor(club: Club, name: str) -> Any:
    return {"mod": club.mod, "alice": club.alice, "bob": club.bob}[name]


async def press_everything(club: Club, who: Any, messages: list[Any]) -> None:
    """Click every button and choose the first option of every select of these messages, once each."""
    for message in messages:
        if message is None:
            continue
        for button in buttons(message):
            if button.get("disabled") or not button.get("custom_id"):
                continue
            if any(word.casefold() in (button.get("label") or "").casefold() for word in DANGER):
                continue
            try:
                await who.click(message, custom_id=button["custom_id"])
            except Exception:  # noqa: BLE001, S112 - a button that refuses (e.g. already voted) is fine here
                continue
        for menu in selects(message):
            options = [o.value for o in menu.options][:1]
            if options and menu.custom_id:
                try:
                    await who.select(message, options, custom_id=menu.custom_id)
                except Exception:  # noqa: BLE001, S112
                    continue


async def run_command(club: Club, name: str, exercised: dict[str, int]) -> None:
    for who_name, args in TABLE[name]:
        who = actor(club, who_name)
        options = args(club) if callable(args) else dict(args)
        before = {m.id for m in club.bot_messages()}
        result = await who.slash(club.channel, name, **options)
        exercised[name] = exercised.get(name, 0) + 1
        posted = [m for m in club.bot_messages() if m.id not in before]
        await press_everything(club, club.bob, [*msgs(result), *posted])


async def type_everywhere(club: Club, tree: discord.app_commands.CommandTree) -> int:
    """Type into every autocomplete option of every command (as the moderator, a film filled in)."""
    typed = 0
    for name, command in leaf_commands(tree):
        for parameter in command.parameters:
            if not parameter.autocomplete:
                continue
            for text in TYPED:
                names = {p.name for p in command.parameters} - {parameter.name}
                filled = {k: v for k, v in {"film": GATED, "theme": "ending"}.items() if k in names}
                await club.mod.autocomplete(club.channel, name, parameter.name, text, **filled)
                await club.mod.autocomplete(club.channel, name, parameter.name, text)
                typed += 1
    return typed


async def walk(club: Club, exercised: dict[str, int]) -> None:
    """Every command in tree order (LAST at the end), the clock through the jobs, then LAST."""
    leaves = [name for name, _ in leaf_commands(club.bot.tree)]
    for name in leaves:
        if name not in LAST:
            await run_command(club, name, exercised)
    await type_everywhere(club, club.bot.tree)
    # game rounds (60 s), poll deadlines (1 h), digests (1 h), the schedules' slots (30, 40 min)
    await advance_to(club, club.env.now() + timedelta(hours=2, minutes=5))
    for message in club.bot_messages()[-30:]:
        await press_everything(club, club.alice, [message])
    await advance_to(club, club.env.now() + timedelta(hours=2))


async def import_corpus(club: Club) -> None:
    result = await club.mod.slash(club.channel, "review import", file=("labelled.json", export(*REVIEWS)))
    text = " ".join(m.content or "" for m in msgs(result))
    assert f"Imported {len(REVIEWS)} reviews" in text, text


# ---------------------------------------------------------------- the firewall


async def test_spoiler_firewall_every_command_button_and_job(world: World) -> None:
    """Every leaf command, button, autocomplete and job, with and without a screening: no labelled sentence
    in clear, none where text cannot be hidden, none of the gated film at all while its screening waits."""
    env = world.env
    leaves = [name for name, _ in leaf_commands(world.bot.tree)]
    missing = sorted(set(leaves) - set(TABLE))
    assert not missing, f"commands with no row in the firewall's argument table: {missing}"
    assert not set(TABLE) - set(leaves), f"rows for commands that no longer exist: {set(TABLE) - set(leaves)}"
    assert len(leaves) == 74, f"{len(leaves)} leaf commands: add the new ones to TABLE (and update this count)"

    gated = Club(env)
    await import_corpus(gated)
    screening = await gated.mod.slash(gated.channel, "filmnight schedule", film=GATED, when=_when(gated, 5),
                                      where="The Pier")
    assert "Harbour Lights" in " ".join(m.content or "" for m in msgs(screening)), msgs(screening)
    exercised: dict[str, int] = {}
    start = len(env.http_requests)
    await walk(gated, exercised)
    stop = len(env.http_requests)
    for name in LAST:
        await run_command(gated, name, exercised)

    free = Club(env)
    await walk(free, exercised)
    for name in LAST:
        await run_command(free, name, exercised)

    assert sorted(exercised) == sorted(leaves), set(leaves) - set(exercised)
    every = [phrase for phrases in LABELLED.values() for phrase in phrases]
    assert not leaks(env, every), leaks(env, every)[:5]
    # a spoiler theme's own questions (La La Land's name its epilogue) are spoilers too
    ending = film_theme(world.bot, "ending")
    questions = [q[:40] for q in (*ending.questions_for("La La Land"), ending.debate_question_for("La La Land"))]
    assert leaks(env, questions, anywhere=True), "no ending question was ever asked"
    assert not leaks(env, questions), leaks(env, questions)[:5]
    assert not leaks(env, LABELLED[GATED], start, stop, anywhere=True), leaks(env, LABELLED[GATED], start, stop,
                                                                              anywhere=True)[:5]
    # the run did reach the spoilers: the free server saw them, hidden
    for film in (GATED, OTHER):
        assert leaks(env, LABELLED[film], stop, anywhere=True), f"{film}'s spoilers never shown, even hidden"


# ---------------------------------------------------------------- one test per leak of issue 25


async def gated_club(world: World, film: str = GATED) -> int:
    """The labelled corpus imported and a screening of the gated film five days away: the request index."""
    await import_corpus(world)
    await world.mod.slash(world.channel, "filmnight schedule", film=film, when=_when(world, 5), where="The Pier")
    return len(world.env.http_requests)


def replies(result: Any) -> str:
    return "\n".join(m.content or "" for m in msgs(result))


async def test_discuss_ending_names_only_the_film_and_hides_question_and_theme(world: World) -> None:
    """/discuss theme:ending: the thread says "⚠️ Spoilers: La La Land — the ending"; question, theme hidden."""
    await world.alice.slash(world.channel, "discuss", theme="ending", film="La La Land")
    [prompt] = [m for m in world.bot_messages() if m.embeds]
    [thread] = world.channel.threads
    assert thread.name == "⚠️ Spoilers: La La Land — the ending", thread.name
    embed = prompt.embeds[0]
    question = embed.description.split("\n\n")[0]
    assert question.startswith("||") and question.endswith("||") and "**" not in question, question
    theme = next(f.value for f in embed.fields if f.name == "Theme")
    assert theme.startswith("||") and theme.endswith("||"), theme


async def test_digest_hides_the_excerpt_the_prompt_hid(world: World) -> None:
    """A thread digest quotes the prompt's ending excerpt behind spoiler bars, as the prompt did."""
    await import_corpus(world)
    await world.mod.slash(world.channel, "config digest-hours", hours=1)
    start = len(world.env.http_requests)
    await world.alice.slash(world.channel, "discuss", theme="ending", film=OTHER)
    [thread] = world.channel.threads
    await world.bob.send(thread, "That ending!")  # a thread nobody replied to gets no digest
    await advance_to(world, world.env.now() + timedelta(hours=1, minutes=5))
    assert any("Thread digest" in (m.content or "") for m in thread.history())
    assert leaks(world.env, LABELLED[OTHER], start, anywhere=True), "the digest quoted nothing"
    assert not leaks(world.env, LABELLED[OTHER], start), leaks(world.env, LABELLED[OTHER], start)


async def test_poll_theme_results_quote_no_spoiler_and_only_the_polls_film(world: World) -> None:
    """/poll theme results: critics of the poll's film only, never a spoiler passage as an example."""
    await import_corpus(world)
    posted = await world.alice.slash(world.channel, "poll theme", theme="ending", film=OTHER)
    assert not posted.ephemeral, replies(posted)
    poll_id = world.q("SELECT max(id) FROM polls")[0][0]
    start = len(world.env.http_requests)
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    everything = [phrase for phrases in LABELLED.values() for phrase in phrases]
    assert not leaks(world.env, everything, start), leaks(world.env, everything, start)
    shown = " ".join(text for _, _, text in sent(world.env, start))
    assert "The critics" in shown and "Harbour" not in shown and "Sebastian" not in shown, shown[:600]


async def test_game_never_draws_a_spoiler_passage(world: World) -> None:
    """/game critic-or-club never quotes a passage that is a spoiler (ending theme, the text rules' reason or a
    review marked spoiler)."""
    await import_corpus(world)
    for who, take in ((world.alice, "Lovely light"), (world.bob, "Too long")):
        await who.slash(world.channel, "rate film", stars=3, film=OTHER, take=take)
        await who.slash(world.channel, "rate consent", state="on")
    for n in range(6):  # a game per channel: 60 rounds, about half of them critics'
        channel = world.guild.create_text_channel(f"game-{n}")
        await world.alice.slash(channel, "game critic-or-club", rounds=10)
    picked = {row[0] for row in world.q("SELECT passage_id FROM club_game_rounds WHERE kind = 'critic'")}
    spoilers = {row[0] for row in world.q(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.spoiler = 1"
        " OR p.spoiler_reason IS NOT NULL"  # the text rules' own reasons too: a reveal, a warning, the reveal zone
        " OR p.id IN (SELECT passage_id FROM passage_themes WHERE theme = 'ending')")}
    assert len(picked) > 10 and spoilers and not picked & spoilers, len(picked)


async def test_a_members_own_spoiler_in_a_take_stays_a_spoiler(world: World) -> None:
    """A /rate take's own ||…|| stays a spoiler on /ratings; the rest of the take stays escaped."""
    await world.alice.slash(world.channel, "rate film", stars=4, film="La La Land", take="**Wow** ||Mia leaves||")
    result = await world.bob.slash(world.channel, "ratings", film="La La Land")
    value = result.response.embeds[0].fields[0].value
    assert "||Mia leaves||" in value and "\\*\\*Wow\\*\\*" in value, value


async def test_gate_quote_theme_ending_of_the_current_film_is_refused_with_when(world: World) -> None:
    """While the screening waits, /quote theme:ending (the current film) is refused, saying when it unlocks."""
    start = await gated_club(world)
    result = await world.alice.slash(world.channel, "quote", theme="ending")
    assert result.ephemeral and "<t:" in replies(result), replies(result)
    assert not leaks(world.env, LABELLED[GATED], start, anywhere=True)


async def test_gate_quote_about_words_of_the_ending_shows_none_of_it(world: World) -> None:
    """/quote about: words of the ending never posts the gated film's ending, hidden or not."""
    start = await gated_club(world)
    for about in ("final scene", "lighthouse lamp", "fire mother"):
        await world.alice.slash(world.channel, "quote", about=about, film=GATED)
    assert not leaks(world.env, LABELLED[GATED], start, anywhere=True), leaks(world.env, LABELLED[GATED], start,
                                                                              anywhere=True)


async def test_gate_plain_quote_and_another_never_show_the_ending(world: World) -> None:
    """Plain /quote (the current film) and its Another button never reach the gated film's ending."""
    start = await gated_club(world)
    result = await world.alice.slash(world.channel, "quote")
    message = msgs(result)[0]
    for _ in range(12):
        again = await world.alice.click(message, label="Another")
        message = msgs(again)[0] if msgs(again) and msgs(again)[0].embeds else message
    assert not leaks(world.env, LABELLED[GATED], start, anywhere=True), leaks(world.env, LABELLED[GATED], start,
                                                                              anywhere=True)


async def test_gate_search_leaves_the_gated_films_ending_out(world: World) -> None:
    """/search for words of the gated film's ending finds the other film's passages only."""
    start = await gated_club(world)
    await world.alice.slash(world.channel, "search", query="final scene")
    await world.alice.slash(world.channel, "search", query="lighthouse lamp")
    assert not leaks(world.env, LABELLED[GATED], start, anywhere=True), leaks(world.env, LABELLED[GATED], start,
                                                                              anywhere=True)


async def test_gate_discuss_other_themes_never_quote_the_ending(world: World) -> None:
    """/discuss performances on the gated film never quotes its passage that also gives the ending away."""
    start = await gated_club(world)
    for _ in range(3):
        await world.alice.slash(world.channel, "discuss", theme="performances", film=GATED)
    assert not leaks(world.env, LABELLED[GATED], start, anywhere=True), leaks(world.env, LABELLED[GATED], start,
                                                                              anywhere=True)


async def test_gate_holds_back_every_passage_the_text_rules_hide_not_only_the_ending_theme(world: World) -> None:
    """While the screening waits, no passage of the gated film with any spoiler reason (a reveal, after a warning, the
    rest of a review after its first reveal) reaches any message: plain /quote, Another, /discuss on other themes."""
    item = {"film": GATED, "year": 2019, "critic": "Fay Lund", "text": (
        "Harbour Lights takes its time, and the village it builds is worth the wait: ferries, fish markets, a pier in"
        " the fog.\n\nHalfway through, the keeper's brother is found dead in the harbour, and nobody in the village"
        " will say who was with him that night.\n\nI left thinking about the baker, the schoolteacher and the"
        " ferryman, each hiding a different version of the same night.")}
    await world.mod.slash(world.channel, "review import", file=("lund.json", export(item)))
    start = await gated_club(world)
    hidden = [text[:60] for (text,) in world.q(
        "SELECT p.text FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"
        " WHERE f.title = ? AND p.quotable = 1 AND p.spoiler_reason IS NOT NULL"
        " AND p.id NOT IN (SELECT passage_id FROM passage_themes WHERE theme = 'ending')", GATED)]
    assert any("found dead" in text for text in hidden)  # a reveal the ending theme does not carry
    result = await world.alice.slash(world.channel, "quote", film=GATED)
    message = msgs(result)[0]
    for _ in range(10):
        again = await world.alice.click(message, label="Another")
        message = msgs(again)[0] if msgs(again) and msgs(again)[0].embeds else message
    for theme in ("performances", "nostalgia", "look"):
        await world.alice.slash(world.channel, "discuss", theme=theme, film=GATED)
    assert not leaks(world.env, hidden, start, anywhere=True), leaks(world.env, hidden, start, anywhere=True)


async def test_gate_keys_on_the_film_not_its_title(world: World) -> None:
    """Another film with the gated film's title is not held back; the gated one is, by id."""
    item = {**REVIEWS[0], "year": 1990, "critic": "Old Critic",
            "text": REVIEWS[0]["text"].replace("old Tomas", "young Piet")}
    await world.mod.slash(world.channel, "review import", file=("older.json", export(item)))
    await gated_club(world, f"{GATED} (2019)")
    older = await world.alice.slash(world.channel, "discuss", theme="ending", film=f"{GATED} (1990)")
    assert not older.ephemeral or "<t:" not in replies(older), replies(older)
    gated = await world.alice.slash(world.channel, "discuss", theme="ending", film=f"{GATED} (2019)")
    assert gated.ephemeral and "<t:" in replies(gated), replies(gated)


async def test_spoiler_review_prompts_warn_in_the_thread_name(world: World) -> None:
    """A prompt quoting a review marked spoiler = true starts its thread name with ⚠️ Spoilers (README)."""
    await import_corpus(world)
    for _ in range(4):  # the film's music passages, each once: one is the spoiler review's
        await world.alice.slash(world.channel, "discuss", theme="music", film=OTHER)
    spoiled = world.q("SELECT thread_id FROM posted_prompts p JOIN passages s ON s.id = p.passage_id"
                      " JOIN reviews r ON r.id = s.review_id WHERE r.spoiler = 1")
    assert spoiled, "the spoiler review's music passage was never prompted"
    names = {t.id: t.name for t in world.channel.threads}
    assert all(names[thread_id].startswith("⚠️ Spoilers") for (thread_id,) in spoiled), names


async def test_gate_holds_back_a_members_own_spoiler_in_takes_and_watchlist_notes_of_the_gated_film(
        world: World) -> None:
    """While the screening waits, what a member hid behind `||` in a take (/ratings) or a watchlist note
    (/watchlist list) about the gated film is not sent at all, as the game leaves such takes out; it is shown
    hidden again once the screening is unlocked."""
    await world.alice.slash(world.channel, "watchlist add", film="Alien", year=1979, note="Wow ||Ripley survives||")
    await world.alice.slash(world.channel, "rate film", film="Alien (1979)", stars=4, take="Tense ||Ripley wins||")
    await world.bob.slash(world.channel, "rate film", film="La La Land", stars=4, take="Sad ||Mia leaves||")
    await world.mod.slash(world.channel, "filmnight schedule", film="Alien (1979)", when=_when(world, 5), where="x")
    start = len(world.env.http_requests)
    ratings = await world.bob.slash(world.channel, "ratings")  # the current film: the gated one
    listed = await world.bob.slash(world.channel, "watchlist list")
    other = await world.alice.slash(world.channel, "ratings", film="La La Land")
    assert not leaks(world.env, ["Ripley"], start, anywhere=True), leaks(world.env, ["Ripley"], start, anywhere=True)
    assert "Tense" in ratings.response.embeds[0].fields[0].value and "<t:" in ratings.response.embeds[0].fields[0].value
    assert "Wow" in listed.response.embeds[0].description
    assert "||Mia leaves||" in other.response.embeds[0].fields[0].value  # another film's take: hidden, as always
    await world.mod.slash(world.channel, "filmnight unlock")
    again = await world.bob.slash(world.channel, "ratings", film="Alien (1979)")
    assert "||Ripley wins||" in again.response.embeds[0].fields[0].value
