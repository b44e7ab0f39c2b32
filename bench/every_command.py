"""Every registered leaf command (and the buttons issue 30 names) at one corpus size, through simcord.

Each case is run `repeat` times after one warm-up, as a member or moderator of one bench server, with
options that fit the generated corpora ("Generated Film NNNNN", "Critic NNN"). A case may have an untimed
`before` step per run (a pick to close, a poll to close, a schedule to cancel), so every run measures the
command's own work, not its refusal. Per case:

- bot time p50 / p99: from dispatching the interaction to the bot's last Discord call for it;
- CPU per run (the process's CPU time over the runs, divided by the runs);
- the event loop's longest gap over the runs (a 5 ms ticker), and the database thread's longest hold
  (the longest single function aiosqlite or the writer thread ran meanwhile);
- the exact-replay floor: the requests the command sent on its last run (same routes, same payloads,
  same components: DynamicItems' custom ids included), sent again by a handler that does nothing else,
  timed the same way. What a command costs above its floor is the bot's share; /ping is the baseline.

The names here are bench/commands.py's ROWS keys (tests/cross/test_bench_rows.py: equal to the tree).
"""

from __future__ import annotations

import asyncio
import gc
import io
import json
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Self

import discord
from simcord.http import router

from .timing import median, percentile

Args = Callable[["Ctx", int], dict[str, Any]]
Before = Callable[["Ctx", int], Awaitable[Any]]


@dataclass(frozen=True)
class Case:
    who: str  # "mod" or "member"
    args: Args
    before: Before | None = None
    # "slash", "autocomplete:<option>:<typed>", "click" (args gives the message + label) or "job:<seconds>"
    # (a timed job: after `before` set it up, the clock moves untimed to JOB_LEAD s short of <seconds>, then
    # the timed step moves it the last JOB_LEAD s, across the job's deadline; bot time runs to its last call)
    kind: str = "slash"
    command: str | None = None  # the leaf command a variant row times (None: the row's own name)


