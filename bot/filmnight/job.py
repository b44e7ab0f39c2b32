"""Film night's timed work through the durable job loop: pick deadlines, reminders, screening ends."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.filmnight.service import FilmNightService

log = logging.getLogger(__name__)


class FilmNightJob:
    """Closes picks at their deadline and sends each claimed reminder (24 h, 1 h, the end) once."""

    name = "filmnight"

    def __init__(self, service: FilmNightService) -> None:
        self.service = service

    async def next_due(self) -> datetime | None:
        return await self.service.next_due()

    async def run_due(self, now: datetime) -> None:
        for pick_id in await self.service.store.due_picks(now):
            try:
                await self.service.close_pick(pick_id)
            except Exception:  # one broken pick must not keep the others open
                log.exception("closing pick %s failed", pick_id)
        await self.service.run_reminders(now)
