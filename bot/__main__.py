"""The `filmbot` command line (also `python -m bot`): run, playground, import, sync, backup, preview."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import discord
from dotenv import load_dotenv
from tqdm import tqdm

from bot.core.config import ConfigError, Settings
from bot.core.db import DatabaseTooNew, DatabaseUnavailable, MigrationFailed, file_problem
from bot.core.text import counted
from bot.corpus.preview import add_arguments as add_preview_arguments


def _settings(args: argparse.Namespace, one_bot_process: bool = False) -> Settings:
    load_dotenv(args.env_file)  # the entry point reads .env; importing the package never does
    settings = Settings.from_env(one_bot_process=one_bot_process)
    if getattr(args, "database", None):
        url = args.database if args.database.startswith(("postgresql://", "postgres://")) else None
        settings = dataclasses.replace(settings, database_url=url) if url else dataclasses.replace(
            settings, database=Path(args.database), database_url=None)
    return settings


async def _check_database(settings: Settings) -> None:
    """What the bot's start does first (open, migrate, check the bundled corpus), before it connects to Discord:
    a damaged database file is then one line and exit 2, found before logging in, not after."""
    from bot.client import FilmBot
    from bot.corpus.bundle import import_bundled

    bot = FilmBot(settings)
    store = await bot.open_store()
    try:
        async with store.db.exclusive():
            await import_bundled(store, settings.data_dir, bot.themes, settings.themes_file)
    finally:
        await bot.close_store()


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args, one_bot_process=True)
    token = settings.require_token()
    from bot import create_bot

    asyncio.run(_check_database(settings))

    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO))
    # filmbot has no voice features: discord.py's "voice will NOT be supported" warnings are noise.
    logging.getLogger("discord.client").addFilter(lambda record: "voice will NOT" not in record.getMessage())
    create_bot(settings).run(token, log_handler=None)
    return 0


class ImportProgress:
    """`filmbot import`'s progress: a tqdm bar (count, rate, ETA) on a terminal, else a plain line
    every `every` seconds (logs and CI capture no carriage returns)."""

    def __init__(self, stream: TextIO, every: float = 10.0) -> None:
        self.stream, self.every = stream, every
        self.bar: tqdm | None = None
        self.first: tuple[int, float] | None = None  # (done, time) when this run started
        self.last_line = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = (done, now)  # a resumed import starts past the chunks already committed
            if self.stream.isatty():
                self.bar = tqdm(total=total, initial=done, unit=" reviews", file=self.stream, desc="Importing")
            return
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif now - self.last_line >= self.every or done == total:
            self.last_line = now
            rate = (done - self.first[0]) / max(now - self.first[1], 1e-9)
            left = f", about {round((total - done) / rate)} s left" if rate and done < total else ""
            print(f"Imported {done:,} / {total:,} reviews ({rate:,.0f}/s{left})", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def database_label(settings: Settings) -> str:
    """The database a command worked on, as a person reads it: the SQLite file, or the PostgreSQL URL without
    its password (the file path is unused then)."""
    if not settings.database_url:
        return str(settings.database)
    url = urlsplit(settings.database_url)
    netloc = f"{url.username}@" if url.username else ""
    try:
        host = url.hostname or ""
        if ":" in host:  # an IPv6 address keeps its brackets
            host = f"[{host}]"
        netloc += host + (f":{url.port}" if url.port else "")
    except ValueError:  # several hosts (libpq's 'h1:5432,h2:5433'): as written, without the password
        netloc += url.netloc.rpartition("@")[2]
    return urlunsplit((url.scheme, netloc, url.path, "", ""))


def cmd_import(args: argparse.Namespace) -> int:
    settings = _settings(args)

    async def main() -> None:
        from bot.client import FilmBot
        from bot.corpus.bundle import import_bundled

        bot = FilmBot(settings)
        store = await bot.open_store()
        try:
            progress = ImportProgress(sys.stderr)
            try:
                async with store.db.exclusive():  # not while a bot on the same PostgreSQL database imports
                    result = await import_bundled(
                        store, settings.data_dir, bot.themes, settings.themes_file, force=args.force,
                        progress=progress,
                    )
            finally:
                progress.close()
            print(result.summary())
            reviews, passages = await store.corpus.totals()
            print(f"Database {database_label(settings)}: {counted(reviews, 'review')}, {counted(passages, 'passage')}"
                  " in total.")
        finally:
            await bot.close_store()

    asyncio.run(main())
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings(args)
    token = settings.require_token()

    async def main() -> None:
        from bot import create_bot

        bot = create_bot(dataclasses.replace(settings, auto_sync=False))  # synced once, below
        async with bot:
            await bot.login(token)  # runs setup_hook: migrations, import, cogs
            await bot.sync_commands_if_changed(force=True)
            print(f"Synced {len(bot.tree.get_commands())} commands"
                  + (f" (and to guild {settings.dev_guild_id})" if settings.dev_guild_id else ""))

    asyncio.run(main())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    settings = _settings(args)
    target = Path(args.target)
    if settings.database_url:
        raise ConfigError("`filmbot backup` copies a SQLite file; on PostgreSQL use pg_dump, or"
                          " `filmbot copy-db` into a new SQLite file")
    if not settings.database.is_file():
        raise ConfigError(f"there is no database at {settings.database} yet: run `filmbot import` or start the bot first")
    if target.is_dir() or not target.parent.is_dir():
        raise ConfigError(f"{target} must be a file path in an existing folder")
    if problem := file_problem(target):
        raise ConfigError(problem)
    if target.resolve() == settings.database.resolve():
        raise ConfigError("the backup target is the database itself: choose another file")
    # Read-only URI: a backup must never create or change the source.
    source = sqlite3.connect(f"file:{settings.database}?mode=ro", uri=True)
    try:
        with sqlite3.connect(target) as out:
            source.backup(out)  # consistent copy even while the bot is running (WAL)
    finally:
        source.close()
    print(f"Backed up {settings.database} to {target}")
    return 0


def cmd_copy_db(args: argparse.Namespace) -> int:
    from bot.core.copy_db import CopyRefused, copy_database

    load_dotenv(args.env_file)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        copied = asyncio.run(copy_database(args.source, args.target))
    except CopyRefused as error:
        raise ConfigError(str(error)) from None
    print(f"Copied {copied.rows:,} rows in {copied.tables} tables; every table's row count matches the source.")
    return 0


def cmd_playground(args: argparse.Namespace) -> int:
    from bot.playground import DEFAULT_DATABASE, run_playground

    settings = _settings(args)
    if not args.database:  # never the production database unless asked for explicitly
        settings = dataclasses.replace(settings, database=DEFAULT_DATABASE, database_url=None)  # nor its URL
    return run_playground(settings, port=args.port, speed=args.speed, fresh=args.fresh, check=args.check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="filmbot", description="filmbot: a Discord bot for film clubs.")
    parser.add_argument("--env-file", default=".env", help="dotenv file to read (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="connect to Discord (needs DISCORD_TOKEN)")
    run.set_defaults(func=cmd_run)

    play = sub.add_parser("playground", help="the real bot in a local browser page; no token, no network")
    play.add_argument("--port", type=int, default=8765, help="loopback port (default 8765)")
    play.add_argument("--speed", type=float, default=1.0, help="virtual clock speed factor (default 1.0)")
    play.add_argument("--database", help="database file (default: filmbot-playground.db in the temp dir, "
                      "kept between runs)")
    play.add_argument("--fresh", action="store_true", help="delete the playground database first")
    play.add_argument("--check", action="store_true",
                      help="start, run /quote once as a member, print the reply and the URL, exit")
    play.set_defaults(func=cmd_playground)

    imp = sub.add_parser("import", help="import the bundled corpus into the database now")
    imp.add_argument("--database", help="database file (default: FILMBOT_DATABASE or data/filmbot.db)")
    imp.add_argument("--force", action="store_true", help="re-derive passages even if nothing changed")
    imp.set_defaults(func=cmd_import)

    sync = sub.add_parser("sync", help="register slash commands with Discord (needs DISCORD_TOKEN)")
    sync.set_defaults(func=cmd_sync)

    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("target", help="file to write")
    backup.set_defaults(func=cmd_backup)

    copy = sub.add_parser("copy-db", help="copy every row into a new, empty database: SQLite <-> PostgreSQL")
    copy.add_argument("source", help="a SQLite file or a postgresql:// URL (only read)")
    copy.add_argument("target", help="a new SQLite file or an empty PostgreSQL database's URL")
    copy.set_defaults(func=cmd_copy_db)

    add_preview_arguments(sub.add_parser("preview", help="show how review files or pages (URL) are cut into passages and tagged"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as error:
        print(f"filmbot: {error}", file=sys.stderr)
        return 2
    except (DatabaseTooNew, DatabaseUnavailable, MigrationFailed) as error:
        print(f"filmbot: {error}", file=sys.stderr)
        return 2
    except sqlite3.OperationalError as error:  # disk full, locked, read-only: the file itself is sound
        print(f"filmbot: database error: {error}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as error:  # not a database, or damaged (truncated, overwritten): nothing to retry
        print(f"filmbot: database error: {error}. The file is damaged or is not a filmbot SQLite database: restore"
              " a backup (`filmbot backup` makes them) or point FILMBOT_DATABASE at another file.", file=sys.stderr)
        return 2
    except aiohttp.ClientConnectionError as error:
        print(f"filmbot: cannot reach Discord ({error}). Check the network connection.", file=sys.stderr)
        return 1
    except discord.LoginFailure:
        print(
            "filmbot: Discord rejected DISCORD_TOKEN: copy the token again from the developer portal"
            " (your app → Bot → Reset Token) into .env.",
            file=sys.stderr,
        )
        return 2
    except discord.HTTPException as error:  # e.g. `filmbot sync` while Discord answers 5xx
        print(f"filmbot: Discord refused the request (HTTP {error.status}: {error.text or 'no details'})."
              " Try again in a few minutes.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `filmbot preview FILE | head`: the reader left before the output ended
        _silence_stdout()
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not meet the closed pipe again (Python's
    documented recipe for SIGPIPE, https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # a stdout with no file descriptor (captured in tests): nothing to flush
        pass


if __name__ == "__main__":
    sys.exit(main())
