"""bot/core/text: the one plural helper every message counts with."""

from __future__ import annotations

from bot.core.text import counted, plural


def test_plural_agrees_with_the_count():
    """1 takes the singular; 0 and 2+ the plural, regular or given."""
    assert [counted(n, "film") for n in (0, 1, 2)] == ["0 films", "1 film", "2 films"]
    assert counted(1, "reply", "replies") == "1 reply" and counted(3, "reply", "replies") == "3 replies"
    assert plural(1, "supporter") == "supporter" and plural(0, "supporter") == "supporters"
