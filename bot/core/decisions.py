"""Approve / Reject buttons for a moderator queue in the log channel (watchlist and question suggestions).

Each queue has its own DynamicItem (its custom id template and its callback); what they share is built
here: the two buttons' look and ids (`filmbot:<queue>:<approve|reject>:<id>`) and the view holding them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

VERDICTS = {"approve": "approved ✅", "reject": "rejected ❌"}


def decision_button(action: str, custom_id: str, disabled: bool) -> discord.ui.Button[discord.ui.View]:
    """The Approve (green) or Reject (red) button, with its item's id (`filmbot:<queue>:<action>:<id>`)."""
    return discord.ui.Button(
        label="Approve" if action == "approve" else "Reject",
        style=discord.ButtonStyle.success if action == "approve" else discord.ButtonStyle.danger,
        custom_id=custom_id,
        disabled=disabled,
    )


def decision_view(
    item: Callable[[str, int, bool], discord.ui.Item[Any]], record_id: int, *, disabled: bool = False
) -> discord.ui.View:
    """A persistent view with the record's Approve and Reject items (disabled once decided)."""
    view = discord.ui.View(timeout=None)
    view.add_item(item("approve", record_id, disabled))
    view.add_item(item("reject", record_id, disabled))
    return view
