"""Film night's persistent components: watchlist pages, approval buttons, the ballot select menus.

Every item is a DynamicItem whose custom id carries only ids (`filmbot:filmnight:<action>:<id>…`);
the state is read from SQLite, so they keep working after a restart.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.core import decisions as core_decisions
from bot.core import paging as core_paging
from bot.core.checks import client_of, require_moderator
from bot.core.decisions import ALREADY, VERDICTS
from bot.core.decisions import decision_view as shared_decision_view
from bot.core.errors import user_errors
from bot.core.inputs import chosen_number
from bot.core.persistent import Persistent, persistent_view
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.spoilers import server_gate
from bot.core.text import clip, inert
from bot.filmnight.render import (
    HISTORY_PAGE,
    history_embed,
    history_pages,
    pages,
    pending_embed,
    queue_embed,
    watchlist_embed,
)
from bot.filmnight.rules import RANKS, Entry, Pick

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


class PageButton(
    core_paging.PageButton, template=r"filmbot:filmnight:wl:(?P<guild>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])"
):
    """Previous / next page of the watchlist (read fresh from SQLite on every click); the key is the server."""

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            if self.key != interaction.guild_id:  # a page of another server's list is never shown here
                raise UserError("This watchlist belongs to another server: run `/watchlist list` here.")
            entries = await bot.store.filmnight.entries(self.key)
            page = min(self.page, pages(len(entries)) - 1)
            gate = await server_gate(bot.store, self.key, bot.themes)
            await interaction.response.edit_message(
                embed=watchlist_embed(entries, page, gate), view=watchlist_view(self.key, page, len(entries)),
                allowed_mentions=NO_MENTIONS,
            )


def watchlist_view(guild_id: int, page: int, total: int) -> discord.ui.View:
    return PageButton.pager(guild_id, page, pages(total))


class NightsPage(
    core_paging.PageButton, template=r"filmbot:filmnight:nights:(?P<guild>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])"
):
    """Previous / next page of `/filmnight history` (read fresh on every click); the key is the server."""

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            if self.key != interaction.guild_id:  # a page of another server's film nights is never shown here
                raise UserError("These film nights belong to another server: run `/filmnight history` here.")
            embed, view = await film_nights_page(bot, self.key, self.page)
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


async def film_nights_page(bot: FilmBot, guild_id: int, page: int) -> tuple[discord.Embed, discord.ui.View | None]:
    """Page `page` of the server's ended film nights (the last page if fewer are left) and its Prev/Next."""
    total = await bot.store.filmnight.ended_count(guild_id)
    page = max(0, min(page, history_pages(total) - 1))
    screenings = await bot.store.filmnight.history(guild_id, HISTORY_PAGE, page * HISTORY_PAGE)
    watched = await bot.store.watches.watched_per_screening([s.id for s in screenings])
    embed = history_embed(screenings, watched, page=page, total=total)
    pager = NightsPage.pager(guild_id, page, history_pages(total)) if history_pages(total) > 1 else None
    return embed, pager


class DecisionButton(
    core_decisions.DecisionButton, template=r"filmbot:filmnight:(?P<action>approve|reject):(?P<entry>\d{1,18})"
):
    """A moderator approves or rejects a pending watchlist suggestion (in the log channel)."""

    ACTING = "approve watchlist suggestions"

    def named(self, decided: Entry) -> str:
        return f"**{inert(decided.label, 150)}**"

    async def already(self, interaction: discord.Interaction, moderator: discord.Member) -> None:
        # Decided from `/watchlist pending` (which cannot reach this post) or by another moderator: the post stops
        # offering a decision that no longer exists, its embed kept as it was. Only this server's own suggestion's
        # post: the same id forged onto a message elsewhere is answered privately, that message left alone.
        if not (core_decisions.offers_decision(type(self), self.record_id, interaction.message)
                and await client_of(interaction).store.filmnight.decided_here(self.record_id, moderator.guild.id)):
            await super().already(interaction, moderator)
            return
        await interaction.response.edit_message(
            content=f"{ALREADY[:-1]} (by another moderator, or from `/watchlist pending`).",
            view=decision_view(self.record_id, disabled=True), allowed_mentions=NO_MENTIONS,
        )

    async def decide(self, bot: FilmBot, moderator: discord.Member) -> Entry | None:
        return await bot.store.filmnight.decide(self.record_id, self.action == "approve", moderator.id, moderator.guild.id)

    async def show(self, interaction: discord.Interaction, moderator: discord.Member, decided: Entry) -> None:
        await interaction.response.edit_message(**await decided_post(client_of(interaction), moderator, decided,
                                                                     self.action))


