"""Film night after the bot was invited back into a server (`on_guild_join`).

While it was removed, every reminder and end step that fell due found its channel gone and was given up at once (and
the moderators' notice had nowhere to go). Back in the server, what a club still wants is tried again, through the
same shape as core/closing.rejoined (one UPDATE revives a row, the job posts it with its back-off ladder, a retry looks
for what an earlier attempt posted):

- the end step (the spoiler thread and the rating invitation, each saying it comes late) of a screening that ended
  within REJOIN_WINDOW (core/closing): members still want to talk about and rate last week's film; after a week the club has moved
  on (usually to its next film night) and a late "rate it now" would only be noise;
- a 24 h or 1 h reminder only while it still tells the truth (rules.reminder_stale): "tomorrow" or "in an hour" sent
  after that moment would mislead, so one whose moment passed stays given up, not sent late;
- but no end step of a night called off while the bot was away: the job ended the screening blind (it could not see
  the event), so its Discord event is looked at first, and one cancelled there cancels the screening (a deleted one
  cannot be told from one Discord removed once it completed: its end step is posted; a reminder checks the event
  when it is sent, as reconcile.py does for a screening still to come).

A post given up for a refusal (403) stays given up while the bot still may not post there (core/closing.worth_retrying).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.core.closing import REJOIN_WINDOW, worth_retrying
from bot.core.time import from_iso
from bot.filmnight.rules import reminder_stale

if TYPE_CHECKING:
    from bot.filmnight.rules import Screening
    from bot.filmnight.service import FilmNightService

log = logging.getLogger(__name__)

async def rejoined(service: FilmNightService, guild_id: int) -> int:
    """Revive this server's given-up reminders and end steps that are still worth posting; returns how many."""
    now = service.bot.now()
    revived = 0
    for screening, kind, error in await service.store.failed_reminders(guild_id, now - REJOIN_WINDOW):
        if kind != "end" and (screening.status != "scheduled" or reminder_stale(kind, from_iso(screening.starts_at), now)):
            continue  # its moment passed while the bot was away: not sent late
        if kind == "end" and await called_off(service, screening):
            continue
        if await worth_retrying(service.bot, screening.channel_id, error):
            revived += await service.store.revive_reminder(screening.id, kind, now)
    if revived:
        log.info("back in server %s: %d given-up film night post(s) tried again", guild_id, revived)
        service.bot.scheduler.wake()
    return revived


async def called_off(service: FilmNightService, screening: Screening) -> bool:
    """The screening's event was cancelled in Discord while the bot was removed: the night was called off, and the
    screening is cancelled (not ended). Discord failing the look (a 5xx) settles nothing: the end step is
    tried as it would have been."""
    guild = service.bot.get_guild(screening.guild_id)
    if guild is None:
        return False
    try:
        event = await guild.fetch_scheduled_event(screening.event_id)
    except discord.NotFound:
        # Gone says nothing here: Discord also removes an event once it has completed, so a night held while the
        # bot was away looks the same as one deleted. The late spoiler thread and invitation of a night that did
        # not happen cost a moderator a glance; dropping them for one that did costs the club its discussion.
        return False
    except discord.HTTPException:
        log.warning("could not look at the event of screening %s after the invitation", screening.id, exc_info=True)
        return False
    else:
        if event.status is not discord.EventStatus.cancelled:
            return False
        reason = "event cancelled in Discord while the bot was removed"
    if await service.store.called_off_while_away(screening, reason):
        log.info("screening %s was called off while the bot was removed (%s): its end step is not posted",
                 screening.id, reason)
    return True
