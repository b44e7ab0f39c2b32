"""The moderator queue of suggested questions: one log-channel message per suggestion, Approve / Reject.

The buttons are DynamicItems (`filmbot:suggest:<approve|reject>:<id>`): they work after a restart, and
what they decide is read from the database by id, never from the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.checks import client_of
from bot.core.decisions import VERDICTS, DecisionButton, decision_view
from bot.core.render import FILM_CLUB_COLOUR, NO_MENTIONS
from bot.core.spoilers import Gate, server_gate
from bot.core.text import clip, inert, spoiler
from bot.discussion.suggestion_rules import Suggestion

if TYPE_CHECKING:
    from bot.client import FilmBot


def suggestion_embed(
    suggestion: Suggestion, *, theme_name: str | None, spoiler_theme: bool, film_label: str | None,
    verdict: str | None = None, gate: Gate | None = None,
) -> discord.Embed:
    """What moderators see: the question (behind spoiler bars under a spoiler theme), its theme and film. A
    spoiler theme's question about the film the server's `gate` holds back is not sent at all, as everywhere:
    a line saying until when stands in its place (the question is stored whole)."""
    question = inert(suggestion.question, 400)
    if spoiler_theme and gate is not None and gate.covers(suggestion.film_id):
        description = gate.held_line
    else:
        description = spoiler(question) if spoiler_theme else question
    embed = discord.Embed(
        title="💬 Suggested discussion question" + (f" — {verdict}" if verdict else ""),
        description=description,
        colour=FILM_CLUB_COLOUR,
    )
    embed.add_field(name="Theme", value=clip(inert(theme_name or "any theme without spoilers"), 200))
    embed.add_field(name="Film", value=clip(inert(film_label or "any film"), 200))
    credit = "named with the question" if suggestion.credit else "stays unnamed"
    embed.add_field(name="Suggested by", value=f"<@{suggestion.user_id}> ({credit})", inline=False)
    if verdict is None:
        embed.set_footer(text="Approve adds it to this server's questions for /discuss and schedules.")
    return embed


class SuggestionButton(DecisionButton, template=r"filmbot:suggest:(?P<action>approve|reject):(?P<id>\d{1,18})"):
    """A moderator approves or rejects one suggested question."""

    ACTING = "decide on suggested questions"

    async def decide(self, bot: FilmBot, moderator: discord.Member) -> Suggestion | None:
        return await bot.store.suggestions.decide(
            self.record_id, approve=self.action == "approve", moderator_id=moderator.id, guild_id=moderator.guild.id,
            now=bot.now(),
        )

    async def show(self, interaction: discord.Interaction, moderator: discord.Member, decided: Suggestion) -> None:
        bot = client_of(interaction)
        theme = bot.themes.get(decided.theme or "")
        film = await bot.store.suggestions.film_label(decided.film_id)
        verdict = VERDICTS[self.action]
        await interaction.response.edit_message(
            embed=suggestion_embed(
                decided, theme_name=theme.name if theme else None, spoiler_theme=bool(theme and theme.spoiler),
                film_label=film, verdict=f"{verdict} by {moderator.display_name}",
                gate=await server_gate(bot.store, moderator.guild.id, bot.themes),
            ),
            view=suggestion_view(self.record_id, disabled=True), allowed_mentions=NO_MENTIONS,
        )


def suggestion_view(suggestion_id: int, *, disabled: bool = False) -> discord.ui.View:
    return decision_view(SuggestionButton, suggestion_id, disabled=disabled)
