"""Threads in the playground: a page can show #film-club or one of its threads, and talk in it.

simcord 3.2's preview presents exactly one channel per session (`env.preview(channel, ...)`, one
active preview per Env; its docs promise nothing more) and its page always opens on that channel:
the thread chip under a prompt is a plain label. Without editing simcord, this module:

- gives every (channel, viewer) pair its own session key (the part of the URL after `#`), derived
  from and as secret as the session's own; a page opened with such a key is bound to that channel
  (a thread of #film-club the viewer can see) and opens as that viewer;
- shows that channel's history, composer and slash commands through simcord's own machinery: while a
  page's action runs, `preview.channel` is the page's channel, so a message or command typed in a
  thread goes to the thread;
- adds to each page's published state a `filmbot` block: the channels the page's viewer can see
  (#film-club and its threads, each with its key) and, on a thread page, the prompt it was opened
  from, projected for that viewer by simcord's own message projection;
- serves simcord's page plus one script and stylesheet (bot/playground_static/) that list those
  channels in the sidebar and make the thread chip under a prompt open its thread.

It leans on simcord 3.2's private preview API (`_open_page`, `_action`, `_publish`, the server's
handlers); tests/cross/test_playground_threads.py drives it through the page's HTTP interface so a
simcord upgrade that changes them fails there, not in front of a user.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from aiohttp import web
from multidict import CIMultiDict
from simcord.backend.access import can_access_channel, can_access_message
from simcord.builders import ChannelHandle
from simcord.preview import Preview
from simcord.preview._server import PreviewServer, _read_json_body

log = logging.getLogger(__name__)

CAPABILITY_HEADER = "X-Simcord-Capability"
STATIC = Path(__file__).with_name("playground_static")
OWN_FILES = {"/filmbot-threads.js": "threads.js", "/filmbot-threads.css": "threads.css"}
MAX_THREADS_LISTED = 25  # newest first; a sidebar, not an archive

# The channel the page being served shows, while simcord handles one of its requests.
_SHOWN: contextvars.ContextVar[int | None] = contextvars.ContextVar("filmbot_shown_channel", default=None)


class ThreadedPreview(Preview):
    """simcord's Preview, with pages bound to #film-club or to one of its threads."""

    home: ChannelHandle
    _links: dict[str, tuple[int, int]]
    _keys: dict[tuple[int, int], str]

    @classmethod
    def adopt(cls, preview: Preview) -> ThreadedPreview:
        """Turn a fresh (not yet entered) preview from `env.preview(...)`, which validated the channel,
        viewers and sizes, into a ThreadedPreview serving the extended page."""
        home = preview.__dict__.pop("channel")  # Preview's plain attribute becomes the property below
        preview.__class__ = cls
        assert isinstance(preview, ThreadedPreview)
        preview.home = home
        preview._links = {}
        preview._keys = {}
        preview._server = ThreadedServer(preview, preview._server._requested_port)
        return preview

    # Preview.__init__ assigns self.channel; simcord reads it for the channel a page's actions act on.
    @property
    def channel(self) -> ChannelHandle:
        shown = _SHOWN.get()
        if shown is None or shown == self.home.id:
            return self.home
        return ChannelHandle(self.env, self.home.guild, self.env.backend.get_channel(shown))

    @channel.setter
    def channel(self, value: ChannelHandle) -> None:
        self.home = value

    def link(self, channel_id: int, viewer_id: int) -> str:
        """The session key of a page showing channel_id to viewer_id."""
        pair = (channel_id, viewer_id)
        if pair not in self._keys:
            key = secrets.token_urlsafe(32)
            self._keys[pair] = key
            self._links[key] = pair
        return self._keys[pair]

    def url_for(self, channel_id: int, viewer: Any) -> str:
        """The page URL showing channel_id as viewer (a credential, like `url`)."""
        return f"{self._origin}/#{self.link(channel_id, viewer.id)}"

    def open_page_in(self, channel_id: int, viewer_id: Any) -> Any:
        """simcord's page opening, bound to channel_id instead of the session's channel."""
        shown = _SHOWN.set(channel_id)
        try:
            page = self._open_page(viewer_id, None)
        finally:
            _SHOWN.reset(shown)
        if channel_id != self.home.id:
            # The new page inherits the Python page's history window, an id in #film-club: show the
            # thread up to its newest message instead.
            page.window_end_id = None
            self._publish(page, reason="initial")
        return page

    async def _action(self, context_id: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
        page = self._pages.get(context_id) if isinstance(context_id, str) else None
        shown = _SHOWN.set(page.channel_id if page is not None else None)
        try:
            return await super()._action(context_id, body)
        finally:
            _SHOWN.reset(shown)

    def _publish(self, page: Any, *, reason: Any = "action") -> None:
        super()._publish(page, reason=reason)
        # Published with the page's snapshot, so the page reads it with every state it shows.
        page.snapshot["filmbot"] = self.navigation(page)

    def navigation(self, page: Any) -> dict[str, Any]:
        """The channels the page's viewer can see, with their keys, and a thread page's prompt."""
        backend = self.env.backend
        viewer = page.viewer
        threads = sorted(
            (c for c in backend.channels.values() if c.is_thread and c.parent_id == self.home.id),
            key=lambda c: c.id, reverse=True,
        )
        channels: list[dict[str, Any]] = []
        for channel in [backend.get_channel(self.home.id), *threads]:
            if len(channels) > MAX_THREADS_LISTED:
                break
            if not can_access_channel(self.env, channel.id, viewer, history=True):
                continue
            channels.append({
                "id": str(channel.id),
                "name": channel.name or "",
                "thread": bool(channel.is_thread),
                "archived": bool(channel.thread_metadata and channel.thread_metadata.archived),
                "current": channel.id == page.channel_id,
                "key": self.link(channel.id, viewer.id),
            })
        return {"channels": channels, "starter": self._starter(page)}

    def _starter(self, page: Any) -> dict[str, Any] | None:
        """The message a thread page's thread was opened from, as its viewer sees it (Discord shows it
        at the top of the thread); None elsewhere or when the viewer may not see it."""
        from simcord.preview._messages import _message_projection

        backend = self.env.backend
        thread = backend.channels.get(page.channel_id)
        if thread is None or not thread.is_thread or thread.parent_id is None:
            return None
        # A thread opened from a message has that message's id.
        message = backend.messages.get(thread.parent_id, {}).get(thread.id)
        if message is None or not can_access_message(
            self.env, thread.parent_id, message, page.viewer, history=True
        ):
            return None
        parent = backend.get_channel(thread.parent_id)
        try:
            projected = _message_projection(self, page, message, compact=False, channel=parent)
        except Exception:  # a private simcord helper: without it the page still works, minus the card
            log.exception("could not project the thread's starter message")
            return None
        projected["allowed_actions"] = []  # shown for reading; act on it in its own channel
        projected["components"] = []
        projected["thread"] = None  # the page is that thread already
        return {"message": projected, "channel": parent.name or "", "key": self.link(parent.id, page.viewer.id)}


class _WithSessionKey:
    """A request whose derived key is replaced by the session's own, for simcord's own checks."""

    def __init__(self, request: Any, capability: str) -> None:
        self.headers = CIMultiDict(request.headers)
        self.headers[CAPABILITY_HEADER] = capability


class ThreadedServer(PreviewServer):
    """simcord's preview server, accepting channel keys and serving the page with the thread UI."""

    preview: ThreadedPreview
    _STATIC_FILES: ClassVar[dict[str, str]] = {**PreviewServer._STATIC_FILES, **{path: path for path in OWN_FILES}}

    def _authorized(self, request: Any, *, context: str | None = None) -> bool:
        if request.headers.get(CAPABILITY_HEADER) in self.preview._links:
            request = _WithSessionKey(request, self.preview.capability)
        return bool(super()._authorized(request, context=context))

    async def _pages(self, request: Any) -> Any:
        link = self.preview._links.get(request.headers.get(CAPABILITY_HEADER, ""))
        if link is None:
            return await super()._pages(request)
        if not self._authorized(request):
            raise web.HTTPUnauthorized()
        body = await _read_json_body(request)  # simcord's own size-bounded reader
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="JSON object required")
        channel_id, viewer_id = link
        try:
            page = self.preview.open_page_in(channel_id, body.get("viewer_id") or viewer_id)
        except Exception:
            log.exception("could not open a page on channel %s", channel_id)
            return web.json_response({"error": {"code": "control-unavailable"}}, status=400,
                                     headers=self._SECURITY_HEADERS)
        return web.json_response(self.preview._page_payload(page), headers=self._SECURITY_HEADERS)

    async def _static(self, request: Any) -> Any:
        if request.path not in OWN_FILES and request.path != "/":
            return await super()._static(request)
        if self.port is None or request.headers.get("Host", "") not in self._allowed_hosts():
            raise web.HTTPForbidden()
        if request.path == "/":
            return web.Response(text=page_html(), content_type="text/html", headers=self._SECURITY_HEADERS)
        name = OWN_FILES[request.path]
        content_type = "text/css" if name.endswith(".css") else "application/javascript"
        return web.Response(text=(STATIC / name).read_text(encoding="utf-8"), content_type=content_type,
                            headers=self._SECURITY_HEADERS)


def page_html() -> str:
    """simcord's page with the thread UI: its script runs before simcord's app (module scripts run in
    document order), so it sees the first state the page loads."""
    import simcord.preview

    html = (Path(simcord.preview.__file__).with_name("static") / "index.html").read_text(encoding="utf-8")
    app = '<script type="module" src="/app.js"></script>'
    if app not in html or "</head>" not in html:  # a simcord whose page changed: serve it untouched
        log.warning("simcord's preview page changed; threads cannot be opened from it")
        return html
    html = html.replace("</head>", '  <link rel="stylesheet" href="/filmbot-threads.css">\n  </head>', 1)
    return html.replace(app, f'<script type="module" src="/filmbot-threads.js"></script>\n    {app}', 1)
