"""Shared fixtures: a bot on a fresh temporary database, driven through simcord."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Settings, create_bot
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


