"""`filmbot playground`: the real bot, a real SQLite database and the seed corpus in simcord's browser
preview. A virtual Discord runs in-process: no token, no network, only a page served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord

from bot.client import FilmBot
from bot.core.config import Settings

log = logging.getLogger(__name__)

DEFAULT_DATABASE = Path(tempfile.gettempdir()) / "filmbot-playground.db"
TICK_SECONDS = 1.0  # wall-clock period of the virtual clock ticker


@dataclass
class PlaygroundWorld:
    """The demo server: "Film Club" with #film-club, a moderator (Manage Server) and two members."""

    env: Any
    guild: Any
    channel: Any
    mod: Any
    alice: Any
    bob: Any

    @property
    def viewers(self) -> list[Any]:
        return [self.alice, self.bob, self.mod]


def build_world(env: Any) -> PlaygroundWorld:
    """Create the demo server inside a started simcord Env."""
    guild = env.create_guild(name="Film Club")
    channel = guild.create_text_channel("film-club", topic="Talk about films; try /quote")
    mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    return PlaygroundWorld(env, guild, channel, mod, alice, bob)


def open_preview(world: PlaygroundWorld, *, port: int = 0, viewers: list[Any] | None = None) -> Any:
    """The preview context manager: channel history, a real composer, viewers to switch between, and
    the channel's threads (bot/playground_threads.py). The page opens as the first viewer."""
    from bot.playground_threads import ThreadedPreview

    return ThreadedPreview.adopt(world.env.preview(
        world.channel, viewers=viewers or world.viewers, layout="channel", port=port, width=1280, height=860
    ))


class Clock:
    """Moves simcord's virtual clock with wall time and republishes the page when the bot posted.

    simcord allows one driver operation at a time, and the page's own actions (a slash command typed
    in the composer) are such operations; the lock keeps a clock tick from ever overlapping one.
    """

    def __init__(self, env: Any, preview: Any, *, speed: float) -> None:
        self.env = env
        self.preview = preview
        self.speed = speed
        self.lock = asyncio.Lock()
        self._seen_requests = len(env.http_requests)
        self._guard_page_actions()

    def _guard_page_actions(self) -> None:
        # Preview._action serves the browser's actions (private API of simcord 3.2.x: guarded by
        # hasattr so a future simcord without it still runs, just without the lock).
        original = getattr(self.preview, "_action", None)
        if original is None:
            return

        async def locked_action(*args: Any, **kwargs: Any) -> Any:
            async with self.lock:
                try:
                    return await original(*args, **kwargs)
                finally:
                    # The action settled the bot's answer and republished every page itself.
                    self._seen_requests = len(self.env.http_requests)

        self.preview._action = locked_action

    async def tick(self, seconds: float) -> None:
        """Advance the virtual clock; refresh pages only when the bot did something since."""
        async with self.lock:
            await self.env.advance_time(seconds)
            # Refreshing bumps the page revision and the browser's pending clicks are bound to it, so
            # refresh only when the bot sent requests (scheduled prompts, poll results, edits).
            if len(self.env.http_requests) != self._seen_requests:
                new = self.env.http_requests[self._seen_requests:]
                log.debug("bot activity %s: refreshing the page", [f"{r.method} {r.path}" for r in new])
                await self.preview.refresh()
                self._seen_requests = len(self.env.http_requests)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = loop.time()
            try:
                await self.tick((now - last) * self.speed)
            except Exception:  # a slow bot or a simcord refusal must not stop the clock for good
                log.exception("virtual clock tick failed; continuing")
            last = now


