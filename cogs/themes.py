"""/theme and /passage: moderators own the discussion themes' questions and passage tags by command,
and decide on passages members flagged (`/passage flagged|hide|show`, bot/flags/).

data/themes.toml stays the bundled default; what moderators change lives in SQLite (theme_questions,
passage_theme_overrides) and wins over it, across re-imports and restarts. `/theme list` and `/themes`
(the members' list, in cogs/discussion.py) share bot/discussion/theme_list.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import is_moderator, moderator_only, require_guild, require_moderator
from bot.core.errors import user_errors
from bot.core.films import option
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.spoilers import UNSEEN, theme_text, unseen
from bot.core.text import clip, inert
from bot.corpus import Theme, themes_for_film
from bot.corpus.lookup import (
    FilmScope,
    autocomplete_matches,
    film_choices,
    film_scope,
    may_be_spoiler_theme,
    resolve_theme,
    scope_themes,
    theme_list,
)
from bot.corpus.passage import Quote, is_spoiler
from bot.discussion.render import QUESTION_MAX
from bot.discussion.theme_list import bundled_questions, themes_embed
from bot.flags.render import not_spoiler_refusal
from bot.flags.rules import Decision
from bot.flags.views import DYNAMIC_ITEMS as FLAG_ITEMS
from bot.flags.views import decide, passage_reply, queue_page

if TYPE_CHECKING:
    from bot.client import FilmBot

_FOOTER = re.compile(r"^\D*?(\d{1,15})\D+?(\d{1,15})\D*$")  # "Review #12 · passage 3", "12/3", "12 3"
QUESTION_MIN = 5


def _parse_passage(text: str) -> tuple[int, int] | int:
    """(review id, 0-based ordinal) from a quote footer, or a bare passage id."""
    value = (text or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 15:
        return int(value)
    match = _FOOTER.match(value)
    if match is None or int(match[2]) < 1:
        raise UserError("Name the passage as its quote footer shows it, e.g. `Review #12 · passage 3` (or `12/3`).")
    return int(match[1]), int(match[2]) - 1


@app_commands.guild_only()
class ThemeAdmin(commands.Cog):
    """Themes' questions and passages' tags, owned by the moderators."""

    theme_group = app_commands.Group(name="theme", description="Discussion themes and their questions.")
    question_group = app_commands.Group(name="question", description="A theme's questions.", parent=theme_group)
    passage_group = app_commands.Group(
        name="passage", description="Correct a passage's themes; hide, show or review flagged passages."
    )

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*FLAG_ITEMS)  # the Flag button and the flag queue's (bot/flags/views.py)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*FLAG_ITEMS)

    async def _theme(self, theme: str, scope: FilmScope) -> Theme:
        found = resolve_theme(scope_themes(self.bot.themes, scope), theme)
        if found is None:
            raise UserError(f"Name a theme. Themes: {theme_list(scope_themes(self.bot.themes, scope))}.")
        return found

    # ------------------------------------------------------------------ /theme

    @theme_group.command(name="list", description="Themes (for a film or all), their passages and questions.")
    @app_commands.describe(film="Only this film's themes and passages, e.g. La La Land")
    async def list_themes(self, interaction: discord.Interaction, film: str | None = None) -> None:
        """Every theme that applies (to the film), with its passage count and every question prompts may ask."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            embed = await themes_embed(self.bot.store, self.bot.themes, film, guild.id, moderators_of=guild.id)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _change_question(
        self, interaction: discord.Interaction, theme: str, question: str, film: str | None, action: str
    ) -> None:
        member = await require_moderator(interaction, "change the themes' questions")
        scope = await film_scope(self.bot.store, option(film), interaction.guild_id)
        found = await self._theme(theme, scope)
        text = " ".join((question or "").split())
        if not QUESTION_MIN <= len(text) <= QUESTION_MAX:
            raise UserError(f"A question is {QUESTION_MIN} to {QUESTION_MAX} characters long.")
        if action == "add" and "||" in text and not found.spoiler:  # asked in clear: bold, thread names
            raise UserError(
                f"A question of **{inert(found.name, 100)}** is shown in clear (in bold and as the thread's name),"
                " so `||` spoiler bars would not hide anything. Leave the spoiler out, or add it to a spoiler theme"
                " (e.g. `ending`), whose questions are always hidden."
            )
        bundled = next(
            (w for w, s in bundled_questions(found, scope) if text.casefold() in {w.casefold(), s.casefold()}), None
        )
        outcome = await self.bot.store.questions.change(
            guild_id=member.guild.id, theme=found.key, film_key=scope.key, question=bundled or text,
            action=action, actor_id=member.id, bundled=bundled is not None,
        )
        where = f" for *{inert(scope.label, 100)}*" if scope.label else ""
        name = f"**{inert(found.name, 100)}**{where}"
        said = theme_text(text, found, QUESTION_MAX)  # a spoiler theme's question stays behind its tags
        replies = {
            "added": f"Added a question to {name}: “{said}”. Prompts may ask it from now on.",
            "restored": f"The bundled question is asked again on {name}: “{said}”.",
            "removed": f"Removed the question from {name}: “{said}”.",
            "hidden": f"Prompts on {name} will no longer ask the bundled question “{said}”.",
        }
        if outcome == "exists":
            raise UserError(f"Nothing to change: {name} already {'has' if action == 'add' else 'hides'} that question.")
        if outcome == "unknown":
            raise UserError(f"{name} has no such question. `/theme list` shows them.")
        await interaction.response.send_message(replies[outcome], ephemeral=True, allowed_mentions=NO_MENTIONS)

    @moderator_only
    @question_group.command(name="add", description="Add a discussion question to a theme (moderators).")
    @app_commands.describe(
        theme="The theme, e.g. ending", question="The question; {film} becomes the film's title",
        film="Only for this film (default: every film)",
    )
    async def question_add(
        self, interaction: discord.Interaction, theme: str, question: str, film: str | None = None
    ) -> None:
        """Add a question prompts on this theme may ask, besides the bundled ones."""
        hidden = may_be_spoiler_theme(self.bot.themes, theme)
        async with user_errors(interaction, typed=[("question", question, hidden)]):
            await self._change_question(interaction, theme, question, film, "add")

    @moderator_only
    @question_group.command(name="remove", description="Remove an added question, or hide a bundled one (moderators).")
    @app_commands.describe(theme="The theme, e.g. ending", question="The question, as /theme list shows it",
                           film="Only for this film (default: every film)")
    async def question_remove(
        self, interaction: discord.Interaction, theme: str, question: str, film: str | None = None
    ) -> None:
        """Remove a question a moderator added; a bundled question is hidden (kept as a suppression)."""
        async with user_errors(interaction):
            await self._change_question(interaction, theme, question, film, "remove")

    # ------------------------------------------------------------------ /passage

    async def _passage(self, passage: str) -> Quote:
        """The passage a moderator named (footer text, review/ordinal or id)."""
        parsed = _parse_passage(passage)
        passage_id = (
            parsed if isinstance(parsed, int) else await self.bot.store.corpus.passage_at(*parsed)
        )
        quote = await self.bot.store.quotes.get(passage_id) if passage_id is not None else None
        if quote is None:
            raise UserError(f"There is no quotable passage “{inert(passage, 60)}”.")
        return quote

    async def _retag(self, interaction: discord.Interaction, passage: str, theme: str, action: str) -> None:
        member = await require_moderator(interaction, "correct a passage's themes")
        quote = await self._passage(passage)
        passage_id = quote.passage_id
        applying = themes_for_film(self.bot.themes, quote.film_title, quote.film_year)
        found = resolve_theme(applying if action == "add" else self.bot.themes, theme)
        if found is None:
            raise UserError(f"Name a theme. Themes: {theme_list(applying)}.")
        changed = await self.bot.store.corpus.override(
            passage_id=passage_id, theme=found.key, action=action, actor_id=member.id, guild_id=member.guild.id,
        )
        label = quote.ref  # as the footers name it, so the answer matches what was pasted
        verb = "now tagged" if action == "add" else "no longer tagged"
        note = "" if changed else " (it already was; the correction is kept)"
        await interaction.response.send_message(
            f"{label} is {verb} **{inert(found.name, 100)}**{note}. This survives re-imports.",
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )

    @moderator_only
    @passage_group.command(name="tag", description="Tag a passage with a theme (moderators).")
    @app_commands.describe(passage="As its quote footer shows it, e.g. Review #12 · passage 3", theme="e.g. ending")
    async def passage_tag(self, interaction: discord.Interaction, passage: str, theme: str) -> None:
        """Put a theme on a passage the tagger missed; wins over every later retag."""
        async with user_errors(interaction):
            await self._retag(interaction, passage, theme, "add")

    @moderator_only
    @passage_group.command(name="untag", description="Remove a wrong theme from a passage (moderators).")
    @app_commands.describe(passage="As its quote footer shows it, e.g. Review #12 · passage 3", theme="e.g. ending")
    async def passage_untag(self, interaction: discord.Interaction, passage: str, theme: str) -> None:
        """Take a wrong theme off a passage; it stays off after re-imports and restarts."""
        async with user_errors(interaction):
            await self._retag(interaction, passage, theme, "remove")

    @moderator_only
    @passage_group.command(name="flagged", description="Passages members flagged, with Hide/Keep/Spoiler/Trim (moderators).")
    async def passage_flagged(self, interaction: discord.Interaction) -> None:
        """The queue of passages this server's members flagged, counted by reason (never who), with decisions."""
        async with user_errors(interaction):
            member = await require_moderator(interaction, "see flagged passages")
            embed, view = await queue_page(self.bot, member.guild.id, 0)
            await interaction.response.send_message(
                embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    async def _decide(self, interaction: discord.Interaction, passage: str, decision: Decision, doing: str) -> None:
        """/passage hide | show | not-spoiler: one moderator's decision on the passage named, and its card."""
        member = await require_moderator(interaction, doing)
        quote = await self._passage(passage)
        refusal = not_spoiler_refusal(quote, self.bot.themes) if decision is Decision.NOT_SPOILER else None
        if refusal is not None:
            raise UserError(refusal)
        done = await decide(self.bot, member, quote.passage_id, decision)
        reply = await passage_reply(self.bot, member.guild.id, quote.passage_id, done)
        await interaction.response.send_message(reply, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @moderator_only
    @passage_group.command(name="hide", description="Never quote or prompt a passage again, in every server (moderators).")
    @app_commands.describe(passage="As its quote footer shows it, e.g. Review #12 · passage 3")
    async def passage_hide(self, interaction: discord.Interaction, passage: str) -> None:
        """Hide a passage from every quote, prompt, search and game; corpus-wide, kept across re-imports."""
        async with user_errors(interaction):
            await self._decide(interaction, passage, Decision.HIDE, "hide passages")

    @moderator_only
    @passage_group.command(name="show", description="Quote and prompt a hidden passage again; shows its flags (moderators).")
    @app_commands.describe(passage="As its quote footer shows it, e.g. Review #12 · passage 3")
    async def passage_show(self, interaction: discord.Interaction, passage: str) -> None:
        """Bring back a hidden passage (corpus-wide) and show it with its marks and this server's flags."""
        async with user_errors(interaction):
            await self._decide(interaction, passage, Decision.SHOW, "show passages")

    @moderator_only
    @passage_group.command(
        name="not-spoiler", description="Show a passage the spoiler rules hid in clear, in every server (moderators)."
    )
    @app_commands.describe(passage="As its quote footer shows it, e.g. Review #12 · passage 3")
    async def passage_not_spoiler(self, interaction: discord.Interaction, passage: str) -> None:
        """Undo the text rules' (or a moderator's) spoiler verdict on one passage; corpus-wide, audited, kept across
        restarts and re-imports of an unchanged review. The rules hide on the safe side; this is the way back."""
        async with user_errors(interaction):
            await self._decide(interaction, passage, Decision.NOT_SPOILER, "show passages in clear")

    # ------------------------------------------------------------------ autocomplete

    @question_add.autocomplete("theme")
    @question_remove.autocomplete("theme")
    @passage_tag.autocomplete("theme")
    @passage_untag.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = (current or "").casefold().strip()
        return [
            app_commands.Choice(name=clip(t.name, 100), value=key)
            for key, t in self.bot.themes.items()
            if typed in key or typed in t.name.casefold()
        ][:25]

    @passage_tag.autocomplete("passage")
    @passage_untag.autocomplete("passage")
    @passage_hide.autocomplete("passage")
    @passage_show.autocomplete("passage")
    @passage_not_spoiler.autocomplete("passage")
    async def passage_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Moderators pick a passage by review number ("12", "Review #12") or by words in it.

        Each choice reads as the quote footer does, with the start of the passage, or [spoiler]
        where the quote would be hidden: an autocomplete line cannot carry a spoiler tag.
        """
        if not await is_moderator(interaction):
            return []
        typed = (current or "").strip()[:200]
        review = re.match(r"\D{0,10}?(\d{1,15})\b", typed)
        if review is not None:
            quotes = await self.bot.store.quotes.of_review(int(review[1]))
        elif len(typed) >= 2:
            quotes = [quote for quote, _ in await self.bot.store.quotes.search(typed, limit=25)]
        else:
            return []
        return [app_commands.Choice(name=self._passage_choice(q), value=f"{q.review_id}/{q.ordinal + 1}")
                for q in quotes[:25]]

    def _passage_choice(self, quote: Quote) -> str:
        shown = unseen(quote.text, is_spoiler(quote, self.bot.themes), 100)
        return clip(f"{quote.ref} — {shown}", 100)

    @question_remove.autocomplete("question")
    async def question_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """The questions the theme (for the film chosen so far) asks: bundled as shown, then added ones."""
        guild = interaction.guild
        try:
            scope = await film_scope(self.bot.store, option(getattr(interaction.namespace, "film", None)), interaction.guild_id)
            theme = resolve_theme(scope_themes(self.bot.themes, scope), getattr(interaction.namespace, "theme", None))
        except UserError:
            return []
        if theme is None or guild is None:
            return []
        rows = await self.bot.store.questions.rows(guild.id, theme.key, scope.key)
        names = [shown for _, shown in bundled_questions(theme, scope)]
        names += [r.question for r in rows if r.action == "add" and r.film_key == scope.key]
        if theme.spoiler:  # an autocomplete line cannot hide text: a spoiler theme's questions by number
            return [app_commands.Choice(name=clip(f"{theme.name} · question {n} {UNSEEN}", 100), value=clip(q, 100))
                    for n, q in enumerate(names, start=1)][:25]
        return [app_commands.Choice(name=n, value=v) for n, v in autocomplete_matches(current, names)]

    @list_themes.autocomplete("film")
    @question_add.autocomplete("film")
    @question_remove.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(ThemeAdmin(bot))
