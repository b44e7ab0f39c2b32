"""Approve / Reject buttons for a moderator queue in the log channel (watchlist and question suggestions).

Each queue has its own DynamicItem, a `DecisionButton` subclass giving its custom id template
(`filmbot:<queue>:(?P<action>approve|reject):(?P<id>…)`), what it decides and how the decided record
shows; the buttons' look, the moderator check and the "already decided" answer are shared here, and so is
`post_for_decision`: the queue's message posted once, even when Discord answers 5xx after making it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.core.checks import client_of, require_moderator
from bot.core.closing import own_post_since
from bot.core.errors import send_ephemeral, user_errors
from bot.core.persistent import Persistent, custom_ids, persistent_view
from bot.core.ratelimits import transient
from bot.core.render import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

VERDICTS = {"approve": "approved ✅", "reject": "rejected ❌"}
ALREADY = "That suggestion was already decided."
STALE = "(Discord failed to refresh the message with the buttons, so it may still show them.)"


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

    async def already(self, interaction: discord.Interaction, moderator: discord.Member) -> None:
        """Pressed on a record decided already (by another moderator, or from another queue): said privately; a
        queue whose message would go on offering it brings that message up to date instead."""
        await interaction.response.send_message(ALREADY, ephemeral=True, allowed_mentions=NO_MENTIONS)

    def named(self, decided: Any) -> str:
        """The decided record as the moderator is told about it when its message could not be edited."""
        return "The suggestion"

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, self.ACTING)
            decided = await self.decide(client_of(interaction), moderator)
            if decided is None:
                await self.already(interaction, moderator)
                return
            try:
                await self.show(interaction, moderator, decided)
            except discord.HTTPException:  # stored already: "try again" would only meet "already decided"
                await send_ephemeral(interaction, f"{self.named(decided)} is {VERDICTS[self.action]}: your decision"
                                     f" is stored. {STALE}")


def decision_view(
    item: Callable[[str, int, bool], discord.ui.Item[Any]], record_id: int, *, disabled: bool = False
) -> discord.ui.View:
    """A persistent view with the record's Approve and Reject items (disabled once decided)."""
    return persistent_view(item("approve", record_id, disabled), item("reject", record_id, disabled))


def offers_decision(item: type[DecisionButton], record_id: int, message: discord.Message | None) -> bool:
    """Whether `message` is the one offering this record's decision: it carries both its Approve and its Reject (a
    press forged onto another message carries one id at most), so bringing it up to date touches nothing else."""
    shown = set(custom_ids(message)) if message is not None else set()
    return all(item.id_for(action, record_id) in shown for action in VERDICTS)


def carries_decision(item: type[DecisionButton], record_id: int) -> Callable[[discord.Message], bool]:
    """Whether a message is this record's in the queue (its Approve/Reject buttons carry the record's id)."""
    ids = {item.id_for(action, record_id) for action in VERDICTS}

    def carries(message: discord.Message) -> bool:
        return not ids.isdisjoint(custom_ids(message))

    return carries


async def post_for_decision(bot: Any, channel: discord.TextChannel, item: type[DecisionButton], record_id: int,
                            embed: discord.Embed) -> int | None:
    """Post a record with its Approve/Reject buttons in the moderators' channel: the message's id, or None when
    Discord refused it (nothing is in the channel, as far as can be seen).

    A 5xx (a gateway timeout, a dropped connection) can come after Discord created the message; posting again
    would leave two, and treating it as failed would leave one whose record is withdrawn or unaccounted for.
    So a 5xx is followed by a look at the channel: the message carrying this record's buttons is proof."""
    since = bot.now()
    try:
        return (await channel.send(embed=embed, view=decision_view(item, record_id),
                                   allowed_mentions=NO_MENTIONS)).id
    except discord.HTTPException as error:
        if not transient(error):
            return None
        try:
            found = await own_post_since(bot, channel, since, carries_decision(item, record_id), limit=50)
        except discord.HTTPException:
            log.warning("%s %s: a 5xx on its post and its channel unreadable", item.__name__, record_id)
            return None
        if found is not None:
            log.info("%s %s: Discord made its message despite the %s", item.__name__, record_id, error.status)
        return None if found is None else int(found.id)
