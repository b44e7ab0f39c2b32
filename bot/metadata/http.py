"""The one small HTTP client metadata providers share: JSON over aiohttp with a User-Agent, a total
timeout, a size cap, bounded concurrency, a request-rate limit and a pause after 429, a dead network or a service that does not answer in time.

The exchanges run on an event loop of their own, in one background thread (IoThread): the bot's loop
only waits for a worker thread that waits for the answer, so no socket, timer or JSON decoding of a
provider ever runs on it, and a test harness that tracks the bot's threads sees the work.

Every failure (timeout, refused connection, 4xx/5xx, malformed JSON, an oversized body) comes back as
None with one log line; nothing here raises to a caller. A 404 is an ordinary "not there": logged at DEBUG.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata as package_metadata
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

BODY_MAX = 2_000_000  # bytes: a details answer is ~20 kB; anything far larger is not one
RETRY_AFTER_MAX = 300.0  # seconds: a Retry-After longer than this is read as this
RETRY_AFTER_DEFAULT = 10.0  # a 429 without a readable Retry-After
DOWN_PAUSE = 60.0  # seconds without asking again after the service could not be reached


def user_agent(contact: str | None = None) -> str:
    """`filmbot/<version> (<contact>)`, as Wikimedia's User-Agent policy and TMDB ask."""
    try:
        version = package_metadata.version("filmbot")
    except package_metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "0"
    who = contact or "self-hosted Discord film-club bot"
    return f"filmbot/{version} ({who}) aiohttp/{aiohttp.__version__}"


def monotonic() -> float:
    """time.monotonic looked up at each call, so a test clock that replaces it (simcord's) is seen."""
    return time.monotonic()


class RateLimiter:
    """At most `rate` requests a second, spaced evenly; callers wait their turn (never the event loop)."""

    def __init__(self, rate: float, clock: Callable[[], float] = monotonic) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self.clock()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


class IoThread:
    """One background thread running the event loop the providers' HTTP sessions live on."""

    def __init__(self, workers: int = 6) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # Threads that wait for an exchange on behalf of the bot's loop (one per request in flight).
        self.waiters = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="filmbot-metadata")

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                self._thread = threading.Thread(target=self._run, args=(loop, ready), name="filmbot-http",
                                                daemon=True)
                self._thread.start()
                ready.wait()
                self._loop = loop
            return self._loop

    @staticmethod
    def _run(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        loop.run_forever()
        loop.close()

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float) -> Any:
        """Run `coro` on the I/O loop and wait for it (blocking: call from a worker thread)."""
        # An empty context: the I/O loop's timers must use the real clock, whatever the caller's context.
        future = contextvars.Context().run(asyncio.run_coroutine_threadsafe, coro, self.loop())
        return future.result(timeout)

    async def run(self, coro: Coroutine[Any, Any, Any], timeout: float) -> Any:
        """Await `coro` run on the I/O loop from the bot's loop, which stays free meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self.waiters, self.call, coro, timeout)

    def running(self) -> bool:
        return self._loop is not None and not self._loop.is_closed()

    def stop(self) -> None:
        """Cancel what is still in flight (a provider that hangs), then stop the loop: every waiter thread
        returns now, not at its own timeout (up to 80 s, which held the process's exit that long)."""
        with self._lock:
            loop, thread, self._loop = self._loop, self._thread, None
        if loop is not None and not loop.is_closed():
            try:
                asyncio.run_coroutine_threadsafe(_cancel_all(), loop).result(5)
            except Exception:  # the loop is stopped below whatever happened here
                log.debug("cancelling the metadata requests in flight failed", exc_info=True)
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)