def decision_view(entry_id: int, *, disabled: bool = False) -> discord.ui.View:
    return shared_decision_view(DecisionButton, entry_id, disabled=disabled)


async def decided_post(bot: FilmBot, moderator: discord.Member, decided: Entry, action: str,
                       where: str = "") -> dict[str, Any]:
    """The log channel's post of a decided suggestion: who decided it, its embed no longer "awaiting approval",
    its buttons disabled (the note as the log first showed it: the server's gate)."""
    verdict = VERDICTS[action]
    gate = await server_gate(bot.store, moderator.guild.id, bot.themes)
    return {"content": f"**{inert(decided.label, 150)}** {verdict} by {moderator.mention}{where}.",
            "embed": pending_embed(decided, verdict, gate), "view": decision_view(decided.id, disabled=True),
            "allowed_mentions": NO_MENTIONS}


async def close_log_post(bot: FilmBot, moderator: discord.Member, decided: Entry, action: str,
                         post: tuple[int, int] | None) -> str:
    """After a decision in `/watchlist pending`: its log-channel post edited to say so, so it stops offering
    Approve/Reject. What the moderator is told when that edit failed ('' when done or there is none): the
    decision stands either way, and the post, pressed, still says it was decided."""
    if post is None:
        return ""
    channel_id, message_id = post
    try:
        await bot.get_partial_messageable(channel_id).get_partial_message(message_id).edit(
            **await decided_post(bot, moderator, decided, action, " (from `/watchlist pending`)"))
    except discord.NotFound:
        return " (Its post in the log channel is gone, so there was nothing there to update.)"
    except discord.HTTPException:
        return (" (Discord failed to update its post in the log channel, which may still show Approve/Reject:"
                " pressed, it says the suggestion was decided.)")
    return ""


