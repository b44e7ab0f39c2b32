"""The one helper module of the suite: the demo server (World), database reads, what the bot sent,
Discord-limit checks, hostile strings and the per-example bot of the fuzzer."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from html import escape as html_escape
from pathlib import Path
from typing import Any

import discord
import simcord
from discord import app_commands
from hypothesis import strategies as st
from simcord.backend.models.channel import Overwrite
from simcord.enums import OverwriteType
from simcord.env import Env

from bench.pick_bench import counted, trip_points
from bot import Settings, create_bot
from tests import pg_backend

# -------------------- The demo server and the database



def count_db_trips(monkeypatch: Any, db: Any) -> list[int]:
    """Count trips from the loop to `db`'s threads from now on (read `trips[0]`; set it to 0 to restart): the
    bench's trip points (bench/pick_bench.py), undone with the test's monkeypatch."""
    trips = [0]
    for target, name in trip_points(db):
        monkeypatch.setattr(target, name, counted(getattr(target, name), trips))
    return trips

class World:
    """A demo server: #film-club, a moderator (Manage Server) and two members."""

    def __init__(self, env) -> None:
        self.env = env
        self.guild = env.create_guild(name="Film Club")
        self.channel = self.guild.create_text_channel("film-club")
        mods = self.guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
        self.mod_user = env.create_user("mod")
        self.mod = self.guild.add_member(self.mod_user, roles=[mods])
        self.alice_user = env.create_user("alice")
        self.alice = self.guild.add_member(self.alice_user)
        self.bob = self.guild.add_member(env.create_user("bob"))

        self.mod_role = mods

    @property
    def bot(self):
        return self.env.bot

    @property
    def db_path(self) -> Path:
        return self.env.bot.settings.database

    # -- the database, read only
    def q(self, sql: str, *args):
        return rows(self.env.bot.settings, sql, args)

    def count(self, table: str, where: str = "1", *args) -> int:
        return self.q(f"SELECT COUNT(*) FROM {table} WHERE {where}", *args)[0][0]

    def tables(self) -> list[str]:
        if self.env.bot.settings.database_url:
            return pg_backend.tables(self.env.bot.settings.database_url)
        return [r[0] for r in self.q("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]

    def digest(self) -> str:
        """Row counts + a hash of every row of every (non-FTS-shadow) table."""
        h = hashlib.sha256()
        if self.env.bot.settings.database_url:
            for t in self.tables():  # rows sorted whole: ORDER BY 1 leaves ties in any order on PostgreSQL
                found = sorted(repr(tuple(r)) for r in self.q(f"SELECT * FROM {t}"))
                h.update(repr((t, len(found), found)).encode())
            return h.hexdigest()
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            for t in self.tables():
                if t.startswith("passages_fts") or t == "sqlite_sequence":
                    continue
                rows = con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                h.update(repr((t, len(rows), rows)).encode())
        finally:
            con.close()
        return h.hexdigest()

    # -- what users see
    def bot_messages(self, channel=None) -> list[discord.Message]:
        channel = channel or self.channel
        me = self.env.bot.user.id
        return [m for m in channel.history() if m.author.id == me and not m.flags.ephemeral]


class Row(tuple):
    """A database row that compares like a tuple and also reads by column name (row["status"])."""

    names: tuple[str, ...]

    def __new__(cls, cursor: sqlite3.Cursor, values: tuple) -> Row:  # noqa: PYI034
        row = super().__new__(cls, values)
        row.names = tuple(column[0] for column in cursor.description)
        return row

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.names.index(key) if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def rows(where, sql: str, params: tuple = ()) -> list[Row]:
    """Rows of a read-only query on the test's database (what the bot stored, not what it says).

    `where` is the test's Settings or a database path."""
    url = getattr(where, "database_url", None)
    if url:
        return pg_backend.query(url, sql, tuple(params))  # type: ignore[return-value]
    con = sqlite3.connect(f"file:{getattr(where, 'database', where)}?mode=ro", uri=True)
    con.row_factory = Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def write(where, sql: str, *params) -> None:
    """A test's own set-up write (SQLite's dialect, on either backend): what the bot would not do itself."""
    url = getattr(where, "database_url", None)
    if url:
        pg_backend.execute(url, sql, params)
        return
    with sqlite3.connect(getattr(where, "database", where)) as conn:
        conn.execute(sql, params)
    conn.close()


def write_many(where, sql: str, values: list[tuple]) -> None:
    """`write` for many rows at once (a big server's seed): one transaction on SQLite."""
    url = getattr(where, "database_url", None)
    if url:
        for params in values:
            pg_backend.execute(url, sql, tuple(params))
        return
    with sqlite3.connect(getattr(where, "database", where)) as conn:
        conn.executemany(sql, values)
    conn.close()


def hold_write_lock(settings, seconds: float) -> threading.Thread:
    """Another process's write lock, taken now on a connection of our own and let go after `seconds` of real time:
    SQLite's (BEGIN IMMEDIATE on the file) or PostgreSQL's (the advisory lock every write transaction of the bot
    takes, bot/core/db_pg WRITE_LOCK_KEY). On PostgreSQL a SQLite lock would be taken on a file nobody reads, so
    the bot would never wait and a test of its late acknowledgement would check nothing."""
    taken = threading.Event()
    url = getattr(settings, "database_url", None)

    def hold_sqlite() -> None:
        conn = sqlite3.connect(settings.database, isolation_level=None, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()

    async def hold_postgres() -> None:
        import asyncpg

        from bot.core.db_pg import WRITE_LOCK_KEY

        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"SELECT pg_advisory_lock({WRITE_LOCK_KEY})")
            taken.set()
            await asyncio.sleep(seconds)
        finally:
            await conn.close()

    target = (lambda: asyncio.run(hold_postgres())) if url else hold_sqlite
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    assert taken.wait(10)
    return thread


def table_digest(path: Path | Settings) -> str:
    """A hash of every row of every table: proves a refused command wrote nothing."""
    digest = hashlib.sha256()
    url = getattr(path, "database_url", None)
    if url:
        for table in pg_backend.tables(url):  # rows sorted whole: ORDER BY 1 leaves ties in any order
            for text in sorted(repr(tuple(row)) for row in pg_backend.query(url, f"SELECT * FROM {table}")):
                digest.update(repr((table, text)).encode())
        return digest.hexdigest()
    path = getattr(path, "database", path)
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'passages_fts%' ORDER BY name"
        )]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


