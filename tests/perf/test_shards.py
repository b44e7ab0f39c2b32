"""FILMBOT_SHARDS: unset = one shard (plain Bot); a number or auto = an AutoShardedBot."""

from __future__ import annotations

import pytest
from discord.ext import commands

from bot import Settings, create_bot
from bot.client import FilmBot
from bot.core.config import ConfigError


def test_default_is_one_shard() -> None:
    bot = create_bot(Settings())
    assert type(bot) is FilmBot and not isinstance(bot, commands.AutoShardedBot)


@pytest.mark.parametrize(("value", "count"), [("auto", None), ("4", 4), (" AUTO ", None)])
def test_shards_setting_builds_an_auto_sharded_bot(value: str, count: int | None) -> None:
    bot = create_bot(Settings.from_env({"FILMBOT_SHARDS": value}))
    assert isinstance(bot, commands.AutoShardedBot) and isinstance(bot, FilmBot)
    assert bot.shard_count == count


@pytest.mark.parametrize("value", ["0", "many", "-2"])
def test_bad_shards_value_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="FILMBOT_SHARDS"):
        Settings(shards=value)
