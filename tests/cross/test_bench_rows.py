"""The bench times every registered command: bench/commands.py and bench/every_command.py."""

from __future__ import annotations

from typing import Any

import pytest

from bench.commands import ROWS, leaf_commands
from tests import pg_backend


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


@pytest.mark.skipif(pg_backend.on_postgres(), reason="the bench reads its SQLite corpus")
async def test_the_debate_film_row_times_debates_not_refusals(world: Any) -> None:
    """`/debate film:`'s films are those with passages on its theme from two reviews: each starts a debate (a
    film of the plain list was refused for half the runs at ~102k passages, and the floor was a refusal's)."""
    from bench.every_command import DEBATE_THEME, debatable_films

    films = await world.bot.store.catalogue.films()
    chosen = debatable_films(world.db_path, films)
    assert chosen
    for film in chosen:
        result = await world.alice.slash(world.channel, "debate", theme=DEBATE_THEME, film=film)
        assert "Started a debate" in result.response.content, (film, result.response.content)


def test_a_series_starts_with_earlier_rows_frozen_out_of_the_collector() -> None:
    """What earlier rows left (the simulated Discord's record) is frozen before a series: a full collection in a
    row walks what that row made, not every message the bench ever sent."""
    import gc

    from bench.every_command import leftovers_frozen

    kept = [[i] for i in range(1000)]
    try:
        leftovers_frozen()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        assert not any(item is kept for item in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()


def test_the_request_log_keeps_times_not_payloads() -> None:
    """The bench's request log records when the last request went out and how many did, not deep copies of
    every payload (they were kept for the process's life and walked by every full collection)."""
    from bench.size_bench import TimedRequests

    log = TimedRequests([object()])
    log.append(object())
    assert log.last > 0 and log.made == 2 and len(log) == 0