ROOT = Path(__file__).resolve().parents[1]


HOUR = 3600


DAY = 24 * HOUR


# A moderator's review of a second film: several passages, tagged jazz and ending.
WHIPLASH_REVIEW = (
    "Whiplash is a film about a young drummer who wants greatness more than love. Its jazz is fierce and "
    "loud, and the band rooms feel like boxing rings where every bar of music is a fight.\n\n"
    "The teacher is a monster, yet the film refuses to say whether his cruelty worked. The drumming scenes "
    "are edited like action sequences, and the sweat on the cymbals becomes a kind of poetry.\n\n"
    "The ending is a triumph and a defeat at once: the final solo is glorious, but the last look between "
    "them is chilling. You leave the theatre exhilarated and uneasy, unsure what you just cheered for."
)


WHIPLASH = (
    "Whiplash is a film about ambition and the cost of greatness. Andrew, a young jazz drummer, practises "
    "until his hands bleed. Fletcher, his teacher, believes that cruelty produces genius.\n\n"
    "The film is steeped in nostalgia for the golden age of big-band jazz, and Andrew idolises Buddy Rich. "
    "He keeps a poster of his hero above the bed and listens to old records every night.\n\n"
    "The final drum solo is electrifying. Nobody who sees it will forget the look on Fletcher's face.\n"
)


# -------------------- What the bot said


def msgs(result) -> list:
    """The reply and every followup of an interaction result."""
    return ([result.response] if result.response is not None else []) + list(result.followups)


def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or "", embed.author.name or "" if embed.author else ""]
    for f in embed.fields:
        parts += [f.name or "", f.value or ""]
    if embed.footer:
        parts.append(embed.footer.text or "")
    return "\n".join(p for p in parts if p)


def embed_of(message):
    assert message is not None and message.embeds, "expected an embed"
    return message.embeds[0]


def msg_text(m) -> str:
    return "\n".join([m.content or ""] + [embed_text(e) for e in m.embeds])


def text_of(result) -> str:
    return "\n".join(msg_text(m) for m in msgs(result))


def last_reply_text(result) -> str:
    message = result.response if result.response is not None else result.followups[-1]
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
    return "\n".join(parts)


def public_reply(result) -> str:
    replies = msgs(result)
    assert replies and not replies[0].ephemeral, f"expected a public reply: {text_of(result)[:300]}"
    return text_of(result)


def assert_ephemeral_reply(result, *needles: str) -> str:
    replies = msgs(result)
    assert replies, f"no reply at all: {result!r}"
    assert all(m.ephemeral for m in replies), f"a reply was public: {[msg_text(m)[:200] for m in replies]}"
    text = text_of(result)
    low = text.casefold()
    for needle in needles:
        assert needle.casefold() in low, f"{needle!r} not in reply {text!r}"
    return text


def text_field(shown) -> str:
    """The custom id of the text field in a modal the bot opened (rows or labels)."""
    for row in shown.modal["components"]:
        for item in row.get("components") or [row.get("component")]:
            if item and item.get("type") == 4:
                return item["custom_id"]
    raise AssertionError("no text field in the form")


def buttons(message) -> list[dict]:
    comps = message.components if isinstance(message.components, list) else []
    out = []

    def walk(items):
        for c in items:
            if isinstance(c, dict):
                if c.get("type") == 2:
                    out.append(c)
                walk(c.get("components", []))
            else:  # discord.ActionRow / discord.Button
                if isinstance(c, discord.Button):
                    out.append({"label": c.label, "disabled": c.disabled, "custom_id": c.custom_id, "type": 2})
                walk(getattr(c, "children", []))

    walk(comps)
    return out


def selects(message) -> list:
    out = []
    for row in message.components:
        for c in getattr(row, "children", []):
            if isinstance(c, discord.SelectMenu):
                out.append(c)
    return out


