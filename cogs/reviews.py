"""/review: moderators add, fix, remove, export and import reviews; everyone can list and read them."""

from __future__ import annotations

import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import require_moderator
from bot.errors import UserError, send_ephemeral, user_errors
from bot.lookup import autocomplete_matches, film_names
from bot.render import NO_MENTIONS, TEXT_INPUT_VALUE_MAX, clip, inert
from bot.review_render import (
    PER_PAGE,
    added_text,
    changes_text,
    history_text,
    import_summary,
    list_embed,
    review_label,
    show_embed,
)
from bot.reviews import (
    CLEAR,
    NAME_MAX,
    ReviewMeta,
    check_date,
    check_import_size,
    check_item,
    check_meta,
    check_upload,
    check_url,
    clean_field,
    decode_upload,
    export_document,
    parse_import,
    prepare,
    split_film,
)
from bot.store import QuoteFilters

_REVIEW_ID = re.compile(r"^\s*#?\s*(\d{1,18})(?!\d)")
FILTER_MAX = 200


def parse_review_id(value: str) -> int:
    """A review id from an autocomplete value ("12"), a typed "#12" or a pasted label "#12 · …"."""
    match = _REVIEW_ID.match(value or "")
    if not match:
        raise UserError(f"“{inert(value, 80)}” is not a review id: pick a review from the list, e.g. `12`.")
    return int(match.group(1))


class ReviewTextModal(discord.ui.Modal):
    """The review text for `/review add` without a file; Discord caps a modal field at 4,000 characters."""

    text = discord.ui.TextInput(
        label="Review text (max 4,000 characters)",
        style=discord.TextStyle.paragraph,
        max_length=TEXT_INPUT_VALUE_MAX,
        custom_id="filmbot:review:text",
        placeholder="Paste the review. Longer than 4,000 characters? Use /review add with a .txt or .md file.",
    )

    def __init__(self, cog: Reviews, meta: ReviewMeta) -> None:
        super().__init__(title=clip(f"Review of {meta.film}", 45), timeout=30 * 60)
        self.cog = cog
        self.meta = meta

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            # Checked again: the role may have changed while the moderator was typing.
            await require_moderator(interaction, "add reviews")
            await self.cog.store_review(interaction, self.meta, self.text.value)


class RemoveButton(discord.ui.DynamicItem[discord.ui.Button], template=r"filmbot:review:remove:(?P<id>\d{1,18})"):
    """Confirms `/review remove`; only the moderator who asked, and only while still a moderator."""

    def __init__(self, review_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Remove review #{review_id}", style=discord.ButtonStyle.danger,
                custom_id=f"filmbot:review:remove:{review_id}",
            )
        )
        self.review_id = review_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with user_errors(interaction):
            await require_moderator(interaction, "remove reviews")
            asked = interaction.message.interaction_metadata if interaction.message else None
            if asked is not None and asked.user.id != interaction.user.id:
                raise UserError("Only the moderator who asked for this removal can confirm it.")
            removed = await interaction.client.store.reviews.remove(  # type: ignore[attr-defined]
                self.review_id, actor_id=interaction.user.id, guild_id=interaction.guild_id
            )
            if removed is None:
                raise UserError(f"Review #{self.review_id} is already gone.")
            note = " It won't come back with bundled-corpus re-imports." if removed.source == "bundled" else ""
            await interaction.response.edit_message(
                content=f"Removed review #{removed.id} and its {removed.passages} passages.{note}",
                view=None, allowed_mentions=NO_MENTIONS,
            )


class ListPageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"filmbot:review:list:(?P<query>\d{1,18}):(?P<page>\d{1,9}):(?P<dir>[pn])",
):
    """Prev/Next of `/review list`; the filters live in SQLite (quote_queries) so the id stays short."""

    def __init__(self, query_id: int, page: int, direction: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Prev" if direction == "p" else "Next", style=discord.ButtonStyle.secondary,
                custom_id=f"filmbot:review:list:{query_id}:{page}:{direction}", disabled=disabled,
            )
        )
        self.query_id, self.page = query_id, page

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["query"]), int(match["page"]), match["dir"])

    async def callback(self, interaction: discord.Interaction) -> None:
        cog: Reviews = interaction.client.get_cog("Reviews")  # type: ignore[assignment]
        async with user_errors(interaction):
            filters = await cog.bot.store.queries.load(self.query_id)
            if filters is None:
                raise UserError("This list is no longer available; run /review list again.")
            embed, view = await cog.list_page(self.query_id, filters, self.page)
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


