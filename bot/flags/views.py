"""The Discord side of flags: the Flag button under every public quote and prompt, the private reason
choice, and the moderators' queue (Hide / Keep / Mark spoiler / Trim, pages, the trim menu).

Every component is a DynamicItem with a namespaced custom id (`filmbot:flag:…`) whose state is read
from SQLite by id, so buttons posted before a restart keep working. Moderators are checked at click
time: a member who crafts a moderator's custom id is refused and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.checks import client_of, interaction_data, require_guild, require_moderator
from bot.core.errors import send_ephemeral, user_errors
from bot.core.inputs import chosen_number
from bot.core.paging import prev_next
from bot.core.persistent import Persistent, PrebuiltView, persistent_view
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.spoilers import server_gate
from bot.corpus.passage import Quote, is_spoiler
from bot.flags.render import (
    decided_text,
    decision_text,
    passage_card,
    passage_label,
    queue_embed,
    trim_option,
    trim_prompt,
)
from bot.flags.rules import FLAGS_PER_HOUR, QUEUE_PAGE, Decision, Reason, pages, trim_choices

if TYPE_CHECKING:
    from bot.client import FilmBot

LIMITED = f"You have flagged {FLAGS_PER_HOUR} passages in the last hour: thank you! Try again a little later."
ALREADY_HIDDEN = "A moderator already hid that passage: it will not be quoted or prompted again."
QUEUE_STALE = "\n(Discord failed to refresh the queue message: `/passage flagged` shows the queue as it is now.)"
_ANONYMOUS = "Moderators see how many members flagged a passage and why, never who."


async def _quote(bot: FilmBot, passage_id: int) -> Quote:
    quote = await bot.store.quotes.get(passage_id)
    if quote is None:
        raise UserError("That passage was removed from the corpus.")
    return quote


class FlagButton(Persistent[discord.ui.Button], template=r"filmbot:flag:(?P<passage>\d{1,18})"):
    """🚩 Flag: a member tells the moderators a passage reads badly, names the wrong film or spoils."""

    def __init__(self, passage_id: int, label: str = "Flag") -> None:
        super().__init__(discord.ui.Button(
            label=label, emoji="🚩", style=discord.ButtonStyle.secondary, custom_id=self.id_for(passage_id),
        ))
        self.passage_id = passage_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            guild = require_guild(interaction)
            quote = await _quote(bot, self.passage_id)
            if quote.hidden:
                raise UserError(ALREADY_HIDDEN)
            reason = await bot.store.flags.reason_of(self.passage_id, interaction.user.id, guild.id)
            if reason is not None:
                raise UserError(
                    f"You already flagged **{passage_label(quote)}** (“{reason.label}”): one flag per member per"
                    f" passage in each server. {_ANONYMOUS}"
                )
            if await bot.store.flags.recent(interaction.user.id) >= FLAGS_PER_HOUR:
                raise UserError(LIMITED)
            view = persistent_view(*(ReasonButton(self.passage_id, choice) for choice in Reason))
            await interaction.response.send_message(
                f"What is wrong with **{passage_label(quote)}**? {_ANONYMOUS}",
                view=view, ephemeral=True, allowed_mentions=NO_MENTIONS,
            )


class ReasonButton(
    Persistent[discord.ui.Button],
    template=r"filmbot:flag:reason:(?P<passage>\d{1,18}):(?P<reason>reads_badly|wrong_film|spoiler)",
    parse={"reason": Reason},
):
    """One of the private reasons; the flag is written only here, once per member per passage."""

    def __init__(self, passage_id: int, reason: Reason) -> None:
        super().__init__(discord.ui.Button(
            label=reason.label, style=discord.ButtonStyle.danger if reason is Reason.SPOILER
            else discord.ButtonStyle.secondary, custom_id=self.id_for(passage_id, reason),
        ))
        self.passage_id = passage_id
        self.reason = reason

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            guild = require_guild(interaction)
            outcome = await bot.store.flags.flag(
                passage_id=self.passage_id, user_id=interaction.user.id, guild_id=guild.id, reason=self.reason
            )
            if outcome == "gone":
                raise UserError("That passage was removed from the corpus.")
            if outcome == "hidden":
                raise UserError(ALREADY_HIDDEN)
            if outcome == "duplicate":
                raise UserError(f"You already flagged that passage: one flag per member per passage in each server."
                                f" {_ANONYMOUS}")
            if outcome == "limited":
                raise UserError(LIMITED)
            await interaction.response.edit_message(
                content=f"Thanks: flagged as “{self.reason.label}”. This server's moderators will look at it."
                f" {_ANONYMOUS}",
                view=None, allowed_mentions=NO_MENTIONS,
            )


def flag_view(passage_ids: list[int] | tuple[int, ...], view: discord.ui.View | None = None) -> discord.ui.View:
    """Flag buttons for the passages a public message shows (added to `view`, or a new persistent one)."""
    labels = [(passage_id, "Flag" if len(passage_ids) == 1 else f"Flag excerpt {number}")
              for number, passage_id in enumerate(passage_ids, start=1)]
    if view is None or isinstance(view, PrebuiltView):  # the same components, sent from their payloads
        return (view or PrebuiltView()).add(*(FlagButton.payload((passage_id,), label) for passage_id, label in labels))
    for passage_id, label in labels:
        view.add_item(FlagButton(passage_id, label))
    return view


# ---------------------------------------------------------------- the moderators' side


async def queue_page(bot: FilmBot, guild_id: int, page: int) -> tuple[discord.Embed, discord.ui.View]:
    """One page of the server's flagged passages with a row of decision buttons per passage."""
    total, flagged = await bot.store.flags.queue(guild_id, page, QUEUE_PAGE)
    if not flagged and page > 0:  # the last page emptied (decisions): show the one before
        page = max(0, pages(total) - 1)
        total, flagged = await bot.store.flags.queue(guild_id, page, QUEUE_PAGE)
    entries = [(f, q) for f in flagged if (q := await bot.store.quotes.get(f.passage_id)) is not None]
    view = persistent_view()
    for row, (entry, _) in enumerate(entries):
        for decision in (Decision.HIDE, Decision.KEEP, Decision.SPOILER, Decision.TRIM):
            view.add_item(DecideButton(decision, entry.passage_id, page, number=row + 1, row=row))
    if pages(total) > 1:
        for button in prev_next(lambda target, way, off: PageButton(target, "Next" if way == "n" else "Prev", disabled=off),
                                page, pages(total)):
            view.add_item(button)
    return queue_embed(total, page, entries, bot.themes, await server_gate(bot.store, guild_id, bot.themes)), view