def message_payloads(env) -> list[dict]:
    """Every message body the bot sent: interaction callbacks, followups, channel messages, edits."""
    payloads = []
    for request in env.http_requests:
        body = request.json
        if not isinstance(body, dict) or request.method not in {"POST", "PATCH"}:
            continue
        if "/callback" in request.path:
            if body.get("type") not in (4, 7):  # a message or a message update; modals and acks carry none
                continue
            body = body.get("data") or {}
        if any(key in body for key in ("content", "embeds", "poll", "components")):
            payloads.append(body)
    return payloads


# Discord's masked link (simple-markdown's link rule), tried wherever a bracket is not taken by an escape.
MASKED_LINK = re.compile(r"\[((?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*)\]\(\s*<?((?:\([^)]*\)|[^\s\\]|\\.)*?)>?\s*\)")


def live_masked_links(markdown: str) -> list[str]:
    """The masked links a Discord reader could click in `markdown` (an escape takes the character after it)."""
    found: list[str] = []
    i = 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and not markdown[i + 1].isalnum():
            i += 2
            continue
        if markdown[i] == "[" and (match := MASKED_LINK.match(markdown, i)):
            found.append(match.group(0))
        i += 1
    return found


def assert_no_pings(env) -> None:
    """Every message the bot sent parsed no mentions at all."""
    payloads = message_payloads(env)
    assert payloads, "the bot sent nothing"
    for body in payloads:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, f"no allowed_mentions in {str(body)[:200]}"
        assert mentions.get("parse") == [] and not mentions.get("users") and not mentions.get("roles")


def bot_posts(world, channel=None) -> list[discord.Message]:
    me = world.bot.user.id
    return [m for m in (channel or world.channel).history()
            if m.author.id == me and not m.flags.ephemeral and m.type is discord.MessageType.default]


def channel_posts(world, channel) -> list[discord.Message]:
    me = world.bot.user.id
    return [m for m in channel.history()
            if m.author.id == me and not m.flags.ephemeral
            and m.type in (discord.MessageType.default, discord.MessageType.chat_input_command)]


def prompts(world, channel=None) -> list[discord.Message]:
    """The prompt messages the bot posted in a channel (embeds; thread notices excluded)."""
    return [m for m in (channel or world.channel).history() if m.author.id == world.bot.user.id and m.embeds]


def prompt_messages(world: World, channel=None) -> list[discord.Message]:
    """Bot messages in the channel that are discussion prompts (they carry an excerpt)."""
    out = []
    for m in world.bot_messages(channel):
        if m.type != discord.MessageType.default or not m.embeds:
            continue
        if "Unattributed review #" in msg_text(m) or "review #" in msg_text(m).casefold():
            out.append(m)
    return out


def results_messages(world, channel=None) -> list[discord.Message]:
    """The poll results the bot posted in a channel ("📊 Results of ...")."""
    return [m for m in world.bot_messages(channel) if m.embeds and (m.embeds[0].title or "").startswith("📊 Results of")]


def quote_passage(result) -> str:
    """The quoted passage (first blockquote line of the embed), spoiler tags removed."""
    emb = msgs(result)[0].embeds[0]
    desc = emb.description or ""
    m = re.search(r">\s?(.+)", desc)
    assert m, desc
    return m.group(1).replace("||", "").strip()


def prompt_question(description: str) -> str:
    """A prompt's question: its bold line, or its spoiler-tagged line (a spoiler theme's question)."""
    m = re.search(r"^(?:\*\*(.+?)\*\*|\|\|(.+?)\|\|)$", description, re.MULTILINE)
    assert m, description
    return (m[1] or m[2]).replace("\\", "")


def sentence_count(text: str) -> int:
    text = text.replace("[…]", "").replace("[...]", "")
    text = re.sub(r"\b(Mr|Mrs|Ms|Dr|St|vs|Jr|Sr|U\.S|L\.A|etc)\.", "X", text)
    text = re.sub(r"\b[A-Z]\.(?= [A-Z]\.)", "X", text)  # spaced initials: "L. A. traffic"
    ends = re.findall(r"[.!?…][”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9])", text)
    return len(ends) + 1


SPOILER_RE = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)


ENDING_WORDS = re.compile(r"\b(end|ends|ending|endings|ended|epilogue|final|finale|last|climax|closing)\b", re.IGNORECASE)


FOOTER = re.compile(r"Review #(\d+) · passage (\d+)")


def passage_id_of(settings, message) -> int:
    """The passage a quote embed shows, from its footer (review id + ordinal) checked against the DB."""
    footer = embed_of(message).footer.text
    match = FOOTER.search(footer)
    assert match, footer
    review, ordinal = int(match[1]), int(match[2]) - 1
    [(pid,)] = rows(settings, "SELECT id FROM passages WHERE review_id = ? AND ordinal = ?", (review, ordinal))
    return pid