@app_commands.guild_only()
class Reviews(commands.GroupCog, group_name="review", group_description="Manage the review corpus"):
    """Moderators grow and fix the corpus; every change is audited."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(RemoveButton, ListPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(RemoveButton, ListPageButton)

    async def store_review(self, interaction: discord.Interaction, meta: ReviewMeta, text: str) -> None:
        """Clean, segment and tag the text, store it in one transaction, and say what was found."""
        prepared = prepare(meta, text, self.bot.themes)
        row = await self.bot.store.reviews.add(prepared, actor_id=interaction.user.id, guild_id=interaction.guild_id)
        counts = await self.bot.store.reviews.themes(row.id)
        await send_ephemeral(interaction, added_text(row, counts, self.bot.themes))

    async def find(self, value: str) -> Any:
        review_id = parse_review_id(value)
        row = await self.bot.store.reviews.get(review_id)
        if row is None:
            raise UserError(f"There is no review #{review_id}. `/review list` shows them all.")
        return row

    @app_commands.command(name="add", description="Add a review: attach a .txt/.md file, or paste up to 4,000 characters.")
    @app_commands.describe(
        film="Film title, e.g. Whiplash (new films are created)", year="Release year, e.g. 2014",
        critic="Critic's name, if known", outlet="Publication, if known", url="Link to the review (http/https)",
        date="Publication date, YYYY-MM-DD", file="The review as a UTF-8 .txt or .md file (up to 100 KB)",
    )
    async def add(
        self, interaction: discord.Interaction, film: str, year: int | None = None, critic: str | None = None,
        outlet: str | None = None, url: str | None = None, date: str | None = None,
        file: discord.Attachment | None = None,
    ) -> None:
        """Add a review: attach a .txt/.md file (up to 100 KB), or paste up to 4,000 characters in a form."""
        async with user_errors(interaction):
            await require_moderator(interaction, "add reviews")
            meta = check_meta(film, year, critic, outlet, url, date)  # before the modal: no typing in vain
            if file is None:
                await interaction.response.send_modal(ReviewTextModal(self, meta))
                return
            check_upload(file.filename, file.size)
            await self.store_review(interaction, meta, decode_upload(file.filename, await file.read()))

    @app_commands.command(name="edit", description="Fix a review's film, critic, outlet, link or date (- clears).")
    @app_commands.describe(
        review="The review (id)", film="Film title, e.g. Whiplash (2014)", critic="Critic's name; - clears it",
        outlet="Publication; - clears it", url="Link (http/https); - clears it", date="YYYY-MM-DD; - clears it",
    )
    async def edit(
        self, interaction: discord.Interaction, review: str, film: str | None = None, critic: str | None = None,
        outlet: str | None = None, url: str | None = None, date: str | None = None,
    ) -> None:
        """Fix a review's metadata; quotes show the change at once and re-imports keep it."""
        async with user_errors(interaction):
            await require_moderator(interaction, "edit reviews")
            row = await self.find(review)
            changes = self.edit_changes(film, critic, outlet, url, date)
            result = await self.bot.store.reviews.edit(
                row.id, changes, actor_id=interaction.user.id, guild_id=interaction.guild_id
            )
            if result is None:
                raise UserError(f"Review #{row.id} was removed meanwhile.")
            before, after = result
            await send_ephemeral(
                interaction,
                f"Updated review #{row.id}: {changes_text(before.snapshot(), after.snapshot())}.\n"
                "Quotes show the new details now; bundled-corpus re-imports keep them.",
            )

    @staticmethod
    def edit_changes(
        film: str | None, critic: str | None, outlet: str | None, url: str | None, date: str | None
    ) -> dict[str, Any]:
        def cleared(value: str | None) -> bool:
            return value is not None and value.strip() == CLEAR

        changes: dict[str, Any] = {}
        if film is not None:
            changes["film"] = split_film(film, None)
        for key, value in (("critic", critic), ("outlet", outlet)):
            if value is not None:
                changes[key] = None if cleared(value) else clean_field(value, f"{key} name", NAME_MAX)
        if url is not None:
            changes["url"] = None if cleared(url) else check_url(url)
        if date is not None:
            changes["published"] = None if cleared(date) else check_date(date)
        if not changes:
            raise UserError("Nothing to change: give a film, critic, outlet, url or date (`-` clears a field).")
        return changes

    @app_commands.command(name="remove", description="Remove a review and its passages (asks to confirm).")
    @app_commands.describe(review="The review (id)")
    async def remove(self, interaction: discord.Interaction, review: str) -> None:
        """Remove a review, its passages, theme tags and rotation history (asks to confirm)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "remove reviews")
            row = await self.find(review)
            view = discord.ui.View(timeout=None)
            view.add_item(RemoveButton(row.id))
            bundled = "\nIt is from the bundled corpus: it will stay removed after re-imports." if row.source == "bundled" else ""
            await interaction.response.send_message(
                clip(
                    f"Remove review #{row.id} ({inert(row.critic or 'Unattributed', 100)} on"
                    f" *{inert(row.film_title, 150)}*) and its {row.passages} passages?"
                    f" Its theme tags and rotation history go too.{bundled}\nDismiss this message to keep it.",
                    2000,
                ),
                view=view, ephemeral=True, allowed_mentions=NO_MENTIONS,
            )

    async def list_page(
        self, query_id: int, filters: QuoteFilters, page: int
    ) -> tuple[discord.Embed, discord.ui.View]:
        rows, total = await self.bot.store.reviews.page(
            film=filters.film, critic=filters.critic, page=page, per_page=PER_PAGE
        )
        last = max(0, (total - 1) // PER_PAGE)
        if page > last:  # the corpus shrank since the button was drawn
            page = last
            rows, total = await self.bot.store.reviews.page(
                film=filters.film, critic=filters.critic, page=page, per_page=PER_PAGE
            )
        described = ", ".join(f"{k}: {v}" for k, v in (("film", filters.film), ("critic", filters.critic)) if v)
        view = discord.ui.View(timeout=None)
        view.add_item(ListPageButton(query_id, max(page - 1, 0), "p", disabled=page == 0))
        view.add_item(ListPageButton(query_id, min(page + 1, last), "n", disabled=page >= last))
        return list_embed(rows, total, page, inert(described, 150)), view

    @app_commands.command(name="list", description="List reviews, 10 per page, optionally by film or critic.")
    @app_commands.describe(film="Only reviews of this film", critic="Only reviews by this critic or outlet")
    async def list_reviews(
        self, interaction: discord.Interaction, film: str | None = None, critic: str | None = None
    ) -> None:
        """List reviews, 10 per page, optionally by film or critic."""
        filters = QuoteFilters(
            film=clean_field(film and film[:FILTER_MAX], "film", FILTER_MAX),
            critic=clean_field(critic and critic[:FILTER_MAX], "critic", FILTER_MAX),
        )
        query_id = await self.bot.store.queries.save(filters)
        embed, view = await self.list_page(query_id, filters, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="show", description="Show one review's details, themes and opening.")
    @app_commands.describe(review="The review (id)")
    async def show(self, interaction: discord.Interaction, review: str) -> None:
        """Show one review's details, themes and opening."""
        async with user_errors(interaction):
            row = await self.find(review)
            counts = await self.bot.store.reviews.themes(row.id)
            body = await self.bot.store.reviews.body(row.id) or ""
            await interaction.response.send_message(
                embed=show_embed(row, counts, body, self.bot.themes), ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    @app_commands.command(name="export", description="Download the whole corpus as a JSON file (moderators).")
    async def export(self, interaction: discord.Interaction) -> None:
        """Download the whole corpus as a JSON file, the format /review import reads."""
        async with user_errors(interaction):
            await require_moderator(interaction, "export the corpus")
            items = await self.bot.store.reviews.export_items()
            data = export_document(items)
            limit = interaction.guild.filesize_limit if interaction.guild else 8 * 1024 * 1024
            if len(data) > limit:
                raise UserError(f"The export is {len(data):,} bytes, over this server's upload limit of {limit:,}.")
            stamp = self.bot.now().strftime("%Y%m%d-%H%M")
            await interaction.response.send_message(
                f"The corpus: {len(items)} reviews (format filmbot-reviews, version 1). `/review import` reads it back.",
                file=discord.File(io.BytesIO(data), filename=f"filmbot-reviews-{stamp}.json"),
                ephemeral=True, allowed_mentions=NO_MENTIONS,
            )

    @app_commands.command(name="import", description="Add reviews from a /review export file (all or nothing).")
    @app_commands.describe(file="A JSON file made by /review export")
    async def import_reviews(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Add reviews from an export file; if any item is rejected, nothing is added."""
        async with user_errors(interaction):
            await require_moderator(interaction, "import reviews")
            check_import_size(file.size)
            raw_items = parse_import(await file.read())
            await interaction.response.defer(ephemeral=True, thinking=True)
            await send_ephemeral(interaction, await self.run_import(interaction, raw_items))

    async def run_import(self, interaction: discord.Interaction, raw_items: list[Any]) -> str:
        prepared, rejected = [], []
        for number, item in enumerate(raw_items, start=1):
            try:
                prepared.append(check_item(item, self.bot.themes))
            except UserError as error:
                film = item.get("film") if isinstance(item, dict) and isinstance(item.get("film"), str) else "?"
                rejected.append(clip(f"item {number} ({inert(film, 60)}): {error.message}", 300))
        if rejected:
            existing = await self.bot.store.reviews.existing_hashes([p.body_hash for p in prepared])
            seen: set[str] = set()
            duplicates = []
            for item in prepared:
                if item.body_hash in existing or item.body_hash in seen:
                    duplicates.append(inert(item.meta.film, 60))
                seen.add(item.body_hash)
            return import_summary(len(prepared) - len(duplicates), duplicates, rejected)
        added, dup_indexes = await self.bot.store.reviews.import_reviews(
            prepared, actor_id=interaction.user.id, guild_id=interaction.guild_id
        )
        return import_summary(len(added), [inert(prepared[i].meta.film, 60) for i in dup_indexes], [])

    @app_commands.command(name="history", description="Who changed which review, and when (moderators).")
    @app_commands.describe(review="Only this review's history (id)")
    async def history(self, interaction: discord.Interaction, review: str | None = None) -> None:
        """The latest changes to reviews: who added, edited, removed or imported what, and when."""
        async with user_errors(interaction):
            await require_moderator(interaction, "see the review history")
            review_id = parse_review_id(review) if review else None
            entries, total = await self.bot.store.reviews.history(review_id, limit=15)
            await send_ephemeral(interaction, history_text(entries, total, review_id))

    @edit.autocomplete("review")
    @remove.autocomplete("review")
    @show.autocomplete("review")
    @history.autocomplete("review")
    async def review_autocomplete(self, interaction: discord.Interaction, current: str):
        typed = (current or "").casefold().strip()
        choices = []
        for review_id, critic, title, year in await self.bot.store.reviews.labels():
            label = review_label(review_id, critic, title, year)
            if typed in label.casefold():
                choices.append(app_commands.Choice(name=label, value=str(review_id)))
            if len(choices) == 25:
                break
        return choices

    @add.autocomplete("film")
    @edit.autocomplete("film")
    @list_reviews.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str):
        names = await film_names(self.bot.store)
        return [app_commands.Choice(name=n, value=v) for n, v in autocomplete_matches(current, names)]

    @add.autocomplete("critic")
    @edit.autocomplete("critic")
    @list_reviews.autocomplete("critic")
    async def critic_autocomplete(self, interaction: discord.Interaction, current: str):
        names = sorted({row["critic"] for row in await self.bot.store.quotes.critics() if row["critic"]})
        return [app_commands.Choice(name=n, value=v) for n, v in autocomplete_matches(current, names)]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Reviews(bot))
