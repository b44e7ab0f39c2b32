"""One bot process of the cluster test's timed-flows run (test_cluster.py), as `python -m tests.cluster.flows_child`.

Each process has its own simulated Discord, so the messages, threads and events the timed work needs (a poll's
message, a pick's ballot, a screening's event, a prompt's thread, a game's round) must exist in every process's
world with the ids the shared database holds. They are made the same way in each: a setup bot owning every shard
runs the same commands in the same order at the same virtual instant in every child (simcord's ids are the
virtual millisecond and an allocation count, so the same calls give the same ids; the late acknowledgement,
which depends on real time, is switched off). The first child runs that setup on the shared database; the
others on a private copy of the database as it was before (`setup_db`), so the shared rows are written once.
Then `restart_bot` attaches the bot under test to the same world: the shared database, FILMBOT_SHARD_IDS.

Printed as JSON lines on stdout: `set` (setup done), `post` for every timed message it made (guild and kind,
printed as the request returns, so a killed child has told what it did), `hung` (fault: `hang_after` posts
made, the next message create never returns), `world` (every timed message its Discord holds), `done`.
"""

from __future__ import annotations

import asyncio
import fnmatch
import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord
from simcord.http import client as sim_client

from bot import Settings, create_bot
from bot.core import slow
from tests.cluster.child import advance_to, emit

SERVERS = 8
GUILDS = [(2 * 10**12 + i) << 22 for i in range(SERVERS)]  # shards alternate: 4 on each of 2
WORLD_AT = datetime(2026, 1, 1, 0, 0, 10, tzinfo=UTC)
SCREENING = "2026-01-02 02:00"  # 24 h reminder on day 1 at 02:00, 1 h reminder and the end on day 2
# What each server's timed work posts, once each: poll results, pick results, the two reminders, the
# screening's end, the prompt thread's digest, the game's reveal of round 1, its round 2 and that one's reveal.
KINDS = ("poll", "pick", "24h", "1h", "end", "digest", "reveal1", "round2", "reveal2")


def kind_of(payload: dict[str, Any]) -> str | None:
    """Which timed post a message the bot created is (None: anything else, a rating invitation say)."""
    content = payload.get("content") or ""
    embeds = payload.get("embeds") or [{}]
    title = embeds[0].get("title") or ""
    footer = (embeds[0].get("footer") or {}).get("text") or ""
    for prefix, kind in (("📊 Results of", "poll"), ("Results of pick", "pick"), ("🎭 Critic or club? Round 2/", "round2")):
        if title.startswith(prefix):
            return kind
    for prefix, kind in (("⏰ Film night tomorrow", "24h"), ("⏰ Film night in an hour", "1h"),
                         ("🎬 Film night is over", "end"), ("🧵 **Thread digest**", "digest"),
                         ("🎭 Round 1/2: it was", "reveal1"), ("🎭 Round 2/2: it was", "reveal2")):
        if content.startswith(prefix):
            return kind
    return "end" if footer.startswith("Film night · screening") else None


class Posts:
    """Watches the bot's message creates once armed: prints each timed post, hangs after `hang_after`."""

    def __init__(self, env: simcord.Env, hang_after: int | None) -> None:
        self.env, self.hang_after = env, hang_after
        self.armed, self.made = False, 0
        real = sim_client.FakeHTTPClient.request
        watcher = self

        async def request(client: Any, route: Any, **kwargs: Any) -> Any:
            creates = route.method == "POST" and fnmatch.fnmatch(sim_client._path_of(route.url), "/channels/*/messages")
            if creates and watcher.armed and watcher.hang_after is not None and watcher.made >= watcher.hang_after:
                emit(hung=watcher.made)
                await asyncio.Event().wait()  # a process stuck mid-run: the parent kills it
            result = await real(client, route, **kwargs)
            if creates and watcher.armed and isinstance(result, dict) and (kind := kind_of(result)):
                watcher.made += 1
                emit(post={"guild": watcher.guild_of(int(result["channel_id"])), "kind": kind})
            return result

        sim_client.FakeHTTPClient.request = request  # type: ignore[method-assign]

    def guild_of(self, channel_id: int) -> int:
        return int(self.env.backend.channels[channel_id].guild_id or 0)

    def world(self, bot_id: int, before: set[int]) -> list[dict[str, Any]]:
        """Every timed post this world holds that was made after arming (`before`: the ids that existed)."""
        found = []
        for channel_id, messages in self.env.backend.messages.items():
            for message in messages.values():
                if message.id in before or message.author_id != bot_id:
                    continue
                if kind := kind_of({"content": message.content, "embeds": list(message.embeds)}):
                    found.append({"guild": self.guild_of(channel_id), "kind": kind})
        return found


