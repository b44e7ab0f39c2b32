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


def test_a_theme_poll_closing_has_its_own_job_row_across_its_deadline():
    """`/poll theme`'s poll (DEFAULT_HOURS) is closed by a job row timed across that deadline only."""
    from bench.every_command import CASES, JOB_LEAD, job_seconds
    from bot.polls.rules import DEFAULT_HOURS

    case = CASES["poll theme close (job)"]
    assert case.kind.startswith("job:") and case.command == "poll theme" and case.before is not None
    assert DEFAULT_HOURS * 3600 < job_seconds(case) < DEFAULT_HOURS * 3600 + JOB_LEAD
