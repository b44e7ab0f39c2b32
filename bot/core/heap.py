"""Freeze the bot's start-up heap out of the cyclic garbage collector.

A running bot holds a large, long-lived heap (the corpus caches, the command tree, discord.py's state). Python's
full (generation-2) collections walk all of it while holding the GIL: 30-90 ms at a million passages in the
bench, landing at random on whichever command or vote is running (docs/benchmarks.md, Session 8). What exists
once start-up is done lives until the process ends, so it is collected once and moved to the permanent
generation (`gc.freeze`, as Instagram's servers do): later collections walk only what came after.

Only for a process that runs one bot for its life (`filmbot run`: Settings.from_env turns it on). A frozen heap
is never collected, so a process that makes and drops many bots (the tests, the playground's restarts) keeps it
off, or every dropped bot's cycles would stay.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect, then freeze everything alive; returns how many objects are now frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
