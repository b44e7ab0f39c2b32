"""User-facing errors: one table from exception to message, one way to send it.

Refusals caused by the user (bad input, missing role, nothing found) are `UserError`s,
caught by `user_errors()` inside the command and answered ephemerally; they never reach
the tree's error handler, which is kept for real failures: those are logged with a short
code the user can quote to a moderator.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import discord
from discord import app_commands

from bot.core.db import BUSY_SQLSTATES, DatabaseUnavailable
from bot.core.ratelimits import RateLimitedTooLong
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.spoilers import typed_back
from bot.core.text import CONTENT_MAX, clip

log = logging.getLogger(__name__)


# Known library exceptions → what the user is told. Order matters: first isinstance match wins.
ERROR_TABLE: tuple[tuple[type[BaseException], str], ...] = (
    (app_commands.NoPrivateMessage, "This command only works in a server."),
    (app_commands.CommandOnCooldown, "Slow down a little: try again in a few seconds."),
    (app_commands.MissingPermissions, "You don't have the permissions this command needs."),
    (app_commands.BotMissingPermissions, "I'm missing permissions I need for this command in this channel."),
    (app_commands.CheckFailure, "You can't use this command here."),
    (discord.Forbidden, "Discord refused: I'm missing a permission for that here."),
    (discord.NotFound, "That message or channel no longer exists."),
    (RateLimitedTooLong, "Discord is limiting how fast I may post here right now. Please try again in a few minutes."),
    (discord.DiscordServerError, "Discord had a hiccup. Please try again in a moment."),
)


BUSY_DATABASE = ("The database is busy (another process is writing to it), so nothing was changed. "
                 "Please try again in a moment.")




def database_busy(error: BaseException) -> bool:
    """SQLite gave up waiting for another connection's write lock (past the busy timeout), or PostgreSQL did (past
    its lock_timeout, or a deadlock): the transaction was rolled back whole, so the member may simply try again."""
    if getattr(error, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error) for word in ("database is locked", "database is busy", "database table is locked"))


NO_ROOM_DATABASE = ("The bot's database cannot save anything right now (its disk is full or it is read-only), so"
                    " nothing was changed. Please tell whoever hosts the bot, and try again later.")

# SQLite's primary result codes (sqlite_errorcode & 0xff; read-only comes in extended variants) and PostgreSQL's
# SQLSTATEs for a database that takes no writes: disk_full, read_only_sql_transaction (a standby after failover).
_NO_ROOM_SQLITE = frozenset({8, 13})  # SQLITE_READONLY, SQLITE_FULL
_NO_ROOM_SQLSTATES = frozenset({"53100", "25006"})


def database_refusing_writes(error: BaseException) -> bool:
    """The database refused the write for lack of room or of write access: the transaction was rolled back whole
    and retrying soon will not help, but nothing the member asked for is half-made."""
    if getattr(error, "sqlstate", None) in _NO_ROOM_SQLSTATES:
        return True
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _NO_ROOM_SQLITE
    return any(words in str(error) for words in ("database or disk is full", "readonly database"))


UNREACHABLE_DATABASE = ("The bot cannot reach its database right now (it may be restarting), so nothing was changed."
                        " Please try again in a minute.")
LOST_DATABASE = ("The bot lost its connection to its database while doing that (the database may be restarting),"
                 " so it may not have been saved. Please check in a minute, and try again if it was not.")

# PostgreSQL going away under a command: the server could not be reached (or is starting up, 57P03), or the
# connection ended mid-statement (08003 connection_does_not_exist, 57P01 admin_shutdown, 57P02 crash_shutdown).
_UNREACHABLE_SQLSTATES = frozenset({"57P03", "08001", "08004"})
_LOST_SQLSTATES = frozenset({"08000", "08003", "08006", "57P01", "57P02"})


def database_gone(error: BaseException) -> str | None:
    """The member's message when the database server could not be reached or dropped the connection, else None.
    Reads and a transaction's BEGIN are retried on a new connection first (core/db_pg), so what reaches a member
    is a server down for longer than that, or a connection lost inside a transaction."""
    if isinstance(error, DatabaseUnavailable) or getattr(error, "sqlstate", None) in _UNREACHABLE_SQLSTATES:
        return UNREACHABLE_DATABASE
    if getattr(error, "sqlstate", None) in _LOST_SQLSTATES:
        return LOST_DATABASE
    return None


def database_problem(error: BaseException) -> bool:
    """The database busy, unreachable or refusing writes: for a step whose failure must not undo what was done
    before it (and should not be told as "nothing was changed")."""
    return database_busy(error) or database_gone(error) is not None or database_refusing_writes(error)


def message_for(error: BaseException) -> str | None:
    """The table's message for a known exception, or None for an unexpected one."""
    if isinstance(error, UserError):
        return error.message
    if database_busy(error):
        log.warning("a command found the database busy past its timeout: %s", error)
        return BUSY_DATABASE
    gone = database_gone(error)
    if gone is not None:
        log.error("a command could not use the database: %s", error)
        return gone
    if database_refusing_writes(error):
        log.error("a command's write was refused by the database (full disk or read-only): %s", error)
        return NO_ROOM_DATABASE
    for kind, message in ERROR_TABLE:
        if isinstance(error, kind):
            return message
    return None


