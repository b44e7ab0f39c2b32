"""Shared fixtures: a bot on a fresh temporary database, driven through simcord."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import discord
import pytest

# Every test sees Discord errors as discord.py raises them (DiscordServerError for 5xx), see faults.py.
from faults import realistic_http_errors  # noqa: F401

from bot import Settings, create_bot


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "filmbot.db")


@pytest.fixture
async def simcord_bot(settings: Settings):
    bot = create_bot(settings)
    yield bot
    # simcord never calls close(); without this the database stays open.
    await bot.close_store()


class World:
    """A demo server: #film-club, a moderator (Manage Server) and two members."""

    def __init__(self, env) -> None:
        self.env = env
        self.guild = env.create_guild(name="Film Club")
        self.channel = self.guild.create_text_channel("film-club")
        mods = self.guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
        self.mod = self.guild.add_member(env.create_user("mod"), roles=[mods])
        self.alice = self.guild.add_member(env.create_user("alice"))
        self.bob = self.guild.add_member(env.create_user("bob"))

    @property
    def bot(self):
        return self.env.bot


@pytest.fixture
def world(simcord_env) -> World:
    return World(simcord_env)


def table_digest(path: Path) -> str:
    """A hash of every row of every table: proves a refused command wrote nothing."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'passages_fts%' ORDER BY name"
        )]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


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


def assert_no_pings(env) -> None:
    """Every message the bot sent parsed no mentions at all."""
    payloads = message_payloads(env)
    assert payloads, "the bot sent nothing"
    for body in payloads:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, f"no allowed_mentions in {str(body)[:200]}"
        assert mentions.get("parse") == [] and not mentions.get("users") and not mentions.get("roles")


def db(settings, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of a read-only query on the test's database (what the bot stored, not what it says)."""
    con = sqlite3.connect(f"file:{settings.database}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def msgs(result) -> list:
    """The reply and every followup of an interaction result."""
    return ([result.response] if result.response is not None else []) + list(result.followups)


def text_field(shown) -> str:
    """The custom id of the text field in a modal the bot opened (rows or labels)."""
    for row in shown.modal["components"]:
        for item in row.get("components") or [row.get("component")]:
            if item and item.get("type") == 4:
                return item["custom_id"]
    raise AssertionError("no text field in the form")


# A moderator's review of a second film: several passages, tagged jazz and ending.
WHIPLASH_REVIEW = (
    "Whiplash is a film about a young drummer who wants greatness more than love. Its jazz is fierce and "
    "loud, and the band rooms feel like boxing rings where every bar of music is a fight.\n\n"
    "The teacher is a monster, yet the film refuses to say whether his cruelty worked. The drumming scenes "
    "are edited like action sequences, and the sweat on the cymbals becomes a kind of poetry.\n\n"
    "The ending is a triumph and a defeat at once: the final solo is glorious, but the last look between "
    "them is chilling. You leave the theatre exhilarated and uneasy, unsure what you just cheered for."
)
