"""/watchlist and /filmnight: the club's watchlist, picking the next film, screenings, the spoiler gate."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import closing
from bot.core.checks import is_moderator, moderator_only, require_guild, require_moderator
from bot.core.decisions import post_for_decision
from bot.core.errors import database_problem, send_ephemeral, user_errors
from bot.core.films import option
from bot.core.inputs import one_of, suggest
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import answers_publicly
from bot.core.spoilers import server_gate
from bot.core.text import clip, counted, inert
from bot.corpus.lookup import FilmScope, film_choices, film_scope, shown_film
from bot.filmnight import people_rules, rules
from bot.filmnight.job import FilmNightJob
from bot.filmnight.rejoined import rejoined
from bot.filmnight.render import (
    next_embed,
    pending_embed,
    watchlist_embed,
    when_line,
)
from bot.filmnight.rules import Entry
from bot.filmnight.views import (
    DYNAMIC_ITEMS,
    DecisionButton,
    film_nights_page,
    queue_page,
    watchlist_view,
    withdraw_log_post,
)
from bot.films.rules import Ambiguous, Wanted, norm_key, offers, parse_ref, parse_typed, ref

if TYPE_CHECKING:
    from bot.client import FilmBot
    from bot.filmnight.store import FilmNightStore

log = logging.getLogger(__name__)


def _names(entry: Entry, wanted: Wanted) -> bool:
    """True when what a member typed names this entry's film (explicit id, or key + optional year)."""
    if wanted.film_id is not None:
        return entry.film_id == wanted.film_id
    return norm_key(entry.title) == norm_key(wanted.title or "") and wanted.year in (None, entry.year)