class PageClient:
    """Talks to the preview over HTTP exactly as the browser page does (simcord preview protocol v3)."""

    def __init__(self, url: str, http: Any) -> None:
        self.base, _, self.capability = url.partition("/#")
        self.http = http  # an aiohttp.ClientSession
        self.context: dict[str, Any] = {}
        self.sequence = 0

    async def request(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"X-Simcord-Capability": self.capability}
        if self.context:
            headers["X-Simcord-Context"] = self.context["context"]["id"]
        async with self.http.request(method, self.base + path, json=body, headers=headers) as response:
            response.raise_for_status()
            return await response.json()

    async def open(self, viewer_id: int) -> dict[str, Any]:
        """Load the page (HTML) and open a page context as the viewer; returns what it shows."""
        async with self.http.get(self.base + "/") as response:
            response.raise_for_status()
        self.context = await self.request("POST", "/api/pages", {"viewer_id": str(viewer_id)})
        return self.context

    async def run_command(self, invocation: str, **options: Any) -> dict[str, Any]:
        """Run a slash command from the composer; returns the page state with `reply_ids` added."""
        catalog = await self.request("GET", "/api/commands")
        entry = next(e for e in catalog["entries"] if e["invocation"] == invocation)
        return await self.act(f"/{invocation}", kind="run_command", command_id=entry["commandId"],
                              path=entry["path"], schema_fingerprint=entry["schemaFingerprint"], options=options)

    async def send_message(self, content: str) -> dict[str, Any]:
        """Type a message in the composer and send it; returns the page state with `reply_ids`."""
        return await self.act("the message", kind="send_message", content=content)

    async def act(self, what: str, **fields: Any) -> dict[str, Any]:
        """Send one action as the page does, on the revision it shows now; the page state after it."""
        current = await self.request("GET", "/api/state")
        self.sequence += 1
        result = await self.request("POST", "/api/action", {
            "protocol_version": 3, "sequence": self.sequence, "request_id": f"cli-{self.sequence}",
            "generation": current["context"]["generation"], "bot_generation": current["botGeneration"],
            "published_revision": current["publishedRevision"], **fields,
        })
        if result.get("rejected") or result.get("settlement") != "settled":
            raise RuntimeError(f"the page refused {what}: {result.get('diagnostics')}")
        state = await self.request("GET", "/api/state")
        state["reply_ids"] = [o["messageId"] for o in result.get("outcomes", []) if o.get("messageId")]
        return state

    def channel_page(self, key: str) -> PageClient:
        """A client for the page bound to another channel, by the key the page lists for it."""
        return PageClient(f"{self.base}/#{key}", self.http)


