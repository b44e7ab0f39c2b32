"""The bench times every registered command: bench/commands.py and bench/every_command.py."""

from __future__ import annotations

from bench.commands import ROWS, leaf_commands


def test_the_bench_command_list_is_the_registered_command_tree(simcord_env):
    """Walking the registered command tree: each leaf command has a bench case, and every case times a
    registered command (a new command without a row, or a row for a removed one, fails)."""
    registered = leaf_commands(simcord_env.bot.tree)
    assert set(ROWS) == registered, (
        f"without a bench row: {sorted(registered - set(ROWS))}; rows of no command: {sorted(set(ROWS) - registered)}"
    )