_DECIDE_LABELS = {Decision.HIDE: "Hide", Decision.KEEP: "Keep", Decision.SPOILER: "Mark spoiler", Decision.TRIM: "Trim"}
_DECIDE_STYLES = {Decision.HIDE: discord.ButtonStyle.danger, Decision.KEEP: discord.ButtonStyle.success}


class DecideButton(
    Persistent[discord.ui.Button],
    template=r"filmbot:flag:decide:(?P<decision>hide|keep|spoiler|trim):(?P<passage>\d{1,18}):(?P<page>\d{1,6})",
    parse={"decision": Decision},
):
    """Hide / Keep / Mark spoiler / Trim for one queued passage (moderators only, checked on click)."""

    def __init__(self, decision: Decision, passage_id: int, page: int, *, number: int = 0, row: int | None = None):
        label = _DECIDE_LABELS[decision] + (f" {number}" if number else "")
        super().__init__(discord.ui.Button(
            label=label, style=_DECIDE_STYLES.get(decision, discord.ButtonStyle.secondary),
            custom_id=self.id_for(decision, passage_id, page),
        ), row=row)
        self.decision, self.passage_id, self.page = decision, passage_id, page

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            member = await require_moderator(interaction, "decide on flagged passages")
            if self.decision is Decision.TRIM:
                await open_trim(interaction, self.passage_id)
                return
            text = await decide(bot, member, self.passage_id, self.decision, queued=True)
            embed, view = await queue_page(bot, member.guild.id, self.page)
            try:
                await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException:  # stored already: say so, never "try again" (a second press changes nothing)
                await send_ephemeral(interaction, text + QUEUE_STALE)
                return
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class PageButton(Persistent[discord.ui.Button], template=r"filmbot:flag:page:(?P<page>-?\d{1,6})"):
    """Prev / Next through the queue (moderators only)."""

    def __init__(self, page: int, label: str = "Next", *, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, disabled=disabled,
            custom_id=self.id_for(page),
        ), row=4)
        self.page = page

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            member = await require_moderator(interaction, "see flagged passages")
            embed, view = await queue_page(bot, member.guild.id, max(0, self.page))
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


