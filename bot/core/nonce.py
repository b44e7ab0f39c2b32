"""One nonce per timed post, so a create that discord.py retried is made once.

discord.py retries a message create itself on 500/502/504/524 (discord/http.py `request`, up to 5 tries) and
the bot never learns that the first try was applied. Sent with `nonce=` (discord.py then sets `enforce_nonce`),
Discord returns the message already created with that nonce by the same author in the last few minutes
instead of making a second one. The nonce is derived from what the post is (a slot, a poll's results, a
round), never random, so every try of the same post, in this process or the next, carries the same one.
"""

from __future__ import annotations

import hashlib
import secrets


def post_nonce(*what: object) -> str:
    """24 hex characters (Discord allows 25) naming one timed post, e.g. post_nonce("poll-results", poll_id)."""
    return hashlib.blake2b(":".join(map(str, what)).encode(), digest_size=12).hexdigest()


def fresh_nonce() -> str:
    """A nonce for a post that is not timed (a command's): one per call, still enough for discord.py's retries."""
    return secrets.token_hex(12)
