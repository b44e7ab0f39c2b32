"""Round trips through simcord (the real command tree and views) against a bare /ping, and memory."""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

import discord
import simcord

from bot import Settings, create_bot

from .timing import median, sample_ms


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def make_bot(database: Path, data_dir: Path | None = None, freeze_heap: bool = False):
    """The real bot plus /ping; `freeze_heap` as `filmbot run` sets it (the caller thaws the heap when done)."""
    settings = Settings(database=database, freeze_heap=freeze_heap)
    bot = create_bot(settings if data_dir is None else replace(settings, data_dir=data_dir))

    @bot.tree.command(name="ping", description="Benchmark baseline: answers pong.")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    # setup_hook unloads cogs but keeps tree commands added here, so /ping is synced with the rest.
    return bot


def guild_of(env):
    return env._bench_guild


def world(env):
    guild = env.create_guild(name="Bench Club")
    env._bench_guild = guild
    channel = guild.create_text_channel("film-club")
    mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    member = guild.add_member(env.create_user("member"))
    return channel, mod, member


async def round_trips(database: Path, repeat: int) -> dict[str, float]:
    """Median milliseconds per interaction kind, plus the /ping baseline."""
    bot = make_bot(database)
    try:
        async with simcord.run(bot) as env:
            channel, mod, member = world(env)
            names = {c.name for c in bot.tree.get_commands()}
            cases = {
                "ping": lambda: member.slash(channel, "ping"),
                "quote": lambda: member.slash(channel, "quote"),
                "quote_about": lambda: member.slash(channel, "quote", about="jazz"),
            }
            if "discuss" in names:
                cases["discuss"] = lambda: member.slash(channel, "discuss", theme="nostalgia")
            if "poll" in names:
                created = await mod.slash(
                    channel, "poll create", question="Best number?", options="Another Day of Sun|City of Stars",
                    anonymous=True,
                )
                message = created.response if created.response and created.response.components else channel.last_message
                cases["poll_vote"] = lambda: member.click(message, label="City of Stars")
            if "rate" in names:  # the club: a rating with a take, and a game answer click by a new player each time
                stars = iter([0.5 * (1 + n % 10) for n in range(repeat + 2)])
                cases["rate"] = lambda: member.slash(channel, "rate film", film="La La Land", stars=next(stars),
                                                     take="Bright, sad and lovely.")
                await member.slash(channel, "rate film", film="La La Land", stars=4, take="Bright, sad and lovely.")
                await member.slash(channel, "rate consent", state="on")
                started = await mod.slash(channel, "game critic-or-club", rounds=1)
                players = iter([guild_of(env).add_member(env.create_user(f"player{n}")) for n in range(repeat + 2)])
                cases["game_answer"] = lambda: next(players).click(started.response, label="A critic")
            results = {}
            for name, run in cases.items():
                before = len(env.http_requests)
                results[name] = median(await sample_ms(run, repeat))
                # REST calls per interaction: /discuss and a vote do 4 and 2 where /ping does 1.
                results[f"{name}:rest"] = (len(env.http_requests) - before) / (repeat + 1)
            return results
    finally:
        await bot.close_store()


def trim_simulated_discord(env) -> None:
    """Forget what the in-memory Discord keeps (messages, request log): that is Discord's memory, not ours."""
    backend = env.backend
    backend.http_requests.clear()
    backend.transcript.clear()
    backend.interactions.clear()
    for messages in backend.messages.values():
        messages.clear()


async def memory(database: Path, interactions: int) -> dict[str, float]:
    """RSS growth over `interactions` /quote calls, against the same number of /ping calls.

    discord.py keeps its last 1,000 messages, so the warm-up fills that cache first; the simulated
    Discord's own storage is emptied every 500 interactions so that RSS measures the bot.
    """
    bot = make_bot(database)
    try:
        async with simcord.run(bot) as env:
            channel, _, member = world(env)
            results = {}
            for name, options in (("ping", {}), ("quote", {"about": "jazz"})):
                command = "ping" if name == "ping" else "quote"
                for _ in range(1_500):  # fill discord.py's message cache and every other warm-up
                    await member.slash(channel, command, **options)
                trim_simulated_discord(env)
                gc.collect()
                before = rss_kib()
                for number in range(interactions):
                    await member.slash(channel, command, **options)
                    if number % 500 == 499:
                        trim_simulated_discord(env)
                gc.collect()
                after = rss_kib()
                results[name] = {"before_kib": before, "after_kib": after, "growth_pct": 100 * (after - before) / before}
            return results
    finally:
        await bot.close_store()