class Ctx:
    """What a case needs: the server, its people, the corpus' names, a read-only view of the database."""

    def __init__(self, env: Any, channel: Any, mod: Any, member: Any, database: Path, films: list[str],
                 critics: list[str]) -> None:
        self.env, self.channel, self.mod, self.member = env, channel, mod, member
        self.guild = env._bench_guild
        self.films, self.critics = films, critics
        self.debate_films: list[str] = []  # films with a debate on DEBATE_THEME (`debatable_films`)
        self.database = database
        self.messages: dict[str, Any] = {}

    def q(self, sql: str, *params: Any) -> Any:
        conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
        try:
            row = conn.execute(sql, params).fetchone()
            return row[0] if row else None
        finally:
            conn.close()

    def last(self, table: str) -> str:
        return str(self.q(f"SELECT max(id) FROM {table} WHERE guild_id = ?", self.guild.id) or 1)

    def film(self, i: int) -> str:
        return self.films[i % len(self.films)]

    def when(self, days: float) -> str:
        return (self.env.now() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")

    async def run(self, who: str, name: str, **options: Any) -> Any:
        return await getattr(self, who).slash(self.channel, name, **options)


def _review_text(i: int) -> bytes:
    return (f"Bench review {i}. The film is a tender and funny portrait of two people, and the music carries the"
            " long final scene. The performances are warm throughout, and the ending stays with you for days"
            f" after, like a song you cannot stop humming (number {i}).").encode()


def _export(i: int) -> bytes:
    review = {"film": "Bench Import Film", "year": 2001, "critic": "Bench Critic", "text": _review_text(-i).decode()}
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": [review]}).encode()


def _top_review(c: Ctx, i: int) -> str:
    return str(int(c.q("SELECT max(id) FROM reviews")) - i)


def _before(name: str, **fixed: Any) -> Before:
    async def run(c: Ctx, i: int) -> None:
        await c.run("mod", name, **fixed)
    return run


def job_seconds(case: Case) -> float:
    """How far a job row's clock moves in all (its `job:<seconds>`)."""
    return float(case.kind.split(":")[1])


def _fixed(**options: Any) -> Args:
    return lambda c, i: dict(options)


async def _a_schedule(c: Ctx, i: int) -> None:
    """A schedule for /schedule test to post from when the server has none (the row alone: `--cases`)."""
    if c.q("SELECT max(id) FROM schedules WHERE guild_id = ?", c.guild.id) is None:
        await _schedule(c, i)


# /debate film:'s theme, and the films it is timed on: a film whose passages on it come from two reviews or
# more. Any film of the list made ~102k and ~1.1M rows time the refusal for half their runs (one call, no
# post) and take the floor of whichever the last run was (session 10).
DEBATE_THEME = "performances"


def debatable_films(database: Path, films: list[tuple[int, str, int | None, int]], count: int = 60) -> list[str]:
    """The first `count` films (in the list's order) with DEBATE_THEME passages from two reviews or more; read in
    a thread before the rows, untimed (a film with a tenth of the ~1.1M corpus has ~100k passages)."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    chosen = []
    try:
        for film_id, title, year, _ in films:
            reviews = conn.execute(
                "SELECT count(*) FROM (SELECT DISTINCT p.review_id FROM reviews r JOIN passages p"
                " ON p.review_id = r.id JOIN passage_themes t ON t.passage_id = p.id AND t.theme = ?"
                " WHERE r.film_id = ? AND p.quotable = 1 AND r.spoiler = 0 LIMIT 2)", (DEBATE_THEME, film_id),
            ).fetchone()[0]
            if reviews >= 2:
                chosen.append(f"{title} ({year})" if year else title)
                if len(chosen) == count:
                    break
    finally:
        conn.close()
    return chosen


async def _watch_two(c: Ctx, i: int) -> None:
    await c.run("mod", "filmnight close-pick")


async def _pick_open(c: Ctx, i: int) -> None:
    await c.run("mod", "filmnight pick", candidates=2, hours=24)


async def _scheduled(c: Ctx, i: int) -> None:
    await c.run("mod", "filmnight schedule", film=c.film(1), when=c.when(3 + i / 100), where="The back room")


async def _poll(c: Ctx, i: int) -> None:
    await c.run("mod", "poll create", question=f"Bench poll {i}?", options="Yes|No")


async def _schedule(c: Ctx, i: int) -> None:
    await c.run("mod", "schedule set", channel=c.channel, time="20:30", days="fri")


async def _watchlisted(c: Ctx, i: int) -> None:
    await c.run("mod", "watchlist add", film=f"Bench Watch {i}", year=2000)


async def _rated(c: Ctx, i: int) -> None:
    await c.run("member", "rate film", film=c.film(0), stars=4)


async def _tagged(c: Ctx, i: int) -> None:
    await c.run("mod", "passage tag", passage=f"{i + 1}/1", theme="music")


async def _hidden(c: Ctx, i: int) -> None:
    await c.run("mod", "passage hide", passage=f"{i + 1}/1")


async def _text_spoiler(c: Ctx, i: int) -> None:
    """Find (untimed, in a thread: a scan at ~1.1M passages must not hold the loop the row's gap is measured on) the
    i-th passage hidden by the text rules alone, which /passage not-spoiler can show in clear; the args read it."""

    def find() -> str:
        conn = sqlite3.connect(f"file:{c.database}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT p.review_id, p.ordinal FROM passages p JOIN reviews r ON r.id = p.review_id"
                " WHERE p.spoiler_reason IS NOT NULL AND p.quotable = 1 AND r.spoiler = 0"
                " AND NOT EXISTS (SELECT 1 FROM passage_themes t WHERE t.passage_id = p.id AND t.theme = 'ending')"
                " ORDER BY p.id LIMIT 1 OFFSET ?", (i,),
            ).fetchone()
        finally:
            conn.close()
        return f"{row[0]}/{row[1] + 1}" if row else "1/1"

    c.messages[f"text-spoiler:{i}"] = await asyncio.to_thread(find)


async def _poll_ending(c: Ctx, i: int) -> None:
    await c.run("mod", "poll create", question=f"Bench ending poll {i}?", options="Yes|No", hours=1)


async def _theme_poll(c: Ctx, i: int) -> None:
    """A theme poll of one film (its deadline: 24 h); closing it posts the critics-vs-club fields."""
    await c.run("member", "poll theme", theme=("ending", "nostalgia")[i % 2], film=c.film(i * 3))


async def _pick_ending(c: Ctx, i: int) -> None:
    await c.run("mod", "config watchlist-approval", state="off")
    for side in "ab":  # a pick needs two films on the watchlist (a closed pick's winner leaves it)
        await c.run("mod", "watchlist add", film=f"Bench Pick {i}{side}", year=2000)
    await c.run("mod", "filmnight close-pick")
    await c.env.advance_time(1)  # the close above announces before the next pick opens
    await c.run("mod", "filmnight pick", candidates=2, hours=1)


async def _game_round(c: Ctx, i: int) -> None:
    # Another member's consented take (a member's own take is never a round for them).
    await c.run("mod", "rate film", film=c.film(i), stars=4, take=f"A take to guess, number {i}.")
    await c.run("mod", "rate consent", state="on")
    await c.run("member", "game critic-or-club", rounds=1)


async def _charts_forgotten(c: Ctx, i: int) -> None:
    from bot.club import charts

    charts.forget()


async def _corpus_write(c: Ctx, i: int) -> None:
    """A corpus write before the timed run: the summaries' first use after it is what is timed."""
    await c.run("mod", "review edit", review=str(1 + i * 11), outlet=f"Bench Outlet {i}")


async def _question(c: Ctx, i: int) -> None:
    await c.run("mod", "theme question add", theme="ending", question=f"Bench question {i} about {{film}}?")


# Tree order would close before it opens: these run in this order (setup first, removals last).
CASES: dict[str, Case] = {
    "help": Case("member", _fixed()),
    "config show": Case("mod", _fixed()),
    "config timezone": Case("mod", _fixed(zone="Europe/Paris")),
    "config moderator-role": Case("mod", _fixed()),
    "config log-channel": Case("mod", _fixed()),
    "config watchlist-approval": Case("mod", _fixed(state="off")),
    "config digest-hours": Case("mod", _fixed(hours=24)),
    "quote": Case("member", _fixed()),
    "quote critic:": Case("member", lambda c, i: {"critic": c.critics[i % len(c.critics)]}, command="quote"),
    "quote critic:Unattributed": Case("member", _fixed(critic="Unattributed"), command="quote"),
    "quote film:": Case("member", lambda c, i: {"film": c.film(i * 7)}, command="quote"),
    "quote theme:": Case("member", lambda c, i: {"theme": ("ending", "nostalgia", "performances")[i % 3]}, command="quote"),
    "quote theme: critic:Unattributed": Case("member", _fixed(theme="nostalgia", critic="Unattributed"), command="quote"),
    "quote about:": Case("member", lambda c, i: {"about": ("love", "music", "dream", "city")[i % 4]}, command="quote"),
    "quote critic: after a corpus write": Case("member", lambda c, i: {"critic": c.critics[i % len(c.critics)]},
                                               before=_corpus_write, command="quote"),
    "autocomplete critic after a corpus write": Case("member", _fixed(), before=_corpus_write,
                                                      kind="autocomplete:quote:critic:bench", command="quote"),
    "themes after a corpus write": Case("member", _fixed(), before=_corpus_write, command="themes"),
    "quote Another": Case("member", lambda c, i: {"message": c.messages["quote"], "label": "Another"}, kind="click", command="quote"),
    "autocomplete film": Case("member", _fixed(), kind="autocomplete:quote:film:Generated Film 01", command="quote"),
    "autocomplete critic": Case("member", _fixed(), kind="autocomplete:quote:critic:crit", command="quote"),
    "autocomplete theme": Case("member", _fixed(), kind="autocomplete:quote:theme:no", command="quote"),
    "search": Case("member", lambda c, i: {"query": ("love", "film music", "dream city")[i % 3]}),
    "critics": Case("member", _fixed()),
    "themes": Case("member", _fixed()),
    "discuss": Case("member", lambda c, i: {"theme": ("ending", "nostalgia", "performances")[i % 3]}),
    "debate": Case("member", lambda c, i: {"theme": ("ending", "nostalgia", "performances")[i % 3]}),
    "debate film:": Case("member", lambda c, i: {"theme": DEBATE_THEME,
                                                 "film": c.debate_films[i % len(c.debate_films)]
                                                 if c.debate_films else c.film(i)}, command="debate"),
    "film info": Case("member", lambda c, i: {"film": c.film(i)}),
    "film alias": Case("mod", lambda c, i: {"film": c.film(i), "title": f"Bench Other Title {i}"}),
    "film alias remove:": Case("mod", lambda c, i: {"film": c.film(i), "title": f"Bench Other Title {i}",
                                                    "remove": True}, command="film alias"),
    "theme list": Case("member", _fixed()),
    "theme question add": Case("mod", lambda c, i: {"theme": "ending", "question": f"Did {{film}} earn it {i}?"}),
    "theme question remove": Case("mod", lambda c, i: {"theme": "ending",
                                                       "question": f"Bench question {i} about {{film}}?"},
                                  before=_question),
    "suggest question": Case("member", lambda c, i: {"text": f"Which scene stayed with you, take {i}?",
                                                     "theme": "music"}),
    "poll create": Case("member", lambda c, i: {"question": f"Best ending {i}?", "options": "Sad|Happy|Open"}),
    "poll vote": Case("member", lambda c, i: {"message": c.messages["poll"], "label": ("Sad", "Happy")[i % 2]},
                      kind="click", command="poll create"),
    "poll theme": Case("member", lambda c, i: {"theme": ("ending", "nostalgia")[i % 2], "film": c.film(i)}),
    "poll list": Case("member", _fixed()),
    "poll results": Case("member", lambda c, i: {"poll": c.last("polls")}),
    "poll close": Case("mod", lambda c, i: {"poll": c.last("polls")}, before=_poll),
    "review add": Case("mod", lambda c, i: {"film": c.film(i), "critic": "Bench Critic",
                                            "file": (f"r{i}.txt", _review_text(i))}),
    "review import": Case("mod", lambda c, i: {"file": (f"i{i}.json", _export(i))}),
    "review add-link": Case("mod", lambda c, i: {"url": "http://127.0.0.1:9/review", "film": c.film(i)}),
    "review list": Case("member", lambda c, i: {"film": c.film(i)}),
    "review show": Case("member", lambda c, i: {"review": str(1 + i * 13)}),
    "review edit": Case("mod", lambda c, i: {"review": _top_review(c, 0), "outlet": f"Outlet {i}"}),
    "review history": Case("mod", lambda c, i: {"review": _top_review(c, 0)}),
    "review export": Case("mod", _fixed()),
    "passage tag": Case("mod", lambda c, i: {"passage": f"{i + 1}/2", "theme": "music"}),
    "passage untag": Case("mod", lambda c, i: {"passage": f"{i + 1}/1", "theme": "music"}, before=_tagged),
    "passage hide": Case("mod", lambda c, i: {"passage": f"{i + 1}/3"}),
    "passage show": Case("mod", lambda c, i: {"passage": f"{i + 1}/1"}, before=_hidden),
    "passage not-spoiler": Case("mod", lambda c, i: {"passage": c.messages.get(f"text-spoiler:{i}", "1/1")},
                                before=_text_spoiler),
    "passage flagged": Case("mod", _fixed()),
    "schedule set": Case("mod", lambda c, i: {"channel": c.channel, "time": "20:30", "days": "fri"}),
    "schedule list": Case("member", _fixed()),
    "schedule skip": Case("mod", lambda c, i: {"id": int(c.last("schedules"))}),
    "schedule pause": Case("mod", lambda c, i: {"id": int(c.last("schedules"))}),
    "schedule resume": Case("mod", lambda c, i: {"id": int(c.last("schedules"))}),
    "schedule test": Case("mod", lambda c, i: {"id": int(c.last("schedules"))}, before=_a_schedule),
    "schedule remove": Case("mod", lambda c, i: {"id": int(c.last("schedules"))}, before=_schedule),
    "watchlist add": Case("member", lambda c, i: {"film": c.film(i + 2), "note": "bench"}),
    "watchlist support": Case("mod", lambda c, i: {"film": c.film(i + 2)}),
    "watchlist list": Case("member", _fixed()),
    "watchlist pending": Case("mod", _fixed()),
    "watchlist import": Case("mod", lambda c, i: {"file": (f"w{i}.txt", f"Bench Import {i} (2002)\n".encode())}),
    "watchlist remove": Case("mod", lambda c, i: {"film": f"Bench Watch {i}"}, before=_watchlisted),
    "filmnight reminder-role": Case("mod", _fixed()),
    "filmnight reminder-mentions": Case("mod", _fixed(mode="interested")),
    "filmnight pick": Case("mod", _fixed(candidates=2, hours=24), before=_watch_two),
    "filmnight close-pick": Case("mod", _fixed(), before=_pick_open),
    "filmnight schedule": Case("mod", lambda c, i: {"film": c.film(1), "when": c.when(2 + i / 100), "where": "Rio"},
                               before=_before("filmnight cancel")),
    "filmnight next": Case("member", _fixed()),
    "filmnight move": Case("mod", lambda c, i: {"when": c.when(4 + i / 100)}),
    "filmnight unlock": Case("mod", _fixed()),
    "filmnight history": Case("member", _fixed()),
    "filmnight cancel": Case("mod", _fixed(), before=_scheduled),
    "rate film": Case("member", lambda c, i: {"film": c.film(i), "stars": 0.5 * (1 + i % 10), "take": "Lovely."}),
    "rate consent": Case("member", lambda c, i: {"state": ("on", "off")[i % 2]}),
    "watched": Case("member", lambda c, i: {"film": c.film(i)}),
    "history": Case("member", _fixed()),
    "club stats": Case("member", _fixed()),
    "ratings": Case("member", lambda c, i: {"film": c.film(i)}),
    # /club stats' chart is the same every run (kept after the first: bot/club/charts.py); this row draws it
    # every time. /ratings draws every run: each run names another film.
    "club stats (chart drawn: none kept)": Case("member", _fixed(), command="club stats", before=_charts_forgotten),
    "compare": Case("member", lambda c, i: {"film": c.film(i)}),
    "rate export": Case("member", _fixed()),
    "game critic-or-club": Case("member", _fixed(rounds=1)),
    "game leaderboard": Case("member", _fixed()),
    "rate remove": Case("member", lambda c, i: {"film": c.film(0)}, before=_rated),
    "rate forget-me": Case("member", _fixed(confirm=False)),
    "review remove": Case("mod", lambda c, i: {"review": _top_review(c, 0)}),
    # Timed jobs last: each moves the clock.
    "poll close (job)": Case("mod", _fixed(), before=_poll_ending, kind="job:3601", command="poll create"),
    # A /poll theme poll closing (the critics-vs-club split of its film's passages), across its 24 h deadline.
    "poll theme close (job)": Case("member", _fixed(), before=_theme_poll, kind="job:86401", command="poll theme"),
    "pick close (job)": Case("mod", _fixed(), before=_pick_ending, kind="job:3601", command="filmnight pick"),
    "game round reveal (job)": Case("member", _fixed(), before=_game_round, kind="job:61",  # a round: 60 s
                                    command="game critic-or-club"),
}


class Recorder:
    """Every request the bot sends to the simulated Discord, with its files and the answer, while on."""

    def __init__(self) -> None:
        self.on = False
        self.calls: list[dict[str, Any]] = []
        self._dispatch = router.dispatch

    def __enter__(self) -> Self:
        def recording(backend: Any, method: str, path: str, **kwargs: Any) -> Any:
            files = []
            if self.on:
                for f in kwargs.get("files") or []:
                    data = f.fp.read()
                    f.fp.seek(0)
                    files.append((f.filename, data, getattr(f, "description", None)))
            answer = self._dispatch(backend, method, path, **kwargs)
            if self.on:
                self.calls.append({"method": method, "path": path, "json": kwargs.get("json"),
                                   "params": kwargs.get("params"), "files": files, "answer": answer})
            return answer

        router.dispatch = recording
        return self

    def __exit__(self, *exc: object) -> None:
        router.dispatch = self._dispatch


class Holds:
    """The longest single function run on a database thread (the database thread's hold): aiosqlite's (what
    its connection queues is wrapped in a timer; the worker thread keeps reading the same queue) and the
    writer thread's (it times its own jobs). The bench reaches into aiosqlite's private queue for this
    figure only; the bot itself uses aiosqlite's public API (tests/core/test_no_private_apis.py)."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.aiosqlite_longest = 0.0
        conn = db.conn
        queue = conn._tx  # instrumentation only, see the docstring
        holds = self

        class Timed:
            def put_nowait(self, item: Any) -> None:
                future, function = item

                def timed() -> Any:
                    start = time.perf_counter()
                    try:
                        return function()
                    finally:
                        holds.aiosqlite_longest = max(holds.aiosqlite_longest, time.perf_counter() - start)

                queue.put_nowait((future, timed))

        conn._tx = Timed()
        # `/search`'s ranking reads on a connection and thread of its own (Database.read_aside): it holds no
        # other command, so it is not the database thread's hold; its longest read is reported beside it.
        self.aside_longest = 0.0
        read_aside = db.read_aside

        async def timed_aside(sql: str, params: Any = ()) -> Any:
            start = time.perf_counter()
            try:
                return await read_aside(sql, params)
            finally:
                holds.aside_longest = max(holds.aside_longest, time.perf_counter() - start)

        db.read_aside = timed_aside

    @property
    def longest(self) -> float:
        writer = self.db._writer
        return max(self.aiosqlite_longest, writer.longest_hold if writer is not None else 0.0)

    @longest.setter
    def longest(self, value: float) -> None:
        self.aiosqlite_longest = value
        if self.db._writer is not None:
            self.db._writer.longest_hold = value


def _ids(answer: Any) -> list[str]:
    if isinstance(answer, dict) and "id" in answer:
        return [str(answer["id"])]
    return []


async def replay(interaction: discord.Interaction | None, client: Any, calls: list[dict[str, Any]]) -> None:
    """Send `calls` again: the same routes and payloads, the original interaction's id and token (and
    the ids of what the original created, a message before its thread) swapped for this run's."""
    http = client.http
    swap: dict[str, str] = {}
    for call in calls:
        parts = call["path"].split("/")
        if interaction is None:
            pass
        elif "interactions" in parts and "callback" in parts:
            at = parts.index("interactions")
            swap[parts[at + 1]], swap[parts[at + 2]] = str(interaction.id), interaction.token
        elif "webhooks" in parts and len(parts) > parts.index("webhooks") + 2:
            swap[parts[parts.index("webhooks") + 2]] = interaction.token
        path = "/".join(swap.get(part, part) for part in parts)
        files = [discord.File(io.BytesIO(data), name, description=about) for name, data, about in call["files"]]
        route = discord.http.Route(call["method"], path)
        try:
            answer = await http.request(route, json=call["json"], params=call["params"], files=files or None)
        except discord.HTTPException:
            continue
        for old, new in zip(_ids(call["answer"]), _ids(answer), strict=False):
            swap[old] = new


@dataclass
class Figures:
    times: list[float]
    cpu_ms: float
    loop_gap_ms: float
    hold_ms: float
    calls: list[dict[str, Any]]
    aside_ms: float = 0.0  # the longest read on read_aside's own thread (wall time, its queue included)

    def summary(self) -> dict[str, float]:
        return {"p50_ms": median(self.times), "p99_ms": percentile(self.times, 0.99), "cpu_ms": self.cpu_ms,
                "loop_gap_ms": self.loop_gap_ms, "hold_ms": self.hold_ms, "calls": len(self.calls),
                "aside_ms": self.aside_ms}


def add_replay(bot: Any) -> None:
    """/bench-replay (a slash command with an autocomplete option) and a Replay button: each sends again
    the calls in `bot.bench_calls` (the exact-replay floor of the last case, as the same interaction kind)."""
    bot.bench_calls = []
    bot.bench_calls_by_channel = {}  # a burst's floor: each server replays what its own command sent

    def calls(interaction: discord.Interaction) -> list[dict[str, Any]]:
        return bot.bench_calls_by_channel.get(interaction.channel_id, bot.bench_calls)

    def done(interaction: discord.Interaction, kind: discord.InteractionResponseType) -> None:
        interaction.response._response_type = kind  # answered by the replay: discord.py sends nothing more

    async def typed(interaction: discord.Interaction, current: str) -> list[discord.app_commands.Choice[str]]:
        await replay(interaction, bot, calls(interaction))
        done(interaction, discord.InteractionResponseType.autocomplete_result)
        return []

    @bot.tree.command(name="bench-replay", description="Benchmark floor: the last case's requests, sent again.")
    @discord.app_commands.autocomplete(text=typed)
    async def bench_replay(interaction: discord.Interaction, text: str = "") -> None:
        await replay(interaction, bot, calls(interaction))
        done(interaction, discord.InteractionResponseType.channel_message)

    class ReplayButton(discord.ui.View):
        def __init__(self) -> None:
            super().__init__(timeout=None)

        @discord.ui.button(label="Replay", custom_id="bench:replay")
        async def again(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
            await replay(interaction, bot, calls(interaction))
            done(interaction, discord.InteractionResponseType.message_update)

    @bot.tree.command(name="bench-button", description="Benchmark: posts the Replay button.")
    async def bench_button(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("replay", view=ReplayButton())

    bot.bench_view = ReplayButton


# A job row times its own deadline only: whatever else falls due while the clock moves (the polls, digests,
# reminders and scheduled prompts other rows left behind, due hours later) runs in the untimed move before.
# Moving all <seconds> in the timed step timed those too: /pick close (job) at ~102k passages had p99 1160 ms
# (one run closing ~40 polls and posting digests), at 1.1M the bot did not settle in simcord's 5 s.
JOB_LEAD = 2.0
UNTIMED_SETTLE_S = 120.0


def leftovers_frozen() -> None:
    """What earlier rows left, collected and frozen out of the cyclic garbage collector, untimed.

    The bot runs inside the bench's process beside the simulated Discord, which keeps every message, thread,
    interaction and member the rows made (on Discord's servers in production). A full (generation-2) collection
    walks all of it while holding the GIL: at 69 passages 50-190 ms by the later rows (`python -m
    bench.gap_probe`), landing on whichever command, job or database call was running (`/schedule test`'s 71 ms
    loop gap in the session-9 run). A row then timed the leftovers of the rows before it. As `filmbot run`
    freezes its start-up heap (bot/core/heap.py), each series starts with the heap so far frozen: a collection in it walks what the series itself made. The bot's own long-lived heap
    (discord.py's message cache, at most 1,000 messages) is frozen with it; docs/benchmarks.md gives its size
    and a full collection's time over it. `measure` thaws everything at the end."""
    gc.collect()
    gc.freeze()


class Runner:
    """Times cases: bot time (to the last Discord call), CPU, loop gap and database-thread hold."""

    def __init__(self, ctx: Ctx, log: Any, recorder: Recorder, holds: Holds) -> None:
        self.ctx, self.log, self.recorder, self.holds = ctx, log, recorder, holds
        self.timing = False
        self.gap = 0.0

    async def ticker(self, stop: Any) -> None:
        last = time.perf_counter()
        while not stop.is_set():
            was = self.timing
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            if was and self.timing:
                self.gap = max(self.gap, now - last)
            last = now

    async def invoke(self, name: str, case: Case, i: int) -> Any:
        c = self.ctx
        actor = getattr(c, case.who)
        args = case.args(c, i)
        if case.kind == "click":
            return await actor.click(args["message"], label=args["label"])
        if case.kind.startswith("autocomplete:"):
            _, command, option, typed = case.kind.split(":", 3)
            return await actor.autocomplete(c.channel, command, option, typed)
        if case.kind.startswith("job:"):
            return await c.env.advance_time(min(JOB_LEAD, job_seconds(case)))
        return await actor.slash(c.channel, case.command or name, **args)

    async def series(self, run: Callable[[int], Awaitable[Any]], before: Callable[[int], Awaitable[Any]] | None,
                     repeat: int) -> Figures:
        """`repeat` timed runs after one warm-up (run number `repeat`), each series starting with what earlier
        rows left collected and frozen out of the garbage collector (`leftovers_frozen`)."""
        leftovers_frozen()
        times: list[float] = []
        cpu = 0.0
        self.gap, self.holds.longest, longest_hold, longest_aside = 0.0, 0.0, 0.0, 0.0
        last_calls: list[dict[str, Any]] = []
        for i in [repeat, *range(repeat)]:
            if before is not None:
                await before(i)
            self.recorder.calls = []
            self.recorder.on, self.timing, self.holds.longest, self.holds.aside_longest = True, True, 0.0, 0.0
            start = self.log.last = time.perf_counter()
            started_cpu = time.process_time()
            try:
                await run(i)
            finally:
                self.recorder.on, self.timing = False, False
            spent_cpu = time.process_time() - started_cpu
            if i == repeat:
                self.gap = 0.0
                continue
            if self.log.last == start:
                raise RuntimeError("the case made no Discord call")
            times.append((self.log.last - start) * 1000)
            cpu += spent_cpu
            longest_hold = max(longest_hold, self.holds.longest)
            longest_aside = max(longest_aside, self.holds.aside_longest)
            last_calls = self.recorder.calls
        return Figures(times, cpu * 1000 / repeat, self.gap * 1000, longest_hold * 1000, last_calls,
                       longest_aside * 1000)

    def up_to_deadline(self, case: Case, before: Callable[[int], Awaitable[Any]] | None
                       ) -> Callable[[int], Awaitable[Any]]:
        """A job row's untimed step: its `before`, then the clock to JOB_LEAD s short of the deadline."""
        async def run(i: int) -> None:
            if before is not None:
                await before(i)
            if (early := job_seconds(case) - JOB_LEAD) > 0:
                # Untimed, so simcord's 5 s settle limit is lifted here only: at 1.1M passages the ~40 polls
                # other rows leave due hours later close in one pass of ~4.3 s (their own rows time them).
                env = self.ctx.env
                settle, env.settle_timeout = env.settle_timeout, max(env.settle_timeout, UNTIMED_SETTLE_S)
                try:
                    await env.advance_time(early)
                finally:
                    env.settle_timeout = settle
        return run

    async def replay_and_move(self, calls: list[dict[str, Any]]) -> None:
        """A job row's floor: its calls sent again, and the clock moved the same JOB_LEAD s (simcord's clock
        machinery costs CPU in the row too; the bot's scheduler pass, its job's work, only in the row)."""
        await replay(None, self.ctx.env.bot, calls)
        await self.ctx.env.advance_time(JOB_LEAD)

    async def case(self, name: str, case: Case, repeat: int) -> tuple[Figures, Figures]:
        """(the case's figures, its exact-replay floor's)."""
        c = self.ctx
        before = None if case.before is None else (lambda i: case.before(c, i))  # type: ignore[misc]
        if case.kind.startswith("job:"):
            before = self.up_to_deadline(case, before)
        mine = await self.series(lambda i: self.invoke(name, case, i), before, repeat)
        c.env.bot.bench_calls = mine.calls
        actor = getattr(c, case.who)
        if case.kind.startswith("job:"):  # no interaction: the job's calls sent again by the bench itself
            floor = await self.series(lambda i: self.replay_and_move(mine.calls), None, repeat)
        elif case.kind == "click":
            button = c.messages["replay"]
            floor = await self.series(lambda i: actor.click(button, label="Replay"), None, repeat)
        elif case.kind.startswith("autocomplete:"):
            floor = await self.series(lambda i: actor.autocomplete(c.channel, "bench-replay", "text", "x"), None,
                                      repeat)
        else:
            floor = await self.series(lambda i: actor.slash(c.channel, "bench-replay"), None, repeat)
        return mine, floor


BOT_P99_MS, GAP_MS, HOLD_MS = 50.0, 50.0, 20.0


def film_labels(rows: list[tuple[int, str, int | None, int]], count: int = 60) -> list[str]:
    return [f"{title} ({year})" if year else title for _, title, year, _ in rows[:count]]


async def measure(database: Path, data_dir: Path, repeat: int, only: set[str] | None = None) -> dict[str, Any]:
    """Every case on `database` (a work copy: written), with /ping's figures as the baseline; `only`: just
    the cases so named (`--cases`)."""
    import asyncio

    import simcord

    from .roundtrip import make_bot, world
    from .size_bench import TimedRequests, open_store

    await (await open_store(database, data_dir)).close_store()  # adopt the corpus: no re-import at start
    bot = make_bot(database, data_dir, freeze_heap=True)  # as `filmbot run` runs it (bot/core/heap.py)
    add_replay(bot)
    results: dict[str, Any] = {}
    try:
        async with simcord.run(bot) as env:
            channel, mod, member = world(env)
            log = env.backend.http_requests = TimedRequests(env.backend.http_requests)
            store = bot.store.catalogue
            critics = [n for n in await store.named_critics()][:60] or ["Unattributed"]
            films = await store.films()
            ctx = Ctx(env, channel, mod, member, database, film_labels(films), critics)
            ctx.debate_films = await asyncio.to_thread(debatable_films, database, films)
            holds = Holds(store.db)
            stop = asyncio.Event()
            with Recorder() as recorder:
                runner = Runner(ctx, log, recorder, holds)
                ticking = asyncio.create_task(runner.ticker(stop))
                try:
                    ctx.messages["quote"] = (await member.slash(channel, "quote")).response
                    made = await member.slash(channel, "poll create", question="Bench?", options="Sad|Happy",
                                              anonymous=True)
                    ctx.messages["poll"] = made.response if made.response and made.response.components \
                        else channel.last_message
                    ctx.messages["replay"] = (await member.slash(channel, "bench-button")).response
                    ping = await runner.series(lambda i: member.slash(channel, "ping"), None, repeat)
                    results["/ping"] = {"mine": ping.summary()}
                    for name, case in CASES.items():
                        if only is not None and name not in only:
                            continue
                        try:
                            mine, floor = await runner.case(name, case, repeat)
                        except Exception as error:  # noqa: BLE001 - one broken case is a row saying so
                            results[name] = {"error": f"{type(error).__name__}: {error}"[:200]}
                            continue
                        results[name] = {"mine": mine.summary(), "floor": floor.summary()}
                finally:
                    stop.set()
                    await ticking
    finally:
        await bot.close_store()
        gc.unfreeze()  # the bench's next section starts with Python's default collector
    return results


def label(name: str) -> str:
    """A case's row name: a slash command with its slash, a button or an autocomplete as it is."""
    return name if name.startswith(("autocomplete", "poll vote", "quote Another")) else f"/{name}"


def rows(results: dict[str, Any], passages: int, row: Callable[..., None]) -> None:
    """One row per case: p99 against /ping's, and in its target text p50, the loop gap, the database
    thread's hold, the exact-replay floor (p99) and the CPU per run against the floor's."""
    ping = results["/ping"]["mine"]
    for name, figures in results.items():
        if name == "/ping":
            continue
        if "error" in figures:
            row(f"{label(name)} @ {passages} passages (p99)", float("nan"), ping["p99_ms"], "ms", f"FAILED {figures['error']}")
            continue
        mine, floor = figures["mine"], figures["floor"]
        ok = mine["p99_ms"] < BOT_P99_MS and mine["loop_gap_ms"] < GAP_MS and mine["hold_ms"] < HOLD_MS
        cpu = mine["cpu_ms"] / floor["cpu_ms"] if floor["cpu_ms"] else float("nan")
        row(f"{label(name)} @ {passages} passages (p99)", mine["p99_ms"], ping["p99_ms"], "ms (vs /ping)",
            f"p50 {mine['p50_ms']:.1f} · gap {mine['loop_gap_ms']:.1f} · hold {mine['hold_ms']:.1f}"
            + (f" (aside {mine['aside_ms']:.1f})" if mine.get("aside_ms") else "")
            + f" · floor p99 {floor['p99_ms']:.1f} ({mine['calls']} calls) · CPU {mine['cpu_ms']:.2f} ms,"
            f" {cpu:.2f}× floor · {'met' if ok else 'MISSED'}")