async def _cancel_all() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class JsonClient:
    """GET JSON from one service: shared by a provider's calls, closed with the bot."""

    def __init__(self, name: str, base_url: str, *, rate: float, concurrency: int = 4, timeout: float = 5.0,
                 headers: Mapping[str, str] | None = None, contact: str | None = None,
                 clock: Callable[[], float] = monotonic, io: IoThread | None = None) -> None:
        self.name = name
        self._own_io = io is None
        self.io = io or IoThread()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent(contact), "Accept": "application/json", **(headers or {})}
        self.clock = clock
        self.rate, self.slots = rate, concurrency
        self.limiter = RateLimiter(rate, clock)
        self.concurrency = asyncio.Semaphore(concurrency)
        self._bound: asyncio.AbstractEventLoop | None = None  # the I/O loop the primitives belong to
        self.paused_until = 0.0
        self.requests = 0  # sent, for tests and the log
        self.failures = 0  # answers lost to an error (not a 404): a "not found" after one is not cached
        self._session: aiohttp.ClientSession | None = None

    def _session_now(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self.headers, raise_for_status=False)
        return self._session

    def paused(self) -> bool:
        return self.clock() < self.paused_until

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + min(max(seconds, 0.0), RETRY_AFTER_MAX))

    async def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any | None:
        """The JSON answer of GET base_url + path, or None (logged) on any failure or a 404."""
        try:
            # The limiter's waits and the timeout run on the I/O loop; this bound only frees the worker.
            return await self.io.run(self._get(path, params), self.timeout * 4 + 60)
        except Exception:
            self.failures += 1
            log.warning("%s: the request for %s was lost", self.name, path, exc_info=True)
            return None

    def _bind(self) -> None:
        """Fresh lock, semaphore and session when the I/O loop is new (the bot was closed and started again)."""
        loop = asyncio.get_running_loop()
        if self._bound is not loop:
            self._bound, self._session = loop, None
            self.limiter = RateLimiter(self.rate, self.clock)
            self.concurrency = asyncio.Semaphore(self.slots)

    async def _get(self, path: str, params: Mapping[str, str | int] | None) -> Any | None:
        self._bind()
        if self.paused():
            self.failures += 1
            return None
        async with self.concurrency:
            await self.limiter.wait()
            if self.paused():
                self.failures += 1
                return None
            self.requests += 1
            try:
                ok, found = await asyncio.wait_for(self._fetch(path, params), self.timeout)
            except TimeoutError:  # a service that hangs is treated as down: no member waits on it again soon
                ok, found = False, None
                self.pause(DOWN_PAUSE)
                log.warning("%s: no answer to %s within %g s; not asking again for %g s", self.name, path,
                            self.timeout, DOWN_PAUSE)
            except aiohttp.ClientConnectionError as error:
                ok, found = False, None
                self.pause(DOWN_PAUSE)
                log.warning("%s unreachable (%s); not asking again for %g s", self.name,
                            type(error).__name__, DOWN_PAUSE)
            except (aiohttp.ClientError, ValueError, UnicodeDecodeError) as error:
                ok, found = False, None
                log.warning("%s: unusable answer to %s (%s)", self.name, path, type(error).__name__)
            if not ok:
                self.failures += 1
            return found

    async def _fetch(self, path: str, params: Mapping[str, str | int] | None) -> tuple[bool, Any | None]:
        """(answered, JSON or None): a 404 is an answer ("no such thing"), any other non-200 is not."""
        async with self._session_now().get(self.base_url + path, params=params, allow_redirects=False) as resp:
            if resp.status == 429:
                wait = retry_after(resp.headers.get("Retry-After"))
                self.pause(wait)
                log.warning("%s asked us to slow down (429); pausing its lookups for %g s", self.name, wait)
                return False, None
            if resp.status == 404:
                log.debug("%s: %s not found", self.name, path)
                return True, None
            if resp.status != 200:
                log.warning("%s answered HTTP %s to %s; going on without it", self.name, resp.status, path)
                return False, None
            chunks, size = [], 0
            async for chunk in resp.content.iter_chunked(65536):
                size += len(chunk)
                if size > BODY_MAX:
                    log.warning("%s: answer to %s over %d bytes; ignored", self.name, path, BODY_MAX)
                    return False, None
                chunks.append(chunk)
            # From bytes, as RFC 8259 reads JSON: UTF-8 with or without a byte-order mark (some proxies and
            # CDNs add one), or UTF-16/32; decoding as bare UTF-8 refused a BOM-prefixed answer as malformed.
            return True, json.loads(b"".join(chunks))

    async def close(self) -> None:
        """Close the session on the I/O loop, then stop that loop's thread."""
        if self._session is not None and self.io.running():
            try:
                await self.io.run(self._close_session(), 10)
            except Exception:
                log.debug("closing the %s session failed", self.name, exc_info=True)
        if self._own_io:
            self.io.stop()

    async def _close_session(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


def retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (delta-seconds; an HTTP date or junk → the default), bounded."""
    try:
        seconds = float((value or "").strip())
    except ValueError:
        return RETRY_AFTER_DEFAULT
    if math.isnan(seconds) or seconds < 0:
        return RETRY_AFTER_DEFAULT
    return min(seconds, RETRY_AFTER_MAX)
