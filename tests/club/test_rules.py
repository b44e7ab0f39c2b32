"""Pure club rules: stars, takes, the distribution, critics' split and the biggest disagreement."""

from __future__ import annotations

import pytest

from bot.club import rules
from bot.core.refusals import UserError


@pytest.mark.parametrize("stars", [0, 0.25, 3.3, 5.5, -1, float("nan"), float("inf"), 1e309])
def test_stars_outside_half_steps_are_refused(stars):
    """Only 0.5 … 5 in half steps is accepted."""
    with pytest.raises(UserError):
        rules.validate_stars(stars)


def test_half_stars_are_stored_doubled():
    """0.5 → 1, 5 → 10, 3.5 → 7."""
    assert [rules.validate_stars(s) for s in (0.5, 5, 3.5, 1)] == [1, 10, 7, 2]


@pytest.mark.parametrize("take", ["@everyone", "@here now", "<@123>", "<@!1>", "<@&9>", "<#5>", "[a](http://b)",
                                  "x" * 281, "nul\x00", "bell\x07"])
def test_hostile_takes_are_refused(take):
    """Mentions, masked links, over 280 characters and control characters are refused."""
    with pytest.raises(UserError):
        rules.validate_take(take)


def test_blank_take_is_none_and_spaces_are_collapsed():
    """A blank take is no take; runs of whitespace become one space."""
    assert rules.validate_take("   \n ") is None
    assert rules.validate_take(" so\n\ngood ") == "so good"


def test_summary_and_text_bars():
    """Average in stars, ten buckets, and a █ bar per non-empty bucket."""
    summary = rules.summarise([1, 10, 10, 7])
    assert summary.count == 4 and summary.average == pytest.approx(3.5)
    assert summary.distribution == (1, 0, 0, 0, 0, 0, 1, 0, 0, 2)
    bars = rules.text_bars(summary).splitlines()
    assert len(bars) == 10 and bars[9].count("█") == 20 and "█" not in bars[1]


def test_critic_split_maps_sides_to_answers_and_names_the_biggest_gap():
    """−1 → first answer, +1 → second, 0 → third; the gap names the answer they differ on most."""
    split = rules.critic_split([(-1, "joyful long"), (1, "sad"), (1, "bleak"), (0, "both")], 3)
    assert split.counts == (1, 2, 1) and split.examples[1] == "sad"
    gap = rules.biggest_gap(("Happy", "Sad", "Both"), (4, 0, 0), split.counts)
    assert gap is not None and "Happy" in gap and "the club" in gap


def test_invite_line_is_inert():
    """The film title is escaped in the rating invitation."""
    assert "\\*\\*" in rules.invite_line("**Bold** film")


def test_digest_of_one_hour_and_single_counts_read_as_english():
    """A 1-hour digest says "the first hour", and one reply, participant or reaction is singular."""
    stats = rules.ThreadStats(replies=1, participants=1, top_url="https://discord.com/x", top_reactions=1)
    text = rules.digest_text(stats, None, 1)
    assert "the first hour" in text and "1 reply from 1 participant." in text and "(1 reaction)" in text
    assert "the first 24 hours" in rules.digest_text(stats, None, 24)
