"""The PostgreSQL schema (bot/migrations/postgresql/075-baseline.sql) against the SQLite one it mirrors."""

from __future__ import annotations

import random
import re
import unicodedata
from importlib import resources
from typing import Any

import asyncpg
import pytest

from bot.core import db as core_db
from bot.core.db import connect, migrate
from bot.core.db_pg import migrate_postgres
from tests.pg import BASELINE, apply_baseline
from tools import pg_unicode

# SQLite's own tables and FTS5's (passages_fts is passages.search on PostgreSQL) are not part of the port.
_SQLITE_ONLY = re.compile(r"^(sqlite_.*|passages_fts.*)$")
# FTS5's triggers, and migration 137's that keep it on a trimmed passage's kept sentence (on PostgreSQL:
# passages_search and passage_marks_search_* keep passages.search).
_SQLITE_ONLY_TRIGGERS = {"passages_ai", "passages_ad", "passages_au_old", "passages_au_new", "passages_bd_marks",
                         "passage_marks_ai_fts", "passage_marks_ad_fts", "passage_marks_au_fts"}
# Columns PostgreSQL has and SQLite has not, each documented in the baseline.
PG_ONLY_COLUMNS = {("passages", "search")}
_FUNCTIONS = {name: function for name, _, function in core_db._SQL_FUNCTIONS}


async def _sqlite_schema() -> tuple[dict[str, dict[str, bool]], set[str], set[str]]:
    """({table: {column: NOT NULL}}, index names, trigger names) of a fresh SQLite database."""
    conn = await connect(":memory:")
    try:
        await migrate(conn)
        objects = await conn.execute_fetchall("SELECT type, name FROM sqlite_master")
        tables: dict[str, dict[str, bool]] = {}
        for kind, name in objects:
            if kind == "table" and not _SQLITE_ONLY.match(name):
                info = await conn.execute_fetchall(f"SELECT name, [notnull], pk FROM pragma_table_info('{name}')")
                tables[name] = {column: bool(notnull or pk) for column, notnull, pk in info}
        indexes = {name for kind, name in objects if kind == "index" and not name.startswith("sqlite_autoindex")}
        triggers = {name for kind, name in objects if kind == "trigger"} - _SQLITE_ONLY_TRIGGERS
        return tables, indexes, triggers
    finally:
        await conn.close()


