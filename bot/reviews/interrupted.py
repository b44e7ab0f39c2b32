"""At start: the moderator of a /review import the last process did not finish is told nothing was stored.

An import is one transaction (bot/reviews/store.py `import_reviews`): a restart in the middle (a deploy, a crash,
a graceful stop) stores none of it, and its private reply, "Importing… N / 300", would otherwise stay so for
ever. Its record (bot/reviews/running_store.py) gives the interaction's token, valid 15 minutes: the reply is
edited through it, once; a 5xx or a 429 (Discord down as the bot starts: discord.py does not retry a 503) is tried
again after 30 s, 1, 2 and 4 minutes, within the token's life; any other failure (dismissed, 404; the token
expired, 401) is only logged. The start goes on meanwhile (cogs/reviews runs this beside it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord.http import Route

from bot.core.ratelimits import transient
from bot.core.render import NO_MENTIONS
from bot.reviews.running_store import RunningImport

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

INTERRUPTED = (
    "**The bot restarted while this import was running: nothing of it was stored** (an import is all or"
    " nothing). Run `/review import` again with the same file; reviews already in the corpus are skipped."
)


RETRY_SECONDS = (30, 60, 120, 240)  # 7.5 minutes in all: within the 15 a token lives, even for a quick restart


async def tell_interrupted_imports(bot: FilmBot) -> int:
    """Edit each interrupted import's reply to say so (each with its own retries); how many were told."""
    runs = await bot.store.running_imports.interrupted(bot.instance, bot.now())
    return sum(await asyncio.gather(*(tell(bot, run) for run in runs)))


async def tell(bot: FilmBot, run: RunningImport) -> bool:
    """One moderator told, a transient failure tried again later (the edit sets the same text: never doubled)."""
    for delay in (0, *RETRY_SECONDS):
        await asyncio.sleep(delay)
        try:
            return await edit_original(bot, run, INTERRUPTED)
        except discord.HTTPException as error:
            log.warning("could not tell the moderator of an interrupted /review import (HTTP %s)%s", error.status,
                        "; trying again" if delay != RETRY_SECONDS[-1] else "")
    return False


async def edit_original(bot: FilmBot, run: RunningImport, content: str) -> bool:
    """Edit the reply; False when Discord refused for good, raised again when it may work later (5xx, 429)."""
    # Discord's "Edit Original Interaction Response", the request Interaction.edit_original_response makes; its
    # `@original` written into the route (a Webhook's message id would be quoted to %40original).
    route = Route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                  webhook_id=run.application_id, webhook_token=run.token)
    try:
        await bot.http.request(route, json={"content": content, "allowed_mentions": NO_MENTIONS.to_dict()})
    except discord.HTTPException as error:
        if transient(error):
            raise
        log.warning("could not tell the moderator of an interrupted /review import (HTTP %s)", error.status)
        return False
    return True
