"""Settings that must hold at their edges (grace 0, absurd values) and a start that survives a failed sync."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.config import ConfigError, Settings
from bot.schedules.rules import plan_due
from tests.faults import discord_fault

DAY = 24 * 3600


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, catchup_grace_hours=0)


def prompts(world) -> list:
    return [m for m in world.channel.history() if m.author.id == world.bot.user.id and m.embeds]


async def test_grace_zero_still_posts_on_time_slots(world):
    """Grace 0 = no catch-up; it must not skip the slots the bot was up for."""
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00", timezone="UTC")
    assert "Schedule set" in r.response.content
    await world.env.advance_time(3 * DAY)
    assert len(prompts(world)) == 3


def test_grace_zero_posts_a_slot_fired_a_little_late_but_not_a_missed_one():
    slot = datetime(2026, 1, 2, 9, tzinfo=UTC)
    assert plan_due([slot], slot + timedelta(seconds=5), timedelta(0)).post == slot
    assert plan_due([slot], slot + timedelta(hours=1), timedelta(0)).post is None


@pytest.mark.parametrize("raw", ["inf", "nan", "1e12", "-1", "169"])
def test_absurd_grace_is_refused_at_start(raw):
    with pytest.raises(ConfigError, match="FILMBOT_CATCHUP_GRACE_HOURS"):
        Settings.from_env({"FILMBOT_CATCHUP_GRACE_HOURS": raw})


@pytest.mark.parametrize("method", ["GET", "PUT"])
async def test_start_survives_a_503_on_command_sync(world, caplog, method):
    """A sync failure is one warning; the bot starts and serves the commands Discord already has."""
    if method == "PUT":  # make the next start see a difference, so that it PUTs
        await world.bot.http.bulk_upsert_global_commands(world.bot.application_id, [])
    discord_fault(world.env, method, "/applications/*/commands", 503)
    with caplog.at_level(logging.WARNING, logger="bot.client"):
        await world.env.restart_bot()
    assert [r for r in caplog.records if "could not sync application commands" in r.getMessage()]
    if method == "GET":
        r = await world.alice.slash(world.channel, "quote")
        assert r.response is not None and not r.response.ephemeral


async def test_grace_zero_still_retries_an_on_time_slot_after_a_5xx(world, settings):
    """A retry is the on-time post, not a catch-up: grace 0 must not turn one 503 into a lost slot."""
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00", timezone="UTC")
    assert "Schedule set" in r.response.content
    discord_fault(world.env, "POST", "/channels/*/messages", 503)
    await world.env.advance_time(10 * 3600)
    assert len(prompts(world)) == 1
