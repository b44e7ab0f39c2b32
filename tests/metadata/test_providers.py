"""TMDB and Wikidata over real HTTP on loopback: what is sent, what is read, and every failure → nothing."""

from __future__ import annotations

import asyncio
import logging
import socket
import time

import pytest

from bot import Settings, create_bot
from bot.metadata.http import RETRY_AFTER_MAX, JsonClient
from bot.metadata.tmdb import TmdbProvider
from bot.metadata.wikidata import WikidataProvider

KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
async def tmdb(recorded):
    provider = TmdbProvider(KEY, f"{recorded.url}/3", contact="tests@filmbot.invalid")
    yield provider
    await provider.close()


@pytest.fixture
async def wikidata(recorded):
    provider = WikidataProvider(recorded.url, contact="tests@filmbot.invalid")
    yield provider
    await provider.close()


async def test_tmdb_sends_the_key_the_year_and_an_identifying_user_agent(tmdb, recorded):
    """search/movie carries api_key, query and year; the User-Agent names filmbot and the contact."""
    results = await tmdb.search("La La Land", 2016)
    assert [r.tmdb_id for r in results] == [313369, 441130, 582712]
    [hit] = recorded.hits
    assert hit.path == "/3/search/movie" and hit.query["api_key"] == KEY and hit.query["year"] == "2016"
    assert hit.headers["User-Agent"].startswith("filmbot/") and "tests@filmbot.invalid" in hit.headers["User-Agent"]


async def test_tmdb_details_append_credits_and_external_ids(tmdb, recorded):
    """movie/{id} is asked once, with credits and external ids appended."""
    meta = await tmdb.details(313369)
    assert meta.director == "Damien Chazelle" and meta.runtime_minutes == 129 and meta.imdb_id == "tt3783958"
    assert recorded.hits[-1].query["append_to_response"] == "credits,external_ids"


async def test_a_read_access_token_goes_in_a_header_never_in_the_url(recorded):
    """A v4 token (a JWT) is sent as Authorization: Bearer, with no api_key parameter."""
    provider = TmdbProvider("eyJhbGciOiJIUzI1NiJ9.e30.sig", f"{recorded.url}/3")
    try:
        await provider.search("La La Land", None)
    finally:
        await provider.close()
    [hit] = recorded.hits
    assert "api_key" not in hit.query and hit.headers["Authorization"] == "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"


async def test_wikidata_keeps_the_film_and_names_its_director_and_genres(wikidata, recorded):
    """wbsearchentities + wbgetentities: the album and TV series dropped; details name director and genres."""
    [film] = await wikidata.search("La La Land", 2016)
    assert (film.wikidata_id, film.year, film.runtime_minutes) == ("Q20090118", 2016, 128)
    meta = await wikidata.details("Q20090118")
    assert meta.director == "Damien Chazelle" and meta.genres == ("musical film", "romance film")
    assert meta.letterboxd_id == "la-la-land" and meta.imdb_id == "tt3783958"
    assert all(h.query["format"] == "json" and h.path == "/w/api.php" for h in recorded.hits)


FAILURES = {
    "404": {"status": 404, "file": "tmdb/404.json"},
    "500": {"status": 500, "file": "tmdb/500.json"},
    "malformed": {"file": "tmdb/malformed.json"},
    "429": {"status": 429, "file": "tmdb/429.json", "headers": {"Retry-After": "30"}},
    "html": {"status": 502, "body": b"<html>Bad gateway</html>"},
    "not json object": {"body": b"[1, 2, 3]"},
    "nested too deeply": {"body": b"[" * 5000 + b"]" * 5000},  # json's RecursionError is no ValueError
}


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_every_failure_is_no_answer_never_an_exception(tmdb, wikidata, recorded, kind, caplog):
    """404, 429, 500, malformed JSON, HTML, a wrong shape: [] and None, at most one log line each."""
    recorded.fail(**FAILURES[kind])
    with caplog.at_level(logging.WARNING, logger="bot.metadata"):
        assert await tmdb.search("La La Land", 2016) == []
        assert await tmdb.details(313369) is None
        assert await wikidata.search("La La Land", 2016) == []
    assert len(caplog.records) <= 3


@pytest.mark.parametrize("encode", [lambda b: b"\xef\xbb\xbf" + b, lambda b: b.decode("utf-8").encode("utf-16")],
                         ids=["utf-8 with a BOM", "utf-16"])
