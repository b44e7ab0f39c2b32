"""The one way tests inject faults: failures shaped the way discord.py and SQLite really surface them.

simcord's own `inject_error` raises a plain `discord.HTTPException` for a 5xx, but a real bot never
sees that: discord.py retries 5xx (and waits out 429s) itself, then raises `DiscordServerError`.
`discord_fault` makes every injected failure surface as the library would raise it:

* 5xx → `discord.DiscordServerError` (after discord.py's own retries, so one injected fault stands
  for "every retry failed"); 403 → `discord.Forbidden`; 404 → `discord.NotFound`; other 4xx →
  `discord.HTTPException`. 429 is never raised for ordinary routes: discord.py waits, so inject a
  5xx to model "Discord is down".

`discord_fault(..., applied=True)` models the worst 5xx: Discord applied the call (the message exists)
and then answered with an error (a gateway timeout, a dropped connection), so a retry must not double it.
`applied_then_error` (autouse) is what makes simcord honour those.

`db_fault` makes a store method raise like a locked or full SQLite database.

`discord_rate_limited(env, method, path, retry_after)` answers 429 the way discord.py 2.7 handles it
(discord/http.py `request`): it sleeps `retry_after` (virtual) seconds and sends the request again, unless the
client's `max_ratelimit_timeout` is shorter, when it raises `discord.RateLimited` at once. `rate_limits`
(autouse) makes simcord's transport do that, with the timeout the bot gave its own HTTP client.

`discord_fault(..., retried=True)` models discord.py's own retry (discord/http.py `request`: 500/502/504/524, up
to 5 tries, the same payload): Discord applied the call, answered 5xx, discord.py sent it again and that
succeeded, so the bot sees one success. `applied_then_error` honours `nonce` + `enforce_nonce` on message creates
as Discord does (the message already created with that nonce by the same author in the last few minutes is
returned, no second one is made); simcord itself ignores them. discord.py 2.7's `Messageable.send` sends a random
enforced nonce when given none, so its retries of a channel post never double one.

`gateway_held(env, event)`: gateway events of one type held back (a thread made before a 5xx not yet in the cache).

`discord_history_order` (autouse, like the errors): a history read with `after=` returns the *oldest*
page after that message, as Discord does, where simcord returns the newest one (so discord.py's paging
forward stopped after one page and a long thread looked 100 messages long).

New tests inject faults only through `discord_fault` and `db_fault` (never `env.inject_error` directly).
"""

from __future__ import annotations

import asyncio
import fnmatch
import sqlite3
from typing import Any

import discord
import pytest
from simcord import _dpy_internals as sim_internals
from simcord.backend.errors import BackendError
from simcord.http import client as sim_client
from simcord.http import router as sim_router
from simcord.http.routes import messages as sim_messages

THREAD_ALREADY_CREATED = 160004  # Discord's JSON error code: the message already has a thread
NONCE_WINDOW = 120.0  # seconds a nonce is remembered: Discord says "the past few minutes"; two is the safe floor


class FakeResponse:
    """Just enough of an aiohttp response for discord.HTTPException and its subclasses."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
                       502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
        self.headers: dict[str, str] = {}


def http_error(status: int, code: int = 0, message: str = "injected by test") -> discord.HTTPException:
    """The exception discord.py raises for a final response with this status."""
    response: Any = FakeResponse(status)
    data = {"code": code, "message": message}
    if status >= 500:
        return discord.DiscordServerError(response, data)
    if status == 403:
        return discord.Forbidden(response, data)
    if status == 404:
        return discord.NotFound(response, data)
    return discord.HTTPException(response, data)


def _raise_like_discord_py(error: Any) -> None:
    raise http_error(error.status, error.code, error.message)


@pytest.fixture(autouse=True)
def realistic_http_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autouse for every test (tests/conftest.py imports it): simcord's backend errors surface as discord.py's."""
    monkeypatch.setattr(sim_client, "_raise_for", _raise_like_discord_py)


