"""One PNG per slash command, as a Discord member or moderator sees it in `filmbot playground`.

    python -m tools.screenshots DIR [--chromium PATH] [--only quote,discuss]

Starts the playground (the real bot, a fresh temporary database, simcord's preview on a free loopback
port), runs every command from the page as the viewer a club would (PageClient.run_command: the same
HTTP actions the browser sends), and after each one takes a screenshot of the page with headless
Chromium, driven over its DevTools protocol so the shot waits until the page has settled (no action
pending, the newest message in view). A command that opens a form (/review add without a file) is
photographed with its form open, then the form is submitted. Not part of the test suite (CI has no Chromium); tests/cross/test_screenshots_list.py only
checks that STEPS below covers every registered command.

The preview page opens as the first viewer of the session (its URL's #fragment is only the session
key, it cannot choose a viewer), so each step gets a session with its viewer first: private
(ephemeral) replies are then the ones that viewer sees. After /discuss, one more PNG shows the
prompt's thread opened from the page, with a member's reply in it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
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
    form: dict[str, str] | None = None  # the command opens a form: photograph it, then submit these values


REVIEW_TEXT = (
    "Whiplash is a film about drumming that plays like a thriller. Its young drummer wants greatness, and his"
    " teacher believes that cruelty is the only road to it.\n\n"
    "The final concert is a duel. The editing keeps time with the music so closely that every cut lands like a"
    " beat, and the last minutes leave you breathless.\n\n"
    "Miles Teller and J. K. Simmons play the two sides of an argument about what art costs. The film is wise"
    " enough never to settle it, and the ending stays with you for days."
)

# In order: what a club does on a first evening. Options naming a channel take "{channel}".
STEPS: list[Step] = [
    Step("help", "alice"),
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
    Step("review add", "mod", {"film": "Whiplash", "year": "2014", "critic": "Jane Doe"},
         form={"filmbot:review:text": REVIEW_TEXT}),
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
    Step("watchlist pending", "mod"),
    Step("watchlist add", "mod", {"film": "Arrival", "year": "2016"}),
    Step("watchlist remove", "bob", {"film": "Heat"}),
    Step("filmnight reminder-role", "mod"),
    Step("filmnight reminder-mentions", "mod", {"mode": "interested"}),
    Step("filmnight pick", "mod"),  # a pick needs two films: La La Land and Arrival
    Step("filmnight close-pick", "mod"),
    Step("filmnight schedule", "mod", {"film": "La La Land", "when": "fri 21:00",
                                       "where": "The back room at the Rio Cinema"}),
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
    Step("passage not-spoiler", "mod", {"passage": "1/7"}),  # hidden only as "after the review's first reveal"
    Step("film info", "alice", {"film": "La La Land"}),
    Step("film alias", "mod", {"film": "La La Land", "title": "City of Stars"}),
    Step("suggest question", "alice", {"text": "Which song is still in your head a week later?", "theme": "music"}),
]

# Commands the page cannot run (it has no file picker): covered by the test suite instead.
SKIPPED: dict[str, str] = {
    "watchlist import": "needs an uploaded file",
    "review import": "needs an uploaded file",
    "review add-link": "needs a web page to fetch (tests/reviews/test_add_link.py serves them on loopback)",
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
        status = await screenshot(chromium, f"{club.base}/#{key}", out)
    return f"thread '{prompt['thread']['name']}' with alice's reply [{status}]"


def slug(index: int, step: Step) -> str:
    return f"{index:02d}-{step.viewer}-{re.sub(r'[^a-z0-9]+', '-', step.invocation)}.png"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The page has settled when simcord's preview says it is ready, no action is pending (its status line ends
# in "…" while one is: "Updating viewport…", "Loading conversation…"), and the conversation, scrolled to
# its newest message, has kept the same height for a few frames (late layout would cut the newest reply).
_SETTLED = """(() => {
  const status = window.simcordPreview, timeline = document.getElementById("channel-timeline");
  if (timeline) timeline.scrollTop = timeline.scrollHeight;
  const line = (document.getElementById("action-status")?.textContent || "").trim();
  return JSON.stringify({
    ready: Boolean(status && status.ready), transport: status ? status.transport.state : "",
    busy: document.getElementById("preview-app")?.getAttribute("aria-busy") === "true",
    pending: line.endsWith("…"), fonts: document.fonts ? document.fonts.status : "loaded",
    height: timeline ? timeline.scrollHeight : 0, line,
  });
})()"""
SETTLE_POLLS = 4  # the same state this many times in a row, 150 ms apart
SETTLE_TIMEOUT = 45.0


async def screenshot(chromium: str, url: str, out: Path) -> str:
    """Headless Chromium, driven over the DevTools protocol, loads the page, waits until it has settled
    (see _SETTLED) and saves one PNG; returns the page's status line, or a warning when it never settled."""
    import aiohttp

    with tempfile.TemporaryDirectory(prefix="filmbot-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=1280,900",
            "--remote-debugging-port=0", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            port = await _devtools_port(Path(profile), process)
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json(content_type=None)
                page = next(t for t in targets if t.get("type") == "page")
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    devtools = _DevTools(ws)
                    await devtools.call("Emulation.setDeviceMetricsOverride",
                                        width=1280, height=900, deviceScaleFactor=1, mobile=False)
                    await devtools.call("Page.navigate", url=url)
                    said = await _settle(devtools)
                    shot = await devtools.call("Page.captureScreenshot", format="png")
            out.write_bytes(base64.b64decode(shot["data"]))
            return said
        finally:
            if process.returncode is None:
                process.kill()
            await process.wait()


async def _devtools_port(profile: Path, process: asyncio.subprocess.Process) -> int:
    """The port Chromium chose (it writes it to DevToolsActivePort in its profile)."""
    marker = profile / "DevToolsActivePort"
    for _ in range(300):
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().splitlines()[0])
        if process.returncode is not None:
            break
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{marker} never appeared: is {sys.argv[0]} pointing at a working Chromium?")


