"""Approve / Reject buttons for a moderator queue in the log channel (watchlist and question suggestions).

Each queue has its own DynamicItem, a `DecisionButton` subclass giving its custom id template
(`filmbot:<queue>:(?P<action>approve|reject):(?P<id>…)`), what it decides and how the decided record
shows; the buttons' look, the moderator check and the "already decided" answer are shared here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.core.checks import client_of, require_moderator
from bot.core.errors import user_errors
from bot.core.persistent import Persistent, persistent_view
from bot.core.render import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import FilmBot

VERDICTS = {"approve": "approved ✅", "reject": "rejected ❌"}


def decision_button(action: str, custom_id: str, disabled: bool) -> discord.ui.Button[discord.ui.View]:
    """The Approve (green) or Reject (red) button, with its item's id (`filmbot:<queue>:<action>:<id>`)."""
    return discord.ui.Button(
        label="Approve" if action == "approve" else "Reject",
        style=discord.ButtonStyle.success if action == "approve" else discord.ButtonStyle.danger,
        custom_id=custom_id,
        disabled=disabled,
    )


class DecisionButton(Persistent[discord.ui.Button[discord.ui.View]], template=r"(?!)", parse={"action": str}):
    """Approve or Reject one record of a moderators' queue: moderators only (checked on click), once."""

    ACTING: ClassVar[str] = "decide on suggestions"  # "Only moderators can …"

    def __init__(self, action: str, record_id: int, disabled: bool = False) -> None:
        super().__init__(decision_button(action, self.id_for(action, record_id), disabled))
        self.action, self.record_id = action, record_id

    async def decide(self, bot: FilmBot, moderator: discord.Member) -> Any | None:
        """Record the decision; the decided record, or None when it was decided already."""
        raise NotImplementedError

    async def show(self, interaction: discord.Interaction, moderator: discord.Member, decided: Any) -> None:
        """Edit the queue's message to the decided record, its buttons disabled."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, self.ACTING)
            decided = await self.decide(client_of(interaction), moderator)
            if decided is None:
                await interaction.response.send_message(
                    "That suggestion was already decided.", ephemeral=True, allowed_mentions=NO_MENTIONS
                )
                return
            await self.show(interaction, moderator, decided)


def decision_view(
    item: Callable[[str, int, bool], discord.ui.Item[Any]], record_id: int, *, disabled: bool = False
) -> discord.ui.View:
    """A persistent view with the record's Approve and Reject items (disabled once decided)."""
    return persistent_view(item("approve", record_id, disabled), item("reject", record_id, disabled))
