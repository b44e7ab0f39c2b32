"""FilmBot: the commands.Bot subclass every entry point builds through `create_bot`."""

from __future__ import annotations

import logging
import pkgutil
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.club.service import ClubService
from bot.core import db as database
from bot.core.claims import new_holder
from bot.core.config import ConfigError, Settings
from bot.core.db import Database
from bot.core.errors import on_app_command_error
from bot.core.heap import freeze_startup_heap
from bot.core.inputs import FilmTree, hide_moderator_commands
from bot.core.jobs import Scheduler
from bot.core.ratelimits import RATE_LIMIT_WAIT, give_up_long_waits
from bot.core.render import NO_MENTIONS
from bot.core.services import ClubRatings, NowShowing, PassageFlags, Prompts
from bot.core.shards import Shards, scope
from bot.core.time import iso
from bot.corpus import Theme, load_themes
from bot.corpus.bundle import ImportResult, import_bundled
from bot.discussion.service import PromptService
from bot.filmnight.service import FilmNightService
from bot.flags.service import FlagService
from bot.metadata.service import MetadataService
from bot.polls.service import PollService
from bot.stores import Store

log = logging.getLogger(__name__)


class FilmBot(commands.Bot):
    """Opens the database, migrates, imports the corpus and loads every cog in `setup_hook`."""

    def __init__(self, settings: Settings, **options: Any) -> None:
        # Only the events the bot uses: servers, channels, threads and roles (permissions) and scheduled
        # events (film nights); what it reads of a thread or a poll it fetches over REST when it needs it, so
        # no reaction, typing, DM, invite or voice event is sent to it for nothing. Guild messages stay
        # (their content is empty without the privileged intent): under simcord 3.2, which the tests drive,
        # every interaction settled 50 ms later without the echo of the bot's own reply (measured: 1-2 ms
        # per /ping with it, 52-55 ms without).
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.guild_scheduled_events = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            tree_cls=FilmTree,
            max_ratelimit_timeout=RATE_LIMIT_WAIT,  # a longer 429 fails and is retried later (core/ratelimits)
            **options,
        )
        self.settings = settings
        # How much faster than the wall the clock runs: 1 in production and tests, --speed in the playground
        # (game rounds are lengthened by it so members get their 60 real seconds).
        self.clock_speed = 1.0
        # Who holds a claim (screening_reminders.claimed_by): this host, process and bot object (core/claims).
        self.instance = new_holder()
        self.db: Database | None = None
        self.store: Store = None  # type: ignore[assignment]  # set in setup_hook
        self.themes: dict[str, Theme] = {}
        self.last_import: ImportResult | None = None
        self.scheduler = Scheduler(self.now, before=self.follow_corpus)
        self.polls = PollService(self)  # the cog, the vote buttons and the deadline job share it
        self.filmnight = FilmNightService(self)  # film night's commands, ballots, listeners and job
        self.metadata = MetadataService(self)  # film cards' poster, runtime, director (TMDB / Wikidata / off)
        # What features ask of each other, typed by bot/core/services.py's Protocols (no feature imports another).
        self.flags: PassageFlags = FlagService()  # the Flag buttons under quotes and prompts
        self.prompts: Prompts = PromptService(self)  # a discussion prompt, for film night and schedules
        self.club: ClubRatings = ClubService(self)  # critics vs club in poll results, the invitation to rate
        self.now_showing: NowShowing = self.filmnight  # the current film: the default of the club and schedules
        self.tree.error(on_app_command_error)

    @property
    def http(self) -> Any:
        return self._http

    @http.setter
    def http(self, client: Any) -> None:
        """discord.Client sets its HTTP client here (and simcord its own): each gives up on long rate limits."""
        give_up_long_waits(client)
        self._http = client

    @property
    def own_shards(self) -> Shards | None:
        """The shards whose servers' timed work this process runs; None: every server it can see (one process,
        or all of FILMBOT_SHARDS). Jobs filter their due rows with `bot.core.shards.owned(bot.own_shards)`."""
        settings = self.settings
        count = int(settings.shards) if settings.shards is not None and settings.shards.isdigit() else None
        return scope(count, settings.shard_ids)

    @staticmethod
    def now() -> datetime:
        """The one clock: aware UTC from discord.utils, which simcord's advance_time moves."""
        return discord.utils.utcnow()

    async def setup_hook(self) -> None:
        # simcord's restart_bot() logs the same object in again: start from a clean slate,
        # exactly as a new process would.
        await self._unload_everything()
        self.instance = new_holder()  # a restarted bot is a new holder: its predecessor's claims are orphans
        await self.open_store()
        async with self.store.db.exclusive():  # processes started together import once (PostgreSQL)
            self.last_import = await import_bundled(
                self.store, self.settings.data_dir, self.themes, self.settings.themes_file
            )
        self.scheduler = Scheduler(self.now, before=self.follow_corpus)
        for module in sorted(m.name for m in pkgutil.iter_modules(cogs.__path__)):
            await self.load_extension(f"cogs.{module}")  # cogs register their scheduler jobs in cog_load
        # Every feature is per server (settings, rotations, polls): hide all commands in DMs.
        for command in self.tree.get_commands():
            if isinstance(command, app_commands.Command | app_commands.Group):
                command.guild_only = True
        hide_moderator_commands(self.tree)
        if self.settings.auto_sync:
            await self._sync_or_serve_as_registered()
        if self.settings.freeze_heap:
            await self.store.catalogue.warm()  # the corpus summaries are start-up heap too
            log.info("start-up heap frozen out of the GC: %d objects", freeze_startup_heap())

    async def on_ready(self) -> None:
        # Timed work starts once the gateway is up, so jobs can reach channels from the cache.
        self.scheduler.start()
        await self._back_while_down()

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (kicked, not an outage): remembered until the bot is back (`_back_while_down`)."""
        await self.store.removals.removed(guild.id, iso(self.now()))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        # Taken here so a start does not take this return for another; the cogs' own on_guild_join listeners do what
        # a return does.
        await self.store.removals.back(guild.id, joined_at(guild))

    async def _back_while_down(self) -> None:
        """At each start: the servers the bot is back in since its process was down — a removal was seen (migration
        211), or none was but the bot's own member joined later than recorded (migration 237: removed and invited
        back while down) — get what a join runs (the cogs' on_guild_join: given-up posts tried again), once each."""
        try:
            for guild_id in await self.store.removals.returns({guild.id: joined_at(guild) for guild in self.guilds}):
                if (guild := self.get_guild(guild_id)) is not None and await self.store.removals.back(
                        guild_id, joined_at(guild)):
                    log.info("back in server %s since the bot was down: running what an invitation runs", guild_id)
                    self.dispatch("guild_join", guild)
        except Exception:  # a database hiccup must not stop the start; the next session's on_ready tries again
            log.warning("could not read the servers the bot was removed from", exc_info=True)

    async def follow_corpus(self) -> None:
        """Drop this process's corpus caches if another process wrote the corpus (checked at most every
        second: core/generation_store); a database hiccup here never stops a command or a job pass."""
        if self.store is None:
            return
        try:
            await self.store.generation.follow()
        except Exception:
            log.warning("could not read the corpus generation", exc_info=True)

    async def open_store(self) -> Store:
        """Open and migrate the database, load themes; used by the bot and by the CLI."""
        try:
            self.themes = load_themes(self.settings.themes_file)
        except (OSError, ValueError, RecursionError) as exc:  # missing, unreadable or malformed: one line
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
            raise ConfigError(f"{self.settings.themes_file}: {reason} (FILMBOT_DATA_DIR names its folder)") from exc
        self.db = await database.open_database(self.settings.database, self.settings.database_url)
        self.store = Store(self.db)
        return self.store

    async def _unload_everything(self) -> None:
        await self.scheduler.stop()
        for name in list(self.extensions):
            await self.unload_extension(name)
        await self.close_store()

    async def close_store(self) -> None:
        if self.db is not None:
            db, self.db = self.db, None
            await db.close()

    async def _sync_or_serve_as_registered(self) -> None:
        """Start-up must not depend on command sync: Discord keeps the commands it already has,
        and they keep working, so a failed GET or PUT is one warning, not a failed start."""
        try:
            await self.sync_commands_if_changed()
        except discord.HTTPException as error:
            log.warning(
                "could not sync application commands (HTTP %s: %s); serving the commands Discord already has."
                " `filmbot sync` retries.", error.status, error.text or type(error).__name__,
            )

    async def sync_commands_if_changed(self, *, force: bool = False) -> bool:
        """Sync only when Discord's registered commands differ from ours (syncs are rate-limited).

        Comparing against what Discord actually has (one GET) rather than a hash kept locally
        means a new application, a restored database or a manual change is still noticed.
        """
        local = command_shapes([dict(command.to_dict(self.tree)) for command in self.tree.get_commands()])
        if not force:
            # The raw payload, not AppCommand objects: discord.py 2.7 parses contexts [0] back as [],
            # which would make every start look like a change.
            assert self.application_id is not None  # set by login, before setup_hook runs
            remote = command_shapes([dict(c) for c in await self.http.get_global_commands(self.application_id)])
            if remote == local:
                return False
        await self.tree.sync()
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        log.info("synced %d application commands", len(local))
        return True

    async def close(self) -> None:
        try:
            await self.scheduler.stop()
            for name in list(self.extensions):
                await self.unload_extension(name)
        finally:
            await self.metadata.close()
            await self.close_store()
            await super().close()


def joined_at(guild: discord.Guild) -> str | None:
    """When the bot joined `guild` (its own member's joined_at, which Discord sets anew on each invitation), as
    RemovalStore keeps it: ISO UTC with microseconds, so text order is time order. None when not cached."""
    me = guild.me
    return None if me is None or me.joined_at is None else me.joined_at.astimezone(UTC).isoformat(timespec="microseconds")


def command_shapes(payloads: list[dict[str, Any]]) -> list[tuple]:
    """What users see of each command, in a form comparable between local and fetched payloads."""

    def shape(item: dict[str, Any]) -> tuple:
        choices = tuple((c["name"], c["value"]) for c in item.get("choices") or ())
        options = tuple(shape(o) for o in item.get("options") or ())
        return (
            item.get("type", 1), item["name"], item.get("description", ""), bool(item.get("required")),
            bool(item.get("autocomplete")), choices, options, tuple(item.get("contexts") or ()),
            # Who sees it by default: Discord sends the permission bits as a string, or null.
            str(item.get("default_member_permissions") or ""),
        )

    return sorted(shape(p) for p in payloads)


def create_bot(settings: Settings | None = None) -> FilmBot:
    """An unstarted bot; tests, the playground and `filmbot run` all build it this way."""
    settings = settings or Settings()
    if settings.shards is None:
        return FilmBot(settings)
    # "auto": Discord's recommended shard count, asked at login; a number: exactly that many.
    count = None if settings.shards == "auto" else int(settings.shards)
    if settings.shard_ids is not None:  # one process of several: these shards only (FILMBOT_SHARD_IDS)
        return ShardedFilmBot(settings, shard_count=count, shard_ids=list(settings.shard_ids))
    return ShardedFilmBot(settings, shard_count=count)


class ShardedFilmBot(FilmBot, commands.AutoShardedBot):
    """FilmBot over several gateway shards in one process (FILMBOT_SHARDS); same stores, same cogs."""
