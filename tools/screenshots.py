"""One PNG per slash command, as a Discord member or moderator sees it in `filmbot playground`.

    python -m tools.screenshots DIR [--chromium PATH] [--only quote,discuss]

Starts the playground (the real bot, a fresh temporary database, simcord's preview on a free loopback
port), runs every command from the page as the viewer a club would (PageClient.run_command: the same
HTTP actions the browser sends), and after each one takes a screenshot of the page with headless
Chromium. Not part of the test suite (CI has no Chromium); tests/cross/test_screenshots_list.py only
checks that STEPS below covers every registered command.

The preview page opens as the first viewer of the session (its URL's #fragment is only the session
key, it cannot choose a viewer), so each step gets a session with its viewer first: private
(ephemeral) replies are then the ones that viewer sees. After /discuss, one more PNG shows the
prompt's thread opened from the page, with a member's reply in it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Step:
    invocation: str
    viewer: str  # "mod" or "alice"
    options: dict[str, Any] = field(default_factory=dict)


# In order: what a club does on a first evening. Options naming a channel take "{channel}".
STEPS: list[Step] = [
    Step("config show", "mod"),
    Step("config timezone", "mod", {"zone": "Europe/Paris"}),
    Step("config moderator-role", "mod"),
    Step("config log-channel", "mod"),
    Step("config watchlist-approval", "mod", {"state": "off"}),
    Step("quote", "alice", {"theme": "ending"}),
    Step("search", "alice", {"query": "nostalgia"}),
    Step("critics", "alice"),
    Step("themes", "alice"),
    Step("discuss", "alice", {"theme": "ending"}),
    Step("debate", "alice"),
    Step("poll create", "alice", {"question": "Best ending?", "options": "La La Land|Heat|Arrival"}),
    Step("poll theme", "mod", {"theme": "ending"}),
    Step("poll list", "alice"),
    Step("poll results", "alice", {"poll": "1"}),
    Step("poll close", "mod", {"poll": "1"}),
    Step("review add", "mod", {"film": "Whiplash", "year": "2014", "critic": "Jane Doe"}),
    Step("review list", "alice"),
    Step("review show", "alice", {"review": "1"}),
    Step("review edit", "mod", {"review": "1", "outlet": "Club zine"}),
    Step("review history", "mod", {"review": "1"}),
    Step("review export", "mod"),
    Step("review remove", "mod", {"review": "1"}),
    Step("schedule set", "mod", {"channel": "{channel}", "time": "20:30", "days": "fri"}),
    Step("schedule list", "alice"),
    Step("schedule skip", "mod", {"id": "1"}),
    Step("schedule pause", "mod", {"id": "1"}),
    Step("schedule resume", "mod", {"id": "1"}),
    Step("schedule test", "mod", {"id": "1"}),
    Step("schedule remove", "mod", {"id": "1"}),
    Step("watchlist add", "alice", {"film": "La La Land", "year": "2016"}),
    Step("watchlist add", "bob", {"film": "Heat", "year": "1995"}),
    Step("watchlist support", "bob", {"film": "La La Land"}),
    Step("watchlist list", "alice"),
    Step("watchlist remove", "bob", {"film": "Heat"}),
    Step("filmnight reminder-role", "mod"),
    Step("filmnight reminder-mentions", "mod", {"mode": "interested"}),
    Step("watchlist add", "bob", {"film": "Whiplash", "year": "2014"}),
    Step("watchlist support", "alice", {"film": "Whiplash"}),
    Step("filmnight pick", "mod"),
    Step("filmnight close-pick", "mod"),
    Step("filmnight schedule", "mod", {"film": "La La Land", "when": "fri 21:00", "where": "Club room"}),
    Step("filmnight next", "alice"),
    Step("filmnight move", "mod", {"when": "sat 21:00"}),
    Step("filmnight unlock", "mod"),
    Step("filmnight history", "alice"),
    Step("filmnight cancel", "mod"),
    Step("rate film", "alice", {"film": "La La Land", "stars": "4.5", "take": "The epilogue wrecked me."}),
    Step("rate film", "bob", {"film": "La La Land", "stars": "3"}),
    Step("rate consent", "alice", {"state": "on"}),
    Step("watched", "alice", {"film": "La La Land", "date": "2026-01-02"}),
    Step("history", "alice"),
    Step("club stats", "alice"),
    Step("ratings", "alice", {"film": "La La Land"}),
    Step("compare", "alice", {"film": "La La Land"}),
    Step("rate export", "mod"),
    Step("game critic-or-club", "alice", {"rounds": "1"}),
    Step("game leaderboard", "alice"),
    Step("config digest-hours", "mod", {"hours": "24"}),
    Step("rate remove", "bob", {"film": "La La Land"}),
    Step("rate forget-me", "bob", {"confirm": True}),  # a boolean option takes JSON true, not "true"
    Step("theme list", "alice"),
    Step("theme question add", "mod", {"theme": "ending", "question": "Did {film} earn its last scene?"}),
    Step("theme question remove", "mod", {"theme": "ending", "question": "Did {film} earn its last scene?"}),
    Step("passage tag", "mod", {"passage": "1", "theme": "music"}),
    Step("passage untag", "mod", {"passage": "1", "theme": "music"}),
    Step("passage flagged", "mod"),
    Step("passage hide", "mod", {"passage": "1"}),
    Step("passage show", "mod", {"passage": "1"}),
    Step("film info", "alice", {"film": "La La Land"}),
    Step("suggest question", "alice", {"text": "Which song is still in your head a week later?", "theme": "music"}),
]

# Commands the page cannot run (it has no file picker): covered by the test suite instead.
SKIPPED: dict[str, str] = {
    "watchlist import": "needs an uploaded file",
    "review import": "needs an uploaded file",
}


def open_as(env: Any, world: Any, viewers: list[Any]) -> Any:
    """A preview session whose page opens as viewers[0] (the playground's: threads can be opened)."""
    from bot.playground import open_preview

    return open_preview(world, port=free_port(), viewers=viewers)


THREAD_REPLY = "The epilogue is the film arguing with itself. Anyone else read it that way?"


async def thread_shot(env: Any, world: Any, out: Path, chromium: str) -> str:
    """The thread of the newest prompt, opened from its chip: alice replies in it, then the page
    bound to the thread (the prompt on top, the reply below) is photographed."""
    import aiohttp

    from bot.playground import PageClient

    viewers = [world.alice, world.mod, world.bob]
    async with open_as(env, world, viewers) as preview, aiohttp.ClientSession() as http:
        club = PageClient(preview.url, http)
        state = await club.open(world.alice.id)
        prompt = max((m for m in state["messages"].values() if m.get("thread")), key=lambda m: int(m["id"]))
        key = next(c["key"] for c in state["filmbot"]["channels"] if c["id"] == prompt["thread"]["id"])
        thread = club.channel_page(key)
        await thread.open(world.alice.id)
        await thread.send_message(THREAD_REPLY)
        await screenshot(chromium, f"{club.base}/#{key}", out)
    return f"thread '{prompt['thread']['name']}' with alice's reply"


def slug(index: int, step: Step) -> str:
    return f"{index:02d}-{step.viewer}-{re.sub(r'[^a-z0-9]+', '-', step.invocation)}.png"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def screenshot(chromium: str, url: str, out: Path) -> None:
    """Headless Chromium loads the page (its scripts fetch the page state) and saves one PNG."""
    with tempfile.TemporaryDirectory(prefix="filmbot-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=1280,900",
            "--virtual-time-budget=6000", f"--screenshot={out}", url,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await asyncio.wait_for(process.wait(), 90)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise


async def take_all(out_dir: Path, chromium: str, only: set[str] | None) -> int:
    import aiohttp
    import simcord

    from bot.client import FilmBot
    from bot.core.config import Settings
    from bot.playground import PageClient, build_world, catch_up_with_wall_time, reply_text

    out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="filmbot-screenshots-") as tmp:
        settings = replace(Settings.from_env(), database=Path(tmp) / "playground.db", token=None,
                           auto_sync=True)
        bot = FilmBot(settings)
        try:
            async with simcord.run(bot, check_errors=False) as env:
                world = build_world(env)
                await catch_up_with_wall_time(env)
                people = {"mod": world.mod, "alice": world.alice, "bob": world.bob}
                for index, step in enumerate(STEPS, 1):
                    if only is not None and step.invocation not in only:
                        continue
                    first = people[step.viewer]
                    viewers = [first, *(p for p in world.viewers if p is not first)]
                    options = {k: str(world.channel.id) if v == "{channel}" else v
                               for k, v in step.options.items()}
                    async with open_as(env, world, viewers) as preview, aiohttp.ClientSession() as http:
                        page = PageClient(preview.url, http)
                        await page.open(first.id)
                        try:
                            state = await page.run_command(step.invocation, **options)
                            said = reply_text(state).splitlines()[0][:100]
                        except Exception as error:  # noqa: BLE001 - one refusal must not stop the tour
                            failures += 1
                            said = f"FAILED: {error}"[:300]
                    # A page shows the channel up to the newest message when its session opened:
                    # a new session, so the reply is at the bottom of the screenshot.
                    async with open_as(env, world, viewers) as preview:
                        target = out_dir / slug(index, step)
                        await screenshot(chromium, preview.url, target)
                    print(f"{target.name}: /{step.invocation} as {step.viewer}: {said}")
                    if step.invocation == "discuss":  # the prompt's thread, opened from the page
                        target = out_dir / f"{index:02d}-alice-discuss-thread.png"
                        try:
                            said = await thread_shot(env, world, target, chromium)
                        except Exception as error:  # noqa: BLE001 - one refusal must not stop the tour
                            failures += 1
                            said = f"FAILED: {error}"[:300]
                        print(f"{target.name}: {said}")
        finally:
            await bot.close_store()
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the PNGs")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--only", help="comma-separated invocations, e.g. 'quote,schedule list'")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",")} if args.only else None
    import logging

    logging.basicConfig(level=logging.ERROR)
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(take_all(args.out, args.chromium, only))
    return 130


if __name__ == "__main__":
    sys.exit(main())
