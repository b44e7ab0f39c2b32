"""Work that may outlast Discord's 3 s to answer an interaction: acknowledged first when it runs long.

`in_time(interaction, work)` awaits `work`; if it is not done after ACK_AFTER seconds the interaction
is deferred (the member sees "thinking…"), and `reply` then sends the answer as the follow-up. A fast
command keeps its one direct reply: deferring always would cost every command a second Discord call.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot.core.errors import defer_public

ACK_AFTER = 1.5  # seconds: Discord wants an answer within 3 s; the defer itself needs a round trip

T = TypeVar("T")


async def in_time(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool = False) -> T:
    """`work`'s result; the interaction is deferred first if `work` takes more than ACK_AFTER seconds.

    The ACK_AFTER wait is timed by a thread, in real time: Discord's 3 s are wall-clock seconds, and a
    loop timer would not fire under simcord, whose virtual clock stands still while the bot waits on a
    worker process.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    late = asyncio.Event()

    def wake() -> None:
        try:
            loop.call_soon_threadsafe(late.set)
        except RuntimeError:  # the loop closed meanwhile (the bot shut down): nobody is waiting
            pass

    timer = threading.Timer(ACK_AFTER, wake)
    timer.daemon = True
    timer.start()
    waiting = asyncio.ensure_future(late.wait())
    try:
        await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done() and not interaction.response.is_done():
            if ephemeral:
                await interaction.response.defer(ephemeral=True, thinking=True)
            else:
                await defer_public(interaction)
        return await task
    finally:
        timer.cancel()
        waiting.cancel()
        if not task.done():  # this command was cancelled (or the defer failed): the work goes too
            task.cancel()


async def reply(interaction: discord.Interaction, **kwargs: Any) -> None:
    """The answer: the direct reply, or the follow-up when `in_time` deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
