"""The stores' SQLite SQL as PostgreSQL reads it (bot/core/dialect.py): pure, one statement at a time."""

from __future__ import annotations

import pytest

from bot.core.dialect import to_postgres


@pytest.mark.parametrize("sqlite, postgres", [
    ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"),
    ("INSERT OR IGNORE INTO t(a) VALUES (?)", "INSERT INTO t(a) VALUES ($1) ON CONFLICT DO NOTHING"),
    ("INSERT OR IGNORE INTO t(a) VALUES (?) RETURNING id",
     "INSERT INTO t(a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id"),
    ("SELECT 1 FROM t WHERE a IS ? AND b IS NOT ? AND c IS NULL AND d IS NOT NULL",
     "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM $1 AND b IS DISTINCT FROM $2 AND c IS NULL AND d IS NOT NULL"),
    ("SELECT 1 FROM t WHERE (? IS NULL OR a = ?)", "SELECT 1 FROM t WHERE (CAST($1 AS TEXT) IS NULL OR a = $2)"),
    ("SELECT min(a, b), max(c), min(x) FROM t", "SELECT LEAST(a, b), max(c), min(x) FROM t"),
    ("SELECT group_concat(theme, ' ') FROM t", "SELECT string_agg((theme)::text, ' ') FROM t"),
    ("SELECT instr(a, ?), ifnull(a, 0), char(2) FROM t", "SELECT strpos(a, $1), coalesce(a, 0), chr(2) FROM t"),
    ("SELECT id FROM t WHERE id IN (SELECT value FROM json_each(?))", "SELECT id FROM t WHERE id = ANY($1)"),
    ("SELECT id FROM t WHERE id NOT IN (SELECT value FROM json_each(?))", "SELECT id FROM t WHERE id <> ALL($1)"),
    ("SELECT CAST(j.value AS INTEGER) FROM json_each(?) j",
     "SELECT CAST(trunc(CAST(j.value AS numeric)) AS BIGINT) FROM jsonb_array_elements(CAST($1 AS jsonb)) WITH ORDINALITY AS j(value, key)"),
    ("SELECT json_extract(j.value, '$[1]') FROM x", "SELECT (j.value -> 1) FROM x"),
    ("SELECT a FROM (SELECT 1 AS a) ORDER BY a", "SELECT a FROM (SELECT 1 AS a) AS _sub0 ORDER BY a"),
    ("SELECT a FROM (SELECT 1 AS a) x", "SELECT a FROM (SELECT 1 AS a) x"),
    ("SELECT 1 WHERE a IS DISTINCT FROM (SELECT b FROM c)", "SELECT 1 WHERE a IS DISTINCT FROM (SELECT b FROM c)"),
    ("SELECT * FROM t WHERE 1 ORDER BY a COLLATE NOCASE", "SELECT * FROM t WHERE TRUE ORDER BY lower(a)"),
    ("SELECT 1 FROM t WHERE q = ? COLLATE NOCASE", "SELECT 1 FROM t WHERE lower(q) = lower($1)"),
    ("SELECT rowid FROM t WHERE name LIKE ? LIMIT -1", "SELECT id FROM t WHERE name ILIKE $1 LIMIT ALL"),
    ("SELECT coalesce(json_group_array(a), '[]') FROM t",
     "SELECT coalesce(coalesce(json_agg(a)::text, '[]'), '[]') FROM t"),
])
def test_rewrites(sqlite: str, postgres: str) -> None:
    assert to_postgres(sqlite).sql == postgres


def test_literals_comments_and_casts_are_left_alone() -> None:
    sql = "SELECT 'a ? b :c IS ? rowid', x::text -- ? rowid\nFROM t WHERE y = ?"
    assert to_postgres(sql).sql == "SELECT 'a ? b :c IS ? rowid', x::text -- ? rowid\nFROM t WHERE y = $1"


def test_named_parameters_number_once_each() -> None:
    statement = to_postgres("SELECT 1 FROM t WHERE a = :key OR b = :other OR c = :key")
    assert statement.sql == "SELECT 1 FROM t WHERE a = $1 OR b = $2 OR c = $1"
    assert statement.names == ("key", "other")


def test_mixing_placeholder_styles_is_refused() -> None:
    with pytest.raises(ValueError, match="mixes"):
        to_postgres("SELECT 1 FROM t WHERE a = ? AND b = :b")