# interaction.extras key: the interaction was deferred with "thinking…", and how ("public" or "private").
THINKING = "filmbot.thinking"


def mark_thinking(interaction: discord.Interaction, ephemeral: bool) -> None:
    """Record that the interaction was deferred with "thinking…", and how (`followup_as` reads it)."""
    interaction.extras[THINKING] = "private" if ephemeral else "public"


async def defer_public(interaction: discord.Interaction) -> None:
    """Acknowledge with a public "thinking…"; an error after it is still answered privately (send_ephemeral)."""
    await interaction.response.defer(thinking=True)
    mark_thinking(interaction, False)


async def followup_as(interaction: discord.Interaction, *, ephemeral: bool, **kwargs: Any) -> discord.WebhookMessage:
    """A follow-up shown as asked. After a "thinking…" defer the first follow-up replaces the thinking message
    and takes its visibility (an error after a public defer would be shown to everyone); when that differs from
    what is asked, the thinking message is completed with a placeholder first, so the follow-up is a message of
    its own, and the placeholder is deleted after. A follow-up that fails leaves the thinking message as it was
    known: the next follow-up (the error) is still shown as asked, never in the thinking message's place."""
    thinking = interaction.extras.get(THINKING)
    placeholder = False
    if thinking is not None and (thinking == "private") != ephemeral:
        original = await interaction.original_response()
        if original.flags.loading:
            await interaction.edit_original_response(content="…")
            placeholder = True
    try:
        message = await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
    except BaseException:
        if placeholder:  # the thinking message is completed ("…"): nothing is left to replace, the dot goes
            interaction.extras.pop(THINKING, None)
            with suppress(discord.HTTPException):
                await interaction.delete_original_response()
        raise
    interaction.extras.pop(THINKING, None)
    if placeholder:
        await interaction.delete_original_response()
    return message


async def send_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Answer privately whether or not the interaction was already acknowledged (publicly or not)."""
    content = clip(content, 2000)
    try:
        if interaction.response.is_done():
            await followup_as(interaction, ephemeral=True, content=content, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        # The interaction token may have expired; the log is all that is left.
        log.warning("could not deliver an error message to the user", exc_info=True)


async def answer_with_message(interaction: discord.Interaction, **kwargs: Any) -> discord.Message:
    """Answer the interaction and return the message: a 5xx after Discord made the answer (its original
    response exists) is not a failure, or the caller would forget a message members can see and click. After a
    late defer (bot/core/slow) the original response is the "thinking…" message until the answer replaces it: one
    still loading was not answered."""
    try:
        await interaction.response.send_message(**kwargs)
    except discord.DiscordServerError as error:
        try:
            made = await interaction.original_response()
        except discord.HTTPException:
            raise error from None
        if made.flags.loading:
            raise
        return made
    return await interaction.original_response()


Typed = tuple[str, str | None] | tuple[str, str | None, bool]


@asynccontextmanager
async def user_errors(interaction: discord.Interaction, typed: Sequence[Typed] = ()) -> AsyncIterator[None]:
    """Turn a UserError raised inside the block into an ephemeral reply; let real bugs through.

    `typed`: (label, what the member typed[, hidden]) for the free text a refusal would otherwise throw away (a
    question, a take, a note): quoted back under the refusal, so "loses nothing" holds for it too."""
    try:
        yield
    except UserError as error:
        await send_ephemeral(interaction, refusal_with_typed(error.message, typed))


def refusal_with_typed(message: str, typed: Sequence[Typed]) -> str:
    """The refusal, then what was typed (`spoilers.typed_back`), within one message's 2,000 characters."""
    pieces = [(entry[0], entry[1], len(entry) > 2 and bool(entry[2])) for entry in typed]
    back = typed_back(pieces, CONTENT_MAX - len(message) - 2)
    return f"{message}\n\n{back}" if back else message


async def answer_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """Answer privately for any failure: the table's message for a known one, a logged code for the rest."""
    message = message_for(error)
    if message is None:
        code = secrets.token_hex(3)
        log.error("error %s in %s", code, where, exc_info=error)
        message = f"Something went wrong on my side (error code `{code}`). A moderator can look it up in the logs."
    await send_ephemeral(interaction, message)


async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """The tree's error handler: table message for known errors, logged code for the rest."""
    original = getattr(error, "original", error)
    command = interaction.command.qualified_name if interaction.command else "?"
    await answer_error(interaction, original, f"/{command}")
