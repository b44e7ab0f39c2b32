"""At start: the moderator of a /review import the last process did not finish is told nothing was stored.

An import is one transaction (bot/reviews/store.py `import_reviews`): a restart in the middle (a deploy, a crash,
a graceful stop) stores none of it, and its private reply, "Importing… N / 300", would otherwise stay so for
ever. Its record (bot/reviews/running_store.py) gives the interaction's token, valid 15 minutes: the reply is
edited through it, once, and a failed edit (dismissed, 404; Discord down) is only logged: the start goes on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.http import Route

from bot.core.render import NO_MENTIONS
from bot.reviews.running_store import RunningImport

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

INTERRUPTED = (
    "**The bot restarted while this import was running: nothing of it was stored** (an import is all or"
    " nothing). Run `/review import` again with the same file; reviews already in the corpus are skipped."
)


async def tell_interrupted_imports(bot: FilmBot) -> int:
    """Edit each interrupted import's reply to say so; how many were told."""
    told = 0
    for run in await bot.store.running_imports.interrupted(bot.instance, bot.now()):
        if await edit_original(bot, run, INTERRUPTED):
            told += 1
    return told


async def edit_original(bot: FilmBot, run: RunningImport, content: str) -> bool:
    # Discord's "Edit Original Interaction Response", the request Interaction.edit_original_response makes; its
    # `@original` written into the route (a Webhook's message id would be quoted to %40original).
    route = Route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                  webhook_id=run.application_id, webhook_token=run.token)
    try:
        await bot.http.request(route, json={"content": content, "allowed_mentions": NO_MENTIONS.to_dict()})
    except discord.HTTPException as error:
        log.warning("could not tell the moderator of an interrupted /review import (HTTP %s)", error.status)
        return False
    return True
