"""tools/screenshots.py (run by hand: CI has no Chromium) tours every registered slash command."""

from __future__ import annotations

from discord import app_commands

from tools.screenshots import SKIPPED, STEPS


def test_screenshot_tour_covers_every_registered_command(simcord_env):
    """Every slash command is either a screenshot step or skipped with a reason, and nothing else is."""
    registered = {c.qualified_name for c in simcord_env.bot.tree.walk_commands() if isinstance(c, app_commands.Command)}
    toured = {step.invocation for step in STEPS}
    assert toured.isdisjoint(SKIPPED)
    assert toured | set(SKIPPED) == registered
