"""The offline playground: the real bot in simcord's browser preview, served on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

# The preview's optional runtime (simcord[preview]); without it there is nothing to serve.
for _module in ("aiohttp", "markdown_it", "linkify_it", "regex", "PIL"):
    pytest.importorskip(_module, reason=f"the playground needs simcord[preview] ({_module} is missing)")

import aiohttp

from bot import Settings
from bot.playground import Clock, PageClient, build_world, command_from_page, open_preview, reply_text, serve


async def page_state(url: str, viewer_id: int) -> dict:
    """What a freshly opened browser page shows to the viewer."""
    async with aiohttp.ClientSession() as http:
        return await PageClient(url, http).open(viewer_id)


async def test_page_is_served_on_loopback(simcord_env):
    """The preview page answers 200 on 127.0.0.1 and offers the three demo viewers."""
    world = build_world(simcord_env)
    async with open_preview(world) as preview:
        assert urlsplit(preview.url).hostname == "127.0.0.1"
        async with aiohttp.ClientSession() as http, http.get(preview.url) as response:
            assert response.status == 200
            assert "text/html" in response.headers["Content-Type"]
        state = await page_state(preview.url, world.alice.id)
    assert state["channel"]["name"] == "film-club"
    assert sorted(viewer["name"] for viewer in state["viewers"]) == ["alice", "bob", "mod"]


async def test_quote_from_the_page_as_a_member(simcord_env, settings):
    """/quote run from the page as alice shows a seed passage with the unattributed label."""
    world = build_world(simcord_env)
    async with open_preview(world) as preview:
        state = await command_from_page(preview.url, world.alice.id, "quote", theme="nostalgia")
    text = reply_text(state)
    assert "Unattributed review #" in text
    # What the page holds (a spoiler's text is there, behind its bars; the terminal summary hides it).
    raw = [e.get("description") or "" for m in state["messages"].values() for e in m.get("embeds") or []]
    shown = "\n".join(raw).replace("\\", "")  # the bot escapes markdown in corpus text
    with sqlite3.connect(settings.database) as conn:
        stored = [row[0] for row in conn.execute("SELECT text FROM passages WHERE quotable")]
    assert any(passage in shown for passage in stored), "the page shows a passage from the database"


async def test_clock_moves_virtual_time_by_speed(simcord_env):
    """One tick at speed 60 moves the virtual clock a minute and leaves a quiet page alone."""
    world = build_world(simcord_env)
    async with open_preview(world) as preview:
        before_state = await page_state(preview.url, world.bob.id)
        clock = Clock(simcord_env, preview, speed=60)
        before = simcord_env.now()
        await clock.tick(60)
        assert simcord_env.now() - before == timedelta(seconds=60)
        after_state = await page_state(preview.url, world.bob.id)
    assert after_state["publishedRevision"] == before_state["publishedRevision"]


async def test_clock_refreshes_page_when_the_bot_posts(simcord_env):
    """A message the bot posts on its own (like a scheduled prompt) appears after the next tick."""
    world = build_world(simcord_env)
    async with open_preview(world) as preview:
        clock = Clock(simcord_env, preview, speed=1)
        async with aiohttp.ClientSession() as http:
            page = PageClient(preview.url, http)
            await page.open(world.mod.id)
            channel = simcord_env.bot.get_channel(world.channel.id)
            await channel.send("Scheduled prompt: what did the ending mean?")
            await clock.tick(1)
            state = await page.request("GET", "/api/state")
    contents = [message["content"] for message in state["messages"].values()]
    assert "Scheduled prompt: what did the ending mean?" in contents


async def test_check_mode_runs_quote_and_prints_the_url(tmp_path):
    """`filmbot playground --check` runs /quote from the page, prints it and the URL, exits 0."""
    lines: list[str] = []
    settings = Settings(database=tmp_path / "playground.db")
    code = await serve(settings, port=0, speed=1.0, check=True, out=lines.append)
    output = "\n".join(lines)
    assert code == 0
    assert "Unattributed review #" in output
    assert "Preview served at http://127.0.0.1:" in output
    with sqlite3.connect(settings.database) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3


def test_check_output_is_plain_text():
    """--check prints what a person reads: no markdown marks or escapes, times and channels by name."""
    from datetime import UTC, datetime

    from bot.playground import plain

    text = plain(r"Started **a** \*take\* on ||the ending|| <t:1767254400:F> (<t:1767254400:R>) in <#7>.",
                 {7: "film-club"}.get, datetime(2026, 1, 1, tzinfo=UTC))
    assert text == "Started a *take* on [spoiler] Thursday 01 January 2026, 08:00 UTC (in 8 hours) in #film-club."


def test_check_output_drops_quote_marks_italics_and_code():
    """--check prints no "> " quote marks, *italics* or `code` marks; escaped ones stay as the characters."""
    from bot.playground import plain

    text = plain("> [quote]\n— Unattributed review #3 on *La La Land (2016)*\nTry `/quote` \\*now\\* \\> 2")
    assert text == "[quote]\n— Unattributed review #3 on La La Land (2016)\nTry /quote *now* > 2"


@pytest.mark.slow
def test_playground_never_uses_a_postgresql_filmbot_database(tmp_path):
    """`filmbot playground` with FILMBOT_DATABASE=postgresql://… set (a production .env) still runs on its own
    SQLite file in the temp folder (README: it never uses FILMBOT_DATABASE)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path), "FILMBOT_METADATA": "off",
           "FILMBOT_DATABASE": "postgresql://nobody@127.0.0.1:9/production"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", "/nonexistent/.env", "playground", "--check", "--port", "0"],
        check=False, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Preview served at http://127.0.0.1:" in done.stdout
    with sqlite3.connect(tmp_path / "filmbot-playground.db") as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3


@pytest.mark.parametrize("speed", [float("nan"), float("inf"), 1e308])
def test_a_speed_the_clock_cannot_run_at_is_refused_in_one_line(tmp_path, capsys, speed):
    """--speed nan, inf or 1e308 passed the `> 0` check: a clock advanced by nan or inf seconds (its every tick
    failing) and a game round whose deadline overflowed; now refused like 0, exit 2, nothing created."""
    from bot.playground import run_playground

    settings = Settings(database=tmp_path / "playground.db")
    assert run_playground(settings, port=0, speed=speed, check=True) == 2
    err = capsys.readouterr().err
    assert err.startswith("filmbot playground: --speed must be > 0") and err.count("\n") == 1
    assert not settings.database.exists()
