"""MetadataService (`bot.metadata`): one lookup(title, year) over the configured providers, cached.

TMDB first when a key is set (its Wikidata id then fills what only Wikidata has, like the Letterboxd id),
else Wikidata alone. Off (FILMBOT_METADATA=off or Settings(metadata=False)): every lookup is None at once.
A lookup never raises and never attaches a film whose title or year differs from the one asked.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from bot.core.refusals import UserError
from bot.core.time import iso
from bot.metadata import rules
from bot.metadata.http import IoThread
from bot.metadata.job import RETRY_BACKOFF, WAKE_COUNT
from bot.metadata.rules import FilmMetadata
from bot.metadata.store import MISSING, MetadataStore
from bot.metadata.tmdb import TmdbProvider
from bot.metadata.wikidata import WikidataProvider

if TYPE_CHECKING:
    from bot.client import FilmBot
    from bot.metadata.http import JsonClient

log = logging.getLogger(__name__)

FOUND_TTL = timedelta(days=30)  # a film's runtime and director do not change; posters rarely
NOT_FOUND_TTL = timedelta(days=1)  # a film the provider did not know may be added tomorrow
# A record made while a provider failed (TMDB down, Wikidata's answer used): asked again soon, not in 30 days.
PARTIAL_TTL = timedelta(hours=1)
LOOKUP_BUDGET = 12.0  # seconds for one whole lookup, every provider and call included


class Provider(Protocol):
    """What a metadata source offers: candidates for a title, and one film's full record by its ref."""

    name: str
    client: JsonClient

    async def search(self, title: str, year: int | None) -> list[FilmMetadata]: ...

    async def details(self, ref: str | int) -> FilmMetadata | None: ...

    async def close(self) -> None: ...


