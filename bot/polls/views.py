"""The Discord pieces of button polls: the public poll message, its vote buttons and select menu.

State lives in SQLite and the items are DynamicItems with namespaced custom ids, so a poll's
buttons keep working after a restart. Votes go to the bot's PollService (`bot.polls`).
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot.core.checks import client_of
from bot.core.errors import user_errors
from bot.core.inputs import chosen_number
from bot.core.persistent import Persistent, persistent_view
from bot.core.refusals import UserError
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.text import clip
from bot.polls import rules as logic
from bot.polls.rules import Poll


def poll_embed(
    poll: Poll, counts: tuple[int, ...], voters: int | None, *, closed: bool, announce: bool = False,
    posted_at: datetime | None = None,
) -> discord.Embed:
    """The public poll message (button polls) and every results view (`posted_at`: when results go out)."""
    title, description = logic.poll_text(poll, counts, voters, closed=closed, announce=announce,
                                         posted_at=posted_at)
    return discord.Embed(title=title, description=description, colour=FILM_CLUB_COLOUR)


class VoteButton(
    Persistent[discord.ui.Button],
    template=r"filmbot:poll:vote:(?P<poll>\d{1,18}):(?P<option>\d{1,2})",
):
    """One option of a button poll (≤ 5 options); votes live in SQLite, so restarts change nothing."""

    def __init__(self, poll_id: int, option_id: int, label: str = "?", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, logic.BUTTON_OPTION_MAX),
                style=discord.ButtonStyle.secondary,
                custom_id=self.id_for(poll_id, option_id),
                disabled=disabled,
            )
        )
        self.poll_id = poll_id
        self.option_id = option_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            await bot.polls.record_vote(interaction, self.poll_id, self.option_id)


class VoteSelect(
    Persistent[discord.ui.Select], template=r"filmbot:poll:select:(?P<poll>\d{1,18})"
):
    """A button poll with more than 5 options: each pick acts exactly like clicking that option."""

    def __init__(self, poll_id: int, options: tuple[str, ...] = ("?",), disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=self.id_for(poll_id),
                placeholder="Vote: pick an option (pick your choice again to remove it)",
                options=[
                    discord.SelectOption(label=clip(label, logic.BUTTON_OPTION_MAX), value=str(number))
                    for number, label in enumerate(options, start=1)
                ],
                disabled=disabled,
            )
        )
        self.poll_id = poll_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            option = chosen_number(self.item.values)
            if option is None:
                raise UserError("Pick one option to vote.")
            await bot.polls.record_vote(interaction, self.poll_id, option)


def poll_view(poll: Poll, *, disabled: bool) -> discord.ui.View:
    view = persistent_view()
    if len(poll.options) <= logic.MAX_BUTTONS:
        for number, label in enumerate(poll.options, start=1):
            view.add_item(VoteButton(poll.id, number, label, disabled))
    else:
        view.add_item(VoteSelect(poll.id, poll.options, disabled))
    return view
