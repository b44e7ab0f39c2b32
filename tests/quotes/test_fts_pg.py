"""Full-text search on PostgreSQL (bot/quotes/fts_pg.py) against the baseline schema, through raw asyncpg."""

from __future__ import annotations

import random
from typing import Any

import asyncpg
import pytest

from bot.quotes import fts_pg
from bot.quotes.fts import MAX_TERMS
from tests.helpers import NASTY
from tests.pg import apply_baseline

# What /search runs (bot/quotes/store.py search_bounded), composed from the fragments as a store would.
SEARCH = (
    f"SELECT p.id, {fts_pg.rank()} AS rank, {fts_pg.headline()} AS snip FROM passages p"
    f" CROSS JOIN {fts_pg.tsquery('$1')} AS q WHERE {fts_pg.match()} AND p.quotable = 1"
    " ORDER BY rank DESC, p.id LIMIT $2"
)
LONG = (
    "This is a long review passage that wanders through the production history, the casting choices, the"
    " weather on the set and the catering budget before it briefly mentions that the soundtrack leans on jazz"
    " for a scene or two, and then returns to the lighting, the costumes, the distribution deal and the many"
    " festival screenings where audiences clapped politely and went home to bed without a second thought."
)
# (key, text, quotable): the passages the tests name; filler makes ~50 in all.
NAMED = [
    ("dense", "Jazz, jazz and more jazz: the score never stops swinging.", 1),
    ("long", LONG, 1),
    ("drummer", "The drummer practises until his hands bleed; the jazz band waits.", 1),
    ("cafe", "Running through the rain, she finds the Café where they first met.", 1),
    ("hidden", "A jazz passage that is not quotable must never be found.", 0),
    ("piano", "Piano lessons and a stubborn teacher who never smiles.", 1),
    ("all", "A piano, a drummer and a jazz club at midnight.", 1),
]
_ADJ = ["quiet", "bright", "slow", "bitter", "tender", "strange", "patient", "restless"]
_NOUN = ["camera", "harbour", "winter", "letter", "garden", "mirror", "station", "orchard"]
_VERB = ["follows", "watches", "circles", "remembers", "ignores", "frames"]


def _filler(count: int) -> list[str]:
    rng = random.Random(7)
    return [
        f"The {rng.choice(_ADJ)} {rng.choice(_NOUN)} of this film {rng.choice(_VERB)} the {rng.choice(_NOUN)}"
        f" while the {rng.choice(_ADJ)} {rng.choice(_NOUN)} waits." for _ in range(count)
    ]


async def _corpus(dsn: str) -> tuple[Any, dict[str, int]]:
    """A connection to the baseline schema holding ~50 passages; {key: passage id} of the named ones."""
    conn = await asyncpg.connect(dsn)
    await apply_baseline(conn)
    film = await conn.fetchval("INSERT INTO films(title, year) VALUES ('Whiplash', 2014) RETURNING id")
    review = await conn.fetchval(
        "INSERT INTO reviews(film_id, body, body_hash, source, added_at) VALUES ($1, 'b', 'h', 'moderator', 'now')"
        " RETURNING id", film,
    )
    rows = [*NAMED, *((f"filler{i}", text, 1) for i, text in enumerate(_filler(43)))]
    ids = {}
    for ordinal, (key, text, quotable) in enumerate(rows):
        ids[key] = await conn.fetchval(
            "INSERT INTO passages(review_id, ordinal, paragraph, text, quotable) VALUES ($1, $2, 1, $3, $4)"
            " RETURNING id", review, ordinal, text, quotable,
        )
    return conn, ids


async def _search(conn: Any, text: str, *, any_word: bool = False, limit: int = 10) -> list[Any] | None:
    query = fts_pg.query_text(text, any_word=any_word)
    return None if query is None else await conn.fetch(SEARCH, query, limit)


def test_query_text_keeps_words_only():
    """FTS syntax and stray quotes carry no meaning: only plain words remain, ANDed or ORed."""
    assert fts_pg.query_text('"AND OR NEAR(') is None
    assert fts_pg.query_text("or") is None and fts_pg.query_text("Or", any_word=True) is None  # the operator
    assert fts_pg.query_text("Near") == "'near'"
    assert fts_pg.query_text('jazz* OR "piano"') == "'jazz' & 'piano'"
    assert fts_pg.query_text('jazz* OR "piano"', any_word=True) == "'jazz' | 'piano'"
    assert fts_pg.query_text("-jazz ^piano col:drums") == "'jazz' & 'piano' & 'col' & 'drums'"
    assert fts_pg.query_text("a\x00b") == "'a' & 'b'"
    assert len(fts_pg.query_text("word " * 2000 + "x" * 10_000).split(" & ")) <= MAX_TERMS


