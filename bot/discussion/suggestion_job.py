"""Editing a suggestion's log message (a question's, a watchlist film's: `kind`, migration 188) once its author
asked /rate forget-me (suggestion_retractions).

forget-me deletes the suggestion at once and queues its message; this job replaces the message's embed (the
member's words and name) and buttons with one line, then deletes the queued row. Discord failing for now (a 5xx,
a rate limit) is tried again after CLOSE_BACKOFF's steps; a message already gone counts as done; a refusal
(the bot lost the log channel) or the last failed try is logged and given up. Each try is claimed first, so two
processes never both edit one message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.core.closing import CLOSE_BACKOFF, CLOSE_LEASE
from bot.core.render import NO_MENTIONS
from bot.core.time import from_iso

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

RETRACTED = "A suggested discussion question was removed here: its author asked to be forgotten (`/rate forget-me`)."
# A watchlist film may still wait for a decision: its buttons go with the post, so it says where moderators find it.
RETRACTED_WATCHLIST = ("A watchlist suggestion's note and name were removed here: its suggester asked to be forgotten"
                       " (`/rate forget-me`). If it still waits for approval, it is in `/watchlist pending`.")
RETRACTED_TEXT = {"question": RETRACTED, "watchlist": RETRACTED_WATCHLIST}


class SuggestionRetractJob:
    name = "suggestion-retractions"

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        due = await self.bot.store.suggestions.next_retraction(self.bot.own_shards)
        return from_iso(due) if due else None

    async def run_due(self, now: datetime) -> None:
        store = self.bot.store.suggestions
        for message_id, channel_id, due, attempts, kind in await store.due_retractions(now, self.bot.own_shards):
            if not await store.claim_retraction(message_id, due, now + CLOSE_LEASE):
                continue
            message = self.bot.get_partial_messageable(channel_id).get_partial_message(message_id)
            try:
                await message.edit(content=RETRACTED_TEXT.get(kind, RETRACTED), embed=None, view=None, allowed_mentions=NO_MENTIONS)
            except discord.NotFound:
                pass  # deleted already: nothing shows the words
            except discord.HTTPException as error:
                if error.status != 403 and attempts < len(CLOSE_BACKOFF):
                    log.warning("could not edit suggestion message %s (%s); trying again later", message_id, error)
                    await store.retry_retraction(message_id, attempts + 1, self.bot.now() + CLOSE_BACKOFF[attempts])
                    continue
                log.warning("gave up editing suggestion message %s after %d tries: %s", message_id, attempts + 1,
                            error)
            await store.retracted(message_id)