async def command_from_page(url: str, viewer_id: int, invocation: str, **options: Any) -> dict[str, Any]:
    """Open the page as the viewer and run one slash command from it."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        page = PageClient(url, http)
        await page.open(viewer_id)
        return await page.run_command(invocation, **options)


_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_CHANNEL = re.compile(r"<#(\d+)>")
_MARKS = re.compile(r"\*\*|__|~~")
# Unescaped *italics*, `code` and "> " / ">>> " quote marks at a line start: shown as the words they wrap.
_ITALIC = re.compile(r"(?<![\\*])\*(?=\S)(.+?)(?<=[^\s\\])\*")
_CODE = re.compile(r"(?<!\\)`([^`\n]+)(?<!\\)`")
_QUOTE = re.compile(r"^(?:>>>|>) ?", re.MULTILINE)
# A spoiler reads as a black bar until clicked: the terminal shows that it is there, never its text.
_SPOILER = re.compile(r"(?<!\\)\|\|.*?(?<!\\)\|\|", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\*_~`|>#\[\]()<@:.-])")


def plain(text: str, channel_names: Callable[[int], str | None] = lambda _id: None,
          now: datetime | None = None) -> str:
    """Discord markdown as a person reads it: no **, *, `, > marks, no escaping backslashes, spoilers still
    hidden, readable times for <t:…> and #names for <#…> (the id when the name is unknown)."""
    def when(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC)
        if match.group(2) == "R" and now is not None:
            return relative(moment - now)
        return f"{moment:%A %d %B %Y, %H:%M} UTC"

    text = _TIMESTAMP.sub(when, text)
    text = _CHANNEL.sub(lambda m: f"#{channel_names(int(m.group(1))) or m.group(1)}", text)
    text = _SPOILER.sub("[spoiler]", text)
    text = _QUOTE.sub("", _CODE.sub(r"\1", _ITALIC.sub(r"\1", _MARKS.sub("", text))))
    return _ESCAPE.sub(r"\1", text)


def relative(delta: timedelta) -> str:
    """"in 3 hours" / "2 days ago", like Discord's <t:…:R>."""
    seconds = int(delta.total_seconds())
    size = abs(seconds)
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if size >= length:
            count = round(size / length)
            break
    else:
        unit, count = "second", size
    amount = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"in {amount}" if seconds >= 0 else f"{amount} ago"


def reply_text(state: dict[str, Any], channel_names: Callable[[int], str | None] = lambda _id: None,
               now: datetime | None = None) -> str:
    """The bot's reply as the page shows it, as plain text for the terminal."""
    parts = []
    for message_id in state.get("reply_ids", []):
        message = state["messages"].get(message_id) or {}
        parts.append(message.get("content") or "")
        for embed in message.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f.get('name', '')}: {f.get('value', '')}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
    text = "\n".join(part for part in parts if part)
    return plain(text, channel_names, now) if text else "(no reply on the page)"


async def check_page(world: PlaygroundWorld, preview: Any, out: Callable[[str], None]) -> int:
    """--check: run /quote from the page as alice, print the reply and the URL."""
    state = await command_from_page(preview.url, world.alice.id, "quote")
    text = reply_text(state, lambda channel_id: getattr(world.env.backend.channels.get(channel_id), "name", None),
                      world.env.now())
    out(f"/quote run from the page as alice; the page now shows:\n{text}")
    out(f"Preview served at {preview.url}")
    return 0 if state["reply_ids"] else 1


async def catch_up_with_wall_time(env: Any) -> None:
    """simcord's clock starts at 2026-01-01; move it to now so timestamps and schedules look real."""
    behind = (datetime.now(UTC) - env.now()).total_seconds()
    if behind > 0:
        # One jump with the scheduler paused (it would otherwise wake hourly across ~11 months); on
        # restart it handles whatever came due exactly as after real downtime.
        await env.bot.scheduler.stop()
        await env.advance_time(behind)
        start_in_bot_scope(env, env.bot.scheduler.start)


def start_in_bot_scope(env: Any, start: Callable[[], None]) -> None:
    """Start a bot task as if the bot had started it itself.

    simcord moves only the timers of tasks the bot owns (created inside its "bot scope"); a task
    started from here, outside it, would sleep in wall time, so at --speed 60 a prompt due in 3
    virtual minutes would wait 3 real minutes (3 virtual hours). `_bot_scope` is simcord 3.2's
    private API, guarded so a future simcord without it still runs.
    """
    scope = getattr(env, "_bot_scope", None)
    if scope is None:
        start()
        return
    with scope():
        start()


def instructions(url: str, world: PlaygroundWorld, settings: Settings, speed: float) -> str:
    return "\n".join([
        "filmbot playground: the real bot on a virtual Discord (no token, no network).",
        f"  Open: {url}",
        "  (the part after # is this session's key; anyone with the URL can drive it)",
        f"  Server 'Film Club', channel #{world.channel.name}; viewers: mod (Manage Server), alice, bob.",
        "  Switch viewer in the page header; type / in the composer, e.g. /quote theme:ending.",
        "  Open a prompt's thread from the chip under it, or from Channels in the sidebar.",
        f"  Database: {settings.database}   Virtual clock: {speed:g}x wall time.",
        "  Ctrl+C to stop.",
    ])


async def serve(
    settings: Settings, *, port: int, speed: float, check: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    """Run the playground until cancelled (or, with check, run /quote once and return)."""
    import simcord

    bot = FilmBot(settings)
    bot.clock_speed = speed  # timed game rounds last their length in wall time (bot/club/rules.round_seconds)
    try:
        async with simcord.run(bot, check_errors=False) as env:
            world = build_world(env)  # before the catch-up: same ids every run, so a kept database fits
            await catch_up_with_wall_time(env)
            async with open_preview(world, port=port) as preview:
                ticker = Clock(env, preview, speed=speed)  # also guards the page's actions
                if check:
                    return await check_page(world, preview, out)
                out(instructions(preview.url, world, settings, speed))
                clock = asyncio.create_task(ticker.run())
                try:
                    await preview.wait_closed()  # "End preview session" in the page, or Ctrl+C
                finally:
                    clock.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await clock
    finally:
        await bot.close_store()  # simcord never calls bot.close()
    return 0


MAX_SPEED = 100_000  # a virtual day in under a second of wall time; more overflows a game round's deadline


def run_playground(
    settings: Settings, *, port: int = 8765, speed: float = 1.0, fresh: bool = False, check: bool = False
) -> int:
    """Entry point of `filmbot playground`; returns the process exit code."""
    if not 0 < speed <= MAX_SPEED:  # also nan (every comparison false) and inf: a clock that cannot tick
        print(f"filmbot playground: --speed must be > 0 and at most {MAX_SPEED:,} (got {speed:g})", file=sys.stderr)
        return 2
    settings = replace(settings, token=None, auto_sync=True)  # never near a real token
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{settings.database}{suffix}").unlink(missing_ok=True)
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("bot", "cogs"):  # the bot's own logs at the configured level, libraries quieter
        logging.getLogger(name).setLevel(getattr(logging, settings.log_level, logging.INFO))
    # discord.py's warnings about voice and a real gateway do not apply to the virtual Discord.
    logging.getLogger("discord").setLevel(logging.ERROR)
    from simcord import SetupError

    try:
        return asyncio.run(_until_signal(serve(settings, port=port, speed=speed, check=check)))
    except SetupError as error:  # e.g. "preview could not bind port 8765": say it in one line
        print(f"filmbot playground: {error} (try another --port)" if "port" in str(error)
              else f"filmbot playground: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # a second Ctrl+C during shutdown
        return 130


async def _until_signal(main: Any) -> int:
    """Ctrl+C or SIGTERM cancel the playground, so every `finally` runs: preview, env, database."""
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows' loop
            loop.add_signal_handler(signum, task.cancel)
    try:
        return await main
    except asyncio.CancelledError:
        print("\nfilmbot playground: stopped; database closed.")
        return 0