class MetadataService:
    def __init__(self, bot: FilmBot, providers: list[Provider] | None = None) -> None:
        self.bot = bot
        settings = bot.settings
        self.io = IoThread()  # the one thread both providers' HTTP runs on
        if providers is None:
            providers = []
            if settings.metadata:
                common = {"contact": settings.metadata_contact, "io": self.io}
                if settings.tmdb_api_key:
                    providers.append(TmdbProvider(settings.tmdb_api_key, settings.tmdb_base_url, **common))
                providers.append(WikidataProvider(settings.wikidata_base_url, **common))
        self.providers = providers
        self._pending: dict[str, asyncio.Future[FilmMetadata | None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # background enrichments, kept so none is collected
        log.info("%s", self.describe())

    @property
    def enabled(self) -> bool:
        return bool(self.providers)

    def describe(self) -> str:
        """The one start-up line: which source cards use, or that they show title and year only."""
        if not self.bot.settings.metadata:
            return "film metadata off (FILMBOT_METADATA=off): film cards show title, year and the club's counts"
        if self.bot.settings.tmdb_api_key:
            return "film metadata from TMDB (TMDB_API_KEY set), gaps filled from Wikidata"
        return ("film metadata from Wikidata (no TMDB_API_KEY: no posters or overviews); without a network,"
                " film cards show title, year and the club's counts")

    def failures(self) -> int:
        """Answers lost so far (errors, timeouts, lookups skipped while a provider is paused), all providers:
        compared before and after a lookup, whether a None was "unknown" or "could not ask"."""
        return sum(provider.client.failures for provider in self.providers)

    @property
    def store(self) -> MetadataStore | None:
        store = getattr(self.bot, "store", None)
        return getattr(store, "metadata", None)

    async def lookup(self, title: str, year: int | None) -> FilmMetadata | None:
        """The film's metadata (cached), or None: disabled, unknown, ambiguous, or the provider failed."""
        key = rules.norm_title(title)
        if not self.enabled or not key:
            return None
        key = f"lookup:{key}|{year or ''}"
        pending = self._pending.get(key)
        if pending is not None:  # the same film asked by many at once: one fetch
            return await asyncio.shield(pending)
        future: asyncio.Future[FilmMetadata | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        found = None
        try:
            found = await self._cached_or_fetched(key, title, year)
        except Exception:
            log.exception("film metadata lookup failed; the card goes without it")
        finally:  # waiters get the answer, or None if this lookup was cancelled
            del self._pending[key]
            if not future.done():
                future.set_result(found)
        return found

    async def _cached_or_fetched(self, key: str, title: str, year: int | None) -> FilmMetadata | None:
        store, source = self.store, self.providers[0].name
        if store is not None:
            cached = await store.get(source, key, self.bot.now())
            if cached is not MISSING:
                return cached if isinstance(cached, FilmMetadata) else None
        failures = sum(p.client.failures for p in self.providers)
        try:
            found = await asyncio.wait_for(self._fetch(title, year), LOOKUP_BUDGET)
        except TimeoutError:
            log.warning("film metadata for a title took over %g s; going on without it", LOOKUP_BUDGET)
            return None
        clean = sum(p.client.failures for p in self.providers) == failures
        if store is not None and (found is not None or clean):  # a failure is never remembered as "unknown"
            now = self.bot.now()
            ttl = (FOUND_TTL if clean else PARTIAL_TTL) if found else NOT_FOUND_TTL
            await store.put(source, key, found, now, ttl)
            await store.purge(now)
            if clean and await store.wake_retries(now, WAKE_COUNT):  # the databases answer again: films
                self.bot.scheduler.wake(now)  # added while they could not be asked are looked up now
        return found

    async def _fetch(self, title: str, year: int | None) -> FilmMetadata | None:
        for index, provider in enumerate(self.providers):
            found = await self._from(provider, title, year)
            if found is None:
                continue
            for other in self.providers[index + 1:]:  # fill gaps from the same film elsewhere, by its id
                ref = found.wikidata_id if other.name == rules.WIKIDATA else found.tmdb_id
                extra = await other.details(ref) if ref else None
                if extra is not None and extra.year == found.year:
                    found = found.fill_from(extra)
            return found
        return None

    @staticmethod
    async def _from(provider: Provider, title: str, year: int | None) -> FilmMetadata | None:
        candidate = rules.match(await provider.search(title, year), title, year)
        if candidate is None:
            return None
        ref = candidate.tmdb_id if provider.name == rules.TMDB else candidate.wikidata_id
        full = await provider.details(ref) if ref else None
        # The full record must still be the film asked for; if it drifted, keep what the search said.
        return full if full is not None and rules.match([full], title, year) else candidate

    async def kept(self, film_id: int) -> FilmMetadata | None:
        """What the catalogue kept of the film from an earlier lookup (None: nothing): the card's
        fallback when the providers cannot answer now."""
        film = await self.bot.store.films.get(film_id)
        return FilmMetadata.kept(film) if film is not None else None

    async def remember(self, film_id: int, meta: FilmMetadata) -> None:
        """What the provider found, kept on the catalogue's film (bot/films `set_metadata`): screenings then
        last its runtime, lists and autocomplete name its director, a yearless film gets its year. Best
        effort: nobody waits on it, and a value the catalogue refuses is logged, not raised."""
        film = await self.bot.store.films.get(film_id)
        if film is None:
            return
        runtime = meta.runtime_minutes if meta.runtime_minutes and 0 < meta.runtime_minutes <= 1000 else None
        found = {
            "runtime_minutes": runtime, "director": meta.director, "poster_url": meta.poster_url,
            "tmdb_id": meta.tmdb_id, "imdb_id": meta.imdb_id, "wikidata_id": meta.wikidata_id,
            "letterboxd": meta.letterboxd_id, "genres": ", ".join(meta.genres) or None, "overview": meta.overview,
            # Only a film that had no year takes the provider's; lookup matched the title, and a year the
            # catalogue already holds is never replaced.
            "year": meta.year if film.year is None else None,
        }
        values = {name: value for name, value in found.items() if value is not None}
        if values:
            try:
                await self.bot.store.films.set_metadata(
                    film_id, **values, metadata_source=meta.source or None, metadata_at=iso(self.bot.now())
                )
            except (KeyError, ValueError, UserError):
                log.warning("could not keep the metadata of film %s", film_id, exc_info=True)

    def enrich_soon(self, film_id: int, title: str, year: int | None) -> None:
        """Look the film up and keep what is found, in the background (a watchlist add never waits on
        the network); nothing happens when metadata is off. When the film databases could not be asked, the
        film is queued and looked up again later (metadata_retries, bot/metadata/job.py)."""
        if not self.enabled:
            return
        task = asyncio.get_running_loop().create_task(self._enrich(film_id, title, year), name="filmbot-enrich")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _enrich(self, film_id: int, title: str, year: int | None) -> None:
        try:
            failures = self.failures()
            meta = await self.lookup(title, year)
            if meta is not None:
                await self.remember(film_id, meta)
            elif self.failures() > failures and self.store is not None:  # could not ask: later (bot/metadata/job.py)
                due = self.bot.now() + RETRY_BACKOFF[0]
                await self.store.queue_retry(film_id, due)
                self.bot.scheduler.wake(due)
        except Exception:
            log.warning("could not enrich film %s with metadata", film_id, exc_info=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for provider in self.providers:
            await provider.close()
        self.io.stop()
