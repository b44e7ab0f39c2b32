"""Issue 30: the club's charts are drawn in the chart thread, never on the event loop's; the same data is
drawn once; a slow chart is acknowledged first; a failing or runaway chart gives the text fallback and a
private note, and the next chart is drawn."""

from __future__ import annotations

import threading
import time

import pytest

from bot.club import charts
from bot.club import render as club_render
from bot.club import service as club_service
from bot.club import stats as club_stats
from bot.core import slow
from tests.helpers import add_review, embed_text, msgs

FILM = "La La Land"


@pytest.fixture(autouse=True)
def _nothing_kept():
    """Each test starts with no chart kept (the PNGs are kept by data, process-wide)."""
    charts.forget()
    yield
    charts.forget()


def _thread_png(*_: object) -> bytes:
    return f"drawn by {threading.current_thread().name}".encode()


def _crash(*_: object) -> bytes:
    raise RuntimeError("the chart could not be drawn")


def _slow_thread_png(*args: object) -> bytes:
    time.sleep(0.6)
    return _thread_png(*args)


async def _rated(world, films=(FILM,)):
    if "Whiplash" in films:
        await add_review(world, year=2014)  # the seed corpus knows La La Land only
    for i, film in enumerate(films):
        for n in range(2):
            member = world.guild.add_member(world.env.create_user(f"rater{i}x{n}"))
            await member.slash(world.channel, "rate film", film=film, stars=3 + n)


async def test_ratings_chart_is_drawn_in_the_chart_thread(world, monkeypatch):
    """/ratings attaches the PNG the chart thread drew, not one drawn on the event loop's thread."""
    await _rated(world)
    monkeypatch.setattr(club_service, "chart_png", _thread_png)
    [message] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    [attachment] = message.attachments
    assert attachment.filename == "ratings.png"
    assert (await attachment.read()).decode().startswith("drawn by filmbot-chart")
    assert not message.ephemeral and not world.env.errors


async def test_club_stats_chart_is_drawn_in_the_chart_thread(world, monkeypatch):
    """/club stats attaches the PNG the chart thread drew."""
    await _rated(world, (FILM, "Whiplash"))
    monkeypatch.setattr(club_stats, "chart_png", _thread_png)
    [message] = msgs(await world.bob.slash(world.channel, "club stats"))
    [attachment] = message.attachments
    assert attachment.filename == "club-stats.png"
    assert (await attachment.read()).decode().startswith("drawn by filmbot-chart")


async def test_the_same_ratings_are_drawn_once_and_a_new_rating_redraws(world, monkeypatch):
    """Two /ratings of unchanged ratings: one drawing, the same PNG twice; a new rating: a new chart."""
    await _rated(world)
    drawn: list[str] = []

    def counted(*args: object) -> bytes:
        drawn.append(threading.current_thread().name)
        return club_render.chart_png(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(club_service, "chart_png", counted)
    first, second = [msgs(await world.bob.slash(world.channel, "ratings", film=FILM))[0] for _ in range(2)]
    assert await first.attachments[0].read() == await second.attachments[0].read()
    assert len(drawn) == 1 and drawn[0].startswith("filmbot-chart")
    await world.alice.slash(world.channel, "rate film", film=FILM, stars=0.5)
    [third] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    assert len(drawn) == 2 and await third.attachments[0].read() != await first.attachments[0].read()
    assert "0.5 stars: 1" in third.attachments[0].description


async def test_a_failing_chart_gives_text_bars_and_a_private_note(world, monkeypatch):
    """The drawing raises: the ratings come as text bars, the member is told privately, nothing is lost,
    and the next /ratings gets a chart."""
    await _rated(world)
    monkeypatch.setattr(club_service, "chart_png", _crash)
    reply, note = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    assert not reply.ephemeral and not reply.attachments and "█" in embed_text(reply.embeds[0])
    assert note.ephemeral and note.content == charts.FALLBACK_NOTE
    assert world.count("club_ratings") == 2
    monkeypatch.setattr(club_service, "chart_png", _thread_png)
    [again] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    assert [a.filename for a in again.attachments] == ["ratings.png"]
    assert not world.env.errors


async def test_a_failing_chart_gives_club_stats_as_text_and_a_private_note(world, monkeypatch):
    """/club stats whose drawing raises: the averages come as a text field, the member is told privately."""
    await _rated(world, (FILM, "Whiplash"))
    monkeypatch.setattr(club_stats, "chart_png", _crash)
    reply, note = msgs(await world.bob.slash(world.channel, "club stats"))
    assert not reply.ephemeral and not reply.attachments and "Averages" in embed_text(reply.embeds[0])
    assert note.ephemeral and note.content == charts.FALLBACK_NOTE
    monkeypatch.setattr(club_stats, "chart_png", _thread_png)
    [again] = msgs(await world.bob.slash(world.channel, "club stats"))
    assert [a.filename for a in again.attachments] == ["club-stats.png"]


async def test_a_runaway_chart_falls_back_and_the_next_one_is_drawn(monkeypatch):
    """A chart past CHART_TIMEOUT: None (the caller's text fallback) in about that time; the next chart is
    drawn by a new chart thread, not queued behind the runaway. (Outside simcord: real time.)"""
    released = threading.Event()

    def hang(*_: object) -> bytes:
        released.wait(30)
        return b""

    monkeypatch.setattr(charts, "CHART_TIMEOUT", 0.3)
    try:
        started = time.monotonic()
        assert await charts.draw(hang) is None
        assert time.monotonic() - started < 5
        monkeypatch.setattr(charts, "CHART_TIMEOUT", 5.0)
        assert (await charts.draw(_thread_png)).startswith(b"drawn by filmbot-chart")
    finally:
        released.set()


async def test_charts_past_the_queue_limit_fall_back_at_once(monkeypatch):
    """More charts waiting than WAITING_MAX: the extra one is None at once, without joining the queue."""
    monkeypatch.setattr(charts, "_waiting", charts.WAITING_MAX)
    started = time.monotonic()
    assert await charts.draw(_slow_thread_png) is None
    assert time.monotonic() - started < 0.5


async def test_a_kept_chart_costs_no_drawing(monkeypatch):
    """A chart kept from the same arguments is returned without a drawing, even with the queue full."""
    assert await charts.draw(_thread_png, "same") is not None
    monkeypatch.setattr(charts, "_waiting", charts.WAITING_MAX)
    assert (await charts.draw(_thread_png, "same")).startswith(b"drawn by")
    assert await charts.draw(_thread_png, "other") is None


async def test_a_slow_chart_is_acknowledged_first_then_sent(world, monkeypatch):
    """A chart slower than ACK_AFTER: the interaction is deferred in time, the chart follows, in public."""
    await _rated(world)
    monkeypatch.setattr(slow, "ACK_AFTER", 0.1)
    monkeypatch.setattr(club_service, "chart_png", _slow_thread_png)
    result = await world.bob.slash(world.channel, "ratings", film=FILM)
    callbacks = [r.json for r in world.env.http_requests if r.path.endswith("/callback")]
    assert callbacks[-1] == {"type": 5}  # "thinking…" first, then the chart as the follow-up
    [message] = msgs(result)
    assert not message.ephemeral and [a.filename for a in message.attachments] == ["ratings.png"]
    assert not world.env.errors