async def _pg_schema(conn: Any) -> tuple[dict[str, dict[str, bool]], set[str], set[str]]:
    rows = await conn.fetch(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public')"
    )
    tables: dict[str, dict[str, bool]] = {}
    for row in rows:
        tables.setdefault(row["table_name"], {})[row["column_name"]] = row["is_nullable"] == "NO"
    indexes = {row[0] for row in await conn.fetch("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    triggers = {row[0] for row in await conn.fetch("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    return tables, indexes, triggers


async def test_baseline_applies_to_an_empty_database(pg_database):
    """The baseline runs in one transaction on an empty database and leaves the three SQL functions."""
    conn = await asyncpg.connect(pg_database)
    try:
        await apply_baseline(conn)
        assert await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") >= 39
        assert await conn.fetchval("SELECT film_key('The Matrix') || casefold('ẞ') || critic_key(NULL, 7)") == (
            "matrixssreview:7"
        )
    finally:
        await conn.close()


async def test_tables_and_columns_match_sqlite(pg_database):
    """Same tables, same columns (and NOT NULL) per table as a fresh SQLite database; same indexes and
    triggers by name (FTS5's excepted); PostgreSQL-only columns are the documented ones."""
    sqlite_tables, sqlite_indexes, sqlite_triggers = await _sqlite_schema()
    conn = await asyncpg.connect(pg_database)
    try:
        await migrate_postgres(conn)  # the baseline and every later PostgreSQL migration, as the bot runs them
        pg_tables, pg_indexes, pg_triggers = await _pg_schema(conn)
    finally:
        await conn.close()
    assert set(pg_tables) == set(sqlite_tables)
    for table, columns in sqlite_tables.items():
        extra = {(table, column) for column in set(pg_tables[table]) - set(columns)}
        assert extra <= PG_ONLY_COLUMNS, extra
        assert {c: n for c, n in pg_tables[table].items() if (table, c) not in PG_ONLY_COLUMNS} == columns, table
    assert sqlite_indexes <= pg_indexes, sqlite_indexes - pg_indexes
    assert sqlite_triggers <= pg_triggers, sqlite_triggers - pg_triggers


def test_baseline_holds_the_generated_functions():
    """The functions in the baseline are tools/pg_unicode.py's output for this Python's Unicode tables."""
    text = BASELINE.read_text(encoding="utf-8")
    block = text[text.index(pg_unicode.BEGIN): text.index(pg_unicode.END) + len(pg_unicode.END)] + "\n"
    baked = re.search(r"\(Unicode ([\d.]+)\)", block)
    if baked is None or baked.group(1) != unicodedata.unidata_version:
        pytest.skip(f"baseline made with Unicode {baked and baked.group(1)}, this Python has {unicodedata.unidata_version}")
    assert block == pg_unicode.functions_sql()


def test_migration_114_holds_the_generated_film_key():
    """PostgreSQL's film_key() since 114 (accents folded) is tools/pg_unicode.py's output for this Python."""
    text = BASELINE.with_name("114-film-key-accents.sql").read_text(encoding="utf-8")
    block = text[text.index(pg_unicode.BEGIN): text.index(pg_unicode.END) + len(pg_unicode.END)] + "\n"
    baked = re.search(r"\(Unicode ([\d.]+)\)", block)
    if baked is None or baked.group(1) != unicodedata.unidata_version:
        pytest.skip(f"114 made with Unicode {baked and baked.group(1)}, this Python has {unicodedata.unidata_version}")
    assert block == pg_unicode.film_key_block()


def test_migration_180_holds_the_generated_film_key():
    """PostgreSQL's film_key() since 180 (stroked letters and ligatures folded too) is tools/pg_unicode.py's
    output for this Python."""
    text = BASELINE.with_name("180-film-key-letters.sql").read_text(encoding="utf-8")
    block = text[text.index(pg_unicode.BEGIN): text.index(pg_unicode.END) + len(pg_unicode.END)] + "\n"
    baked = re.search(r"\(Unicode ([\d.]+)\)", block)
    if baked is None or baked.group(1) != unicodedata.unidata_version:
        pytest.skip(f"180 made with Unicode {baked and baked.group(1)}, this Python has {unicodedata.unidata_version}")
    assert block == pg_unicode.film_key_block(letters=True)


def test_migration_226_holds_the_generated_film_key():
    """PostgreSQL's film_key() since 226 (emoji, modifier symbols and variation selectors left out too) is
    tools/pg_unicode.py's output for this Python."""
    text = BASELINE.with_name("226-film-key-emoji.sql").read_text(encoding="utf-8")
    block = text[text.index(pg_unicode.BEGIN): text.index(pg_unicode.END) + len(pg_unicode.END)] + "\n"
    baked = re.search(r"\(Unicode ([\d.]+)\)", block)
    if baked is None or baked.group(1) != unicodedata.unidata_version:
        pytest.skip(f"226 made with Unicode {baked and baked.group(1)}, this Python has {unicodedata.unidata_version}")
    assert block == pg_unicode.film_key_block(letters=True, emoji=True)


def test_later_migrations_run_on_postgresql_too():
    """Every migration above 075 runs on PostgreSQL: its own file in bot/migrations/postgresql, or the SQLite
    file itself (written portably); the schema test above proves the result. No PostgreSQL file without its
    SQLite number."""
    from bot.core.db_pg import postgres_migration_files

    pattern = re.compile(r"^(\d{3})-[\w-]+\.sql$")
    sqlite = {int(m.group(1)) for f in resources.files("bot").joinpath("migrations").iterdir()
              if (m := pattern.match(f.name))}
    postgres = [number for number, _, _ in postgres_migration_files()]
    assert postgres[0] == 75 and postgres == sorted(set(postgres))
    assert {n for n in sqlite if n > 75} == set(postgres[1:])


# --- the SQL functions: PostgreSQL's must equal the Python ones SQLite connections register ----------------

_BASES = [
    "Matrix", "Amélie", "Le Fabuleux Destin d'Amélie Poulain", "Straße", "STRASSE", "İstanbul", "ıstanbul",
    "ΟΔΥΣΣΕΥΣ", "Οδυσσεύς", "ΣΊΣΥΦΟΣ", "東京物語", "千と千尋の神隠し", "기생충", "Город", "Ǆungla", "ǅ", "ﬁlm",
    "Ⅻ Monkeys", "８½", "Se7en", "WALL·E", "Léon: The Professional", "M*A*S*H", "Æon Flux", "Ŋ", "ꞵ",
    "🎬 Film Night 🍿", "👩‍👩‍👧 Family", "🇫🇷 Paris", "Café\u0301", "e\u0301\u0327", "Y Tu Mamá También",
    "Pan’s Labyrinth", "Björk", "ガ", "हिन्दी", "Ёлки", "ǅ\u0301", "\u1ab0\u20d0\ufe20", "ℌ ™ ²", "ﬀ ﬃ ﬆ", "ŉ", "ǰ",
    "Ὀδυσσεύς", "Bølgerne", "ŁÓDŹ", "Þór", "Œuvre", "Đakovo", "Guðrún", "Ħal", "Ŧ", "ǿ", "ᾼ", "ΐ", "Ǳ", "µ", "ſ", "K", "Å", "\u1e9e", "Ꭰ", "ꭰ", "𐐀", "𞤀", "Title (1999)", "2001",
]
_ARTICLES = ["", "The ", "the ", "THE ", "A ", "An ", "an  ", "The\u00a0", "A\t", "Theater ", "Anne ", "The The "]
_TAILS = ["", ", The", ",the", ", A", " , an", ", The End", " the", ",\u2003The", ", Thé"]
_SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\u2028", "\x1c", "\x85", "\u180e"]
_ODD = ["", " ", "   ", "\t\n", "!!!", "...", "—", "?!", "()", "'", "-", "The", "A", "An", "the ,", ", the",
        "🎬", "\u0301", "\u200d", "\ufe0f", "\U000e0001", "\U0010ffff", "\ue000", "\u0378", "\uffff"]


def _corpus() -> list[str]:
    """≥ 2,000 strings: titles × articles × tails, NFC/NFD forms, whitespace runs, odd strings, every code
    point whose casefold() differs from lower() (alone and inside a title), random mixes."""
    found: list[str] = []
    for base in _BASES:
        for article in _ARTICLES:
            for tail in _TAILS[:4] if article else _TAILS:
                found.append(article + base + tail)
        for form in ("NFC", "NFD", "NFKC", "NFKD"):
            found.append(unicodedata.normalize(form, base))
            found.append(unicodedata.normalize(form, base.upper()))
        for space in _SPACES:
            found.append(f"{space}The{space}{space}{base}{space},{space}the{space}")
    found += _ODD
    special = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and chr(c).casefold() != chr(c).lower()]
    found += special + [f"The X{ch}y, the" for ch in special]
    rng = random.Random(31)
    alphabet = "".join(_BASES) + "".join(_SPACES) + "".join(_ODD) + "".join(special) + ",.;:!?'\"()[]-_/&"
    found += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(1500)]
    return [text for text in found if "\x00" not in text]


