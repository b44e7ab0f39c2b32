"""Film night's timed work through the durable job loop: pick deadlines, reminders, screening ends."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.closing import CLOSE_LEASE
from bot.core.time import iso
from bot.filmnight.reconcile import reconcile, recover_claims

if TYPE_CHECKING:
    from bot.filmnight.service import FilmNightService

log = logging.getLogger(__name__)


class FilmNightJob:
    """Closes picks at their deadline and sends each claimed reminder (24 h, 1 h, the end) once."""

    name = "filmnight"

    def __init__(self, service: FilmNightService) -> None:
        self.service = service
        self.reconciled = False  # screenings not yet compared with Discord's events since the gateway came up

    def reconcile_soon(self) -> None:
        """A new gateway session (start, or a reconnect that could not resume): events may have changed."""
        self.reconciled = False
        self.service.bot.scheduler.wake()

    async def next_due(self) -> datetime | None:
        if not self.reconciled:
            return self.service.bot.now()
        return await self.service.next_due()

    async def run_due(self, now: datetime) -> None:
        if not self.reconciled:  # before any reminder: one for a deleted or moved event must not go out
            try:
                self.reconciled = await reconcile(self.service)
            except Exception:
                log.exception("reconciling screenings with Discord's events failed")
        else:
            try:  # claims whose lease ended since (their process died): proven sent, or due again
                await recover_claims(self.service)
            except Exception:
                log.exception("recovering orphaned reminder claims failed")
        shards = self.service.bot.own_shards  # this process's servers only (FILMBOT_SHARD_IDS)
        for pick_id in await self.service.store.due_picks(now, shards):
            try:
                await self.service.close_pick(pick_id)
            except Exception:  # one broken pick must not keep the others open
                log.exception("closing pick %s failed", pick_id)
        # Closed but not announced: a failed attempt's back-off ended, or the bot died in between.
        for pick_id in await self.service.store.closing.due(iso(now), shards):
            if not await self.service.store.closing.take(pick_id, iso(now), iso(now + CLOSE_LEASE)):
                continue  # another process took it first
            try:
                await self.service.announce_pick(pick_id)
            except Exception:
                log.exception("announcing pick %s failed", pick_id)
        await self.service.run_reminders(now)
