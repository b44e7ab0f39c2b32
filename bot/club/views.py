"""The game's answer buttons and the forget-me confirmation: DynamicItems, state in SQLite, restart-proof."""

from __future__ import annotations

import discord

from bot.core.checks import client_of
from bot.core.errors import user_errors
from bot.core.persistent import Persistent, persistent_view
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.text import counted


class GameAnswer(
    Persistent[discord.ui.Button],
    template=r"filmbot:game:answer:(?P<round>\d{1,18}):(?P<answer>critic|club)",
    parse={"answer": str},
):
    """One answer of a round; one per member per round (the PRIMARY KEY decides under concurrent clicks)."""

    def __init__(self, round_id: int, answer: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="A critic" if answer == "critic" else "A club member",
                emoji="🖋️" if answer == "critic" else "🍿",
                style=discord.ButtonStyle.primary,
                custom_id=self.id_for(round_id, answer),
                disabled=disabled,
            )
        )
        self.round_id = round_id
        self.answer = answer

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.club.service import ClubService  # the service imports this module for game_view

        async with user_errors(interaction):
            await ClubService(client_of(interaction)).answer(interaction, self.round_id, self.answer)


def game_view(round_id: int, disabled: bool = False) -> discord.ui.View:
    return persistent_view(GameAnswer(round_id, "critic", disabled), GameAnswer(round_id, "club", disabled))


class ForgetConfirm(Persistent[discord.ui.Button], template=r"filmbot:club:forget:(?P<user>\d{1,20})"):
    """The button that confirms /rate forget-me; only the member it was shown to can press it."""

    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(label="Yes, forget my ratings, takes and answers", style=discord.ButtonStyle.danger,
                              custom_id=self.id_for(user_id))
        )
        self.user_id = user_id

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            if interaction.user.id != self.user_id:
                raise UserError("This button belongs to someone else's request.")
            text = await forget(interaction)
            await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)


async def forget(interaction: discord.Interaction) -> str:
    bot = client_of(interaction)
    counts = await bot.store.club.forget(interaction.user.id, interaction.guild.id if interaction.guild else None,
                                         bot.now())
    bot.scheduler.wake()  # their suggestions' log messages are edited now (suggestion_retractions)
    return (
        f"Done: removed {counted(counts['club_ratings'], 'rating')} and their takes,"
        f" {counted(counts['club_game_answers'], 'game answer')}, {counted(counts['passage_flags'], 'passage flag')},"
        f" {counted(counts['film_watches'], 'watched film')},"
        f" {counted(counts['poll_votes'], 'poll vote')}, {counted(counts['filmnight_ballots'], 'film-night ballot')},"
        f" {counted(counts['question_suggestions'], 'suggested question')}"
        f" and your consent, in every server; your words no longer show in"
        f" {counted(counts['club_game_rounds'], 'game round')}. Kept for a day, without your words: when you"
        " last suggested a question or flagged passages, so the hourly limits on those still count them."
    )


def forget_view(user_id: int) -> discord.ui.View:
    return persistent_view(ForgetConfirm(user_id))


DYNAMIC_ITEMS = (GameAnswer, ForgetConfirm)