async def test_ranking_prefers_dense_short_passages(pg_database):
    """"jazz" ranks the short passage saying it three times first and the long one mentioning it once
    last; the non-quotable passage is never found."""
    conn, ids = await _corpus(pg_database)
    try:
        found = [row["id"] for row in await _search(conn, "jazz")]
    finally:
        await conn.close()
    assert set(found) == {ids["dense"], ids["long"], ids["drummer"], ids["all"]}
    assert found[0] == ids["dense"] and found[-1] == ids["long"]


async def test_every_word_is_required_and_any_word_ranks_by_coverage(pg_database):
    """Default: every keyword must match; with any_word, the passage with all three words ranks first."""
    conn, ids = await _corpus(pg_database)
    try:
        every = [row["id"] for row in await _search(conn, "piano drummer")]
        any_word = [row["id"] for row in await _search(conn, "piano drummer jazz", any_word=True)]
    finally:
        await conn.close()
    assert every == [ids["all"]]
    assert any_word[0] == ids["all"] and {ids["piano"], ids["drummer"], ids["dense"]} <= set(any_word)


async def test_highlights_mark_matches_like_snippet(pg_database):
    """Matches sit between \\x02 and \\x03 (stemmed forms too); a short passage is whole, a long one is
    at most 24 words with '…' where it was cut."""
    conn, ids = await _corpus(pg_database)
    try:
        by_id = {row["id"]: row["snip"] for row in await _search(conn, "jazz")}
        running = (await _search(conn, "run"))[0]["snip"]
    finally:
        await conn.close()
    assert by_id[ids["dense"]] == "\x02Jazz\x03, \x02jazz\x03 and more \x02jazz\x03: the score never stops swinging."
    long = by_id[ids["long"]]
    assert "\x02jazz\x03" in long and long.startswith("…") and long.endswith("…")
    assert len(long.split()) <= 26 and long.strip("…").replace("\x02", "").replace("\x03", "") in LONG
    assert running.startswith("\x02Running\x03 through")


async def test_stemming_and_accents_match(pg_database):
    """English stemming (runs ~ Running) and unaccent (cafe ~ Café) as FTS5's porter and remove_diacritics."""
    conn, ids = await _corpus(pg_database)
    try:
        for query in ("runs", "cafe", "CAFÉ", "café rain"):
            assert [row["id"] for row in await _search(conn, query)] == [ids["cafe"]], query
    finally:
        await conn.close()


async def test_stop_words_alone_match_nothing_on_the_baseline_configuration(pg_database):
    """On the baseline's configuration (075, before 238) a query of English stop words only finds nothing, without an
    error (tests/quotes/test_fts.py: after 238 it finds them, as SQLite's FTS5 does)."""
    conn, _ = await _corpus(pg_database)
    try:
        assert await _search(conn, "the a an") == []
        assert await _search(conn, "the a an", any_word=True) == []
    finally:
        await conn.close()


def _hostile() -> list[str]:
    rng = random.Random(31)
    alphabet = '"*^:()-+!&|<>\'\\@#{}[];,.~ \t\nNEAR AND OR NOT jazz piano 🎬🍿👩‍👧 é ß İ 中文 \u202e\u200b'
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(300)]
    tsquery_syntax = ["jazz & piano", "jazz | !piano", "jazz <-> piano", "jazz:*", "'jazz':A", "(((jazz",
                      "jazz <2> piano", '"jazz piano', 'jazz" OR "', "-", "--jazz", "or or or", "OR jazz OR"]
    return [*NASTY, *tsquery_syntax, "x" * 10_000, "jazz " * 3_000, "🎬" * 500, "\x00", "jazz\x00piano", *generated]


async def test_hostile_input_never_reaches_sql_as_syntax(pg_database):
    """Whatever a member types (FTS5 and tsquery syntax, quotes, 10k characters, NUL, emoji), the query
    either has no words (refused before SQL) or runs: no syntax error, no NUL sent."""
    conn, _ = await _corpus(pg_database)
    ran = refused = 0
    try:
        for text in _hostile():
            for any_word in (False, True):
                query = fts_pg.query_text(text, any_word=any_word)
                if query is None:
                    refused += 1
                    continue
                assert "\x00" not in query and not any(0xD800 <= ord(c) < 0xE000 for c in query)
                await conn.fetch(SEARCH, query, 5)
                ran += 1
    finally:
        await conn.close()
    assert ran > 300 and refused > 10


@pytest.mark.parametrize("text", ["\x00", "\x00\x00 \x00", '"\x00"'])
def test_nul_only_is_refused_before_sql(text):
    """Text of NUL and syntax only has no words: no query at all."""
    assert fts_pg.query_text(text) is None and fts_pg.query_text(text, any_word=True) is None
