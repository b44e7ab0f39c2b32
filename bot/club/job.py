"""The club's timed work: game rounds (reveal at the deadline, post the next) and thread digests."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.club.service import ClubService
from bot.club.store import CLAIM_LEASE
from bot.core.time import from_iso

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


class GameJob:
    name = "club-game"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        store, shards = self.bot.store.club, self.bot.own_shards
        due = await store.next_game_moment(shards)
        # A claimed round never opened turns orphan when its lease ends (sooner if its holder is seen gone).
        orphans = [from_iso(at) + CLAIM_LEASE for _, at, _ in await store.claimed_rounds(shards) if at]
        return min(([from_iso(due)] if due else []) + orphans, default=None)

    async def run_due(self, now: datetime) -> None:
        service = ClubService(self.bot)
        await service.recover_rounds(now)  # rounds claimed by a process that died: the game ends
        await service.run_due_rounds(now)


class DigestJob:
    name = "club-digest"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        due = await self.bot.store.club.next_digest(self.bot.own_shards)
        return from_iso(due) if due else None

    async def run_due(self, now: datetime) -> None:
        service = ClubService(self.bot)
        await service.recover_digests(now)  # digests a process died posting: posted, or due again
        await service.run_due_digests(now)
