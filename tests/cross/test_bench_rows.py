"""The bench has a row (or a stated gap) for every registered command: bench/commands.py."""

from __future__ import annotations

from bench.commands import NO_ROW, ROWS, leaf_commands


def test_every_registered_command_has_a_bench_row_or_a_stated_gap(simcord_env):
    """Walking the registered command tree: each leaf command is in ROWS or NO_ROW, and nothing else is."""
    registered = leaf_commands(simcord_env.bot.tree)
    assert set(ROWS).isdisjoint(NO_ROW)
    missing = registered - set(ROWS) - set(NO_ROW)
    assert not missing, f"commands without a bench row: {sorted(missing)}"
    assert set(ROWS) | set(NO_ROW) <= registered | {"ping"}
