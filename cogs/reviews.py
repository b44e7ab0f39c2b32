"""/review: moderators add, fix, remove, export and import reviews; everyone can list and read them."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import interaction_data, moderator_only, require_moderator
from bot.core.errors import answer_error, send_ephemeral, user_errors
from bot.core.persistent import persistent_view
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import acknowledged_component, expect_form
from bot.core.text import clip, counted, film_label, inert
from bot.corpus import process_review
from bot.corpus.lookup import critic_choices, film_choices, film_text
from bot.corpus.passage import QuoteFilters
from bot.filmnight.gate import spoiler_gate
from bot.reviews.export import build_export
from bot.reviews.interrupted import tell_interrupted_imports
from bot.reviews.link_views import LINK_EDIT_ID, LinkButton, start_link_preview, submit_edit_form
from bot.reviews.render import (
    changes_text,
    history_text,
    import_progress,
    import_summary,
    review_label,
    show_embed,
)
from bot.reviews.rules import (
    CLEAR,
    NAME_MAX,
    check_critic,
    check_date,
    check_import_size,
    check_items,
    check_meta,
    check_upload,
    check_url,
    clean_field,
    decode_upload,
    parse_import,
    split_film,
)
from bot.reviews.running_store import RunningImport
from bot.reviews.store import ReviewRow
from bot.reviews.views import (
    DRAFT_ID,
    ListPageButton,
    RemoveButton,
    list_page,
    open_draft_form,
    parse_review_id,
    store_review,
    submit_draft,
)

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

FILTER_MAX = 200
PROGRESS_EVERY = 2.0  # seconds between progress edits of a long /review import's reply (tests shorten it)


class ReplyProgress:
    """Edits a deferred reply with the import's progress, at most every PROGRESS_EVERY seconds.

    Driven by the work itself (`checked` is called from the worker thread after each item), not by a
    timer: no edit is due while nothing moves, and a short import makes none.
    """

    def __init__(self, interaction: discord.Interaction, total: int) -> None:
        self.interaction, self.total = interaction, total
        self.loop = asyncio.get_running_loop()
        self.last = time.perf_counter()  # real time (simcord makes time.monotonic virtual)
        self.editing: asyncio.Future[None] | None = None

    def checked(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.loop.call_soon_threadsafe(self._edit, done)

    def _edit(self, done: int) -> None:
        if self.editing is None or self.editing.done():  # one edit in flight at a time
            self.editing = asyncio.ensure_future(edit_reply(self.interaction, import_progress(done, self.total)))

    async def finish(self, summary: str) -> None:
        """The summary replaces the progress, after any edit still in flight (never under it)."""
        if self.editing is not None:
            await self.editing
        await edit_reply(self.interaction, summary)


async def edit_reply(interaction: discord.Interaction, content: str) -> None:
    """Replace the deferred reply's text; a failed edit (expired token) is logged, never raised."""
    try:
        await interaction.edit_original_response(content=clip(content, 2000), allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not edit the /review import reply", exc_info=True)


@app_commands.guild_only()
class Reviews(commands.GroupCog, group_name="review", group_description="Manage the review corpus"):
    """Moderators grow and fix the corpus; every change is audited."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(RemoveButton, ListPageButton, LinkButton)
        # Beside the start, not in its way: the edits are HTTP calls a rate limit may hold for seconds.
        self.telling = asyncio.create_task(self.tell_interrupted())

    async def cog_unload(self) -> None:
        self.telling.cancel()
        self.bot.remove_dynamic_items(RemoveButton, ListPageButton, LinkButton)

    async def tell_interrupted(self) -> None:
        """The last process's unfinished imports: their moderators told nothing was stored (reviews/interrupted)."""
        try:
            await tell_interrupted_imports(self.bot)
        except Exception:  # a notice that cannot be given must not stop the bot
            log.warning("could not tell the moderators of interrupted /review imports", exc_info=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """/review add forms and add-link's Edit details: handled from their saved draft (restarts)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str(interaction_data(interaction).get("custom_id", ""))
        try:
            # Acknowledged in time when the write waits (bot/core/slow), as every button is.
            if match := DRAFT_ID.match(custom_id):
                await acknowledged_component(interaction, submit_draft(interaction, int(match.group(1))))
            elif match := LINK_EDIT_ID.match(custom_id):
                await acknowledged_component(interaction, submit_edit_form(interaction, int(match.group(1))))
        except Exception as error:  # noqa: BLE001 - a listener's failure is only logged: answer the member
            await answer_error(interaction, error, f"form {custom_id}")

    async def find(self, value: str) -> ReviewRow:
        review_id = parse_review_id(value)
        row = await self.bot.store.reviews.get(review_id)
        if row is None:
            raise UserError(f"There is no review #{review_id}. `/review list` shows them all.")
        return row

    @moderator_only
    @app_commands.command(
        name="add", description="Add a review: attach a .txt/.md file, or paste up to 4,000 characters."
    )
    @app_commands.describe(
        film="Film title, e.g. Whiplash (new films are created)",
        year="Release year, e.g. 2014",
        critic="Critic's name, if known",
        outlet="Publication, if known",
        url="Link to the review (http/https)",
        date="Publication date, YYYY-MM-DD",
        file="The review as a UTF-8 .txt or .md file (up to 100 KB)",
        spoiler="The whole review gives the ending away: every quote from it is hidden behind a spoiler tag",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        film: str,
        year: int | None = None,
        critic: str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        date: str | None = None,
        file: discord.Attachment | None = None,
        spoiler: bool = False,
    ) -> None:
        """Add a review: attach a .txt/.md file (up to 100 KB), or paste up to 4,000 characters in a form."""
        if file is None:
            expect_form(interaction)  # the form cannot follow a defer (bot/core/slow)
        async with user_errors(interaction):
            await require_moderator(interaction, "add reviews")
            # Validated before the form opens: no typing in vain.
            meta = check_meta(await film_text(self.bot.store, film, interaction.guild_id) or film, year, critic, outlet, url, date,
                              spoiler=spoiler)
            if file is None:
                await open_draft_form(interaction, meta)
                return
            check_upload(file.filename, file.size)
            await store_review(interaction, meta, decode_upload(file.filename, await file.read()))

    @moderator_only
    @app_commands.command(
        name="add-link", description="Add a review from its web page: see a private preview, then Save."
    )
    @app_commands.describe(
        url="The review's page (http/https); only public web pages are fetched",
        film="The film, if the page title does not name it (new films are created)",
        year="Release year, e.g. 2014",
        spoiler="The whole review gives the ending away: every quote from it is hidden behind a spoiler tag",
    )
    async def add_link(
        self,
        interaction: discord.Interaction,
        url: str,
        film: str | None = None,
        year: int | None = None,
        spoiler: bool = False,
    ) -> None:
        """Fetch a review page, show privately what would be stored, then Save, Edit details or Cancel."""
        async with user_errors(interaction):
            await require_moderator(interaction, "add reviews")
            # An autocomplete choice is `film:<id>`: that film's 'Title (Year)', as /review add reads it.
            await start_link_preview(interaction, url, await film_text(self.bot.store, film, interaction.guild_id), year, spoiler)

    @moderator_only
    @app_commands.command(
        name="edit", description="Fix a review's film, critic, outlet, link or date (- clears)."
    )
    @app_commands.describe(
        review="The review (id)",
        film="Film title, e.g. Whiplash (2014)",
        critic="Critic's name; - clears it",
        outlet="Publication; - clears it",
        url="Link (http/https); - clears it",
        date="YYYY-MM-DD; - clears it",
        spoiler="True: every quote from this review is hidden behind a spoiler tag",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        review: str,
        film: str | None = None,
        critic: str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        date: str | None = None,
        spoiler: bool | None = None,
    ) -> None:
        """Fix a review's metadata; quotes show the change at once and re-imports keep it."""
        async with user_errors(interaction):
            await require_moderator(interaction, "edit reviews")
            row = await self.find(review)
            changes = self.edit_changes(await film_text(self.bot.store, film, interaction.guild_id), critic, outlet, url, date, spoiler)
            result = await self.bot.store.reviews.edit(
                row.id, changes, actor_id=interaction.user.id, guild_id=interaction.guild_id
            )
            if result is None:
                raise UserError(f"Review #{row.id} was removed meanwhile.")
            before, after = result
            if after.film_id != before.film_id:  # tagged as the film it now belongs to (its own themes)
                body = await self.bot.store.reviews.body(row.id) or ""
                passages = await asyncio.to_thread(process_review, body, self.bot.themes, after.film_title,
                                                   after.film_year)
                await self.bot.store.reviews.refile(row.id, after.film_id, passages)
            await send_ephemeral(
                interaction,
                f"Updated review #{row.id}: {changes_text(before.snapshot(), after.snapshot())}.\n"
                "Quotes show the new details now; bundled-corpus re-imports keep them.",
            )

    @staticmethod
    def edit_changes(
        film: str | None, critic: str | None, outlet: str | None, url: str | None, date: str | None,
        spoiler: bool | None = None,
    ) -> dict[str, Any]:
        def cleared(value: str | None) -> bool:
            return value is not None and value.strip() == CLEAR

        changes: dict[str, Any] = {}
        if film is not None:
            changes["film"] = split_film(film, None)
        if critic is not None:
            changes["critic"] = None if cleared(critic) else check_critic(critic)
        if outlet is not None:
            changes["outlet"] = None if cleared(outlet) else clean_field(outlet, "outlet name", NAME_MAX)
        if url is not None:
            changes["url"] = None if cleared(url) else check_url(url)
        if date is not None:
            changes["published"] = None if cleared(date) else check_date(date)
        if spoiler is not None:
            changes["spoiler"] = spoiler
        if not changes:
            raise UserError(
                "Nothing to change: give a film, critic, outlet, url, date or spoiler (`-` clears a field)."
            )
        return changes

    @moderator_only
    @app_commands.command(name="remove", description="Remove a review and its passages (asks to confirm).")
    @app_commands.describe(review="The review (id)")
    async def remove(self, interaction: discord.Interaction, review: str) -> None:
        """Remove a review, its passages, theme tags and rotation history (asks to confirm)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "remove reviews")
            row = await self.find(review)
            view = persistent_view(RemoveButton(row.id))
            bundled = (
                "\nIt is from the bundled corpus: it will stay removed after re-imports."
                if row.source == "bundled"
                else ""
            )
            await interaction.response.send_message(
                clip(
                    # Plain words: "(Critic on Film (Year))" closed two parentheses at once.
                    f"Remove review #{row.id} of *{inert(film_label(row.film_title, row.film_year), 150)}*"
                    f" {f'by {inert(row.critic, 100)}' if row.critic else 'with no critic named'},"
                    f" and its {counted(row.passages, 'passage')}?"
                    f" Its theme tags and rotation history go too.{bundled}\n"
                    "Dismiss this message to keep it.",
                    2000,
                ),
                view=view,
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

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
        query_id = await self.bot.store.queries.save(filters, interaction.guild_id)
        embed, view = await list_page(self.bot.store, query_id, filters, 0, interaction.guild_id)
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="show", description="Show one review's details, themes and opening.")
    @app_commands.describe(review="The review (id)")
    async def show(self, interaction: discord.Interaction, review: str) -> None:
        """Show one review's details, themes and opening."""
        async with user_errors(interaction):
            row = await self.find(review)
            counts = await self.bot.store.reviews.themes(row.id)
            body = await self.bot.store.reviews.body(row.id) or ""
            gate = await spoiler_gate(self.bot.store, interaction.guild_id, self.bot.themes)
            held = None
            if gate is not None and gate.covers(row.film_id):
                # The film the club hasn't watched yet: its spoilers are left out, not merely hidden (the
                # untagged passages too, on the safe side); a review that spoils throughout shows none.
                kept = [p for p in await self.bot.store.reviews.passages(row.id, quotable_only=True)
                        if not set(p[2]) & set(gate.spoiler_themes) and not p[3]]
                passages = [] if row.spoiler else kept
                if not passages:
                    held = gate.refusal("Its opening")
            else:
                passages = await self.bot.store.reviews.passages(row.id)
            await interaction.response.send_message(
                embed=show_embed(row, counts, body, self.bot.themes, passages, held=held),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @moderator_only
    @app_commands.command(name="export", description="Download the whole corpus as a JSON file (moderators).")
    async def export(self, interaction: discord.Interaction) -> None:
        """Download the whole corpus as a JSON file, the format /review import reads."""
        async with user_errors(interaction):
            await require_moderator(interaction, "export the corpus")
            limit = interaction.guild.filesize_limit if interaction.guild else 8 * 1024 * 1024
            # Bounded steps (bot/reviews/export.py): the work is bounded by what one file can carry, not
            # by the corpus (1.1M passages: 13 s frozen when read whole), and no step holds the loop long.
            data, count = await build_export(self.bot.store.reviews, limit)
            stamp = self.bot.now().strftime("%Y%m%d-%H%M")
            await interaction.response.send_message(
                f"The corpus: {counted(count, 'review')} (format filmbot-reviews, version 1)."
                " `/review import` reads it back.",
                file=discord.File(io.BytesIO(data), filename=f"filmbot-reviews-{stamp}.json"),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @moderator_only
    @app_commands.command(
        name="import", description="Add reviews from a /review export file (all or nothing)."
    )
    @app_commands.describe(file="A JSON file made by /review export")
    async def import_reviews(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Add reviews from an export file; if any item is rejected, nothing is added."""
        async with user_errors(interaction):
            await require_moderator(interaction, "import reviews")
            check_import_size(file.size)
            data = await file.read()
            # Parsing, cleaning, segmenting and tagging up to 20 MB is CPU work: in a thread, so the
            # event loop keeps the heartbeat and every other server's commands flowing.
            raw_items = await asyncio.to_thread(parse_import, data)
            await interaction.response.defer(ephemeral=True, thinking=True)
            progress = ReplyProgress(interaction, len(raw_items))
            # Recorded while it runs: a restart in the middle stores nothing and leaves the reply at
            # "Importing…", so the next start edits it to say so (bot/reviews/interrupted.py).
            running = RunningImport(interaction.token, interaction.application_id, interaction.guild_id,
                                    interaction.user.id)
            await self.bot.store.running_imports.begin(running, self.bot.instance, self.bot.now())
            try:
                summary = await self.run_import(interaction, raw_items, progress.checked, running.token)
            except Exception:  # refused or failed: the member is told now (user_errors), nothing left to tell
                await self.forget_quietly(running.token)
                raise
            # Cancelled (a graceful stop): kept, the next start tells. Stored: forgotten in its transaction.
            await self.bot.store.running_imports.forget(running.token)  # a refused file has no transaction
            await progress.finish(summary)

    async def forget_quietly(self, token: str) -> None:
        try:
            await self.bot.store.running_imports.forget(token)
        except Exception:  # the import's own error is the one to answer
            log.warning("could not forget a failed /review import's record", exc_info=True)

    async def run_import(
        self, interaction: discord.Interaction, raw_items: list[Any], checked: Callable[[int], None],
        running: str | None = None,
    ) -> str:
        prepared, rejected = await asyncio.to_thread(check_items, raw_items, self.bot.themes, checked)
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
            prepared, actor_id=interaction.user.id, guild_id=interaction.guild_id, running=running
        )
        return import_summary(len(added), [inert(prepared[i].meta.film, 60) for i in dup_indexes], [])

    @moderator_only
    @app_commands.command(name="history", description="Who changed which review or film title, and when (moderators).")
    @app_commands.describe(review="Only this review's history (id)")
    async def history(self, interaction: discord.Interaction, review: str | None = None) -> None:
        """The latest changes to reviews (who added, edited, removed or imported what, and when) and to this server's
        other titles of films (`/film alias`)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "see the review history")
            review_id = parse_review_id(review) if review else None
            entries, total = await self.bot.store.reviews.history(review_id, guild_id=interaction.guild_id, limit=15)
            await send_ephemeral(interaction, history_text(entries, total, review_id))

    @edit.autocomplete("review")
    @remove.autocomplete("review")
    @show.autocomplete("review")
    @history.autocomplete("review")
    async def review_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
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
    @add_link.autocomplete("film")
    @edit.autocomplete("film")
    @list_reviews.autocomplete("film")
    async def film_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)

    @add.autocomplete("critic")
    @edit.autocomplete("critic")
    @list_reviews.autocomplete("critic")
    async def critic_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await critic_choices(self.bot.store, current, named_only=True)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Reviews(bot))
