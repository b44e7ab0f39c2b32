"""bot.filmnight.rules alone: instant-runoff counting and tie-breaks, screening times, imports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.refusals import UserError
from bot.filmnight import rules

NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)  # a Wednesday; Paris moves to summer time on 29 March


def test_majority_in_the_first_round_wins_at_once():
    count = rules.instant_runoff([(1,), (1, 2), (2,)], 3)
    assert count.winner == 1 and len(count.rounds) == 1


def test_tie_for_last_uses_earlier_rounds_then_ballot_order():
    # Round 1: 1→3, 2→2, 3→2, 4→0; 4 is out. Round 2: 2 and 3 tie for last, never differed → 3 (lower) goes.
    ballots = [(1,), (1,), (1,), (2, 1), (2, 1), (3, 2), (3, 2)]
    count = rules.instant_runoff(ballots, 4)
    assert [r.eliminated for r in count.rounds] == [4, 3, None]
    assert count.rounds[1].tie_break and count.winner == 2  # 2 gets 3's ballots: 4 vs 3
    # Earlier rounds decide first: 2 and 3 tie in round 2, but 3 had fewer in round 1.
    ballots = [(1,), (1,), (1,), (2,), (2,), (3,), (4, 3)]
    count = rules.instant_runoff(ballots, 4)
    assert [r.eliminated for r in count.rounds][:2] == [4, 3]


def test_no_ballots_no_winner_and_ballot_validation():
    assert rules.instant_runoff([], 3).winner is None
    with pytest.raises(UserError):
        rules.ballot([1, 1], 3)
    with pytest.raises(UserError):
        rules.ballot([4], 3)
    with pytest.raises(UserError):
        rules.ballot([1, 2, 3, 4], 5)


def test_when_formats_in_the_server_zone():
    assert rules.parse_when("2026-12-04 20:00", "Europe/Paris", NOW) == datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    assert rules.parse_when("tomorrow 20:00", "Europe/Paris", NOW) == datetime(2026, 3, 26, 19, 0, tzinfo=UTC)
    assert rules.parse_when("fri 21:00", "Europe/Paris", NOW) == datetime(2026, 3, 27, 20, 0, tzinfo=UTC)
    # Monday after the change: summer time, UTC+2.
    assert rules.parse_when("mon 20:00", "Europe/Paris", NOW) == datetime(2026, 3, 30, 18, 0, tzinfo=UTC)
    assert rules.parse_when("wed 11:00", "UTC", NOW) == datetime(2026, 4, 1, 11, 0, tzinfo=UTC)  # today passed


@pytest.mark.parametrize("typed, why", [
    ("yesterday 20:00", "don't know the day"), ("2026-02-30 20:00", "not a calendar date"),
    ("2026-03-01 20:00", "in the past"), ("2026-03-29 02:30", "does not exist"), ("tomorrow 25:00", "time of day"),
    ("2028-01-01 20:00", "a year ahead"), ("soon", "can't read"),
])
def test_when_refusals(typed, why):
    with pytest.raises(UserError, match=why):
        rules.parse_when(typed, "Europe/Paris", NOW)


def test_reminders_already_past_are_not_sent_late():
    start = datetime(2026, 3, 26, 0, 0, tzinfo=UTC)  # 12 h away: only the 1 h reminder is still to come
    assert [kind for kind, _ in rules.reminder_times(start, NOW)] == ["1h"]


def test_import_parsing():
    plan = rules.parse_import(b"\xef\xbb\xbfDate,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,u\n2024-01-01,heat,1995,u\n")
    assert plan.films == [rules.FilmName("Heat", 1995)] and plan.repeated == 1
    plan = rules.parse_import(b"Heat\n@SUM(A1)\n+cmd\nRan (1985)\n")
    assert [n for n, _ in plan.rejected] == [2, 3] and plan.films[-1] == rules.FilmName("Ran", 1985)
    with pytest.raises(UserError, match="not UTF-8"):
        rules.parse_import(b"\xff\xfe\x00")


def test_import_refuses_rows_that_do_not_parse_as_the_columns_say():
    """An unclosed quote (the rest of the file swallowed into one title) or a row with extra cells: its line."""
    swallowed = (b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,u\n2024-01-01,\"Ran,1985,u\n"
                 b"2024-01-01,Alien,1979,u\n2024-01-01,Brazil,1985,u\n")
    plan = rules.parse_import(swallowed)
    assert [n for n, _ in plan.rejected] == [3] and "quote" in plan.rejected[0][1]
    extra = b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,u\n2024-01-01,Heat, the,1995,u\n2024-01-01,Ran,1985,u\n"
    plan = rules.parse_import(extra)
    assert [n for n, _ in plan.rejected] == [3] and "5 cells" in plan.rejected[0][1]
    # Line numbers stay those of the file after a quoted cell that holds a comma.
    plan = rules.parse_import(b"Date,Name,Year,Letterboxd URI\n2024-01-01,\"Paris, Texas\",1984,u\n2024-01-01,,1995,u\n")
    assert plan.films == [rules.FilmName("Paris, Texas", 1984)] and [n for n, _ in plan.rejected] == [3]
    plan = rules.parse_import(b"Date,Name,Year,Letterboxd URI\n2024-01-01,\"Heat,1995,u\n2024-01-01,Ran,1985,u\n")
    assert [n for n, _ in plan.rejected] == [2] and not plan.films  # the first row's quote swallowed them all