def theme_ids(settings, theme: str) -> set[int]:
    """The quotable passages tagged `theme` (every passage is tagged; only quotable ones are offered)."""
    return {r[0] for r in rows(
        settings, "SELECT t.passage_id FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " WHERE t.theme = ? AND p.quotable = 1", (theme,))}


async def passage_matches(store, filters) -> set[int]:
    """Every passage a quote filter allows, by the picks' own WHERE (bot/quotes/store.py `_where`)."""
    clauses, params = store.quotes._where(filters)
    found = await store.db.fetchall(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"
        f" WHERE {' AND '.join(clauses)}", params)
    return {row[0] for row in found}


async def la_la_land_gate(world):
    """The spoiler gate of a La La Land screening far ahead (bot/core/spoilers.py `Gate`)."""
    from bot.core.spoilers import Gate, spoiler_keys

    film_id = await world.bot.store.catalogue.film_id("La La Land", 2016)
    return Gate(film_id, "La La Land (2016)", "2030-01-01T00:00:00+00:00", tuple(sorted(spoiler_keys(world.bot.themes))))


def held_passages(world, gate) -> set[int]:
    """The gated film's spoiler passages (and its untagged ones), read independently of the stores."""
    marks = ",".join("?" * len(gate.spoiler_themes))
    found = world.q(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.film_id = ? AND (r.spoiler = 1"
        f" OR p.quotable = 0 OR p.id IN (SELECT passage_id FROM passage_themes WHERE theme IN ({marks})))",
        gate.film_id, *gate.spoiler_themes)
    return {row[0] for row in found}


def themes_toml() -> dict:
    """Generic and film-only theme tables, {film} read as the bot shows it for an unnamed film."""
    import tomllib

    data = tomllib.loads((ROOT / "data" / "themes.toml").read_text().replace("{film}", "the film"))
    film_only = {k: v for f in data.get("films", {}).values() for k, v in f.get("themes", {}).items()}
    return {**{k: v for k, v in film_only.items() if k not in data["themes"]}, **data["themes"]}


def film_theme(bot, key: str, title: str = "La La Land", year: int | None = 2016):
    """The theme as prompts use it for one film (the bundled corpus is La La Land): call its
    questions_for(title) / debate_question_for(title) / poll_for(title)."""
    from bot.corpus import themes_for_film

    return themes_for_film(bot.themes, title, year)[key]


# -------------------- Discord's limits


LIMITS = {"content": 2000, "title": 256, "description": 4096, "footer": 2048, "author": 256}


def check_payload(body: dict[str, Any]) -> None:
    """One outgoing message body respects Discord's limits and pings nobody (the suite's one limit checker)."""
    mentions = body.get("allowed_mentions")
    assert mentions is not None and mentions.get("parse") == [], body.get("allowed_mentions")
    assert not mentions.get("users") and not mentions.get("roles") and not mentions.get("replied_user")
    assert len(body.get("content") or "") <= LIMITS["content"], "content over 2000"
    embeds = body.get("embeds") or []
    assert len(embeds) <= 10
    total = 0
    for embed in embeds:
        assert len(embed.get("title") or "") <= LIMITS["title"]
        assert len(embed.get("description") or "") <= LIMITS["description"]
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        assert len(footer) <= LIMITS["footer"] and len(author) <= LIMITS["author"]
        fields = embed.get("fields") or []
        assert len(fields) <= 25, f"{len(fields)} embed fields"
        for field in fields:
            assert 0 < len(field.get("name") or "") <= 256 and 0 < len(field.get("value") or "") <= 1024, field
        total += len(embed.get("title") or "") + len(embed.get("description") or "") + len(footer) + len(author)
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= 6000, f"embeds total {total}"
    for row in body.get("components") or []:
        for item in row.get("components") or []:
            assert len(item.get("custom_id") or "") <= 100
            assert len(item.get("label") or "") <= 80
            for option in item.get("options") or []:
                assert len(option.get("label") or "") <= 100 and len(option.get("value") or "") <= 100
    poll = body.get("poll")
    if poll:
        assert len(poll["question"]["text"]) <= 300
        assert 1 <= len(poll["answers"]) <= 10
        for answer in poll["answers"]:
            assert len(answer["poll_media"]["text"]) <= 55
    if "name" in body:
        assert len(body["name"]) <= 100


def check_all_payloads(env) -> None:
    """Every message the bot sent and every modal it opened is within Discord's limits and pings nobody."""
    for body in message_payloads(env):
        check_payload(body)
    check_modals(env)
    for request in env.http_requests:  # thread names (POST .../threads) carry no message body
        body = request.json
        if isinstance(body, dict) and request.method in ("POST", "PATCH") and "name" in body:
            assert len(body["name"]) <= 100, body["name"][:120]


def check_modals(env) -> None:
    """Every modal the bot opened fits Discord's modal limits."""
    for request in env.http_requests:
        body = request.json
        if "/callback" not in request.path or not isinstance(body, dict) or body.get("type") != 9:
            continue
        modal = body["data"]
        assert 1 <= len(modal["title"]) <= 45 and len(modal["custom_id"]) <= 100
        for row in modal["components"]:
            for field in row["components"]:
                assert len(field.get("label") or "") <= 45 and len(field["custom_id"]) <= 100
                assert len(field.get("placeholder") or "") <= 100
                assert len(field.get("value") or "") <= 4000


# -------------------- Driving the bot


async def add_review(world: World, who=None, text: str = WHIPLASH, name="whiplash.txt", **meta):
    meta.setdefault("film", "Whiplash")
    return await (who or world.mod).slash(world.channel, "review add", file=(name, text.encode()), **meta)


async def add_review_file(world, text: str = WHIPLASH_REVIEW, who=None, name="review.txt", **meta):
    meta.setdefault("film", "Whiplash")
    return await (who or world.mod).slash(world.channel, "review add", file=(name, text.encode()), **meta)


def unique_review(n: int) -> str:
    """A different review text each time (duplicates are refused), still quotable and themed."""
    words = ["amber", "brisk", "cobalt", "dusky", "ember", "fable", "gilded", "hollow", "ivory", "jade"]
    tag = " ".join(words[int(d)] for d in f"{n:04d}")
    return f"Review number {tag} begins here. " + WHIPLASH_REVIEW.replace("young drummer", f"young drummer ({tag})")


def export_json(n: int, start: int = 0) -> bytes:
    """A `/review import` file of n moderator reviews (Film {start} .. Film {start + n - 1})."""
    items = [
        {
            "film": f"Film {i}",
            "year": 2000 + i,
            "critic": f"Critic {i}",
            "outlet": None,
            "url": None,
            "date": None,
            "spoiler": False,
            "source": "moderator",
            "text": f"Film {i} is a quiet drama about a family that learns to speak again after loss {i}."
            " The director frames every dinner scene with patient, generous long takes.",
        }
        for i in range(start, start + n)
    ]
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": items}).encode()


async def create_poll(world: World, who=None, **opts):
    before = {m.id for m in world.bot_messages()}
    r = await (who or world.alice).slash(world.channel, "poll create", **opts)
    new = [m for m in world.bot_messages() if m.id not in before]
    return r, new


async def set_schedule(world: World, channel=None, who=None, **opts) -> int:
    r = await (who or world.mod).slash(world.channel, "schedule set", channel=channel or world.channel, **opts)
    text = assert_ephemeral_reply(r)
    m = re.search(r"#(\d+)", text)
    assert m and "schedule" in text.casefold(), text
    return int(m.group(1))


async def daily_paris(world, channel=None, **options):
    """A daily 09:00 Europe/Paris schedule, set by the moderator."""
    result = await world.mod.slash(world.channel, "schedule set", channel=channel or world.channel, time="09:00",
                                   timezone="Europe/Paris", **options)
    assert result.ephemeral and "Schedule set" in result.response.content, result.response.content
    return result


async def discuss_and_get_prompt(world: World, who, **opts):
    before = {m.id for m in prompt_messages(world)}
    r = await who.slash(world.channel, "discuss", **opts)
    new = [m for m in prompt_messages(world) if m.id not in before]
    return r, new


async def burst(env: Env, calls):
    """Fire several interactions before the bot handles any of them (true concurrency).

    simcord settles after each actor verb; here settlement is deferred until every interaction was
    emitted, so the bot sees them all at once, like fast double clicks or a crowd of members.
    """
    real = env._settle_internal

    async def no_settle(**_kw):
        return None

    env._settle_internal = no_settle
    try:
        results = [await call() for call in calls]
    finally:
        env._settle_internal = real
    await env.settle()
    return results


def posted_slots(settings, schedule_id: int | None = None) -> list[str]:
    sql = "SELECT slot_utc FROM schedule_posts WHERE status='posted'"
    params: tuple = ()
    if schedule_id is not None:
        sql += " AND schedule_id=?"
        params = (schedule_id,)
    return [r[0] for r in rows(settings, sql + " ORDER BY slot_utc", params)]


def slot_rows(settings) -> list[tuple[str, str]]:
    """(slot, status) of every scheduled post, oldest first."""
    return [(r["slot_utc"], r["status"]) for r in rows(settings, "SELECT * FROM schedule_posts ORDER BY slot_utc")]


def drop_manifest_entry(data_dir: Path, file_stem: str) -> None:
    path = data_dir / "manifest.toml"
    blocks = path.read_text(encoding="utf-8").split("[[review]]")
    kept = [b for b in blocks if file_stem not in b]
    assert len(kept) == len(blocks) - 1
    path.write_text("[[review]]".join(kept), encoding="utf-8")


# -------------------- Time and restarts


async def advance_to(world_or_env, *moment) -> None:
    """Move the clock to a UTC moment (a datetime, or its fields: 2026, 1, 1, 8) with the bot up.

    In half-day steps: simcord gives one advance_time call 5 s of real time in total."""
    env = getattr(world_or_env, "env", world_or_env)
    when = moment[0] if isinstance(moment[0], datetime) else datetime(*moment, tzinfo=UTC)
    assert when >= env.now()
    while env.now() < when:
        await env.advance_time(min((when - env.now()).total_seconds(), 12 * HOUR))


async def bot_down_for(env: simcord.Env, seconds: float) -> None:
    """The bot process is gone for `seconds` of virtual time, then starts again on the same database."""
    await env.shutdown()
    env.backend.advance_clock(seconds)
    await env.start()


# -------------------- Hostile input and the per-example bot of the fuzzer


NASTY = [
    '"', '"AND OR NEAR(', "NEAR(a b, 2)", "*", "jazz*", "^jazz", "col:jazz", "-jazz", "'", "\\", "()",
    "\x00", "a\x00b", "@everyone", "@here", "<@&123456789012345678>", "<@123456789012345678>",
    "<#123456789012345678>", "**bold** __u__ ||spoiler|| `code` ```block``` > quote # head",
    "\u202e\u200freversed", "مرحبا بالعالم", "🎬🍿👩‍👩‍👧‍👦", "x" * 10_000, "word " * 1_500, "   ", "\n\n\t",
    "%s %d {0} {{}}", "'; DROP TABLE reviews; --", "La La Land", "ending", "Europe/Paris", "25:61",
    "mon,funday", "http://", "javascript:alert(1)", "1e309", "-1", "0", "99999999999999999999",
    "|||", "a|a|a", "Unattributed review #999",
    # from the black-box grid fuzzer
    "AND OR NEAR(", "* NOT ^", "\ud800lone", "🎬🍿" * 30, "\u202eRTL\u202c mark", "@everyone @here",
    "<@&1234567890> <@1> <#1>", "-", "' OR 1=1; DROP TABLE reviews; --", "La La Land (2016)", "#1",
    "99999999999999999999999",
]


nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=120),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=40)),
)


