"""A loopback HTTP server playing back recorded TMDB and Wikidata answers, and bots pointed at it.

The server is the standard library's ThreadingHTTPServer in a thread of its own (its delays are real
sleeps, out of reach of the simulated clock); the bot talks to it with its real aiohttp client.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from bot import Settings, create_bot

DATA = Path(__file__).parent / "data"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class RecordedServer:
    """Routes: '/3/search/movie', or '/w/api.php?action=wbgetentities&ids=Q1' (the most specific wins)."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, route: str, file: str | None = None, *, status: int = 200, body: bytes | None = None,
              headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        data = body if body is not None else (DATA / file).read_bytes() if file else b"{}"
        self.routes[route] = Answer(status, data, headers or {}, delay)

    def fail(self, status: int = 200, file: str | None = None, **kwargs: Any) -> None:
        """Every route answers `status` from now on (the recorded error body when given)."""
        for route in list(self.routes):
            self.serve(route, file, status=status, **kwargs)

    def count(self, path_part: str = "") -> int:
        with self.lock:
            return sum(1 for hit in self.hits if path_part in hit.path + "?" + json.dumps(hit.query))

    def answer_for(self, path: str, query: dict[str, str]) -> Answer | None:
        action = query.get("action")
        keys = [f"{path}?action={action}&ids={query.get('ids')}", f"{path}?action={action}", path]
        return next((self.routes[k] for k in keys if k in self.routes), None)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                with server.lock:
                    server.hits.append(Hit(parts.path, query, dict(self.headers)))
                answer = server.answer_for(parts.path, query) or Answer(404, (DATA / "tmdb/404.json").read_bytes())
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                    self.send_header("Content-Length", str(len(answer.body)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def record_la_la_land(server: RecordedServer) -> None:
    """The recorded answers for La La Land on both providers."""
    server.serve("/3/search/movie", "tmdb/search-la-la-land.json")
    server.serve("/3/movie/313369", "tmdb/movie-313369.json")
    server.serve("/w/api.php?action=wbsearchentities", "wikidata/search-la-la-land.json")
    server.serve("/w/api.php?action=wbgetentities&ids=Q20090118|Q27830362|Q6466588",
                 "wikidata/entities-la-la-land.json")
    server.serve("/w/api.php?action=wbgetentities&ids=Q20090118", "wikidata/entity-Q20090118.json")
    server.serve("/w/api.php?action=wbgetentities", "wikidata/labels.json")


@pytest.fixture
def recorded():
    server = RecordedServer()
    record_la_la_land(server)
    yield server
    server.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "metadata(mode): tmdb (key set, default), wikidata (no key) or off")


@pytest.fixture
def settings(settings: Settings, recorded: RecordedServer, request: pytest.FixtureRequest) -> Settings:
    """The bot's settings pointed at the loopback server; @pytest.mark.metadata("wikidata"|"off"). On the
    conftest's database (SQLite, or PostgreSQL under FILMBOT_TEST_DATABASE)."""
    marker = request.node.get_closest_marker("metadata")
    mode = marker.args[0] if marker else "tmdb"
    return dataclasses.replace(
        settings, metadata=mode != "off",
        tmdb_api_key="0123456789abcdef0123456789abcdef" if mode == "tmdb" else None,
        tmdb_base_url=f"{recorded.url}/3", wikidata_base_url=recorded.url, metadata_contact="tests@filmbot.invalid",
    )


@pytest.fixture
async def simcord_bot(settings: Settings):
    bot = create_bot(settings)
    yield bot
    await bot.metadata.close()
    await bot.close_store()