def test_corpus_is_large_enough():
    """The equivalence corpus holds at least 2,000 strings and every casefold() != lower() code point."""
    assert len(set(_corpus())) >= 2000


async def test_sql_functions_equal_python(pg_database):
    """casefold(), film_key() and critic_key() give exactly what bot/core/db.py gives SQLite, NULLs included
    (film_key() as every migration leaves it: 114 folds accents)."""
    corpus = _corpus()
    conn = await asyncpg.connect(pg_database)
    try:
        await migrate_postgres(conn)
        rows = await conn.fetch(
            "SELECT casefold(x), film_key(x), critic_key(x, n), critic_key(x, NULL)"
            " FROM unnest($1::text[], $2::bigint[]) AS u(x, n)",
            [*corpus, None], [*(i * 7919 + (1 << 60) * (i % 2) for i in range(len(corpus))), 3],
        )
    finally:
        await conn.close()
    ids = [*(i * 7919 + (1 << 60) * (i % 2) for i in range(len(corpus))), 3]
    wrong = []
    for text, review_id, row in zip([*corpus, None], ids, rows, strict=True):
        expected = (_FUNCTIONS["casefold"](text), _FUNCTIONS["film_key"](text),
                    _FUNCTIONS["critic_key"](text, review_id), _FUNCTIONS["critic_key"](text, None))
        if tuple(row) != expected:
            wrong.append((text, tuple(row), expected))
    assert not wrong, f"{len(wrong)} of {len(corpus) + 1} differ, e.g. {wrong[:5]}"


async def test_114_rekeys_films_on_postgresql_as_on_sqlite(pg_database):
    """114's rekeying part on films keyed the old way: folded keys, the key an older film holds kept apart,
    the older of two films that would share one takes it (the same rows as tests/films/test_migration.py)."""
    text = BASELINE.with_name("114-film-key-accents.sql").read_text(encoding="utf-8")
    rekey = text[text.index(pg_unicode.END) + len(pg_unicode.END):]
    conn = await asyncpg.connect(pg_database)
    try:
        await migrate_postgres(conn)
        await conn.executemany("INSERT INTO films(id, title, year, norm_key) VALUES ($1, $2, $3, $4)", [
            (1, "Léon", 1994, "léon"), (2, "Amelie", 2001, "amelie"), (3, "Amélie", 2001, "amélie"),
            (4, "Café Society", 2016, "cafésociety"), (5, "Cafè Society", 2016, "cafèsociety"),
            (6, "Pan's Labyrinth", 2006, "panslabyrinth"), (7, "千と千尋の神隠し", 2001, "千と千尋の神隠し"),
        ])
        async with conn.transaction():
            await conn.execute(rekey)
        rows = await conn.fetch("SELECT id, norm_key FROM films ORDER BY id")
    finally:
        await conn.close()
    assert [tuple(r) for r in rows] == [(1, "leon"), (2, "amelie"), (3, "amélie"), (4, "cafesociety"),
                                        (5, "cafèsociety"), (6, "panslabyrinth"), (7, "千と千尋の神隠し")]
