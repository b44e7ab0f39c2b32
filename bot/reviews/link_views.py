"""The Discord pieces of `/review add-link`: the private preview with Save / Edit details / Cancel and
the Edit details form. Every click and submission is handled from the draft in SQLite (custom ids
carry only the draft id), so a preview outlives a restart."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import discord

from bot.core.checks import client_of, interaction_data, require_guild, require_moderator
from bot.core.errors import user_errors
from bot.core.inputs import scrub
from bot.core.persistent import Persistent, persistent_view
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import expect_form, in_time
from bot.core.text import clip, film_label
from bot.reviews.link_rules import draft_meta, edited_meta
from bot.reviews.links import LinkDraft, load_draft, new_link_preview, prepared, preview
from bot.reviews.render import added_text
from bot.reviews.rules import DRAFT_GONE, FILM_MAX, NAME_MAX

LINK_EDIT_ID = re.compile(r"^filmbot:review:linkedit:(\d{1,18})$")
_FIELDS = ("film", "critic", "outlet", "date")
_LABELS = {"save": "Save", "edit": "Edit details", "cancel": "Cancel"}
_STYLES = {"save": discord.ButtonStyle.success, "edit": discord.ButtonStyle.secondary,
           "cancel": discord.ButtonStyle.danger}


class LinkButton(
    Persistent[discord.ui.Button],
    template=r"filmbot:review:link:(?P<id>\d{1,18}):(?P<action>save|edit|cancel)",
    parse={"action": str},
):
    """Save, Edit details or Cancel of one link preview; only its moderator, while still one."""

    def __init__(self, draft_id: int, action: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=_LABELS[action], style=_STYLES[action], custom_id=self.id_for(draft_id, action)
            )
        )
        self.draft_id, self.action = draft_id, action

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            await require_moderator(interaction, "add reviews")
            if self.action == "save":
                await save_link(interaction, self.draft_id)
            elif self.action == "edit":
                await open_edit_form(interaction, self.draft_id)
            else:
                await cancel_link(interaction, self.draft_id)


def preview_view(draft_id: int) -> discord.ui.View:
    return persistent_view(*(LinkButton(draft_id, action) for action in ("save", "edit", "cancel")))


async def start_link_preview(
    interaction: discord.Interaction, url: str, film: str | None, year: int | None, spoiler: bool
) -> None:
    """The command's work after the moderator check: fetch (deferred: it can take seconds), preview."""
    bot = client_of(interaction)
    guild = require_guild(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    draft_id, text = await new_link_preview(bot, guild.id, interaction.user.id, url, film, year, spoiler)
    await interaction.followup.send(
        text, view=preview_view(draft_id), ephemeral=True, allowed_mentions=NO_MENTIONS
    )


async def save_link(interaction: discord.Interaction, draft_id: int) -> None:
    """Store the previewed review (audited), then close the preview; a second Save finds nothing.

    Segmenting and tagging 100 KB takes ~1.5 s of CPU: past ACK_AFTER the click is acknowledged first
    (core/slow.in_time), so a long review on a busy machine is not 'This interaction failed' after it was stored."""
    bot = client_of(interaction)

    async def store() -> str:
        draft = await load_draft(bot, draft_id, interaction.user.id)
        item = await prepared(bot, draft)
        row = await bot.store.reviews.add(
            item, actor_id=interaction.user.id, guild_id=interaction.guild_id, link=(draft.fetched_at, draft.url_key),
            draft=(draft_id, interaction.user.id),  # taken with the review: a Cancel meanwhile stores nothing
        )
        return added_text(row, await bot.store.reviews.themes(row.id), bot.themes)

    text = await in_time(interaction, store(), update=True)
    if interaction.response.is_done():
        await interaction.edit_original_response(content=text, view=None, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)


async def cancel_link(interaction: discord.Interaction, draft_id: int) -> None:
    if not await client_of(interaction).store.drafts.discard(draft_id, interaction.user.id):
        raise UserError(DRAFT_GONE)
    await interaction.response.edit_message(content="Cancelled: nothing was stored.", view=None)


class LinkEditModal(discord.ui.Modal):
    """Edit details of a link preview: drawn here, handled by `submit_edit_form` from the draft."""

    def __init__(self, draft_id: int, draft: LinkDraft) -> None:
        super().__init__(title="Review details", timeout=None, custom_id=f"filmbot:review:linkedit:{draft_id}")
        meta = draft.meta
        values = {
            "film": film_label(meta.film, meta.year),
            "critic": meta.critic or "",
            "outlet": meta.outlet or "",
            "date": meta.date or "",
        }
        labels = {"film": "Film, e.g. Whiplash (2014)", "critic": "Critic (empty: unattributed)",
                  "outlet": "Outlet (empty: none)", "date": "Date, YYYY-MM-DD (empty: none)"}
        for key in _FIELDS:
            # The film's whole 'Title (Year)' (a catalogue title reaches 200 characters): a clipped default,
            # saved unchanged, would move the review to a film of the clipped title.
            limit = FILM_MAX + len(" (2016)") if key == "film" else NAME_MAX
            self.add_item(discord.ui.TextInput(
                label=labels[key], default=clip(values[key], limit) or None, required=key == "film",
                max_length=limit, custom_id=f"filmbot:review:linkedit:{key}",
            ))


async def open_edit_form(interaction: discord.Interaction, draft_id: int) -> None:
    expect_form(interaction)  # a form cannot follow a defer: never acknowledged late (bot/core/slow)
    draft = await load_draft(client_of(interaction), draft_id, interaction.user.id)
    modal = LinkEditModal(draft_id, draft)
    await interaction.response.send_modal(modal)
    modal.stop()  # every submission goes through submit_edit_form, restart or not


def _submitted(components: list[dict[str, Any]], out: dict[str, str]) -> dict[str, str]:
    for component in components:
        custom_id = str(component.get("custom_id") or "")
        if custom_id.startswith("filmbot:review:linkedit:"):
            out[custom_id.rsplit(":", 1)[1]] = scrub(component.get("value") or "")
        nested = component.get("components") or ([component["component"]] if "component" in component else [])
        _submitted(nested, out)
    return out


async def submit_edit_form(interaction: discord.Interaction, draft_id: int) -> None:
    """New details over the preview's; the preview is redrawn with them (film themes included)."""
    bot = client_of(interaction)
    async with user_errors(interaction):
        await require_moderator(interaction, "add reviews")
        draft = await load_draft(bot, draft_id, interaction.user.id)
        fields = _submitted(interaction_data(interaction).get("components") or [], {})
        meta = edited_meta(draft.meta, fields)
        draft = replace(draft, meta=meta, how="chosen")
        text = await in_time(interaction, preview(bot, draft, interaction.guild_id), update=True)  # ~1.4 s for 100 KB, as Save
        data = draft_meta(meta, how="chosen", fetched_at=draft.fetched_at, url_key=draft.url_key,
                          page_title=draft.page_title, page=draft.page)
        if not await bot.store.drafts.update_link(draft_id, interaction.user.id, data):
            raise UserError(DRAFT_GONE)
        if interaction.response.is_done():
            await interaction.edit_original_response(
                content=text, view=preview_view(draft_id), allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.edit_message(
                content=text, view=preview_view(draft_id), allowed_mentions=NO_MENTIONS)
