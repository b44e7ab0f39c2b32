"""Shared fixtures: a bot on a fresh temporary database, driven through simcord."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import Settings, create_bot
from bot.core.config import DEFAULT_DATA_DIR

# Every test sees Discord errors as discord.py raises them (DiscordServerError for 5xx), see faults.py.
from tests.faults import discord_history_order, realistic_http_errors  # noqa: F401
from tests.helpers import World


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "filmbot.db")


@pytest.fixture
async def simcord_bot(settings: Settings):
    bot = create_bot(settings)
    yield bot
    # simcord never calls close(); without this the database stays open.
    await bot.close_store()


@pytest.fixture
def world(simcord_env) -> World:
    return World(simcord_env)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("*.db", "*.db-*"))
    return target
