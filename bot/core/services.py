"""What one feature asks of another: the small interfaces the composition root wires onto the bot.

A feature never imports another feature. When it needs another's behaviour it calls the service the bot
holds, typed by a Protocol here and implemented by the owning feature's service (bot/client.py builds each
one and hangs it on the bot), or it listens to an event the other dispatches (`prompt_posted`).

| on the bot  | Protocol       | implemented by                   | asked by                       |
|-------------|----------------|----------------------------------|--------------------------------|
| `bot.flags` | `PassageFlags` | `flags.service.FlagService`      | quotes (/quote), discussion (prompts) |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import discord


class PassageFlags(Protocol):
    """The flags feature: the 🚩 Flag buttons under every public message that shows passages."""

    def flag_view(self, passage_ids: Sequence[int], view: discord.ui.View | None = None) -> discord.ui.View:
        """Flag buttons for these passages, added to `view` (or a new persistent view), which is returned."""
        ...
