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


@pytest.mark.parametrize(("value", "ids"), [("0,1", (0, 1)), ("0-3", (0, 1, 2, 3)), (" 2, 0-1 ", (0, 1, 2)),
                                            ("3", (3,)), ("1,1", (1,))])
def test_shard_ids_connect_those_shards_only(value: str, ids: tuple[int, ...]) -> None:
    """FILMBOT_SHARD_IDS: this process connects exactly those shards of FILMBOT_SHARDS."""
    bot = create_bot(Settings.from_env({"FILMBOT_SHARDS": "4", "FILMBOT_SHARD_IDS": value}))
    assert isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count == 4 and tuple(bot.shard_ids) == ids


@pytest.mark.parametrize(("shards", "value"), [
    ("4", "4"), ("4", "0-9"), ("4", "a"), ("4", "1-"), ("4", "-1"), ("4", "3-1"), ("4", "0;1"), ("4", ","),
    ("4", "0-99999999999"), (None, "0"), ("auto", "0,1"),
])
def test_bad_shard_ids_are_refused_with_one_line(shards: str | None, value: str, capsys) -> None:
    """A bad FILMBOT_SHARD_IDS (or one without a number of shards) stops the start: one line, exit 2."""
    from bot.__main__ import main

    env = {"FILMBOT_SHARD_IDS": value, **({"FILMBOT_SHARDS": shards} if shards else {})}
    with pytest.raises(ConfigError, match="FILMBOT_SHARD"):
        Settings.from_env(env)
    with pytest.MonkeyPatch.context() as patch:
        for name, setting in env.items():
            patch.setenv(name, setting)
        if not shards:
            patch.delenv("FILMBOT_SHARDS", raising=False)
        code = main(["--env-file", "/nonexistent/.env", "run"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("filmbot: FILMBOT_SHARD") and err.count("\n") == 1


def test_every_id_given_is_the_whole_bot() -> None:
    """Shard ids naming every shard (or none given) run every server's jobs: no filter at all."""
    assert create_bot(Settings(shards="2", shard_ids=(0, 1))).own_shards is None
    assert create_bot(Settings(shards="2")).own_shards is None
    assert create_bot(Settings()).own_shards is None
    share = create_bot(Settings(shards="4", shard_ids=(1, 3))).own_shards
    assert share is not None and share.count == 4 and share.ids == (1, 3)


def test_the_shard_clause_is_discords_rule_in_sql() -> None:
    """owned() selects exactly the servers Discord routes to the given shards, for any id."""
    import sqlite3

    from bot.core.shards import Shards, owned

    ids = [0, 1, (1 << 22), (5 << 22) + 12345, (2**63 - 1), 175928847299117063, 1456074485923840003]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (guild_id INTEGER)")
    con.executemany("INSERT INTO t VALUES (?)", [(i,) for i in ids])
    for share in (Shards(4, (1, 3)), Shards(3, (0,)), Shards(2, (1,))):
        clause, params = owned(share)
        found = sorted(r[0] for r in con.execute(f"SELECT guild_id FROM t WHERE {clause}", params))
        assert found == sorted(i for i in ids if (i >> 22) % share.count in share.ids)
    assert owned(None) == ("1 = 1", ())