async def withdraw_log_post(bot: FilmBot, entry: Entry, post: tuple[int, int] | None, by: discord.abc.User) -> None:
    """A suggestion removed while it waited: its log-channel post says so and stops offering Approve/Reject. Best
    effort: the removal stands whatever Discord answers (a post left as it was says "decided" when pressed)."""
    if post is None:
        return
    channel_id, message_id = post
    gate = await server_gate(bot.store, entry.guild_id, bot.themes)
    try:
        await bot.get_partial_messageable(channel_id).get_partial_message(message_id).edit(
            content=f"**{inert(entry.label, 150)}** withdrawn by {by.mention}: removed from the watchlist.",
            embed=pending_embed(entry, "withdrawn", gate), view=decision_view(entry.id, disabled=True),
            allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.info("could not close the log post of withdrawn suggestion %s", entry.id, exc_info=True)


class QueuePageButton(
    core_paging.PageButton, template=r"filmbot:filmnight:pending:(?P<guild>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])"
):
    """Previous / next suggestion awaiting approval (`/watchlist pending`), for moderators of that server."""

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            await require_moderator(interaction, "approve watchlist suggestions")
            if self.key != interaction.guild_id:
                raise UserError("These suggestions belong to another server: run `/watchlist pending` here.")
            embed, view = await queue_page(bot, self.key, self.page)
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


class QueueDecisionButton(
    core_decisions.DecisionButton,
    template=r"filmbot:filmnight:pending-(?P<action>approve|reject):(?P<entry>\d{1,18})",
):
    """Approve or reject a suggestion from `/watchlist pending`: the page then shows the next one waiting.

    The moderators' way to decide whatever became of the log channel's message (never posted: Discord refused
    it, or no log channel was set yet when the member suggested it)."""

    ACTING = "approve watchlist suggestions"
    at = 0  # the decided suggestion's place in the queue, where the next one waiting is shown
    post: tuple[int, int] | None = None  # the decided suggestion's log-channel post, read before a reject deletes it

    def named(self, decided: Entry) -> str:
        return f"**{inert(decided.label, 150)}**"

    async def already(self, interaction: discord.Interaction, moderator: discord.Member) -> None:
        # An older page (another moderator decided meanwhile, or from the log channel): the queue as it is now, on
        # the page offering it only (private; never a message its id was forged onto), of this server's suggestion.
        message = interaction.message
        bot = client_of(interaction)
        if not (message is not None and message.flags.ephemeral
                and core_decisions.offers_decision(type(self), self.record_id, message)
                and await bot.store.filmnight.decided_here(self.record_id, moderator.guild.id)):
            await super().already(interaction, moderator)
            return
        embed, view = await queue_page(client_of(interaction), moderator.guild.id, self.at)
        await interaction.response.edit_message(content=f"{ALREADY[:-1]} (by another moderator, or in the log channel).",
                                                embed=embed, view=view, allowed_mentions=NO_MENTIONS)

    async def decide(self, bot: FilmBot, moderator: discord.Member) -> Entry | None:
        waiting = [e.id for e in await bot.store.filmnight.entries(moderator.guild.id, ("pending",))]
        self.at = waiting.index(self.record_id) if self.record_id in waiting else 0
        self.post = await bot.store.filmnight.log_post(self.record_id)
        return await bot.store.filmnight.decide(self.record_id, self.action == "approve", moderator.id, moderator.guild.id)

    async def show(self, interaction: discord.Interaction, moderator: discord.Member, decided: Entry) -> None:
        bot = client_of(interaction)
        # The log post first, so this one answer says whether it was updated.
        stale = await close_log_post(bot, moderator, decided, self.action, self.post)
        embed, view = await queue_page(bot, moderator.guild.id, self.at)
        await interaction.response.edit_message(
            content=f"**{inert(decided.label, 150)}** {VERDICTS[self.action]} by {moderator.mention}.{stale}",
            embed=embed, view=view, allowed_mentions=NO_MENTIONS,
        )


async def queue_page(bot: FilmBot, guild_id: int, at: int) -> tuple[discord.Embed, discord.ui.View]:
    """Suggestion `at` (the last one past the end) of those awaiting approval, with its Approve/Reject buttons
    and Prev/Next when more wait; read fresh, so a press after a restart or another moderator's decision
    shows what is true now."""
    waiting = await bot.store.filmnight.entries(guild_id, ("pending",))
    at = max(0, min(at, len(waiting) - 1))
    gate = await server_gate(bot.store, guild_id, bot.themes)
    items: list[discord.ui.Item[Any]] = []
    if waiting:
        items += [QueueDecisionButton("approve", waiting[at].id), QueueDecisionButton("reject", waiting[at].id)]
    if len(waiting) > 1:
        items += core_paging.prev_next(lambda page, way, off: QueuePageButton(guild_id, page, way, off), at, len(waiting))
    return queue_embed(waiting, at, gate), persistent_view(*items)


class RankSelect(
    Persistent[discord.ui.Select],
    template=r"filmbot:filmnight:rank:(?P<pick>\d{1,18})(?::(?P<prefix>\d{1,2}(?:-\d{1,2})?))?",
    parse={"prefix": lambda text: tuple(int(x) for x in text.split("-"))},
):
    """One step of a ballot: the public menu picks the 1st choice, private follow-ups the 2nd and 3rd.

    The custom id carries the choices made so far, so every step is stateless and restart-proof; each
    step replaces the member's whole ballot in one statement (one row per member and pick).
    """

    def __init__(self, pick_id: int, prefix: tuple[int, ...] = (), labels: tuple[str, ...] = ("?",),
                 disabled: bool = False) -> None:
        options = [
            discord.SelectOption(label=clip(label, 100), value=str(n))
            for n, label in enumerate(labels, start=1) if n not in prefix
        ][:25]
        super().__init__(
            discord.ui.Select(
                custom_id=self.id_for(pick_id, "-".join(map(str, prefix))),
                placeholder=("Your 1st choice" if not prefix else f"Your {ordinal(len(prefix) + 1)} choice (optional)"),
                options=options or [discord.SelectOption(label="?", value="0")],
                disabled=disabled,
            )
        )
        self.pick_id, self.prefix = pick_id, prefix

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        async with user_errors(interaction):
            choice = chosen_number(self.item.values) or 0  # 0: no candidate, refused as one not offered
            await bot.filmnight.cast(interaction, self.pick_id, (*self.prefix, choice))


def ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def pick_view(pick: Pick, *, disabled: bool) -> discord.ui.View:
    return persistent_view(RankSelect(pick.id, (), tuple(label for _, label in pick.candidates), disabled))


def next_rank_view(pick: Pick, prefix: tuple[int, ...]) -> discord.ui.View | None:
    """The private menu for the next choice, or None when the ballot is full."""
    if len(prefix) >= min(RANKS, pick.ranks, len(pick.candidates)):
        return None
    return persistent_view(RankSelect(pick.id, prefix, tuple(label for _, label in pick.candidates)))


DYNAMIC_ITEMS = (PageButton, NightsPage, DecisionButton, QueuePageButton, QueueDecisionButton, RankSelect)