@pytest.fixture(autouse=True)
def discord_history_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autouse (tests/conftest.py imports it): GET messages with `after=` answers Discord's oldest page first."""
    original = sim_messages.get_history

    def oldest_page_after(ctx: Any) -> Any:
        params = ctx.params
        if "after" in params and "before" not in params and "around" not in params:
            after, limit = int(params["after"]), int(params.get("limit", 50))
            newer = sorted(m.id for m in ctx.backend.messages[ctx.int_arg("channel_id")].values()
                           if not m.is_ephemeral and m.id > after)
            if len(newer) > limit:  # the page is the `limit` messages right after `after` (newest first within it)
                ctx.params = {**params, "before": str(newer[limit])}
        return original(ctx)

    routes = [(template, oldest_page_after if handler is original else handler)
              for template, handler in sim_router._ROUTES["GET"]]
    monkeypatch.setitem(sim_router._ROUTES, "GET", routes)


@pytest.fixture(autouse=True)
def applied_then_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autouse (tests/conftest.py imports it): faults marked `applied` fail only after simcord applied the call."""
    original = sim_router.dispatch

    def once(backend: Any, method: str, path: str, **kwargs: Any) -> Any:
        """One request as Discord answers it: a message create carrying an enforced nonce is made once; a
        second thread on one message is refused (400, 160004), where simcord would make it again."""
        if method == "POST" and fnmatch.fnmatch(path, "/channels/*/messages/*/threads") \
                and int(path.split("/")[4]) in backend.channels:
            raise BackendError(400, THREAD_ALREADY_CREATED, "A thread has already been created for this message")
        body = kwargs.get("json")
        nonce = body.get("nonce") if method == "POST" and isinstance(body, dict) and body.get("enforce_nonce") \
            else None
        if nonce is None or not fnmatch.fnmatch(path, "/channels/*/messages"):
            return original(backend, method, path, **kwargs)
        made = backend.__dict__.setdefault("nonces", {})
        earlier = made.get((path, str(nonce)))
        if earlier is not None and backend.clock.elapsed - earlier[0] <= NONCE_WINDOW \
                and int(earlier[1]["id"]) in backend.messages.get(int(path.split("/")[2]), {}):
            return earlier[1]
        result = original(backend, method, path, **kwargs)
        made[(path, str(nonce))] = (backend.clock.elapsed, result)
        return result

    def matching(backend: Any, method: str, path: str, body: Any, applied: bool) -> Any:
        """The first fault this call meets (its count taken), or None."""
        for fault in list(getattr(backend, "applied_faults", ())):
            if fault.get("applied", True) != applied or fault["method"] not in (method, "*") \
                    or not fnmatch.fnmatch(path, fault["path"]):
                continue
            if fault.get("content") is not None and (
                    not isinstance(body, dict) or fault["content"] not in str(body.get("content") or "")):
                continue
            if fault["times"] is not None:
                fault["times"] -= 1
                if fault["times"] <= 0:
                    backend.applied_faults.remove(fault)
            return fault
        return None

    def dispatch(backend: Any, method: str, path: str, **kwargs: Any) -> Any:
        body = kwargs.get("json")
        refused = matching(backend, method, path, body, applied=False)
        if refused is not None:  # a fault on what the call says: Discord refuses it before doing anything
            raise BackendError(refused["status"], refused["code"], refused["message"])
        result = once(backend, method, path, **kwargs)
        fault = matching(backend, method, path, body, applied=True)
        if fault is not None:
            if fault["retried"]:  # discord.py sends the same request again, and that one succeeds
                return once(backend, method, path, **kwargs)
            raise BackendError(fault["status"], fault["code"], fault["message"])
        return result

    monkeypatch.setattr(sim_router, "dispatch", dispatch)


def discord_fault(env: Any, method: str, path: str, status: int, *, times: int | None = 1, code: int = 0,
                  applied: bool = False, retried: bool = False, content: str | None = None) -> None:
    """Make matching REST calls fail `times` times (None: for the rest of the test).

    applied: the call takes effect in Discord first (a 5xx after the post was made), then fails.
    retried: applied, then a 5xx that discord.py retried by itself, successfully: the bot sees only the retry's
    answer (a second message, unless the create carried an enforced nonce).
    content: only calls whose JSON body's `content` holds this text (a post into a thread whose id the test
    cannot know beforehand, told apart by what it says).
    """
    if retried:
        applied = True
    if applied and status < 500:
        raise ValueError("only a 5xx can arrive after Discord applied the call")
    if applied or content is not None:
        if status == 403 and not code:
            code = 50013
        faults = env.backend.__dict__.setdefault("applied_faults", [])
        faults.append({"method": method, "path": path, "status": status, "code": code, "content": content,
                       "message": "applied, then failed (injected by test)" if applied else "injected by test",
                       "times": times, "retried": retried, "applied": applied})
        return
    if status == 429:
        raise ValueError("discord.py waits out 429s on ordinary routes; inject a 5xx instead")
    if status == 403 and not code:
        code = 50013  # Missing Permissions
    if status == 404 and not code:
        code = 10003  # Unknown Channel
    env.inject_error(method, path, status=status, code=code, times=times)


def db_fault(monkeypatch: pytest.MonkeyPatch, target: Any, name: str, *, times: int = 1,
             message: str = "database is locked") -> list[int]:
    """Make `target.name` (an async store method) raise sqlite3.OperationalError `times` times.

    Returns a one-item list counting the calls that failed.
    """
    original = getattr(target, name)
    failed = [0]

    async def failing(*args: Any, **kwargs: Any) -> Any:
        if failed[0] < times:
            failed[0] += 1
            raise sqlite3.OperationalError(message)
        return await original(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)
    return failed


def host_clock_is_simcord(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the job loop read simcord's clock as the host's wall clock, as production's one clock is both.

    The loop re-reads the wall clock during a long sleep only on the host's clock (bot/core/jobs.WALL_CHECK);
    simcord's virtual clock is not the host's, so a test of a wall-clock step says which clock the host has."""
    monkeypatch.setattr(env.bot.scheduler, "host", env.now)