# A valid value for each required string option, so that only the fuzzed option is hostile.
VALID_STRINGS = {
    "question": "Was the ending happy?", "options": "Yes|No", "time": "09:00", "zone": "UTC", "query": "jazz",
    "film": "La La Land", "theme": "ending", "poll": "1", "review": "1", "id": "1",
}


def string_options(command: app_commands.Command) -> list[str]:
    return [p.name for p in command.parameters if p.type is discord.AppCommandOptionType.string]


def leaf_commands(tree: app_commands.CommandTree) -> list[tuple[str, app_commands.Command]]:
    found = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.Group):
            for sub in command.walk_commands():
                if isinstance(sub, app_commands.Command):
                    found.append((sub.qualified_name, sub))
        elif isinstance(command, app_commands.Command):
            found.append((command.qualified_name, command))
    return found


def staff_channel(world: World) -> Any:
    """#staff: hidden from @everyone, open to the moderator and the bot."""
    staff = world.guild.create_text_channel("staff")
    hide = discord.Permissions(view_channel=True).value
    world.env.backend.set_overwrite(staff.id, Overwrite(world.guild.id, OverwriteType.ROLE, deny=hide))
    for member_id in (world.mod.user.id, world.bot.user.id):
        world.env.backend.set_overwrite(staff.id, Overwrite(member_id, OverwriteType.MEMBER, allow=hide))
    return staff


