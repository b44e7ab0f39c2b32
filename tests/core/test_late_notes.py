"""`core/time.ended_late_note`: what a screening's end posts says it comes late only when it does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.time import ended_late_note, iso

END = datetime(2026, 1, 5, 22, tzinfo=UTC)


def test_an_end_post_within_fifteen_minutes_has_no_note():
    """On time, or within LATE_AFTER (a retry or two): nothing to explain."""
    assert ended_late_note(iso(END), END) == ""
    assert ended_late_note(iso(END), END + timedelta(minutes=14)) == ""
    assert ended_late_note(iso(END), END - timedelta(hours=1)) == ""  # the event ended early in Discord


def test_an_end_post_days_late_says_when_film_night_ended():
    """Sixteen days late: the end time in Discord's timestamp markup, and that this comes late."""
    note = ended_late_note(iso(END), END + timedelta(days=16))
    assert f"<t:{int(END.timestamp())}:f>" in note and "comes late" in note