def wall_clock_jump(env: Any, seconds: float) -> None:
    """The wall clock steps forward `seconds` (a VM resumed, an NTP step) while the monotonic clock does not.

    simcord's one clock serves both (`now()` = its epoch + elapsed; the loop's time = elapsed); moving its epoch
    moves what discord.utils.utcnow() answers and leaves every timer already set where it was."""
    from datetime import timedelta

    env.backend.clock._epoch += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autouse (tests/conftest.py imports it): faults from `discord_rate_limited` are waited out or raised as
    discord.py does, and simcord's transport keeps the `max_ratelimit_timeout` the bot gave its HTTP client."""
    original_request = sim_client.FakeHTTPClient.request
    original_install = sim_internals.install_http

    async def request(self: Any, route: Any, **kwargs: Any) -> Any:
        path = sim_client._path_of(route.url)
        for fault in list(getattr(self.backend, "rate_limits", ())):
            if fault["method"] in (route.method, "*") and fnmatch.fnmatch(path, fault["path"]):
                if fault["times"] is not None:
                    fault["times"] -= 1
                    if fault["times"] <= 0:
                        self.backend.rate_limits.remove(fault)
                self.backend.__dict__.setdefault("rate_limited", []).append((route.method, path))
                if self.max_ratelimit_timeout and fault["retry_after"] > self.max_ratelimit_timeout:
                    raise discord.RateLimited(fault["retry_after"])
                await asyncio.sleep(fault["retry_after"])  # discord.py waits, then sends the request again
        return await original_request(self, route, **kwargs)

    def install_http(client: Any, http: Any) -> None:
        http.max_ratelimit_timeout = getattr(getattr(client, "http", None), "max_ratelimit_timeout", None)
        original_install(client, http)

    monkeypatch.setattr(sim_client.FakeHTTPClient, "request", request)
    monkeypatch.setattr(sim_internals, "install_http", install_http)


def discord_rate_limited(env: Any, method: str, path: str, retry_after: float, *, times: int | None = 1) -> None:
    """Matching REST calls answer 429 with `retry_after` seconds, `times` times (None: for the rest of the test),
    surfacing as discord.py does (see `rate_limits`). `env.backend.rate_limited` lists the calls that met one."""
    faults = env.backend.__dict__.setdefault("rate_limits", [])
    faults.append({"method": method, "path": path, "retry_after": retry_after, "times": times})


