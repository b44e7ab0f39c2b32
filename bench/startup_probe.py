"""Child process for the startup benchmark: start the bot on a database and print when it is ready."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

START = time.perf_counter()


async def main(database: str, data_dir: str, bare: bool) -> None:
    import discord
    import simcord
    from discord.ext import commands

    if bare:
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default())
    else:
        from bot import Settings, create_bot

        bot = create_bot(Settings(database=Path(database), data_dir=Path(data_dir)))
    async with simcord.run(bot, strict_sync=False):
        print(f"ready {time.perf_counter() - START:.4f}", flush=True)
        if not bare:
            print(f"unchanged {bot.last_import.unchanged}", flush=True)
            await bot.close_store()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] == "bare"))
