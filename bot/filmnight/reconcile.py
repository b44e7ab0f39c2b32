"""Film night after downtime: screenings follow the Discord events as they are now, and reminders a dead
process claimed but never settled are either proven sent or made due again.

The film-night job runs `reconcile` before anything else on every new gateway session (start, or a
reconnect that could not resume), so no reminder goes out for an event deleted or moved meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.core.claims import abandoned
from bot.core.closing import own_post_since
from bot.core.text import inert
from bot.core.time import from_iso
from bot.filmnight.rules import Screening, end_marker
from bot.filmnight.store import REMINDER_LEASE

if TYPE_CHECKING:
    from bot.filmnight.service import FilmNightService

log = logging.getLogger(__name__)

# How each kind's message starts (render.reminder_text, service.after_prompt's fallback): proof of a post.
_OPENINGS = {"end": "🎬 Film night is over: ", "24h": "⏰ Film night tomorrow", "1h": "⏰ Film night in an hour"}


async def reconcile(service: FilmNightService) -> bool:
    """Every screening still to come follows its Discord event (moved, cancelled, deleted or ended while the
    bot was offline); orphaned claims are settled first. True when each screening could be checked."""
    await recover_claims(service)
    checked = True
    for screening in await service.store.scheduled(service.bot.own_shards):
        guild = service.bot.get_guild(screening.guild_id)
        if guild is None:
            continue  # not in this server (any more): nothing to compare with
        try:
            event = await guild.fetch_scheduled_event(screening.event_id)
        except discord.NotFound:  # 10070 Unknown Guild Scheduled Event
            await service.event_gone(screening.event_id, "event deleted in Discord while the bot was offline")
            continue
        except discord.HTTPException:
            log.warning("could not check the event of screening %s; trying again later", screening.id, exc_info=True)
            checked = False
            continue
        await service.follow_event(screening, event)
    return checked


async def recover_claims(service: FilmNightService) -> None:
    """Reminders claimed by a process that died before settling them (core/claims.abandoned: its holder is
    gone, or its lease ended), in this process's servers. One the channel proves was posted is 'sent'; any
    other is due again (and skipped there if its moment has passed). Run on every job pass: a claim ages
    into an orphan at any time."""
    now = service.bot.now()
    for screening_id, kind, due_at, claimed_at, holder in await service.store.claims(service.bot.own_shards):
        if not abandoned(holder, claimed_at, now, REMINDER_LEASE, service.bot.instance):
            continue  # a live process is sending it
        screening = await service.store.screening(screening_id)
        posted = await posted_since(service, screening, kind, from_iso(due_at)) if screening is not None else None
        if posted is not None:
            log.info("reminder %s of screening %s was in fact posted (message %s)", kind, screening_id, posted)
            if kind == "end" and screening is not None:
                try:  # settled only once its rating invitation is there too, as FilmNightService.deliver does
                    await service.complete_end(screening, posted)
                except Exception as error:  # noqa: BLE001  (retried through the job loop, or the moderators told)
                    await service.reminder_failed(screening_id, kind, error)
                    continue
            await service.store.settle_reminder(screening_id, kind, "sent", posted)
        else:
            await service.store.release_claim(screening_id, kind, claimed_at)


async def posted_since(service: FilmNightService, screening: Screening, kind: str, since: datetime) -> int | None:
    """The id of this reminder's (or end step's) message if an earlier process posted it, else None."""
    bot = service.bot
    if kind == "end":  # post_prompt records the after-screening prompt under this source
        recorded = await bot.store.schedules.recorded_message(f"screening:{screening.id}")
        if recorded is not None:
            return int(recorded)
    channel = bot.get_channel(screening.channel_id)
    if not isinstance(channel, discord.TextChannel) or bot.user is None:
        return None
    opening, label = _OPENINGS[kind], f"**{inert(screening.label, 150)}**"
    try:
        def attempt(message: discord.Message) -> bool:
            content = message.content or ""
            return opening in content and label in content or kind == "end" and _carries(
                message, end_marker(screening.id))

        found = await own_post_since(bot, channel, since, attempt, limit=100)
        if found is not None:
            return int(found.id)
    except discord.HTTPException:
        log.warning("could not read channel %s to check reminder %s", channel.id, kind, exc_info=True)
    return None


def _carries(message: discord.Message, marker: str) -> bool:
    """The after-screening prompt's footer starts with its screening's marker (post_prompt puts it there)."""
    return any((embed.footer.text or "").split(" · ", 2)[:2] == marker.split(" · ") for embed in message.embeds)