@app_commands.guild_only()
class FilmNight(commands.Cog):
    """The watchlist, the pick, the screening and what comes after."""

    watchlist = app_commands.Group(name="watchlist", description="The club's watchlist of films to see together")
    filmnight = app_commands.Group(name="filmnight", description="Pick, schedule and screen the next film night")

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.job = FilmNightJob(bot.filmnight)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.scheduler.register(self.job)
        self.bot.scheduler.register(self.bot.filmnight.ballots)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    @property
    def store(self) -> FilmNightStore:
        return self.bot.store.filmnight

    async def listed(self, guild_id: int, value: str, statuses: tuple[str, ...]) -> Entry | None:
        """The entry typed text names among this server's (explicit `film:<id>`, 'Title (Year)' or a
        title naming one listed film; digits are a title, never an entry number); None if not listed."""
        text = option(value)
        if text is None:
            raise UserError("Name a film, e.g. `La La Land` or `La La Land (2016)`.")
        wanted = parse_typed(text, None, self.bot.now().year)
        entries = await self.store.entries(guild_id, statuses)
        found = [e for e in entries if _names(e, wanted)]
        if not found:  # 'Alien (1979)' for a film listed undated, or another title of a listed film: the catalogue's rule
            try:
                film = await self.bot.store.films.find(wanted, guild_id)
            except Ambiguous:  # several films of that title, none of them listed
                film = None
            found = [e for e in entries if film is not None and e.film_id == film.id]
        if len(found) > 1 and wanted.year is None:
            films = [await self.bot.store.films.get(e.film_id) for e in found]
            raise Ambiguous([f for f in films if f is not None])
        return found[0] if found else None

    async def find_entry(self, guild_id: int, value: str, statuses: tuple[str, ...] = ("pending", "active")) -> Entry:
        entry = await self.listed(guild_id, value, statuses)
        if entry is None:
            shown = await shown_film(self.bot.store, option(value) or "", guild_id) or ""
            raise UserError(
                f"“{inert(shown, 80)}” is not on this server's watchlist."
                " `/watchlist list` shows it."
            )
        return entry

    async def entry_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        aliased = await self.bot.store.films.aliased_ids(interaction.guild.id, current)  # another title typed
        return [
            app_commands.Choice(name=clip(e.choice_name, 100), value=ref(e.film_id))
            for e in await self.store.entries(interaction.guild.id, ("pending", "active"))
            if offers(current, e.title, e.year) or e.film_id in aliased
        ][:25]

    # ------------------------------------------------------------------ /watchlist

    @watchlist.command(name="add", description="Suggest a film for the club to watch.")
    @app_commands.describe(film="Film title, e.g. Whiplash", year="Release year, e.g. 2014", note="Why the club should see it")
    async def add(self, interaction: discord.Interaction, film: str, year: int | None = None, note: str | None = None) -> None:
        """Suggest a film; with approval on, moderators approve it from the log channel."""
        async with user_errors(interaction, typed=[("note", note)]):
            guild = require_guild(interaction)
            chosen = await film_scope(self.bot.store, film, guild.id) if parse_ref(film) is not None else None
            # 'Halloween 2018' typed without brackets is the club's Halloween (2018), never a new film of that title.
            dated = None if chosen or year is not None else await self.bot.store.films.dated(film, guild.id)
            # 'Halloween 2019' beside the club's Halloweens of 1978 and 2018: Halloween (2019), not a film of that title.
            split = None if chosen or dated or year is not None else \
                await self.bot.store.films.title_and_year(film, guild.id)
            name = chosen.film_id if chosen and chosen.film_id else dated.id if dated \
                else rules.film_name(*split, self.bot.now().year) if split \
                else rules.film_name(film, year, self.bot.now().year)
            clean = rules.clean_note(note)
            approval, _ = await self.store.settings(guild.id)
            held = approval and not await is_moderator(interaction)
            entry, created, backed = await self.store.add(
                guild.id, name, clean, interaction.user.id, "pending" if held else "active", self.bot.now()
            )
            # A typed year one off the club's film of that title named that film: say so, or the member wonders.
            typed_year = name.year if isinstance(name, rules.FilmName) else None
            aside = (f"\n-# You typed {typed_year}: the club's film of that title is from {entry.year}, so this is that"
                     " film." if typed_year is not None and entry.year is not None and entry.year != typed_year else "")
            if not created:
                state = "awaiting approval" if entry.status == "pending" else entry.status
                if not backed:
                    why = "and you already back it" if entry.status != "watched" else "and the club has seen it"
                    raise UserError(f"**{inert(entry.label, 150)}** is already on the watchlist ({state}) {why}.{aside}")
                await send_ephemeral(
                    interaction, f"**{inert(entry.label, 150)}** is already on the watchlist ({state}):"
                    f" you now back it ({entry.support} in all).{aside}"
                )
                return
            if entry.director is None or entry.runtime_minutes is None:
                # Year, runtime, director and ids from the film databases, in the background: the entry
                # (and a yearless film) gets them once found; a different film is never attached.
                self.bot.metadata.enrich_soon(entry.film_id, entry.title, entry.year)
            if not held:
                await send_ephemeral(interaction, f"Added **{inert(entry.label, 150)}** to the watchlist.{aside}")
                return
            await send_ephemeral(interaction, await self.tell_moderators(guild, entry) + aside)

    async def tell_moderators(self, guild: discord.Guild, entry: Entry) -> str:
        """Post a held suggestion with its Approve/Reject buttons in the log channel; what the member is told.

        The suggestion stays pending whatever Discord answers: a refused post (403, a 5xx it did not apply) or no
        log channel leaves it to `/watchlist pending`, where moderators always find it; a 5xx Discord applied is
        found by its buttons (`post_for_decision`), never posted twice."""
        log_id = (await self.bot.store.guilds.get(guild.id)).log_channel_id
        channel = guild.get_channel(log_id) if log_id else None
        suggested = f"Suggested **{inert(entry.label, 150)}**"
        if not isinstance(channel, discord.TextChannel):
            return f"{suggested}: it waits for a moderator's approval (moderators find it in `/watchlist pending`)."
        gate = await server_gate(self.bot.store, guild.id, self.bot.themes)
        posted = await post_for_decision(self.bot, channel, DecisionButton, entry.id, pending_embed(entry, gate=gate))
        if posted is None:
            log.warning("watchlist entry %s: its log post in channel %s failed", entry.id, channel.id)
            return (f"{suggested}: it waits for a moderator's approval. The moderators' channel could not be reached"
                    " just now, so they will find it in `/watchlist pending`: no need to suggest it again.")
        try:
            await self.store.set_log_post(entry.id, channel.id, posted)  # a decision in /watchlist pending closes it
        except Exception as error:
            # The suggestion is stored and posted: the member must not hear "nothing was changed, try again". Only
            # the post's closing from /watchlist pending is lost; pressed, it still says the suggestion was decided.
            if not database_problem(error):
                raise
            log.warning("watchlist entry %s: its log post %s could not be recorded: %s", entry.id, posted, error)
        return f"{suggested}: a moderator will approve it."

    @answers_publicly
    @watchlist.command(name="list", description="The watchlist, most supported first.")
    async def list_(self, interaction: discord.Interaction) -> None:
        """The watchlist, most supported first, with page buttons."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            entries = await self.store.entries(guild.id)
            gate = await server_gate(self.bot.store, guild.id, self.bot.themes)
            await interaction.response.send_message(
                embed=watchlist_embed(entries, 0, gate), view=watchlist_view(guild.id, 0, len(entries)),
                allowed_mentions=NO_MENTIONS,
            )

    @moderator_only
    @watchlist.command(name="pending", description="Moderators: suggestions awaiting approval, to approve or reject.")
    async def pending(self, interaction: discord.Interaction) -> None:
        """Every suggestion awaiting approval, one a page with Approve/Reject: whether or not its log-channel
        message exists (Discord refused it, or no log channel was set when it was suggested)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "approve watchlist suggestions")
            embed, view = await queue_page(self.bot, require_guild(interaction).id, 0)
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @watchlist.command(name="support", description="Back a suggestion (once per member).")
    @app_commands.describe(film="A film on the watchlist")
    async def support(self, interaction: discord.Interaction, film: str) -> None:
        """Back a suggestion; each member counts once."""
        async with user_errors(interaction):
            entry = await self.find_entry(require_guild(interaction).id, film, ("active",))
            if not await self.store.support(entry.id, interaction.user.id, self.bot.now()):
                raise UserError(f"You already support **{inert(entry.label, 150)}**.")
            await send_ephemeral(interaction, f"You now support **{inert(entry.label, 150)}** ({entry.support + 1} in all).")

    @watchlist.command(name="remove", description="Remove a suggestion (its suggester or a moderator).")
    @app_commands.describe(film="A film on the watchlist")
    async def remove(self, interaction: discord.Interaction, film: str) -> None:
        """Remove a suggestion: the member who suggested it, or a moderator."""
        async with user_errors(interaction):
            entry = await self.find_entry(require_guild(interaction).id, film)
            moderator = await is_moderator(interaction)
            if entry.suggested_by != interaction.user.id and not moderator:
                raise UserError("Only the member who suggested this film or a moderator can remove it.")
            post = await self.store.log_post(entry.id) if entry.status == "pending" else None
            await self.store.remove(entry, interaction.user.id, audited=moderator)
            await send_ephemeral(interaction, f"Removed **{inert(entry.label, 150)}** from the watchlist.")
            await withdraw_log_post(self.bot, entry, post, interaction.user)

    @moderator_only
    @watchlist.command(name="import", description="Moderators: import a Letterboxd export CSV or a one-title-per-line file.")
    @app_commands.describe(file="Letterboxd watchlist/list CSV (Date, Name, Year, Letterboxd URI) or plain text")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """All or nothing: any invalid row refuses the whole file, listing what is wrong."""
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, "import a watchlist")
            if file.size > rules.IMPORT_MAX_BYTES:
                raise UserError(f"That file is too big: imports are limited to {rules.IMPORT_MAX_BYTES // 1000} KB.")
            plan = rules.parse_import(await file.read())
            if plan.rejected:
                # Each reason is a refusal's own text (the member's words in it escaped once there) or a fixed one.
                shown = "\n".join(f"line {n}: {clip(why, 150)}" for n, why in plan.rejected[:10])
                more = f"\n… and {len(plan.rejected) - 10} more." if len(plan.rejected) > 10 else ""
                raise UserError(
                    clip(f"Nothing was imported: {counted(len(plan.rejected), 'row')} rejected.\n{shown}{more}", 1900)
                )
            added, duplicates = await self.store.import_films(
                require_guild(interaction).id, plan.films, moderator.id, self.bot.now()
            )
            await send_ephemeral(
                interaction, f"Imported the watchlist: {added} added, {counted(duplicates + plan.repeated, 'duplicate')}, 0 rejected."
            )

    support.autocomplete("film")(entry_autocomplete)
    remove.autocomplete("film")(entry_autocomplete)

    @add.autocomplete("film")
    async def add_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Films the club knows ('Title (Year) — Director'); a new title is typed as is."""
        return await film_choices(self.bot.store, current, interaction.guild_id)

    # ------------------------------------------------------------------ /filmnight

    @moderator_only
    @answers_publicly
    @filmnight.command(name="pick", description="Moderators: a vote over the top watchlist films.")
    @app_commands.describe(
        candidates=f"How many of the most supported films (default {rules.DEFAULT_CANDIDATES}, at most {rules.MAX_CANDIDATES})",
        hours=f"How long voting stays open (default {rules.DEFAULT_HOURS})",
        method="ranked: members order their top 3 (instant runoff); single: one choice each",
    )
    async def pick(
        self, interaction: discord.Interaction, candidates: int = rules.DEFAULT_CANDIDATES,
        hours: int = rules.DEFAULT_HOURS, method: str = "ranked",
    ) -> None:
        """Open a pick over the top watchlist films."""
        async with user_errors(interaction):
            await require_moderator(interaction, "start a film-night pick")
            method = one_of(method, rules.PICK_METHODS, "The method is `ranked` (order your top 3) or `single` (one choice each).")
            await self.bot.filmnight.post_pick(interaction, candidates, hours, method)

    @moderator_only
    @answers_publicly
    @filmnight.command(name="schedule", description="Moderators: schedule the screening as a server event.")
    @app_commands.describe(
        film="A film on the watchlist (or with reviews)",
        when="Server time, e.g. 2026-12-04 20:00, tomorrow 20:00, fri 21:00",
        where="A place or a link (for an external event)",
        channel="Or a voice/stage channel to hold it in",
    )
    async def schedule(
        self, interaction: discord.Interaction, film: str, when: str, where: str | None = None,
        channel: discord.VoiceChannel | discord.StageChannel | None = None,
    ) -> None:
        """Create the Discord event, arm the reminders, make it the current film."""
        async with user_errors(interaction):
            await require_moderator(interaction, "schedule a film night")
            guild = require_guild(interaction)
            entry = await self.listed(guild.id, film, ("active", "watched", "pending"))
            # Not listed: any film of the catalogue (reviewed, or listed in the past); it is listed
            # with the screening, only once everything else was accepted.
            scope = FilmScope(str(entry.film_id), entry.label, entry.title, entry.year) if entry \
                else await film_scope(self.bot.store, film, guild.id)
            screening = await self.bot.filmnight.schedule(interaction, scope, when, where, channel)
            await interaction.response.send_message(
                f"🎬 **{inert(screening.label, 150)}** is scheduled for {when_line(screening)}. It is now the"
                " server's current film; its spoiler themes unlock when the screening ends.",
                allowed_mentions=NO_MENTIONS,
            )

    @filmnight.command(name="next", description="The upcoming film night.")
    async def next_(self, interaction: discord.Interaction) -> None:
        """The upcoming screening, in everyone's own time zone."""
        async with user_errors(interaction):
            screening = await self.store.upcoming(require_guild(interaction).id)
            if screening is None:
                raise UserError("No film night is scheduled. Moderators: `/filmnight schedule`.")
            where = inert(screening.location or "?", 100) if not (screening.location or "").startswith("<#") else screening.location or "?"
            film = await self.bot.store.films.get(screening.film_id)
            facts = rules.film_facts(film.runtime_minutes, film.director) if film else ""
            embed = next_embed(screening, where, facts)
            interested = await self.bot.filmnight.interested(screening)
            if interested is not None:
                embed.add_field(name="Who is coming", value=f"👥 {interested} interested on the server event")
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @moderator_only
    @filmnight.command(name="cancel", description="Moderators: cancel the upcoming film night.")
    async def cancel(self, interaction: discord.Interaction) -> None:
        """Cancel the screening and delete its server event."""
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, "cancel a film night")
            screening = await self.store.upcoming(require_guild(interaction).id)
            if screening is None:
                raise UserError("No film night is scheduled.")
            await self.bot.filmnight.cancel(screening, moderator.id)
            await send_ephemeral(interaction, f"Cancelled the screening of **{inert(screening.label, 150)}**.")

    @moderator_only
    @filmnight.command(name="move", description="Moderators: move the upcoming film night.")
    @app_commands.describe(when="Server time, e.g. 2026-12-04 20:00, tomorrow 20:00, fri 21:00")
    async def move(self, interaction: discord.Interaction, when: str) -> None:
        """Move the screening (and its server event and reminders)."""
        async with user_errors(interaction):
            await require_moderator(interaction, "move a film night")
            screening = await self.store.upcoming(require_guild(interaction).id)
            if screening is None:
                raise UserError("No film night is scheduled.")
            moved = await self.bot.filmnight.move(interaction, screening, when)
            await send_ephemeral(interaction, f"Moved **{inert(moved.label, 150)}** to {when_line(moved)}.")

    @moderator_only
    @filmnight.command(name="unlock", description="Moderators: open spoiler themes before the screening ends.")
    async def unlock(self, interaction: discord.Interaction) -> None:
        """Open the current film's spoiler themes early."""
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, "unlock spoilers")
            screening = await self.store.upcoming(require_guild(interaction).id)
            if screening is None or not screening.locked:
                raise UserError("Nothing is locked: no screening is waiting with its spoilers held back.")
            await self.store.unlock(screening, moderator.id, self.bot.now())
            await send_ephemeral(interaction, f"Spoiler themes of **{inert(screening.label, 150)}** are open now.")

    @filmnight.command(name="history", description="Film nights so far.")
    async def history(self, interaction: discord.Interaction) -> None:
        """Films screened, when, and how many were interested."""
        async with user_errors(interaction):
            embed, view = await film_nights_page(self.bot, require_guild(interaction).id, 0)
            await interaction.response.send_message(
                embed=embed, view=view or discord.utils.MISSING, ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    @moderator_only
    @filmnight.command(name="reminder-role", description="Moderators: the role pinged by screening reminders.")
    @app_commands.describe(role="The role; leave empty to ping nobody")
    async def reminder_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        """The role the 24 h and 1 h reminders ping."""
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, "change film-night settings")
            if role is not None and role.is_default():
                raise UserError("Reminders never ping @everyone: pick a role members can opt into.")
            guild = require_guild(interaction)
            await self.store.set_setting(guild.id, moderator.id, "ping_role_id", role.id if role else None)
            await send_ephemeral(interaction, f"Reminders ping {role.mention}." if role else "Reminders ping nobody.")

    @moderator_only
    @filmnight.command(name="reminder-mentions", description="Moderators: whom the 24 h and 1 h reminders mention.")
    @app_commands.describe(mode="interested: who pressed Interested on the event; role: the reminder role; off: nobody")
    async def reminder_mentions(self, interaction: discord.Interaction, mode: str) -> None:
        """Mention the members who pressed Interested, the reminder role (as before), or nobody."""
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, "change film-night settings")
            chosen = people_rules.check_mode(mode)
            await self.store.set_setting(require_guild(interaction).id, moderator.id, "reminder_mentions", chosen)
            await send_ephemeral(interaction, {
                "interested": "Reminders mention the members who pressed **Interested** on the server event.",
                "role": "Reminders ping the reminder role (`/filmnight reminder-role`).",
                "off": "Reminders mention nobody.",
            }[chosen])

    @reminder_mentions.autocomplete("mode")
    async def mode_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return suggest(people_rules.MENTION_MODES)

    @moderator_only
    @filmnight.command(name="close-pick", description="Moderators: close the open pick now and count it.")
    async def close_pick(self, interaction: discord.Interaction) -> None:
        """Close the open pick early: the count and the result are posted as at the deadline."""
        async with user_errors(interaction):
            moderator = await require_moderator(interaction, "close a film-night pick")
            pick_id = await self.store.open_pick(require_guild(interaction).id)
            if pick_id is None:
                raise UserError("No pick is open in this server.")
            count = await self.bot.filmnight.close_pick(pick_id, moderator.id)
            if count is None:
                raise UserError("That pick was closing already.")
            await send_ephemeral(interaction, f"Closed pick #{pick_id}: the result is posted.")

    @pick.autocomplete("method")
    async def method_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return suggest(rules.PICK_METHODS)

    @schedule.autocomplete("film")
    async def schedule_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        listed = await self.entry_autocomplete(interaction, current)
        others = [c for c in await film_choices(self.bot.store, current, interaction.guild_id)
                  if c.value not in {e.value for e in listed}]
        return (listed + others)[:25]

    # ------------------------------------------------------------------ Discord's own event UI

    @commands.Cog.listener()
    async def on_scheduled_event_update(self, before: discord.ScheduledEvent, after: discord.ScheduledEvent) -> None:
        screening = await self.store.by_event(after.id)
        if screening is not None and screening.status == "scheduled":
            await self.bot.filmnight.follow_event(screening, after)  # an early end runs through the job

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.job.reconcile_soon()  # events changed or deleted while the bot was offline

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Invited back: pick results given up while the bot was removed are posted now (core/closing.rejoined), and
        a screening's end step and reminders still worth posting (bot/filmnight/rejoined.py)."""
        await closing.rejoined(self.bot, self.store.closing, guild.id)
        await rejoined(self.bot.filmnight, guild.id)

    @commands.Cog.listener()
    async def on_scheduled_event_delete(self, event: discord.ScheduledEvent) -> None:
        await self.bot.filmnight.event_gone(event.id, "event deleted in Discord")


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(FilmNight(bot))
