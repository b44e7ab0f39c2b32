"""The "I've watched it" button, the private spoilers button and /history's pages: DynamicItems, restart-proof.

Custom ids carry only ids (`filmbot:watched:<screening>`, `filmbot:watched:spoilers:<film>`,
`filmbot:history:<member>:<page>:<p|n>`); the state is read from SQLite on every press.
"""

from __future__ import annotations

import discord

from bot.core.checks import client_of, require_guild
from bot.core.errors import user_errors
from bot.core.paging import PageButton
from bot.core.persistent import Persistent, persistent_view
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.time import from_iso
from bot.filmnight.people import history_embed, local_day, record_watch, spoiler_text


class WatchedButton(Persistent[discord.ui.Button], template=r"filmbot:watched:(?P<screening>\d{1,18})"):
    """Under the after-screening post: the presser watched this film night's film (counted once)."""

    def __init__(self, screening_id: int) -> None:
        super().__init__(discord.ui.Button(
            label="I've watched it", emoji="🎬", style=discord.ButtonStyle.success,
            custom_id=self.id_for(screening_id),
        ))
        self.screening_id = screening_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            screening = await bot.store.filmnight.screening(self.screening_id)
            if screening is None or screening.guild_id != require_guild(interaction).id:
                raise UserError("This film night no longer exists.")
            if screening.status == "cancelled":  # never posted for one: a forged id
                raise UserError("This film night was cancelled: nothing to record. `/watched` records a film you"
                                " saw elsewhere.")
            if bot.now() < from_iso(screening.starts_at):
                # The button is only posted after the screening: a press before it starts is a forged id, and
                # would record a film night nobody has seen yet (and open its spoilers, "Show me its spoilers").
                raise UserError("This film night hasn't started yet: nothing to record. `/watched` records a film"
                                " you saw elsewhere.")
            day = await local_day(bot, screening.guild_id, from_iso(screening.starts_at))
            text, _ = await record_watch(interaction, screening.film_id, screening.label, day, screening.id)
            await interaction.response.send_message(
                text, view=spoilers_view(screening.film_id), ephemeral=True, allowed_mentions=NO_MENTIONS)


class SpoilersButton(Persistent[discord.ui.Button],
                     template=r"filmbot:watched:spoilers:(?P<film>\d{1,18})"):
    """Only for a member who recorded the film: its spoiler passages, privately, whatever the club's gate."""

    def __init__(self, film_id: int) -> None:
        super().__init__(discord.ui.Button(
            label="Show me its spoilers", emoji="🔓", style=discord.ButtonStyle.secondary,
            custom_id=self.id_for(film_id),
        ))
        self.film_id = film_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            guild = require_guild(interaction)
            if not await bot.store.watches.has_watched(guild.id, self.film_id, interaction.user.id):
                raise UserError("Spoilers are for members who have watched the film: record it with `/watched` first.")
            label = await bot.store.club.film_label(self.film_id) or "this film"
            await interaction.response.send_message(
                await spoiler_text(bot, self.film_id, label), ephemeral=True, allowed_mentions=NO_MENTIONS)


def watched_view(screening_id: int) -> discord.ui.View:
    return persistent_view(WatchedButton(screening_id))


def spoilers_view(film_id: int) -> discord.ui.View:
    return persistent_view(SpoilersButton(film_id))


class HistoryPage(PageButton, template=r"filmbot:history:(?P<user>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])"):
    """Previous / next page of a member's /history (read fresh on every press); the key is the member."""

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            guild = require_guild(interaction)
            try:
                user = guild.get_member(self.key) or await bot.fetch_user(self.key)
            except discord.NotFound:  # the account was deleted since the history was shown
                raise UserError("That member's account no longer exists: there is no history to show.") from None
            embed, page, pages = await history_embed(bot, guild, user, self.page)
            await interaction.response.edit_message(
                embed=embed, view=history_view(self.key, page, pages), allowed_mentions=NO_MENTIONS)


def history_view(user_id: int, page: int, pages: int) -> discord.ui.View | None:
    if pages <= 1:
        return None
    return HistoryPage.pager(user_id, page, pages)


DYNAMIC_ITEMS = (WatchedButton, SpoilersButton, HistoryPage)
