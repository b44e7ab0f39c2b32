"""Looking a film up again once the film databases answer (metadata_retries).

A watchlist film added while TMDB and Wikidata could not be asked (down, timing out, paused) has no year,
poster or credit yet: `MetadataService.enrich_soon` queues it. This job asks again at the row's due time,
backed off (RETRY_BACKOFF: minutes, then hours, then a day; given up after the last), and sooner when any
other lookup succeeds (`MetadataStore.wake_retries`, a few films at a time). Found: the catalogue keeps it
(year, poster, director, the source credited on the card); a clean "no such film": the row goes; the databases
failing again: the next step of the back-off. Each try is claimed first, so two processes never both ask.
Durable: the rows are in the database, so a restart picks them up where they were.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.time import from_iso

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

# After a try that failed: the wait before the next (the first try comes RETRY_BACKOFF[0] after the add).
RETRY_BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8),
                 timedelta(days=1))
RETRY_BATCH = 5  # films asked per pass: one lookup after another, never a burst at the film databases
RETRY_LEASE = timedelta(minutes=5)  # a try's claim: a process that dies mid-try leaves the film to the next pass
WAKE_COUNT = 5  # films made due at once when another lookup succeeds


class MetadataRetryJob:
    name = "metadata-retries"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        store = self.bot.metadata.store
        if store is None or not self.bot.metadata.enabled:
            return None
        due = await store.next_retry()
        return from_iso(due) if due else None

    async def run_due(self, now: datetime) -> None:
        metadata, store = self.bot.metadata, self.bot.metadata.store
        if store is None or not metadata.enabled:
            return
        for film_id, due, attempts in await store.due_retries(now, RETRY_BATCH):
            if not await store.claim_retry(film_id, due, now + RETRY_LEASE):
                continue
            film = await self.bot.store.films.get(film_id)
            if film is None or film.metadata_at is not None:
                await store.retried(film_id)  # gone, or filled since (a card looked it up meanwhile)
                continue
            failures = metadata.failures()
            meta = await metadata.lookup(film.title, film.year)
            if meta is not None:
                await metadata.remember(film_id, meta)
            if meta is not None or metadata.failures() == failures:  # found, or the databases said "no such film"
                await store.retried(film_id)
            elif attempts + 1 < len(RETRY_BACKOFF):
                await store.retry_later(film_id, attempts + 1, self.bot.now() + RETRY_BACKOFF[attempts + 1])
            else:
                log.warning("gave up looking up the metadata of film %s after %d tries", film_id, attempts + 1)
                await store.retried(film_id)
