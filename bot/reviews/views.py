"""The Discord pieces of /review: the review-text form, the remove confirmation and list paging."""

from __future__ import annotations

import asyncio
import re
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import discord

from bot.core.checks import client_of, interaction_data, require_guild, require_moderator
from bot.core.errors import send_ephemeral, user_errors
from bot.core.inputs import scrub
from bot.core.paging import PageButton
from bot.core.persistent import Persistent
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import expect_form
from bot.core.text import TEXT_INPUT_VALUE_MAX, clip, counted, inert
from bot.corpus.lookup import shown_film
from bot.corpus.passage import QuoteFilters
from bot.reviews.render import PER_PAGE, added_text, list_embed
from bot.reviews.rules import ReviewMeta, prepare

if TYPE_CHECKING:
    from bot.stores import Store

_REVIEW_ID = re.compile(r"^\s*#?\s*(\d{1,18})(?!\d)")


def parse_review_id(value: str) -> int:
    """A review id from an autocomplete value ("12"), a typed "#12" or a pasted label "#12 · …"."""
    match = _REVIEW_ID.match(value or "")
    if not match:
        raise UserError(f"“{inert(value, 80)}” is not a review id: pick a review from the list, e.g. `12`.")
    return int(match.group(1))


DRAFT_ID = re.compile(r"^filmbot:review:draft:(\d{1,18})$")
TEXT_FIELD_ID = "filmbot:review:text"


class ReviewTextModal(discord.ui.Modal):
    """The review text for `/review add` without a file; Discord caps a modal field at 4,000 characters.

    The form is only drawn by this class: submissions are handled by `submit_draft`, from the
    draft saved in SQLite, so a form submitted after a restart (or twice) is handled once.
    """

    text: discord.ui.TextInput[ReviewTextModal] = discord.ui.TextInput(
        label="Review text (max 4,000 characters)",
        style=discord.TextStyle.paragraph,
        max_length=TEXT_INPUT_VALUE_MAX,
        custom_id=TEXT_FIELD_ID,
        # ≤ 100 characters (Discord's placeholder limit).
        placeholder="Paste the review. Longer than 4,000 characters? Use /review add with a .txt/.md file.",
    )

    def __init__(self, meta: ReviewMeta, draft_id: int) -> None:
        super().__init__(
            title=clip(f"Review of {meta.film}", 45), timeout=None, custom_id=f"filmbot:review:draft:{draft_id}"
        )


async def open_draft_form(interaction: discord.Interaction, meta: ReviewMeta) -> None:
    bot = client_of(interaction)
    expect_form(interaction)  # a form cannot follow a defer: never acknowledged late (bot/core/slow)
    draft_id = await bot.store.drafts.save(require_guild(interaction).id, interaction.user.id, asdict(meta))
    modal = ReviewTextModal(meta, draft_id)
    await interaction.response.send_modal(modal)
    modal.stop()  # forget it in memory: every submission goes through submit_draft, restart or not


def submitted_text(components: list[dict[str, Any]]) -> str:
    """The review text field's value from a modal submission (rows or labels, any nesting)."""
    for component in components:
        if component.get("custom_id") == TEXT_FIELD_ID:
            return scrub(component.get("value") or "")
        nested = component.get("components") or ([component["component"]] if "component" in component else [])
        found = submitted_text(nested)
        if found:
            return found
    return ""


async def submit_draft(interaction: discord.Interaction, draft_id: int) -> None:
    """Store the review of a submitted form, once; checked again: the role may have changed."""
    bot = client_of(interaction)
    text = submitted_text(interaction_data(interaction).get("components") or [])
    # Discord closes the form on any answer, so a refused text needs a new /review add anyway: it is quoted back
    # (clipped to the message) so the moderator can paste it into the new form instead of finding it again.
    async with user_errors(interaction, typed=[("review text", text)]):
        await require_moderator(interaction, "add reviews")
        meta = await bot.store.drafts.take(draft_id, interaction.user.id)
        if meta is None:
            raise UserError("That form was already submitted or has expired: run `/review add` again.")
        await store_review(interaction, ReviewMeta(**meta), text)


class RemoveButton(
    Persistent[discord.ui.Button], template=r"filmbot:review:remove:(?P<id>\d{1,18})"
):
    """Confirms `/review remove`; only the moderator who asked, and only while still a moderator."""

    def __init__(self, review_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Remove review #{review_id}",
                style=discord.ButtonStyle.danger,
                custom_id=self.id_for(review_id),
            )
        )
        self.review_id = review_id

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            await require_moderator(interaction, "remove reviews")
            asked = interaction.message.interaction_metadata if interaction.message else None
            if asked is not None and asked.user.id != interaction.user.id:
                raise UserError("Only the moderator who asked for this removal can confirm it.")
            removed = await client_of(interaction).store.reviews.remove(
                self.review_id, actor_id=interaction.user.id, guild_id=interaction.guild_id
            )
            if removed is None:
                raise UserError(f"Review #{self.review_id} is already gone.")
            note = (
                " It won't come back with bundled-corpus re-imports." if removed.source == "bundled" else ""
            )
            await interaction.response.edit_message(
                content=f"Removed review #{removed.id} and its {counted(removed.passages, 'passage')}.{note}",
                view=None,
                allowed_mentions=NO_MENTIONS,
            )


class ListPageButton(
    PageButton, template=r"filmbot:review:list:(?P<query>\d{1,18}):(?P<page>\d{1,9}):(?P<dir>[pn])"
):
    """Prev/Next of `/review list`; the filters live in SQLite (quote_queries) so the id stays short."""

    LABELS = ("Prev", "Next")

    async def callback(self, interaction: discord.Interaction) -> None:
        store = client_of(interaction).store
        async with user_errors(interaction):
            filters = await store.queries.load(self.key, interaction.guild_id)
            if filters is None:
                raise UserError("This list is no longer available; run /review list again.")
            embed, view = await list_page(store, self.key, filters, self.page, interaction.guild_id)
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


async def store_review(interaction: discord.Interaction, meta: ReviewMeta, text: str) -> None:
    """Clean, segment and tag the text, store it in one transaction, and say what was found."""
    bot = client_of(interaction)
    # Segmenting and tagging is CPU work: off the event loop, so other servers are not kept waiting.
    prepared = await asyncio.to_thread(prepare, meta, text, bot.themes)
    row = await bot.store.reviews.add(prepared, actor_id=interaction.user.id, guild_id=interaction.guild_id)
    counts = await bot.store.reviews.themes(row.id)
    await send_ephemeral(interaction, added_text(row, counts, bot.themes))


async def list_page(
    store: Store, query_id: int, filters: QuoteFilters, page: int, guild_id: int | None
) -> tuple[discord.Embed, discord.ui.View]:
    """One page of /review list with its Prev/Next buttons."""
    rows, total = await store.reviews.page(
        film=filters.film, critic=filters.critic, page=page, per_page=PER_PAGE, guild_id=guild_id
    )
    last = max(0, (total - 1) // PER_PAGE)
    if page > last:  # the corpus shrank since the button was drawn
        page = last
        rows, total = await store.reviews.page(
            film=filters.film, critic=filters.critic, page=page, per_page=PER_PAGE, guild_id=guild_id
        )
    film = await shown_film(store, filters.film, guild_id)  # `film:<id>`: the 'Title (Year)' of a film seen here
    described = ", ".join(f"{k}: {v}" for k, v in (("film", film), ("critic", filters.critic)) if v)
    return list_embed(rows, total, page, inert(described, 150)), ListPageButton.pager(query_id, page, last + 1)
