"""The poll deadline job: closes polls at their deadline through the durable job loop."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.time import iso

if TYPE_CHECKING:
    from bot.polls.service import PollService

log = logging.getLogger(__name__)


class PollDeadlineJob:
    """Closes polls at their deadline (at most once, see PollStore.close)."""

    name = "polls"

    def __init__(self, service: PollService) -> None:
        self.service = service

    async def next_due(self) -> datetime | None:
        due = await self.service.bot.store.polls.next_deadline()
        return datetime.fromisoformat(due) if due else None

    async def run_due(self, now: datetime) -> None:
        for poll_id in await self.service.bot.store.polls.due(iso(now)):
            try:
                await self.service.close_poll(poll_id, closed_by=None)
            except Exception:  # one broken poll must not keep the others open
                log.exception("closing poll %s at its deadline failed", poll_id)