def grant_hidden_commands(world: World, target: Any) -> None:
    """What a server admin does under Server Settings → Integrations → filmbot: let `target` (a role or a member)
    see every command hidden from members by its default member permissions. The bot's own check still decides."""
    for command in world.bot.tree.get_commands():
        if command.default_permissions is not None:
            registered = world.env.backend.find_command(command.name, None)
            world.guild.set_command_permissions(int(registered["id"]), {target: True})


class Scenario(World):
    """The World of one hypothesis example (a fixture would be shared by every example), plus valid options."""

    def __init__(self, env: simcord.Env) -> None:
        super().__init__(env)
        self.role = self.mod_role
        self.member = self.alice

    def defaults(self, command: app_commands.Command) -> dict[str, Any]:
        """Valid values for every required option (the fuzzed one is overridden by the caller)."""
        values: dict[str, Any] = {}
        for p in command.parameters:
            if not p.required:
                continue
            kind = p.type
            if kind is discord.AppCommandOptionType.string:
                values[p.name] = VALID_STRINGS.get(p.name, "x")
                continue
            if kind is discord.AppCommandOptionType.channel:
                values[p.name] = self.channel
            elif kind is discord.AppCommandOptionType.role:
                values[p.name] = self.role
            elif kind in (discord.AppCommandOptionType.user, discord.AppCommandOptionType.mentionable):
                values[p.name] = self.member
            elif kind is discord.AppCommandOptionType.integer or kind is discord.AppCommandOptionType.number:
                values[p.name] = 1
            elif kind is discord.AppCommandOptionType.boolean:
                values[p.name] = False
            else:
                return {"__skip__": True}  # attachments are fuzzed in their own tests
        return values


def run_with_bot(template: Path, scenario: Callable[[Scenario], Awaitable[None]]) -> None:
    """Run `scenario` against a fresh bot whose database starts as a copy of `template`."""

    async def main() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            database = Path(tmp) / "fuzz.db"
            shutil.copy(template, database)
            bot = create_bot(Settings(database=database))
            try:
                async with simcord.run(bot) as env:
                    await scenario(Scenario(env))
            finally:
                await bot.close_store()

    asyncio.run(main())


def build_template(path: Path) -> Path:
    """A migrated, imported database, so each example skips the import."""

    async def main() -> None:
        bot = create_bot(Settings(database=path))
        try:
            async with simcord.run(bot):
                pass
        finally:
            await bot.close_store()

    asyncio.run(main())
    return path


# -------------------- A review website on loopback (for /review add-link and the safe fetcher)

REVIEW_PAGES = Path(__file__).parent / "data" / "review_pages"


