"""Which bench row measures each registered leaf command (issue 30 item 2: every command in the bench).

`leaf_commands` walks the command tree the bot registers (as the spoiler firewall and screenshot tests
do). Every leaf command is in ROWS (the size_bench rows that time it at 69, ~102k and ~1.1M passages)
or in NO_ROW with the reason it has none yet; tests/cross/test_bench_rows.py fails for a command in
neither, so a new command cannot ship without a row or a stated gap.
"""

from __future__ import annotations

from discord import app_commands

ROWS: dict[str, tuple[str, ...]] = {
    "quote": ("/quote", "/quote critic:", "/quote film:", "/quote theme:", "/quote about:",
              "/quote theme: critic: about:", "autocomplete film", "autocomplete critic", "autocomplete theme"),
    "themes": ("/themes (counts)",),
    "discuss": ("/discuss",),
    "debate": ("/debate",),
    "poll create": ("poll vote",),  # the vote button of a created poll
}

# Not timed at size yet: the rest of issue 30's bench (each needs a scenario on the generated corpora,
# whose films are "Generated Film NNNNN", not the seeds' titles the screenshot tour uses).
_TODO = "no size row yet (issue 30 item 2)"
NO_ROW: dict[str, str] = {name: _TODO for name in (
    "club stats", "compare", "config digest-hours", "config log-channel", "config moderator-role", "config show",
    "config timezone", "config watchlist-approval", "critics", "film info", "filmnight cancel", "filmnight close-pick",
    "filmnight history", "filmnight move", "filmnight next", "filmnight pick", "filmnight reminder-mentions", "filmnight reminder-role",
    "filmnight schedule", "filmnight unlock", "game critic-or-club", "game leaderboard", "help", "history", "passage flagged",
    "passage hide", "passage show", "passage tag", "passage untag", "poll close", "poll list", "poll results",
    "poll theme", "rate consent", "rate export", "rate film", "rate forget-me", "rate remove", "ratings",
    "review add", "review add-link", "review edit", "review export", "review history", "review import", "review list",
    "review remove", "review show", "schedule list", "schedule pause", "schedule remove", "schedule resume",
    "schedule set", "schedule skip", "schedule test", "search", "suggest question", "theme list",
    "theme question add", "theme question remove", "watched", "watchlist add", "watchlist import", "watchlist list",
    "watchlist remove", "watchlist support",
)}


def leaf_commands(tree: app_commands.CommandTree) -> set[str]:
    """Qualified names of every leaf slash command registered on the tree."""
    return {command.qualified_name for command in tree.walk_commands() if isinstance(command, app_commands.Command)}
