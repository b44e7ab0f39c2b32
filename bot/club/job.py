"""The club's timed work: game rounds (reveal at the deadline, post the next) and thread digests."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.club.service import ClubService
from bot.core.time import from_iso

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


class GameJob:
    name = "club-game"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        due = await self.bot.store.club.next_game_moment(self.bot.own_shards)
        return from_iso(due) if due else None

    async def run_due(self, now: datetime) -> None:
        await ClubService(self.bot).run_due_rounds(now)


class DigestJob:
    name = "club-digest"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        due = await self.bot.store.club.next_digest(self.bot.own_shards)
        return from_iso(due) if due else None

    async def run_due(self, now: datetime) -> None:
        await ClubService(self.bot).run_due_digests(now)