async def open_trim(interaction: discord.Interaction, passage_id: int) -> None:
    """The private menu of the passage's sentences: the one chosen is what gets quoted from now on."""
    bot = client_of(interaction)
    quote = await _quote(bot, passage_id)
    text = await bot.store.flags.original_text(passage_id) or quote.text
    sentences = trim_choices(text)
    if len(sentences) < 2:
        raise UserError(f"**{passage_label(quote)}** is a single sentence already: Hide or Keep it instead.")
    hidden = is_spoiler(quote, bot.themes) or bool((await bot.store.flags.open_counts(
        require_guild(interaction).id, passage_id))[Reason.SPOILER])
    gate = await server_gate(bot.store, interaction.guild_id, bot.themes)
    if gate is not None and gate.held(quote.film_id, hidden):
        raise UserError(gate.refusal(f"Trimming **{passage_label(quote)}**"))
    select = TrimSelect(passage_id, [
        discord.SelectOption(label=trim_option(n, s, hidden), value=str(n - 1)) for n, s in enumerate(sentences, 1)
    ])
    view = persistent_view(select)
    await interaction.response.send_message(
        trim_prompt(passage_label(quote), sentences, hidden), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
    )


class TrimSelect(Persistent[discord.ui.Select], template=r"filmbot:flag:trimto:(?P<passage>\d{1,18})"):
    """Keep one sentence of a passage (moderators only); the choice is re-read from the passage's text."""

    def __init__(self, passage_id: int, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(discord.ui.Select(
            placeholder="Keep this sentence…", custom_id=self.id_for(passage_id), options=options or [],
        ))
        self.passage_id = passage_id

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            member = await require_moderator(interaction, "trim passages")
            chosen = chosen_number(interaction_data(interaction).get("values") or [])
            text = await bot.store.flags.original_text(self.passage_id)
            sentences = trim_choices(text or "")
            if chosen is None or chosen >= len(sentences):
                raise UserError("Pick one of the passage's sentences: the passage changed since this menu opened.")
            done = await decide(bot, member, self.passage_id, Decision.TRIM, sentences[chosen], queued=True)
            try:
                await interaction.response.edit_message(content=done, view=None, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException:  # the trim is stored: the moderator is told that, not "try again"
                await send_ephemeral(interaction, done)


async def decide(
    bot: FilmBot, member: discord.Member, passage_id: int, decision: Decision, sentence: str | None = None,
    *, queued: bool = False,
) -> str:
    """Apply and audit a moderator's decision; the confirmation (saying when it is corpus-wide). `queued`: from
    the flag queue, refused when another moderator decided the passage's flags meanwhile."""
    quote = await _quote(bot, passage_id)
    had_flags = queued or any((await bot.store.flags.open_counts(member.guild.id, passage_id)).values())
    changed = await bot.store.flags.decide(
        passage_id=passage_id, decision=decision, actor_id=member.id, guild_id=member.guild.id, sentence=sentence,
        queued=queued,
    )
    if changed is None:
        raise UserError("That passage was removed from the corpus.")
    if changed == "decided":
        return decided_text(passage_label(quote), member.id, await bot.store.flags.decided_by(passage_id, member.guild.id))
    return decision_text(decision, passage_label(quote), *changed, had_flags=had_flags)


async def passage_reply(bot: FilmBot, guild_id: int, passage_id: int, headline: str) -> str:
    """A passage as moderators see it after /passage hide|show: its text, marks and this server's flags."""
    quote = await _quote(bot, passage_id)
    gate = await server_gate(bot.store, guild_id, bot.themes)
    return passage_card(quote, await bot.store.flags.open_counts(guild_id, passage_id), bot.themes, headline, gate)


DYNAMIC_ITEMS = (FlagButton, ReasonButton, DecideButton, PageButton, TrimSelect)