async def test_json_with_a_byte_order_mark_or_in_utf16_is_read(tmdb, recorded, encode):
    """The search answer with a UTF-8 byte-order mark, or in UTF-16 (both JSON per RFC 8259): read, not
    dropped as malformed."""
    from tests.metadata.conftest import DATA

    recorded.serve("/3/search/movie", body=encode((DATA / "tmdb/search-la-la-land.json").read_bytes()))
    found = await tmdb.search("La La Land", 2016)
    assert any(film.title == "La La Land" and film.year == 2016 for film in found)
    assert tmdb.client.failures == 0


async def test_a_slow_answer_past_the_timeout_is_given_up(tmdb, recorded):
    """An answer 3 s late with a 0.3 s timeout: [] in well under a second, the loop never blocked."""
    recorded.fail(200, "tmdb/search-la-la-land.json", delay=3)
    tmdb.client.timeout = 0.3
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(ticker())
    started = time.perf_counter()
    assert await tmdb.search("La La Land", 2016) == []
    took = time.perf_counter() - started
    beat.cancel()
    assert took < 1.0 and ticks >= 10  # the event loop kept running while the request waited


async def test_closing_while_a_provider_hangs_frees_its_threads_at_once(recorded):
    """A request in flight to a server that never answers, then the bot closes (a restart, a stop): the thread
    that waited for it is free at once, not after its own timeout (80+ s, which held the process's exit)."""
    recorded.fail(200, "tmdb/search-la-la-land.json", delay=30)
    client = JsonClient("TMDB", f"{recorded.url}/3", rate=100, timeout=20)
    request = asyncio.create_task(client.get("/search/movie"))
    await asyncio.sleep(0.5)
    request.cancel()
    started = time.perf_counter()
    await client.close()
    await asyncio.wait_for(asyncio.to_thread(client.io.waiters.shutdown, True), 5)
    assert time.perf_counter() - started < 5


async def test_429_pauses_the_provider_for_retry_after_bounded(recorded):
    """After a 429 no request is sent until Retry-After has passed; an absurd Retry-After is capped."""
    now = [1000.0]
    client = JsonClient("TMDB", f"{recorded.url}/3", rate=100, clock=lambda: now[0])
    recorded.fail(429, "tmdb/429.json", headers={"Retry-After": "30"})
    try:
        assert await client.get("/search/movie") is None
        assert await client.get("/search/movie") is None
        assert recorded.count() == 1  # the second call never left
        now[0] += 31
        recorded.fail(429, "tmdb/429.json", headers={"Retry-After": "99999999"})
        assert await client.get("/search/movie") is None
        assert recorded.count() == 2 and client.paused_until - now[0] == RETRY_AFTER_MAX
    finally:
        await client.close()


async def test_an_unreachable_service_is_paused_after_one_try():
    """Connection refused: None, one request, then no more attempts for a while."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = JsonClient("Wikidata", f"http://127.0.0.1:{port}", rate=100)
    try:
        assert await client.get("/w/api.php") is None
        assert client.paused() and client.failures == 1
        assert await client.get("/w/api.php") is None and client.requests == 1
    finally:
        await client.close()


async def test_requests_are_spaced_under_the_rate_limit(recorded):
    """11 requests at 20 a second take at least half a second, whatever the concurrency."""
    client = JsonClient("TMDB", f"{recorded.url}/3", rate=20, concurrency=4)
    recorded.serve("/3/x", body=b"{}")
    try:
        started = time.perf_counter()
        await asyncio.gather(*(client.get("/x") for _ in range(11)))
        took = time.perf_counter() - started
    finally:
        await client.close()
    assert recorded.count("/3/x") == 11 and took >= 0.49


@pytest.mark.parametrize(("options", "says"), [
    ({}, "film metadata off"),
    ({"metadata": True}, "from Wikidata (no TMDB_API_KEY"),
    ({"metadata": True, "tmdb_api_key": KEY}, "from TMDB"),
])
async def test_one_log_line_at_start_says_where_film_data_comes_from(tmp_path, caplog, options, says):
    """Building the bot logs exactly one metadata line, and never the key."""
    with caplog.at_level(logging.INFO, logger="bot.metadata"):
        bot = create_bot(Settings(database=tmp_path / "f.db", **options))
    await bot.metadata.close()
    [record] = caplog.records
    assert says in record.getMessage() and KEY not in record.getMessage()
