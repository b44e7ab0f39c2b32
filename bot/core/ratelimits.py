"""Discord's rate limits on the bot's REST calls: a short one is waited out, a long one is a failure to retry.

discord.py waits out every 429 however long Discord asks (`max_ratelimit_timeout` unset): an hour, for a limit
on a channel or a Cloudflare-wide one. The job loop runs one server's timed work after another, so one such wait
held every other server's poll, pick, reminder, digest and game round back for as long (measured: a second
server's poll still open an hour past its deadline). The bot's client waits at most RATE_LIMIT_WAIT, discord.py's
floor; past that, discord.py raises `RateLimited`, which `give_up_long_waits` turns into `RateLimitedTooLong`: a
`DiscordServerError` (Discord cannot take the request now), so every timed post already retries it with its
back-off, and a command tells the member to try again later.
"""

from __future__ import annotations

from typing import Any

import discord

RATE_LIMIT_WAIT = 30.0  # seconds; discord.py raises the smallest allowed value to 30


class _Response:
    """What discord.HTTPException reads of a response."""

    status = 429
    reason = "Too Many Requests"


class RateLimitedTooLong(discord.DiscordServerError):
    """Discord asked the bot to wait `retry_after` seconds, longer than RATE_LIMIT_WAIT: tried again later."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(_Response(), {"code": 0, "message": f"rate limited for {retry_after:.0f} s"})
        self.retry_after = retry_after


def transient(error: BaseException) -> bool:
    """Discord could not take the request for now (a 5xx, a 429): worth trying again later."""
    return isinstance(error, discord.HTTPException) and (error.status >= 500 or error.status == 429)


def give_up_long_waits(http: Any) -> None:
    """Make `http` (a discord.py HTTPClient, or the one simcord installs) raise RateLimitedTooLong where discord.py
    raises RateLimited. In place, so every holder of the client (the connection state, the command tree) sees it."""
    request = http.request
    if getattr(request, "gives_up_long_waits", False):
        return

    async def give_up(*args: Any, **kwargs: Any) -> Any:
        try:
            return await request(*args, **kwargs)
        except discord.RateLimited as error:
            raise RateLimitedTooLong(error.retry_after) from error

    give_up.gives_up_long_waits = True  # type: ignore[attr-defined]
    http.request = give_up
