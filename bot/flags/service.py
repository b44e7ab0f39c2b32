"""What other features ask of flags (`bot.flags`, core.services.PassageFlags): the Flag buttons."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.flags.views import flag_view


class FlagService:
    """Implements core.services.PassageFlags; stateless (flags live in SQLite, read by the buttons)."""

    def flag_view(self, passage_ids: Sequence[int], view: discord.ui.View | None = None) -> discord.ui.View:
        return flag_view(tuple(passage_ids), view)
