"""The pick message's "Ballots so far: N", kept current as votes arrive, through the job loop.

A vote marks its pick due; the edit runs at most once every EDIT_EVERY per pick (the first vote after a
quiet spell edits at once), however many votes come in between: Discord allows about five message edits
per 5 s per channel, so one edit per 6 s per pick (one open pick per server) stays well inside it. The
close edits the final count itself (FilmNightService.close_pick). Kept in memory: after a restart the next
vote refreshes the count.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.core.render import NO_MENTIONS
from bot.filmnight.render import pick_embed
from bot.filmnight.views import pick_view

if TYPE_CHECKING:
    from bot.filmnight.service import FilmNightService

log = logging.getLogger(__name__)

# ~5 s, rounded up: Discord allows 5 edits per 5 s per channel, so one per 6 s per pick leaves room for
# everything else the channel gets; and a wait longer than 5 s is a parked timer to the tests' simulated
# Discord (shorter ones it waits out in real time).
EDIT_EVERY = timedelta(seconds=6)


class BallotCountJob:
    name = "filmnight-ballots"

    def __init__(self, service: FilmNightService) -> None:
        self.service = service
        self.due: dict[int, datetime] = {}
        self.last_edit: dict[int, datetime] = {}

    def touch(self, pick_id: int, now: datetime) -> None:
        """A ballot was cast: refresh the count now, or EDIT_EVERY after the last edit."""
        if pick_id in self.due:
            return
        last = self.last_edit.get(pick_id)
        at = now if last is None or now - last >= EDIT_EVERY else last + EDIT_EVERY
        self.due[pick_id] = at
        self.service.bot.scheduler.wake(at)

    def forget(self, pick_id: int) -> None:
        self.due.pop(pick_id, None)
        self.last_edit.pop(pick_id, None)

    async def next_due(self) -> datetime | None:
        return min(self.due.values(), default=None)

    async def run_due(self, now: datetime) -> None:
        for pick_id in [p for p, at in self.due.items() if at <= now]:
            self.due.pop(pick_id, None)
            self.last_edit[pick_id] = now
            try:
                await self.refresh(pick_id)
            except discord.DiscordServerError:  # Discord is down for now: the count is tried again, not left stale
                log.warning("could not refresh the ballot count of pick %s; retrying", pick_id)
                self.due.setdefault(pick_id, now + EDIT_EVERY)
            except Exception:  # a count that can't be shown must not stop the loop
                log.warning("could not refresh the ballot count of pick %s", pick_id, exc_info=True)

    async def refresh(self, pick_id: int) -> None:
        store = self.service.store
        pick = await store.pick(pick_id)
        if pick is None or pick.closed_at is not None or not pick.message_id:
            self.forget(pick_id)
            return
        channel = self.service.bot.get_channel(pick.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        await channel.get_partial_message(pick.message_id).edit(
            embed=pick_embed(pick, await store.ballot_count(pick_id), closed=False),
            view=pick_view(pick, disabled=False), allowed_mentions=NO_MENTIONS,
        )