def gateway_held(env: Any, event: str) -> Any:
    """Gateway events of this type reach the bot late, as Discord's gateway and REST answers travel apart: a
    thread made before a 5xx may not yet be in the bot's cache. Held until the returned `release()` is called
    (then delivered in order); simcord itself delivers every event before the REST answer."""
    backend = env.backend
    deliver = backend.emit
    held: list[Any] = []

    def emit(name: str, payload: Any) -> None:
        if name == event:
            held.append(payload)
            backend.transcript.append(("HELD", name, payload))
            return
        deliver(name, payload)

    def release() -> None:
        backend.__dict__.pop("emit", None)
        for payload in held:
            deliver(event, payload)
        held.clear()

    backend.emit = emit
    return release


async def sqlite_read_only(db: Any, on: bool = True) -> None:
    """Every write the bot's SQLite database is asked for fails as on a read-only file (a volume remounted
    read-only, the file's mode changed): `PRAGMA query_only` on both of its writing connections (aiosqlite's and
    the writer thread's) makes SQLite itself refuse, with the very error and code (SQLITE_READONLY, "attempt to
    write a readonly database"); reads go on. `on=False` gives the writes back."""
    pragma = f"PRAGMA query_only = {1 if on else 0}"
    await db.conn.execute(pragma)
    await db._on_writer(lambda raw: raw.execute(pragma).close())


def sqlite_full(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The disk is full: every write transaction's COMMIT fails with SQLITE_FULL ("database or disk is full") and
    SQLite rolls it back, at both doors the bot writes through (core/db_writes' one-hop writes and
    Database.transaction). SQLite cannot be made to run out of room for real here (no tiny filesystem can be
    mounted; `PRAGMA max_page_count` stops only writes that grow the file, and a small write fits in a page's
    slack and in the WAL), so the statements run and are undone as at a failed COMMIT. Returns `room()`, which
    frees the disk again."""
    from bot.core import db as core_db
    from bot.core import db_writes

    run_one, transaction = db_writes._run_one, core_db.Database.transaction
    full = {"on": True}

    def error() -> sqlite3.OperationalError:
        failure = sqlite3.OperationalError("database or disk is full")
        failure.sqlite_errorcode, failure.sqlite_errorname = 13, "SQLITE_FULL"  # type: ignore[attr-defined]
        return failure

    def _run_one(raw: sqlite3.Connection, work: Any, in_transaction: bool) -> Any:
        if not full["on"]:
            return run_one(raw, work, in_transaction)
        raw.execute("BEGIN IMMEDIATE")
        try:
            work(raw)
        finally:
            raw.execute("ROLLBACK")
        raise error()

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def full_transaction(self: Any) -> Any:
        async with transaction(self) as conn:
            yield conn
            if full["on"]:
                raise error()  # the COMMIT that follows fails; Database.transaction rolls back

    def room() -> None:
        full["on"] = False

    monkeypatch.setattr(db_writes, "_run_one", _run_one)
    monkeypatch.setattr(core_db.Database, "transaction", full_transaction)
    return room


def host_clock_step(env: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The host's wall clock, steppable apart from Discord's: returns `step(seconds)` (negative: an NTP step back).

    What the bot reads as the time (discord.utils.utcnow, and the job loop's host clock) moves by the steps so
    far; simcord's clock — Discord's: snowflakes, message times, the loop's monotonic timers — does not, as a
    real NTP step leaves Discord and the monotonic clock alone (`wall_clock_jump` moves both, which backwards
    would make Discord hand out ids older than the ones it gave before)."""
    from datetime import timedelta

    import discord.utils as discord_utils

    offset = [timedelta(0)]

    def host_now() -> Any:
        return env.now() + offset[0]

    def step(seconds: float) -> None:
        offset[0] += timedelta(seconds=seconds)

    monkeypatch.setattr(discord_utils, "utcnow", host_now)
    monkeypatch.setattr(env.bot.scheduler, "host", host_now)
    return step
