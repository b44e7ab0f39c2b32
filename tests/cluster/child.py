"""One bot process of the cluster test (tests/cluster/test_cluster.py), run as `python -m tests.cluster.child`.

The real bot (`create_bot(Settings.from_env())`: FILMBOT_DATABASE, FILMBOT_SHARDS, FILMBOT_SHARD_IDS as any
process of a cluster gets them) in its own simcord world holding the same 100 servers as every other child:
the same guild ids, and channels with the same ids (created in the same order at the same fresh virtual
millisecond). It prints JSON lines on stdout: `ready` (world built), one `post` per scheduled prompt it posted
(printed as the post returns, so a killed child has told what it did), `world` at the end (every scheduled
prompt its simulated Discord holds: the truth the `post` lines are checked against), `done`.

Arguments (JSON in argv[1]): `setup` (set a 09:00 UTC daily schedule in each server this process serves),
`go` (a file to wait for before moving the clock: both children reach the due minute together), `until`
(the virtual moment to move the clock to), `hang_after` (fault: after that many posts, the next post never
returns, like a process stuck mid-run; the parent then kills it).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord

from bot import Settings, create_bot
from bot.core.time import iso
from bot.schedules import job as schedule_job
from bot.schedules.job import slot_marker

GUILDS = [(10**12 + i) << 22 for i in range(100)]  # shard (id >> 22) % 2 alternates: 50 on each of 2 shards
WORLD_AT = datetime(2026, 1, 1, 0, 0, 10, tzinfo=UTC)  # a millisecond nothing was allocated at: same ids
SLICE = 6 * 3600.0  # seconds of virtual time per advance_time call


def emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


async def advance_to(env: simcord.Env, when: datetime) -> None:
    while env.now() < when:
        await env.advance_time(min((when - env.now()).total_seconds(), SLICE))


def build_world(env: simcord.Env) -> list[tuple[int, Any, Any]]:
    """(guild id, #film-club, moderator) per server, identical in every child."""
    mod_user = env.create_user("mod")
    servers = []
    for number, guild_id in enumerate(GUILDS):
        guild = env.create_guild(name=f"Club {number}", id=guild_id)
        channel = guild.create_text_channel("film-club")
        mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
        servers.append((guild_id, channel, guild.add_member(mod_user, roles=[mods])))
    return servers


def record_posts(hang_after: int | None) -> None:
    """Print each scheduled post as it returns; with hang_after, the post after that many never returns."""
    real_post = schedule_job.ScheduleJob.post
    posted = [0]
    hung: list[int] = []

    async def post(self: schedule_job.ScheduleJob, claim: schedule_job.Claim) -> discord.Message | None:
        if hang_after is not None and posted[0] >= hang_after:
            if not hung:
                emit(hung=posted[0])
            hung.append(claim.schedule.guild_id)
            await asyncio.Event().wait()
        message = await real_post(self, claim)
        if message is not None:
            posted[0] += 1
            emit(post={"guild": claim.schedule.guild_id, "slot": iso(claim.slot), "message": message.id})
        return message

    schedule_job.ScheduleJob.post = post  # type: ignore[method-assign]


async def main(args: dict[str, Any]) -> None:
    record_posts(args.get("hang_after"))
    bot = create_bot(Settings.from_env())
    try:
        async with simcord.run(bot, check_errors=False, settle_timeout=60.0) as env:
            await advance_to(env, WORLD_AT)
            servers = build_world(env)
            mine = [s for s in servers if bot.get_guild(s[0]) is not None]  # the servers of this process's shards
            emit(ready={"guilds": len(mine), "channels": [channel.id for _, channel, _ in servers]})
            if args.get("setup"):
                for _, channel, mod in mine:
                    # Each prompt opens a thread, whose digest falls due a day later: in a later child's fresh
                    # world that thread is unknown (a logged warning); on Discord it would still be there.
                    result = await mod.slash(channel, "schedule set", channel=channel, time="09:00", timezone="UTC")
                    assert "Schedule set" in (result.response.content or ""), result.response.content
                emit(set=len(mine))
            if args.get("go"):
                while not Path(args["go"]).exists():
                    await asyncio.sleep(0.02)  # wall time: this task is not the bot's
            await advance_to(env, datetime.fromisoformat(args["until"]))
            world = []
            for guild_id, channel, _ in servers:
                for message in channel.history():
                    footer = message.embeds[0].footer.text if message.embeds and message.embeds[0].footer else ""
                    if message.author.id == bot.user.id and (footer or "").startswith(slot_marker(0)[:-1]):
                        world.append({"guild": guild_id, "message": message.id})
            emit(world=world)
    finally:
        await bot.close_store()
    emit(done=os.getpid())


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
