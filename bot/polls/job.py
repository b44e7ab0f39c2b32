"""The poll deadline job: closes polls at their deadline through the durable job loop."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING

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
        store = self.service.bot.store.polls
        times = [datetime.fromisoformat(t) for t in (await store.next_deadline(), await store.next_closing_at()) if t]
        return min(times, default=None)

    async def run_due(self, now: datetime) -> None:
        store = self.service.bot.store.polls
        for poll_id in await store.due(iso(now)):
            await self._guarded(self.service.close_poll(poll_id, closed_by=None), poll_id)
        # Closed but not announced: a failed attempt's back-off ended, or the bot died in between.
        for poll_id in await store.closing_due(iso(now)):
            await self._guarded(self.service.announce(poll_id), poll_id)

    async def _guarded(self, work: Awaitable[object], poll_id: int) -> None:
        try:
            await work
        except Exception:  # one broken poll must not keep the others open
            log.exception("closing poll %s failed", poll_id)
