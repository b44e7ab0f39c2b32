"""200 servers at once: bursts of /quote and /discuss from 200 guilds, against their exact-replay floors and
/ping under the same load.

Each command's floor (issue 30) is exact: the requests each server's command sent in the warm-up burst
(same routes, same payloads, DynamicItems' custom ids included) are sent again, in a burst from the same
200 servers, by a handler doing nothing else (bench/every_command.py's /bench-replay). What a command
costs above its floor, in CPU per interaction, is the bot's share. Every figure is kept per burst, so the
rows give ranges over bursts (and `--only concurrency` run several times, ranges over runs).

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
from typing import Any, Self

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


class GcClock:
    """CPU seconds spent in the garbage collector (every generation) while on."""

    def __init__(self) -> None:
        self.seconds, self._start = 0.0, 0.0

    def __enter__(self) -> Self:
        gc.callbacks.append(self._tick)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start


async def burst(env: Any, members: list, command: str, options: dict[str, Any], clock: TokenClock,
                tokens: dict[str, int] | None = None) -> tuple:
    """Dispatch one interaction per guild without settling, then settle; (latencies ms, seconds, CPU
    seconds of the whole burst, CPU seconds of it in the garbage collector). `tokens`, if given, receives
    each interaction's token → channel id.

    Every burst starts with what earlier bursts left collected and frozen out of the collector: a full
    collection scans every object not frozen, 40–60 ms here, and before this it fell in whichever burst
    crossed the threshold (half the bursts, command or floor alike: a floor of 0.78 ms per interaction
    read 1.00–1.10 with one). Each burst now pays the collections its own allocations set off, over
    its own objects only: the same rule for a command and its floor."""
    gc.collect()
    gc.freeze()
    real = env._settle_internal

    async def later(**_: Any) -> None:
        return None

    env._settle_internal = later  # each slash returns once emitted; the bot runs them together
    started: dict[str, float] = {}
    with GcClock() as collector:
        cpu = time.process_time()
        try:
            begin = time.perf_counter()
            for channel, member in members:
                chosen = {k: (v() if callable(v) else v) for k, v in options.items()}
                result = await member.slash(channel, command, **chosen)
                started[result._interaction.token] = time.perf_counter()
                if tokens is not None:
                    tokens[result._interaction.token] = channel.id
        finally:
            env._settle_internal = real
        # Wait for the command handlers themselves: simcord's settle loop re-inspects every pending
        # task each time one finishes, which with 200 in flight costs more than the bot does.
        invokers = [t for t in asyncio.all_tasks() if t.get_name() == "CommandTree-invoker" and not t.done()]
        if invokers:
            await asyncio.wait(invokers, timeout=600)
        await env.settle(timeout=600)
        cpu = time.process_time() - cpu
    missing = [token for token in started if token not in clock.last]
    if missing:
        raise RuntimeError(f"{len(missing)} /{command} interactions got no answer")
    latencies = [(clock.last[token] - at) * 1000 for token, at in started.items()]
    return latencies, max(clock.last[token] for token in started) - begin, cpu, collector.seconds


def by_channel(calls: list[dict[str, Any]], tokens: dict[str, int]) -> dict[int, list[dict[str, Any]]]:
    """A burst's recorded requests, per server channel: an interaction's callback and webhooks by its
    token, a channel's (and its new threads') requests by the channel id."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    parent: dict[str, int] = {str(channel): channel for channel in tokens.values()}
    for call in calls:
        parts = call["path"].split("/")
        channel = None
        if "interactions" in parts:
            channel = tokens.get(parts[parts.index("interactions") + 2])
        elif "webhooks" in parts and len(parts) > parts.index("webhooks") + 2:
            channel = tokens.get(parts[parts.index("webhooks") + 2])
        elif "channels" in parts:
            channel = parent.get(parts[parts.index("channels") + 1])
        if channel is None:
            raise RuntimeError(f"a request of no server's command: {call['method']} {call['path']}")
        answer = call["answer"]
        if isinstance(answer, dict) and "id" in answer:  # a thread (or message) made here belongs here
            parent[str(answer["id"])] = channel
        grouped.setdefault(channel, []).append(call)
    return grouped


async def servers(database: Path, data_dir: Path, guilds: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per burst: p50, p99 (ms), throughput (/s), span (s) and CPU per interaction (ms) of /ping, /quote,
    /discuss and the two commands' exact-replay floors, in bursts from `guilds` guilds."""
    from .every_command import Recorder, add_replay

    await (await open_store(database, data_dir)).close_store()  # adopt the corpus: no re-import at start
    bot = make_bot(database, data_dir)
    add_replay(bot)
    rng = random.Random(3)
    try:
        async with simcord.run(bot) as env:
            clock = env.backend.http_requests = TokenClock(env.backend.http_requests)
            members = []
            for number in range(guilds):
                guild = env.create_guild(name=f"Club {number}")
                members.append((guild.create_text_channel("film-club"),
                                guild.add_member(env.create_user(f"member{number}"))))
            cases = {"ping": ("ping", {}), "quote": ("quote", {}),
                     "discuss": ("discuss", {"theme": lambda: rng.choice(THEMES)})}
            results: dict[str, dict[str, list[float]]] = {}
            # Each burst runs with everything built before it (corpus caches, 200 servers, earlier bursts)
            # frozen out of the garbage collector (see burst()).
            with Recorder() as recorder:
                for name, (command, options) in cases.items():
                    # Every burst starts from the same simulated Discord: what earlier bursts stored (messages,
                    # the request log) would make every later burst slower than the one before it.
                    trim_simulated_discord(env)
                    tokens: dict[str, int] = {}
                    recorder.calls, recorder.on = [], command != "ping"
                    await burst(env, members, command, options, clock, tokens)  # warm-up burst
                    recorder.on = False
                    paired = [(name, command, options)]
                    if recorder.calls:  # the floor replays what each server's command sent in the warm-up
                        bot.bench_calls_by_channel = by_channel(recorder.calls, tokens)
                        trim_simulated_discord(env)
                        await burst(env, members, "bench-replay", {}, clock)  # the floor's own warm-up
                        paired.append((f"{name}-floor", "bench-replay", {}))
                    # The command's bursts and its floor's alternate (A B B A …), so a change in the shared
                    # machine's load between bursts falls on both alike; each ratio is of a pair of bursts.
                    for number in range(rounds):
                        for key, cmd, opts in paired if number % 2 == 0 else paired[::-1]:
                            trim_simulated_discord(env)
                            clock.clear()
                            done, took, cpu, collecting = await burst(env, members, cmd, opts, clock)
                            figures = results.setdefault(key, {k: [] for k in (
                                "p50_ms", "p99_ms", "per_s", "span_s", "cpu_ms", "gc_ms", "calls")})
                            figures["p50_ms"].append(median(done))
                            figures["p99_ms"].append(percentile(done, 0.99))
                            figures["per_s"].append(len(done) / took)
                            figures["span_s"].append(took)
                            figures["cpu_ms"].append(cpu * 1000 / len(done))
                            figures["gc_ms"].append(collecting * 1000 / len(done))  # of cpu_ms
                            figures["calls"].append(len(clock) / len(done))  # Discord requests per interaction
            gc.unfreeze()
            return results
    finally:
        await bot.close_store()
