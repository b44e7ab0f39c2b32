"""Pure rules of film night's people and /club stats: mentions within one message, watch dates, numbers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.club import stats_rules
from bot.core.refusals import UserError
from bot.filmnight import people_rules
from bot.filmnight.people_rules import fit_mentions, parse_watch_date

TEXT = "⏰ Film night tomorrow: **La La Land (2016)**, <t:1767643200:F> (<t:1767643200:R>)."
BIG = 1_234_567_890_123_456_789  # a 19-digit snowflake: the longest mention


def test_few_interested_are_all_mentioned():
    """Five members: all five, nothing more."""
    content, shown = fit_mentions(TEXT, [BIG + n for n in range(5)])
    assert shown == [BIG + n for n in range(5)] and "more" not in content
    assert content.startswith(TEXT)


def test_five_thousand_fit_one_message_and_say_how_many_more():
    """5,000 members: at most 100 mentions (Discord's allowed_mentions cap), ≤ 2000 characters, "and N more"."""
    ids = [BIG + n for n in range(5000)]
    content, shown = fit_mentions(TEXT, ids)
    assert len(content) <= 2000 and 0 < len(shown) <= 100
    assert content.endswith(f"and {5000 - len(shown)} more")
    assert all(f"<@{u}>" in content for u in shown) and shown == ids[: len(shown)]


def test_limit_reached_by_characters_before_the_user_cap():
    """A long reminder text leaves room for fewer mentions; the count still adds up."""
    content, shown = fit_mentions("x" * 1900, [BIG + n for n in range(10)])
    assert len(content) <= 2000 and len(shown) < 10 and content.endswith(f"and {10 - len(shown)} more")


def test_no_interested_members_means_no_mention_line():
    assert fit_mentions(TEXT, []) == (TEXT, [])


@pytest.mark.parametrize("value", ["2027-01-01", "2026-02-30", "tomorrow", "1850-01-01", "x" * 10_000, "2026-1-1-1"])
def test_bad_watch_dates_are_refused(value):
    """Future, impossible, unparsable and pre-cinema dates are refused with a clear message."""
    with pytest.raises(UserError):
        parse_watch_date(value, date(2026, 6, 1))


def test_watch_date_defaults_to_today_and_reads_iso_dates():
    today = date(2026, 6, 1)
    assert parse_watch_date(None, today) == today and parse_watch_date("  ", today) == today
    assert parse_watch_date("2026-5-9", today) == date(2026, 5, 9)


def test_mode_check():
    assert people_rules.check_mode(" Interested ") == "interested"
    with pytest.raises(UserError):
        people_rules.check_mode("everyone")


def test_history_pages():
    assert people_rules.history_pages(0) == 1 and people_rules.history_pages(15) == 1
    assert people_rules.history_pages(16) == 2


def test_divisive_film_is_the_widest_spread_with_two_ratings():
    """1★ and 5★ spread wider than 3★ and 4★; a film with one rating is never divisive."""
    scores = stats_rules.film_scores([(1, "A", 2), (1, "A", 10), (2, "B", 6), (2, "B", 8), (3, "C", 1)])
    divisive = stats_rules.most_divisive(scores)
    assert divisive is not None and divisive.label == "A" and divisive.spread == 2.0
    assert stats_rules.most_divisive([s for s in scores if s.label == "C"]) is None


def test_theme_distance_is_total_variation():
    assert stats_rules.theme_distance({"a": 1}, {"a": 5}) == 0
    assert stats_rules.theme_distance({"a": 1}, {"b": 1}) == 1
    assert stats_rules.theme_distance({"a": 1, "b": 1}, {"a": 1}) == 0.5
    assert stats_rules.theme_distance({}, {"a": 1}) is None


def test_stats_year_bounds():
    assert stats_rules.check_year(None, 2026) == 2026
    with pytest.raises(UserError):
        stats_rules.check_year(99, 2026)
