"""Discussion prompts: pick critic passages by per-server rotation, post them, open a thread.

Shared by /discuss, /debate (cogs/discussion.py) and scheduled prompts. `render_prompt` is pure,
so a scheduled prompt looks exactly like a commanded one; `post_prompt` does the Discord work and
records the rotation only once everything was posted, so a failure consumes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import random
import weakref
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.core.films import norm_key
from bot.core.nonce import fresh_nonce, post_nonce
from bot.core.refusals import MissingBotPermission, UserError
from bot.core.render import NO_MENTIONS
from bot.core.services import PostedPrompt, ThreadDigest
from bot.core.spoilers import Gate, server_gate
from bot.core.text import clip, film_label, inert
from bot.corpus import Theme
from bot.corpus.lookup import FilmScope, film_scope, resolve_theme, scope_themes
from bot.corpus.passage import Quote, QuoteFilters, RotationKey
from bot.discussion.render import (
    QuestionEdits,
    RenderedPrompt,
    quotes_film,
    render_open_prompt,
    render_prompt,
)
from bot.discussion.rotation import Choice, PromptUse, choose_passages, critic_key

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)

Kind = Literal["discuss", "debate"]
THREAD_ALREADY_CREATED = 160004  # Discord's JSON error code: this message already has a thread
AUTO_ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 4320  # 3 days: film-club talk runs over a weekend, a day is too short

# (permission attribute, name as Discord shows it); thread ones only when a thread is made.
_POST_PERMISSIONS = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)
_THREAD_PERMISSIONS = (
    ("create_public_threads", "Create Public Threads"),
    ("send_messages_in_threads", "Send Messages in Threads"),
)

__all__ = [
    "AUTO_ARCHIVE_MINUTES",
    "Kind",
    "PostedPrompt",
    "RenderedPrompt",
    "check_bot_permissions",
    "post_prompt",
    "prompt_queued",
    "render_prompt",
]


# One lock per guild per bot: choose + post + record must not interleave within a server, or two
# concurrent prompts could pick the same passage. The UNIQUE constraint backs this up.
_LOCKS: weakref.WeakKeyDictionary[Any, dict[int, asyncio.Lock]] = weakref.WeakKeyDictionary()


def _guild_lock(bot: FilmBot, guild_id: int) -> asyncio.Lock:
    return _LOCKS.setdefault(bot, {}).setdefault(guild_id, asyncio.Lock())


def prompt_queued(bot: FilmBot, guild_id: int) -> bool:
    """True while another prompt of this server is being posted: a new one would wait behind it."""
    lock = _LOCKS.get(bot, {}).get(guild_id)
    return lock is not None and lock.locked()


def check_bot_permissions(channel: discord.abc.GuildChannel, *, make_thread: bool = True,
                          perms: discord.Permissions | None = None) -> None:
    """Raise MissingBotPermission naming the first permission the bot lacks in the channel. `perms`: the bot's
    permissions there when already known (an interaction in this very channel: `interaction.app_permissions`,
    which Discord computes with the channel's overwrites), else computed from the cached roles and overwrites."""
    if perms is None:
        perms = channel.permissions_for(channel.guild.me)
    needed = _POST_PERMISSIONS + (_THREAD_PERMISSIONS if make_thread else ())
    for attribute, name in needed:
        if not getattr(perms, attribute):
            raise MissingBotPermission(name, channel.mention)


async def _themes_on_offer(bot: FilmBot, scope: FilmScope) -> dict[str, int]:
    """Themes of the scope's film (themes_for_film; every theme for no film) that have passages."""
    counts = await bot.store.catalogue.theme_counts(scope.ref)
    return {key: counts[key] for key in scope_themes(bot.themes, scope) if counts.get(key)}


def _what_exists(offer: dict[str, int], scope: FilmScope) -> str:
    where = f" for *{inert(scope.label, 120)}*" if scope.label else ""
    listed = ", ".join(f"`{key}` ({count})" for key, count in offer.items()) or "none"
    return f"Themes with passages{where}: {listed}."


async def _theme_order(
    bot: FilmBot, guild_id: int, theme: str | None, scope: FilmScope, exclude_spoilers: bool = False
) -> list[Theme]:
    """The requested theme, or every theme with passages in rotation order after the last one used."""
    offer = await _themes_on_offer(bot, scope)
    if exclude_spoilers and theme is None:  # film night: spoiler themes wait until the screening ends
        offer = {key: count for key, count in offer.items() if not bot.themes[key].spoiler}
    if theme is not None:
        resolved = resolve_theme(scope_themes(bot.themes, scope), theme)
        if resolved is None:
            raise UserError("Name a theme, e.g. `ending`.")
        if resolved.key not in offer:
            raise UserError(
                f"No passages on **{inert(resolved.name, 100)}** yet. {_what_exists(offer, scope)}"
            )
        return [resolved]
    keys = list(offer)
    if not keys:
        raise UserError(f"No passages on any theme yet. {_what_exists(offer, scope)}")
    last = await bot.store.prompts.last_theme(guild_id, scope.key)
    start = keys.index(last) + 1 if last in keys else 0
    return [bot.themes[k] for k in keys[start:] + keys[:start]]


async def _thread_film_name(bot: Any, guild_id: int, theme: Theme, title: str | None, year: int | None) -> str | None:
    """A spoiler theme's thread names the film with its year when the server knows another film of that title
    (Home (1987) and Home (2024)): a name alone would read as the film the club waits to see. None: the title."""
    if not theme.spoiler or not title or year is None:
        return None
    return film_label(title, year) if len(await bot.store.films.by_key(norm_key(title), guild_id)) > 1 else None


def _open_theme(bot: Any, scope: FilmScope, theme: str | None, exclude_spoilers: bool) -> Theme:
    """The theme of a prompt without excerpts: the one asked for, else a random one of the film's
    themes (spoiler themes left out while the film's screening holds them back)."""
    offered = scope_themes(bot.themes, scope)
    if theme is not None:
        resolved = resolve_theme(offered, theme)
        if resolved is None:
            raise UserError("Name a theme, e.g. `ending`.")
        return resolved
    keys = [key for key, t in offered.items() if not (exclude_spoilers and t.spoiler)]
    if not keys:
        raise UserError(f"No theme to discuss{f' for *{inert(scope.label, 120)}*' if scope.label else ''} yet.")
    return offered[_RNG.choice(keys)]


async def _choose(
    bot: FilmBot, guild_id: int, theme: str | None, scope: FilmScope, kind: Kind, exclude_spoilers: bool = False,
    gate: Gate | None = None,
) -> Choice:
    """The first theme in rotation order that can make this kind of prompt, and its passages."""
    order = await _theme_order(bot, guild_id, theme, scope, exclude_spoilers)
    for candidate in order:
        choice = await _try_theme(bot, guild_id, candidate, scope, kind, gate)
        if choice is not None:
            return choice
    if gate is not None and theme is not None and order[0].spoiler:
        raise UserError(f"**{inert(order[0].name, 80)}** is a spoiler theme: " + gate.refusal("It"))
    if theme is not None:
        where = f" for *{inert(scope.label, 120)}*" if scope.label else ""
        instead = "Try `/discuss` instead."
        for key in await _themes_on_offer(bot, scope):  # suggest a theme that has enough for a debate
            if key != order[0].key and await _try_theme(bot, guild_id, bot.themes[key], scope, kind, gate):
                instead = f"Try `/debate theme:{key}`, or `/discuss` on this one."
                break
        raise UserError(
            f"Too few passages on **{inert(order[0].name, 100)}**{where} for a debate: it needs excerpts"
            f" from two different reviews, and every passage on it comes from one review. {instead}"
        )
    raise UserError("No theme has passages from two different reviews yet, so there is nothing to debate.")


# One generator for every prompt: a new random.Random() reads the OS entropy pool each time
# (~0.5 ms under load), which 200 servers posting at once pay 200 times.
_RNG = random.Random()


async def _try_theme(
    bot: FilmBot, guild_id: int, theme: Theme, scope: FilmScope, kind: Kind, gate: Gate | None = None
) -> Choice | None:
    filters = QuoteFilters(theme=theme.key, film=scope.ref)
    if kind == "discuss":
        # One passage: chosen by the database (RotationStore.pick), the pool is never loaded.
        pick = await bot.store.rotation.pick(filters, RotationKey(guild_id, theme.key, scope.key), gate)
        if pick is None:
            return None
        return Choice(theme, ((pick.quote, pick.cycle),), pick.cycle_restarted)
    state = await bot.store.prompts.rotation(guild_id, theme.key, scope.key)
    pool = await bot.store.rotation.pool(filters, state.used, gate)
    return choose_passages(pool, state, theme=theme, count=2, rng=_RNG)


async def question_edits(bot: FilmBot, guild_id: int, theme: str, scope: FilmScope, quotes: list) -> QuestionEdits:
    """This server's added and hidden questions for the theme and the quotes' film (or every film)."""
    title, year = (scope.title, scope.year) if scope.title else quotes_film(quotes)
    film_key = scope.key
    if not film_key and title:
        film_id = await bot.store.catalogue.film_id(title, year)
        film_key = "" if film_id is None else str(film_id)
    spoiler = theme in bot.themes and bot.themes[theme].spoiler
    # Members' approved questions for any theme join every theme but the spoiler ones.
    rows = await bot.store.questions.rows(guild_id, theme, film_key, any_theme=not spoiler)
    return QuestionEdits(
        added=tuple(r.question for r in rows if r.action == "add"),
        removed=frozenset(r.question.casefold() for r in rows if r.action == "remove"),
    )


async def _sent_anyway(bot: FilmBot, channel: discord.TextChannel, embed: discord.Embed,
                       since: datetime) -> discord.Message | None:
    """After a 5xx, the prompt if Discord posted it all the same: the bot's newest message in the channel,
    sent since `since`, with this very embed (the held guild lock keeps other prompts of the server out)."""
    me = bot.user.id if bot.user is not None else 0
    try:
        async for message in channel.history(limit=10):
            if message.created_at < since - timedelta(seconds=1):
                break
            if message.author.id == me and message.embeds and message.embeds[0].description == embed.description \
                    and message.embeds[0].footer.text == embed.footer.text:
                return message
    except discord.HTTPException:
        return None
    return None


def _thread_maybe_made(error: discord.HTTPException) -> bool:
    """Whether Discord may have opened the thread all the same: a 5xx after it made it, or its 400 'a thread
    has already been created for this message' to discord.py's own retry of such a 5xx."""
    return error.status >= 500 or error.code == THREAD_ALREADY_CREATED


async def _thread_made_anyway(bot: FilmBot, message: discord.Message,
                              error: discord.HTTPException) -> discord.Thread | None:
    """The message's thread when Discord made it despite the error (a thread opened on a message has the
    message's id); deleting the message then would leave the thread orphaned and a retry make another."""
    if not _thread_maybe_made(error):
        return None
    return await _fetched_thread(bot, message)


async def _no_thread_left(bot: FilmBot, message: discord.Message, error: discord.HTTPException) -> bool:
    """True when the message has no thread, so deleting it orphans nothing: Discord made none, or the one it
    may have made (and that could not be read back) is deleted now, by the id it would have, the message's."""
    if not _thread_maybe_made(error):
        return True
    try:
        await bot.http.delete_channel(message.id, reason="a half-posted prompt's thread")
    except discord.NotFound:
        return True  # none was made
    except discord.HTTPException:
        log.warning("could not remove the thread prompt %s may have", message.id, exc_info=True)
        return False
    return True


async def _fetched_thread(bot: FilmBot, message: discord.Message) -> discord.Thread | None:
    found = message.guild.get_thread(message.id) if message.guild is not None else None
    if found is not None:
        return found
    try:
        fetched = await bot.fetch_channel(message.id)
    except discord.HTTPException:
        return None
    return fetched if isinstance(fetched, discord.Thread) else None


async def _discard(*items: discord.Message | discord.Thread | None) -> bool:
    """Best-effort cleanup of what was already posted; True if nothing of it is left visible."""
    removed = True
    for item in items:
        if item is None:
            continue
        try:
            await item.delete()
        except discord.NotFound:
            pass  # already gone
        except discord.HTTPException:
            log.warning("could not remove a half-posted prompt (%s %s)", type(item).__name__, item.id)
            removed = False
    return removed


async def _thread_digest(bot: FilmBot, guild_id: int, message: discord.Message, thread: discord.Thread | None,
                         uses: list[PromptUse]) -> ThreadDigest | None:
    """The club's digest of the prompt's thread (`bot.club`), written with the prompt's record; None without a
    thread, with the server's digests off, or when it could not be read (logged: the prompt does not wait on it)."""
    if thread is None:
        return None
    try:
        return await bot.club.thread_digest(guild_id, message.id, thread.id, uses[0].passage_id if uses else None)
    except Exception:
        log.exception("could not schedule the digest of prompt %s", message.id)
        return None


async def _digest_recorded(bot: FilmBot, digest: ThreadDigest | None, *, alone: bool) -> None:
    """The digest is in the database (written with the record), or written now on its own when the prompt
    recorded nothing (`alone`): the job loop learns when it falls due."""
    if digest is None:
        return
    if not alone:
        bot.scheduler.wake(digest.due)
        return
    try:
        await bot.club.add_thread_digest(digest)
    except Exception:
        log.exception("could not schedule the digest of a prompt without excerpts")


async def post_prompt(
    bot: FilmBot,
    channel: discord.TextChannel,
    *,
    guild_id: int,
    theme: str | None = None,
    film: str | None = None,
    kind: Kind = "discuss",
    make_thread: bool = True,
    mention_role_id: int | None = None,
    source: str = "command",
    exclude_spoilers: bool = False,
    marker: str | None = None,
    bot_permissions: discord.Permissions | None = None,
) -> PostedPrompt:
    """Post one prompt (and its thread) in `channel`, then record the passages it used.

    Raises UserError (incl. MissingBotPermission) before posting anything, and lets Discord errors
    through unchanged after removing whatever was already posted; the rotation is only recorded
    once the message and thread exist. `bot_permissions`: the bot's permissions in `channel` when the caller
    has them (a command run in that channel: `interaction.app_permissions`).
    """
    check_bot_permissions(channel, make_thread=make_thread, perms=bot_permissions)
    scope = await film_scope(bot.store, film, guild_id)
    # Every prompt (command, schedule, film night) passes the server's gate: the film it holds back
    # gives no spoiler passage to any theme, and its spoiler themes are skipped when none was asked.
    gate = await server_gate(bot.store, guild_id, bot.themes)
    exclude_spoilers = exclude_spoilers or (gate is not None and scope.key == str(gate.film_id))
    async with _guild_lock(bot, guild_id):
        if kind == "discuss" and scope.film_id and not await _themes_on_offer(bot, scope) \
                and await bot.store.films.known_in(guild_id, scope.film_id):
            # A film the club knows that no critic has reviewed: the generic questions, no excerpt.
            open_theme = _open_theme(bot, scope, theme, exclude_spoilers)
            choice = Choice(open_theme, (), False)
            quotes: list[Quote] = []
            rendered = render_open_prompt(
                open_theme, scope.title or "", scope.year, themes=bot.themes, pick=_RNG.randrange(1 << 16),
                mention_role_id=mention_role_id,
                edits=await question_edits(bot, guild_id, open_theme.key, scope, []),
                film_name=await _thread_film_name(bot, guild_id, open_theme, scope.title, scope.year),
                reviewed=await bot.store.catalogue.film_passages(scope.film_id) > 0,
            )
        else:
            choice = await _choose(bot, guild_id, theme, scope, kind, exclude_spoilers, gate)
            quotes = [quote for quote, _ in choice.picks]
            rendered = render_prompt(
                choice.theme,
                quotes,
                kind=kind,
                themes=bot.themes,
                mention_role_id=mention_role_id,
                disagree=choice.disagree,
                edits=await question_edits(bot, guild_id, choice.theme.key, scope, quotes),
                film_name=await _thread_film_name(bot, guild_id, choice.theme, *quotes_film(quotes)),
            )
        if marker:
            # Proof of what this message is, readable back from channel history after a crash
            # (first, so a long footer can never clip it away).
            footer = rendered.embed.footer.text
            rendered.embed.set_footer(text=clip(f"{marker} · {footer}" if footer else marker, 2048))
        mentions = NO_MENTIONS
        if mention_role_id is not None:
            mentions = discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(mention_role_id)]
            )
        uses = [PromptUse(quote.passage_id, critic_key(quote), cycle) for quote, cycle in choice.picks]
        if marker:  # a timed prompt: kept until recorded, so a retry that finds the message can complete it
            try:
                await bot.store.prompts.hold(
                    source=source, guild_id=guild_id, channel_id=channel.id, kind=kind, theme=choice.theme.key,
                    film_key=scope.key, film=scope.label, thread_name=rendered.thread_name if make_thread else None,
                    uses=uses,
                )
            except Exception:  # an aid for a later retry, not a condition of posting (a busy database)
                log.warning("could not keep timed prompt %s before posting it", source, exc_info=True)
        started = bot.now()
        try:
            message = await channel.send(
                content=rendered.content or None, embed=rendered.embed, allowed_mentions=mentions,
                view=bot.flags.flag_view([quote.passage_id for quote in quotes]),  # members flag what reads badly
                # discord.py's own retries of a 5xx must not double it; a timed prompt's (it has a marker) is
                # the same on every attempt, so the job's retry within minutes is returned the first one too
                nonce=post_nonce("prompt", marker) if marker else fresh_nonce(),
            )
        except discord.DiscordServerError:
            made = await _sent_anyway(bot, channel, rendered.embed, started)
            if made is None:
                raise
            message = made  # Discord made it, then answered 5xx: it is the prompt (a retry would double it)
        thread = None
        thread_error = None
        if make_thread:
            try:
                thread = await message.create_thread(
                    name=rendered.thread_name, auto_archive_duration=AUTO_ARCHIVE_MINUTES
                )
            except discord.HTTPException as error:
                thread = await _thread_made_anyway(bot, message, error)
                if thread is None:
                    if await _no_thread_left(bot, message, error) and await _discard(message):
                        raise  # nothing is left: the whole prompt failed
                    # The prompt stays visible: it counts as posted (never post it twice), without thread.
                    thread_error = f"HTTP {error.status}: {clip(error.text or type(error).__name__, 120)}"
            except BaseException:
                await _discard(message)
                raise
        digest = await _thread_digest(bot, guild_id, message, thread, uses)
        try:
            if uses:  # a prompt without excerpts uses no passage: nothing to rotate
                await bot.store.prompts.record(
                    guild_id=guild_id,
                    channel_id=channel.id,
                    message_id=message.id,
                    thread_id=thread.id if thread else None,
                    kind=kind,
                    theme=choice.theme.key,
                    film_key=scope.key,
                    film=scope.label,
                    uses=uses,
                    source=source,
                    pending=bool(marker),
                    also=digest.write if digest else None,  # the thread's digest: same transaction, one hop
                )
        except BaseException:
            await _discard(thread, message)
            raise
        await _digest_recorded(bot, digest, alone=not uses)
        if marker and not uses:
            try:  # nothing to record: what was kept goes (a row left behind only holds a thread name)
                await bot.store.prompts.release(source)
            except Exception:
                log.warning("could not drop the kept timed prompt %s", source, exc_info=True)
    posted = PostedPrompt(
        message=message,
        thread=thread,
        theme_key=choice.theme.key,
        passage_ids=tuple(use.passage_id for use in uses),
        cycle_restarted=choice.cycle_restarted,
        thread_error=thread_error,
    )
    return posted


