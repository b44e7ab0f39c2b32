"""Issue 30: the club's charts are drawn in the chart worker process, never on the bot's GIL; a slow chart
is acknowledged first, a crashed or runaway worker gives the text fallback and a private note, and the
next chart gets a new worker."""

from __future__ import annotations

import os
import time

from bot.club import charts
from bot.club import service as club_service
from bot.club import stats as club_stats
from bot.core import slow
from tests.helpers import add_review, embed_text, msgs

FILM = "La La Land"


# Module-level, so the worker can unpickle them by name.
def _pid_png(*_: object) -> bytes:
    return f"drawn by {os.getpid()}".encode()


def _crash(*_: object) -> bytes:
    os._exit(3)


def _hang(*_: object) -> bytes:
    time.sleep(30)
    return b""


def _slow_pid_png(*args: object) -> bytes:
    time.sleep(0.6)
    return _pid_png(*args)


async def _rated(world, films=(FILM,)):
    if "Whiplash" in films:
        await add_review(world, year=2014)  # the seed corpus knows La La Land only
    for i, film in enumerate(films):
        for n in range(2):
            member = world.guild.add_member(world.env.create_user(f"rater{i}x{n}"))
            await member.slash(world.channel, "rate film", film=film, stars=3 + n)


async def test_ratings_chart_is_drawn_in_another_process(world, monkeypatch):
    """/ratings attaches the PNG the chart worker drew: a process other than the bot's."""
    await _rated(world)
    monkeypatch.setattr(club_service, "chart_png", _pid_png)
    [message] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    [attachment] = message.attachments
    drawn_by = int((await attachment.read()).decode().split()[-1])
    assert attachment.filename == "ratings.png" and drawn_by != os.getpid()
    assert not message.ephemeral and not world.env.errors


async def test_club_stats_chart_is_drawn_in_another_process(world, monkeypatch):
    """/club stats attaches the PNG the chart worker drew, not one drawn in the bot's process."""
    await _rated(world, (FILM, "Whiplash"))
    monkeypatch.setattr(club_stats, "chart_png", _pid_png)
    [message] = msgs(await world.bob.slash(world.channel, "club stats"))
    [attachment] = message.attachments
    assert attachment.filename == "club-stats.png"
    assert int((await attachment.read()).decode().split()[-1]) != os.getpid()


async def test_a_crashing_chart_worker_gives_text_bars_and_a_private_note(world, monkeypatch):
    """The worker dies mid-chart: the ratings come as text bars, the member is told privately, nothing is
    lost, and the next /ratings gets a chart from a new worker."""
    await _rated(world)
    monkeypatch.setattr(club_service, "chart_png", _crash)
    reply, note = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    assert not reply.ephemeral and not reply.attachments and "█" in embed_text(reply.embeds[0])
    assert note.ephemeral and note.content == charts.FALLBACK_NOTE
    assert world.count("club_ratings") == 2
    monkeypatch.setattr(club_service, "chart_png", _pid_png)
    [again] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    assert [a.filename for a in again.attachments] == ["ratings.png"]
    assert not world.env.errors


async def test_a_crashing_chart_worker_gives_club_stats_as_text_and_a_private_note(world, monkeypatch):
    """/club stats with a worker that dies: the averages come as a text field, the member is told privately."""
    await _rated(world, (FILM, "Whiplash"))
    monkeypatch.setattr(club_stats, "chart_png", _crash)
    reply, note = msgs(await world.bob.slash(world.channel, "club stats"))
    assert not reply.ephemeral and not reply.attachments and "Averages" in embed_text(reply.embeds[0])
    assert note.ephemeral and note.content == charts.FALLBACK_NOTE
    monkeypatch.setattr(club_stats, "chart_png", _pid_png)
    [again] = msgs(await world.bob.slash(world.channel, "club stats"))
    assert [a.filename for a in again.attachments] == ["club-stats.png"]


async def test_a_runaway_chart_is_killed_and_the_next_one_drawn(monkeypatch):
    """A chart past CHART_TIMEOUT: None (the caller's text fallback) in about that time, its worker killed,
    the next chart drawn by a new worker. (Outside simcord: its virtual clock waits for the worker.)"""
    monkeypatch.setattr(charts, "CHART_TIMEOUT", 0.5)
    started = time.monotonic()
    assert await charts.draw(_hang) is None
    assert time.monotonic() - started < 5
    monkeypatch.setattr(charts, "CHART_TIMEOUT", 30.0)  # the new worker warms up (imports matplotlib) first
    assert (await charts.draw(_pid_png)).startswith(b"drawn by ")


async def test_charts_past_the_queue_limit_fall_back_at_once(monkeypatch):
    """More charts waiting than WAITING_MAX: the extra one is None at once, without joining the queue."""
    monkeypatch.setattr(charts, "_waiting", charts.WAITING_MAX)
    started = time.monotonic()
    assert await charts.draw(_slow_pid_png) is None
    assert time.monotonic() - started < 0.5


async def test_a_slow_chart_is_acknowledged_first_then_sent(world, monkeypatch):
    """A chart slower than ACK_AFTER: the interaction is deferred in time, the chart follows, in public."""
    await _rated(world)
    monkeypatch.setattr(slow, "ACK_AFTER", 0.1)
    monkeypatch.setattr(club_service, "chart_png", _slow_pid_png)
    result = await world.bob.slash(world.channel, "ratings", film=FILM)
    callbacks = [r.json for r in world.env.http_requests if r.path.endswith("/callback")]
    assert callbacks[-1] == {"type": 5}  # "thinking…" first, then the chart as the follow-up
    [message] = msgs(result)
    assert not message.ephemeral and [a.filename for a in message.attachments] == ["ratings.png"]
    assert not world.env.errors