def settings_for(database: str, shard_ids: str | None) -> Settings:
    env = {**os.environ, "FILMBOT_DATABASE": database, "FILMBOT_SHARDS": "2"}
    env.pop("FILMBOT_SHARD_IDS", None)
    if shard_ids is not None:
        env["FILMBOT_SHARD_IDS"] = shard_ids
    return Settings.from_env(env)


def answered(result: Any) -> str:
    """Everything the command's answer shows (content, embed titles and descriptions)."""
    message = result.response
    assert message is not None, "no answer"
    return (message.content or "") + "".join((e.title or "") + (e.description or "") for e in message.embeds)


async def set_up(env: simcord.Env) -> None:
    """The same commands in every server, in the same order, at the same virtual instant, in every child. The
    game starts before the screening is set: the screening holds its film's takes back until it ends."""
    mod_user, alice_user, bob_user = env.create_user("mod"), env.create_user("alice"), env.create_user("bob")
    fans = [env.create_user(f"critic-fan{i}") for i in range(3)]
    for number, guild_id in enumerate(GUILDS):
        guild = env.create_guild(name=f"Club {number}", id=guild_id)
        channel = guild.create_text_channel("film-club")
        mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
        mod, alice, bob = (guild.add_member(mod_user, roles=[mods]), guild.add_member(alice_user),
                           guild.add_member(bob_user))
        steps: list[tuple[Any, str, str | None, dict[str, Any]]] = [
            (alice, "poll create", None, {"question": "Best ending?", "options": "La La Land | Whiplash",
                                                    "hours": 1}),
            *((mod, "watchlist add", "Added", {"film": film}) for film in ("Heat", "Ran", "Alien")),
            (mod, "filmnight pick", None, {"candidates": 3, "hours": 1, "method": "single"}),
            (alice, "discuss", "Started a discussion", {"theme": "nostalgia"}),
        ]
        for who, name, shows, options in steps:  # None: the answer is the public poll or ballot
            result = await who.slash(channel, name, **options)
            assert (not result.ephemeral) if shows is None else shows in answered(result), (name, answered(result))
        await alice.send(channel.threads[0], "one")  # the prompt's thread: its digest is due a day later
        await bob.send(channel.threads[0], "two")
        for i, user in enumerate(fans):
            fan = guild.add_member(user)
            await fan.slash(channel, "rate film", film="La La Land", stars=4,
                            take=f"My take number {i}: the colours sing and the ending stings.")
            await fan.slash(channel, "rate consent", state="on")
        for who, name, shows, options in [
            (mod, "game critic-or-club", "Round 1/2", {"rounds": 2}),
            (mod, "watchlist add", "Added", {"film": "La La Land", "year": 2016}),
            (mod, "filmnight schedule", "is scheduled", {"film": "La La Land", "when": SCREENING, "where": "Club room"}),
        ]:
            result = await who.slash(channel, name, **options)
            assert (not result.ephemeral) if shows is None else shows in answered(result), (name, answered(result))


async def main(args: dict[str, Any]) -> None:
    slow.ACK_AFTER = slow.FORM_GIVE_UP = 1e6  # real time must not change what the setup's commands create
    setup_bot = create_bot(settings_for(args["setup_db"], None))
    runner = None
    try:
        async with simcord.run(setup_bot, check_errors=False, settle_timeout=60.0) as env:
            posts = Posts(env, args.get("hang_after"))
            await advance_to(env, WORLD_AT)
            env.settle_timeout = 2.0  # the setup's own timers (a game's reveal in 60 s) must not hold it up
            await set_up(env)
            before = {m for messages in env.backend.messages.values() for m in messages}
            runner = create_bot(settings_for(args["shared"], args["shards"]))
            await env.restart_bot(runner)  # detaching the setup bot closes it
            await setup_bot.close_store()
            env.settle_timeout = 60.0  # from here the clock moves: a slow write behind another process is waited
            made = sorted(before) + sorted(env.backend.channels) + sorted(
                event for guild in env.backend.guilds.values() for event in guild.scheduled_events)
            emit(set=hashlib.sha256(json.dumps(made).encode()).hexdigest())
            while not Path(args["go"]).exists():
                await asyncio.sleep(0.02)  # wall time: this task is not the bot's
            posts.armed = True
            await advance_to(env, datetime.fromisoformat(args["until"]))
            emit(world=posts.world(runner.user.id, before))
    finally:
        for bot in (setup_bot, runner):
            if bot is not None:
                await bot.close_store()
    emit(done=os.getpid())


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
