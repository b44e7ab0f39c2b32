"""200 servers at once: bursts of /quote and /discuss from 200 guilds, against /ping under the same load.

simcord runs one operation at a time, so a burst is dispatched with settling held back: every
guild's interaction is emitted first, then the bot serves them all concurrently (the burst's
command handlers are awaited directly) and the burst is settled once. An interaction's latency runs from its dispatch to the bot's last Discord call
carrying its token (the reply, or the last follow-up of a /discuss).
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
from pathlib import Path
from typing import Any

import simcord

from .roundtrip import make_bot, trim_simulated_discord
from .size_bench import THEMES, open_store
from .timing import median, percentile


class TokenClock(list):
    """simcord's REST log, noting when each interaction token was last used."""

    def __init__(self, entries: list) -> None:
        super().__init__(entries)
        self.last: dict[str, float] = {}

    def append(self, entry: Any) -> None:
        at = time.perf_counter()
        for part in entry.path.split("/"):  # the token is one segment of the callback and webhook paths
            self.last[part] = at
        super().append(entry)


async def burst(env: Any, members: list, command: str, options: dict[str, Any], clock: TokenClock) -> tuple:
    """Dispatch one interaction per guild without settling, then settle; (latencies ms, seconds)."""
    real = env._settle_internal

    async def later(**_: Any) -> None:
        return None

    env._settle_internal = later  # each slash returns once emitted; the bot runs them together
    started: dict[str, float] = {}
    try:
        begin = time.perf_counter()
        for channel, member in members:
            chosen = {k: (v() if callable(v) else v) for k, v in options.items()}
            result = await member.slash(channel, command, **chosen)
            started[result._interaction.token] = time.perf_counter()
    finally:
        env._settle_internal = real
    # Wait for the command handlers themselves: simcord's settle loop re-inspects every pending
    # task each time one finishes, which with 200 in flight costs more than the bot does.
    invokers = [t for t in asyncio.all_tasks() if t.get_name() == "CommandTree-invoker" and not t.done()]
    if invokers:
        await asyncio.wait(invokers, timeout=600)
    await env.settle(timeout=600)
    missing = [token for token in started if token not in clock.last]
    if missing:
        raise RuntimeError(f"{len(missing)} /{command} interactions got no answer")
    latencies = [(clock.last[token] - at) * 1000 for token, at in started.items()]
    return latencies, max(clock.last[token] for token in started) - begin


async def servers(database: Path, data_dir: Path, guilds: int, rounds: int) -> dict[str, dict[str, float]]:
    """p50, p99 (ms) and throughput (/s) of /ping, /quote and /discuss in bursts from `guilds` guilds."""
    await (await open_store(database, data_dir)).close_store()  # adopt the corpus: no re-import at start
    bot = make_bot(database, data_dir)
    rng = random.Random(3)
    try:
        async with simcord.run(bot) as env:
            clock = env.backend.http_requests = TokenClock(env.backend.http_requests)
            members = []
            for number in range(guilds):
                guild = env.create_guild(name=f"Club {number}")
                members.append((guild.create_text_channel("film-club"),
                                guild.add_member(env.create_user(f"member{number}"))))
            cases = {"ping": {}, "quote": {}, "discuss": {"theme": lambda: rng.choice(THEMES)},
                     "quote-floor": {}, "discuss-floor": {}}
            results = {}
            # The bursts run with everything built so far (corpus caches, 200 servers) frozen out of the
            # garbage collector: otherwise a full collection of that heap lands in whichever burst happens
            # to trigger it (seen as /ping's p99 doubling from run to run) instead of measuring the commands.
            gc.collect()
            gc.freeze()
            for name, options in cases.items():
                # Each case starts from the same simulated Discord: what earlier bursts stored (messages,
                # the request log) would make every later case slower than the one before it.
                trim_simulated_discord(env)
                await burst(env, members, name, options, clock)  # warm-up burst
                latencies: list[float] = []
                seconds = 0.0
                for _ in range(rounds):
                    clock.clear()
                    done, took = await burst(env, members, name, options, clock)
                    latencies += done
                    seconds += took
                results[name] = {"p50_ms": median(latencies), "p99_ms": percentile(latencies, 0.99),
                                 "per_s": len(latencies) / seconds}
            gc.unfreeze()
            return results
    finally:
        await bot.close_store()