class ReviewSite:
    """A real HTTP server on 127.0.0.1 (its own thread and event loop, so serving never shows up as the
    bot's loop lag) with the review pages of tests/data/review_pages and the hostile cases.

    Paths: /page/<name>[?gz=1|deflate=zlib|deflate=raw][&charset=X] (a page; one not in UTF-8 (latin1, shapes_cp1252) is served without a charset header, `charset`
    declares X whatever the page is), /text (plain text),
    /hop/<n> (n redirects, then the blog page), /to?u=<url> (one redirect anywhere), /big (50 MB),
    /bomb (gzip that inflates to 100 MB), /drip (one byte a second), /status/<code>[?retry=<Retry-After>], /image, /nested (10,000 levels),
    /frontpage (links only), /ld?<field>=<value> (the JSON-LD page with its author, publisher, film, date or
    headline replaced: `<field>_x=<n>` repeats the value n times, for values longer than a URL may carry).
    """

    def __init__(self) -> None:
        import threading

        self.requests: list[dict[str, str]] = []  # headers of every request received
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def allow(self) -> tuple[str, ...]:
        return (f"127.0.0.1:{self.port}",)

    def start(self) -> ReviewSite:
        gzip_bomb()  # built now: building it while a test measures loop lag would compete for the GIL
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/page/{name}", self._page)
        app.router.add_get("/hop/{n}", self._hop)
        app.router.add_get("/to", self._to)
        app.router.add_get("/status/{code}", self._status)
        app.router.add_get("/ld", self._ld)
        for path in ("text", "big", "bomb", "drip", "image", "nested", "frontpage"):
            app.router.add_get(f"/{path}", getattr(self, f"_{path}"))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()

    def _seen(self, request: Any) -> None:
        self.requests.append({"path": request.path_qs, **dict(request.headers)})

    async def _page(self, request: Any) -> Any:
        import gzip
        import zlib

        from aiohttp import web

        self._seen(request)
        path = REVIEW_PAGES / f"{request.match_info['name']}.html"
        if not path.is_file():
            return web.Response(status=404, text="not found")
        body = path.read_bytes()
        # a page saved in a legacy encoding is served as such sites serve it: its charset only in its own <meta>
        kind = "text/html; charset=utf-8" if _is_utf8(body) else "text/html"
        if request.query.get("charset"):  # a header that lies about the page's encoding
            kind = f"text/html; charset={request.query['charset']}"
        headers = {"Content-Type": kind}
        if request.query.get("gz"):
            body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
        if request.query.get("deflate"):  # zlib: deflate as RFC 9110 says; raw: bare deflate, as some servers send
            squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS if request.query["deflate"] == "raw" else zlib.MAX_WBITS)
            body, headers["Content-Encoding"] = squeeze.compress(body) + squeeze.flush(), "deflate"
        return web.Response(body=body, headers=headers)

    async def _ld(self, request: Any) -> Any:
        """The JSON-LD review page with the structured data (and headline) a hostile site chose."""
        from aiohttp import web

        self._seen(request)
        defaults = {"author": "Samuel Okafor", "publisher": "Screen Notes Quarterly", "film": "Moonlight",
                    "date": "2016-10-21", "headline": "Moonlight is a quiet revolution in three chapters"}
        value = {k: request.query.get(k, v) * int(request.query.get(f"{k}_x", 1)) for k, v in defaults.items()}
        page = (REVIEW_PAGES / "jsonld.html").read_text(encoding="utf-8")
        for key, old in defaults.items():
            new = value[key]
            if key == "headline":
                page = page.replace(old, html_escape(new))
            else:
                page = page.replace(json.dumps(old), json.dumps(new))
        return web.Response(text=page, content_type="text/html")

    async def _text(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        text = (REVIEW_PAGES / "plain.txt").read_text(encoding="utf-8")
        return web.Response(text=text, content_type="text/plain")

    async def _hop(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        n = int(request.match_info["n"])
        if n <= 0:
            return await self._page_named(request, "blog")
        raise web.HTTPFound(f"/hop/{n - 1}")

    async def _page_named(self, request: Any, name: str) -> Any:
        request.match_info["name"] = name
        return await self._page(request)

    async def _to(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        return web.Response(status=302, headers={"Location": request.query["u"]})

    async def _big(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        size = 50 * 1024 * 1024
        response = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Length": str(size)})
        await response.prepare(request)
        chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
        try:
            for _ in range(size // len(chunk)):
                await response.write(chunk)
        except (ConnectionError, RuntimeError):
            pass
        return response

    async def _bomb(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        return web.Response(body=gzip_bomb(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    async def _drip(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        try:
            for byte in b"<html><body><p>" + b"drip " * 100:
                await response.write(bytes([byte]))
                await asyncio.sleep(1)
        except (ConnectionError, RuntimeError):
            pass
        return response

    async def _status(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        headers = {"Retry-After": request.query["retry"]} if "retry" in request.query else {}
        return web.Response(status=int(request.match_info["code"]), text="busy", headers=headers)

    async def _image(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + bytes(2000), content_type="image/png")

    async def _nested(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        depth = 10_000
        body = "<html><body>" + "<div>" * depth + "<p>Deep down there is a sentence about a film. " * 3
        body += "</p>" + "</div>" * depth + "</body></html>"
        return web.Response(text=body, content_type="text/html")

    async def _frontpage(self, request: Any) -> Any:
        from aiohttp import web

        self._seen(request)
        links = "".join(f'<li><a href="/r/{n}">Review number {n} of the week</a></li>' for n in range(40))
        body = f"<html><head><title>Reel Thoughts</title></head><body><ul>{links}</ul></body></html>"
        return web.Response(text=body, content_type="text/html")


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_BOMB: bytes | None = None


def gzip_bomb() -> bytes:
    """~100 KB of gzip that inflates to 100 MB of spaces (built once)."""
    import zlib

    global _BOMB
    if _BOMB is None:
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b" " * (1024 * 1024)
        _BOMB = b"".join(packer.compress(block) for _ in range(100)) + packer.flush()
    return _BOMB


async def least_loop_gap(make_work: Callable[[], Awaitable[Any]], tries: int = 3, limit: float = 0.1):
    """(gap, result) of `make_work()` under `longest_loop_gap`, retried while the gap is over `limit`:
    on a shared, loaded machine the process itself is sometimes descheduled for 100+ ms; a stall our
    code causes shows on every try."""
    best: tuple[float, Any] = (float("inf"), None)
    for _ in range(tries):
        gap, result = await longest_loop_gap(make_work())
        best = min(best, (gap, result), key=lambda pair: pair[0])
        if gap < limit:
            break
    return best


async def longest_loop_gap(
    work: Awaitable[Any], clock: Callable[[], float] | None = None, tick: float = 0.005
) -> tuple[float, Any]:
    """Run `work` while a `tick` ticker runs on the loop: (the longest gap between ticks in s, its result
    or the exception it raised). The default clock is wall time, which also catches blocking waits;
    `time.thread_time` counts only the CPU the loop's thread spent, which a loaded machine cannot inflate."""
    import time

    read = clock or time.perf_counter
    gaps = [0.0]
    done = asyncio.Event()

    async def ticker() -> None:
        last = read()
        while not done.is_set():
            await asyncio.sleep(tick)
            now = read()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    try:
        result: Any = await work
    except Exception as error:  # noqa: BLE001 - handed back to the test
        result = error
    finally:
        done.set()
        await ticking
    return max(gaps), result


# -------------------- Forged component interactions


def registered_templates(bot: Any) -> dict[str, type]:
    """Every persistent component of the bot (each `Persistent` subclass with a template of its own), by its
    custom id template: a forged-click sweep walks these, so a new button cannot be forgotten. Walked from the
    classes, since discord.py keeps the registered ones privately; `bot` must be up (its cogs imported)."""
    from bot.core.persistent import Persistent

    found: dict[str, type] = {}
    pending: list[type] = [Persistent]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        pattern = cls.__discord_ui_compiled_template__.pattern  # type: ignore[attr-defined]
        if pattern != "(?!)":
            found[pattern] = cls
    assert bot.is_ready() or bot.user is not None
    return found


def forged_ids(template: str) -> list[str]:
    """Custom ids a member could forge for `template`: every numeric group at its largest (negative too where
    allowed) and at 0, a fixed-choice group at each of its values, an optional tail with and without."""
    group = re.compile(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)")
    tail = re.compile(r"\(\?:((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)\?$")

    def values(body: str, big: bool) -> list[str]:
        digits = re.fullmatch(r"(-\?)?\\d\{1,(\d+)\}", body)
        if digits:
            most = "9" * int(digits[2])
            return ([most, "-" + most] if digits[1] else [most]) if big else ["0"]
        if re.fullmatch(r"\[\w+\]", body):
            return list(body[1:-1])
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")
        return ["99-99", "99"] if big else ["0"]  # a ballot's choices so far (`\d{1,2}(?:-\d{1,2})?`)

    found = []
    for base in {template, tail.sub("", template), tail.sub(r"\1", template)}:
        for big in (True, False):
            candidates = [""]
            for index, part in enumerate(group.split(base)):  # literal, group body, literal, ...
                if index % 2 == 0:
                    candidates = [c + part.replace("\\", "") for c in candidates]
                else:
                    candidates = [c + v for c in candidates for v in values(part, big)]
            found += [c for c in candidates if re.fullmatch(template, c)]
    return sorted(set(found))


async def click_forged(env: Env, actor: Any, message: Any, custom_id: str, values: list[str] | None = None):
    """`actor` uses a component with `custom_id` that the bot never sent: Discord only lets a client send a
    custom id that is on the message, so the forger's id is put on `message` first (a button, or a select
    when `values` are given) and then clicked or chosen."""
    stored = env.backend.get_message(message.channel_id, message.id)
    if values is None:
        component: dict[str, Any] = {"type": 2, "style": 1, "label": "forged", "custom_id": custom_id}
    else:
        options = [{"label": v, "value": v} for v in values]
        component = {"type": 3, "custom_id": custom_id, "options": options, "min_values": 1, "max_values": len(values)}
    stored.components = [{"type": 1, "components": [component]}]
    if values is None:
        return await actor.click(message, custom_id=custom_id)
    return await actor.select(message, values, custom_id=custom_id)
