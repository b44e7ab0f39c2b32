"""The poll deadline job: closes polls at their deadline through the durable job loop."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.closing import CLOSE_LEASE
from bot.core.time import iso

if TYPE_CHECKING:
    from bot.polls.service import PollService

log = logging.getLogger(__name__)


class PollDeadlineJob:
    """Closes polls at their deadline (at most once, see PollStore.close) and finishes announcing them."""

    name = "polls"

    def __init__(self, service: PollService) -> None:
        self.service = service

    async def next_due(self) -> datetime | None:
        store, shards = self.service.bot.store.polls, self.service.bot.own_shards
        times = [datetime.fromisoformat(t) for t in (await store.next_deadline(shards),
                                                       await store.next_closing_at(shards)) if t]
        return min(times, default=None)

    async def run_due(self, now: datetime) -> None:
        store, shards = self.service.bot.store.polls, self.service.bot.own_shards  # this process's servers
        for poll_id in await store.due(iso(now), shards):
            await self._guarded(self.service.close_poll(poll_id, closed_by=None), poll_id)  # closes at most once
        # Closed but not announced: a failed attempt's back-off ended, or the bot died in between. Each is
        # taken (a lease in the database) first, so of two processes that see it due only one announces.
        for poll_id in await store.closing_due(iso(now), shards):
            if await store.closing.take(poll_id, iso(now), iso(now + CLOSE_LEASE)):
                await self._guarded(self.service.announce(poll_id), poll_id)

    async def _guarded(self, work: Awaitable[object], poll_id: int) -> None:
        try:
            await work
        except Exception:  # one broken poll must not keep the others open
            log.exception("closing poll %s failed", poll_id)