async def complete_prompt(bot: FilmBot, message: discord.Message, source: str) -> bool:
    """A timed prompt found in the channel but never recorded (Discord made it, then answered 5xx and the
    check read failed; the process died before recording it): open the thread it lacks and record its
    rotation, from what post_prompt held before sending. Once: recording deletes what was held. False when
    nothing was held (recorded already, or not a timed prompt)."""
    held = await bot.store.prompts.held(source)
    if held is None:
        return False
    thread: discord.Thread | None = None
    thread_error = None
    if held["thread_name"]:
        thread = message.guild.get_thread(message.id) if message.guild is not None else None
        if thread is None:
            try:
                thread = await message.create_thread(name=held["thread_name"],
                                                     auto_archive_duration=AUTO_ARCHIVE_MINUTES)
            except discord.HTTPException as error:
                # made after all (a 5xx), or already there (400: the message has a thread): it has the message's id
                found = None if error.status < 500 and error.status != 400 else await _fetched_thread(bot, message)
                thread = found
                if thread is None:
                    thread_error = f"HTTP {error.status}: {clip(error.text or type(error).__name__, 120)}"
                    log.warning("could not open the thread of found prompt %s (%s)", message.id, thread_error)
    uses = held["uses"]
    digest = await _thread_digest(bot, held["guild_id"], message, thread, uses)
    if uses:
        await bot.store.prompts.record(
            guild_id=held["guild_id"], channel_id=held["channel_id"], message_id=message.id,
            thread_id=thread.id if thread else None, kind=held["kind"], theme=held["theme"],
            film_key=held["film_key"], film=held["film"], uses=uses, source=source, pending=True,
            also=digest.write if digest else None,
        )
    else:
        await bot.store.prompts.release(source)
    await _digest_recorded(bot, digest, alone=not uses)
    return True
