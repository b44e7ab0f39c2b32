"""User keywords become safe FTS5 expressions."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from bot.quotes.fts import keywords, match_expression


def test_operators_and_quotes_are_dropped():
    """FTS5 syntax carries no meaning: only plain words remain."""
    assert match_expression('"AND OR NEAR(') is None
    assert match_expression('jazz* OR "piano"') == '"jazz" "piano"'


def test_a_query_of_only_fts_keywords_or_connectives_is_still_a_search():
    """A film called *Near* or *Or* is searched for: "near" is a word unless typed in capitals (FTS5's NEAR),
    "and"/"or"/"not" are dropped beside other words only (all were dropped always: 'nothing to search for')."""
    assert keywords("Near") == ["near"]
    assert keywords("Or") == ["or"]
    assert keywords("Near Dark") == ["near", "dark"]
    assert keywords("Rock and Roll") == ["rock", "roll"]
    assert match_expression("not") == '"not"'
    assert keywords("NEAR") == keywords("NOT") == [] and keywords("jazz AND") == ["jazz"]


def test_invisible_characters_do_not_split_a_word():
    """A zero-width space or a bidi mark inside a word is dropped, not read as a break between two words."""
    assert keywords("sea\u200bside \u202eocean\ufeff") == ["seaside", "ocean"]


def test_fullwidth_letters_and_ligatures_are_the_words_the_index_holds():
    """'ｊａｚｚ' typed on an East Asian keyboard and 'ﬁnale' pasted with a ligature search for jazz and finale
    (FTS5's unicode61 and PostgreSQL's parser read them as other words: nothing was found)."""
    assert keywords("ｊａｚｚ ﬁnale") == ["jazz", "finale"]
    assert keywords("ＮＥＡＲ") == []  # fullwidth capitals are FTS5's operator once folded: still syntax


def test_keywords_are_capped():
    """Ten thousand characters become at most eight short words."""
    words = keywords("word " * 2000 + " ".join(f"w{i}" for i in range(50)) + " x" * 5000)
    assert 1 <= len(words) <= 8


@given(st.text(max_size=300))
def test_any_text_is_a_valid_match_expression(text):
    """Whatever a member types, SQLite accepts the expression."""
    expression = match_expression(text)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("INSERT INTO t VALUES ('some words about jazz')")
    assert expression is None or (isinstance(expression, str) and expression.strip()), repr(expression)
    if expression is not None:  # SQLite raises on an invalid expression; a valid one finds the row or nothing
        found = conn.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()
        assert found in ([], [("some words about jazz",)])
