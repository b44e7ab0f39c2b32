"""Which bench rows time each registered leaf command (issue 30 item 2: every command in the bench).

`leaf_commands` walks the command tree the bot registers (as the spoiler firewall and screenshot tests
do). ROWS maps every leaf command to the cases of bench/every_command.py that time it (the command
itself, its option variants, its buttons and autocompletes) at the seed, ~100k and ~1.1M passage corpora;
tests/cross/test_bench_rows.py checks that ROWS' commands are exactly the tree's, so a new command cannot
ship without a row (add a case to every_command.CASES).
"""

from __future__ import annotations

from discord import app_commands

from .every_command import CASES


def _rows() -> dict[str, tuple[str, ...]]:
    rows: dict[str, list[str]] = {}
    for name, case in CASES.items():
        rows.setdefault(case.command or name, []).append(name)
    return {command: tuple(names) for command, names in rows.items()}


ROWS: dict[str, tuple[str, ...]] = _rows()


def leaf_commands(tree: app_commands.CommandTree) -> set[str]:
    """Qualified names of every leaf slash command registered on the tree."""
    return {command.qualified_name for command in tree.walk_commands() if isinstance(command, app_commands.Command)}