class _DevTools:
    """One DevTools protocol session: send a command, wait for its answer (events are skipped)."""

    def __init__(self, ws: Any) -> None:
        self.ws, self.next_id = ws, 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive_json(), 60)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result") or {})


async def _settle(devtools: _DevTools) -> str:
    seen: list[str] = []
    deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT
    while asyncio.get_running_loop().time() < deadline:
        answer = await devtools.call("Runtime.evaluate", expression=_SETTLED, returnByValue=True)
        state = json.loads(answer.get("result", {}).get("value") or "{}")
        good = (state.get("ready") and not state.get("busy") and not state.get("pending")
                and state.get("fonts") == "loaded" and state.get("transport") in ("healthy", "recovered"))
        seen = [*seen, json.dumps(state, sort_keys=True)][-SETTLE_POLLS:] if good else []
        if len(seen) == SETTLE_POLLS and len(set(seen)) == 1:
            return str(state.get("line") or "")
        await asyncio.sleep(0.15)
    return f"WARNING: the page never settled in {SETTLE_TIMEOUT:g} s; shot taken anyway"


async def page_step(env: Any, world: Any, step: Step, viewers: list[Any], options: dict[str, Any],
                    target: Path, chromium: str) -> tuple[str, str]:
    """Run the command from the page as its viewer, then photograph a new session of the page: it shows
    the channel up to the newest message, so the reply is at the bottom."""
    import aiohttp

    from bot.playground import PageClient, reply_text

    async with open_as(env, world, viewers) as preview, aiohttp.ClientSession() as http:
        page = PageClient(preview.url, http)
        await page.open(viewers[0].id)
        state = await page.run_command(step.invocation, **options)
        said = reply_text(state).splitlines()[0][:100]
    async with open_as(env, world, viewers) as preview:
        return said, await screenshot(chromium, preview.url, target)


async def form_step(env: Any, world: Any, step: Step, viewers: list[Any], options: dict[str, Any],
                    target: Path, chromium: str) -> tuple[str, str]:
    """A command that opens a form: the page opens showing the form to its opener (simcord's show), is
    photographed, then the form is submitted with the step's values."""
    who = viewers[0]
    typed = {k: int(v) if isinstance(v, str) and v.isdigit() else v for k, v in options.items()}
    shown = await who.slash(world.channel, step.invocation, **typed)
    if shown.modal is None:
        return "FAILED: no form opened", ""
    async with open_as(env, world, viewers) as preview:
        await preview.show(shown)
        status = await screenshot(chromium, preview.url, target)
    done = await who.submit_modal(shown, step.form or {})
    reply = done.response.content if done.response is not None else ""
    return f"form “{shown.modal.get('title', '')}”, then submitted: {(reply or '').splitlines()[0][:80]}", status


async def take_all(out_dir: Path, chromium: str, only: set[str] | None) -> int:
    import simcord

    from bot.client import FilmBot
    from bot.core.config import Settings
    from bot.playground import build_world, catch_up_with_wall_time

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
                    target = out_dir / slug(index, step)
                    run = form_step if step.form is not None else page_step
                    try:
                        said, status = await run(env, world, step, viewers, options, target, chromium)
                    except Exception as error:  # noqa: BLE001 - one refusal must not stop the tour
                        said, status = f"FAILED: {error}"[:300], ""
                    failures += said.startswith("FAILED") or status.startswith("WARNING")
                    print(f"{target.name}: /{step.invocation} as {step.viewer}: {said} [{status}]")
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
