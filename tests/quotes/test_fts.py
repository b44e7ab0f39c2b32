"""User keywords become safe FTS5 expressions."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from bot.quotes.fts import keywords, match_expression
from bot.quotes.fts_pg import query_text


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


async def test_the_index_follows_a_trim_its_undoing_and_the_passages_removal(tmp_path):
    """passages_fts holds what is shown (migration 137): a trimmed passage is found by its kept sentence only,
    found by its whole text again once the mark goes, and a trimmed passage deleted leaves the index whole
    (an FTS5 'delete' naming other text than the row was indexed with fails as "database disk image is
    malformed", and FTS5's integrity check passes after)."""
    from bot.core import db as database

    path = tmp_path / "fts.db"
    conn = await database.connect(path)
    try:
        await database.migrate(conn)
    finally:
        await conn.close()
    con = sqlite3.connect(path, isolation_level=None)
    for name, arity, function in database._SQL_FUNCTIONS:
        con.create_function(name, arity, function, deterministic=True)
    con.execute("PRAGMA foreign_keys = ON")

    def found(word: str) -> list[int]:
        return [r[0] for r in con.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", (word,))]

    film = con.execute("INSERT INTO films(title, year) VALUES ('Whiplash', 2014)").lastrowid
    review = con.execute("INSERT INTO reviews(film_id, body, body_hash, source, added_at)"
                         " VALUES (?, 'b', 'h', 'moderator', 'now')", (film,)).lastrowid
    passage = con.execute("INSERT INTO passages(review_id, ordinal, paragraph, text) VALUES (?, 0, 0, ?)",
                          (review, "The drummer practises. At the end he wins.")).lastrowid
    assert found("wins") == [passage]
    con.execute("INSERT INTO passage_marks(passage_id, trimmed) VALUES (?, 'The drummer practises.')", (passage,))
    assert found("wins") == [] and found("drummer") == [passage]
    con.execute("UPDATE passages SET quotable = 0 WHERE id = ?", (passage,))
    con.execute("UPDATE passages SET quotable = 1 WHERE id = ?", (passage,))
    assert found("wins") == [] and found("drummer") == [passage]
    con.execute("DELETE FROM passage_marks WHERE passage_id = ?", (passage,))  # the trim undone
    assert found("wins") == [passage]
    con.execute("INSERT INTO passage_marks(passage_id, trimmed) VALUES (?, 'The drummer practises.')", (passage,))
    con.execute("DELETE FROM reviews WHERE id = ?", (review,))  # passages and marks go by their foreign keys
    assert found("drummer") == [] and found("wins") == []
    assert con.execute("SELECT count(*) FROM passage_marks").fetchone() == (0,)
    con.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
    con.close()


def test_a_search_of_only_common_words_says_so_instead_of_no_passage_mentions_them() -> None:
    """`/search It` (a film called It) found nothing on PostgreSQL, whose index holds no stop words, and said "No
    passage mentions “It”", untrue; a query of only common words ("what it was") is now told to add a word."""
    from bot.quotes.fts import only_common_words
    from bot.quotes.render import search_miss

    assert only_common_words("It") and only_common_words("what it was") and only_common_words("HER")
    assert not only_common_words("It clown") and not only_common_words("") and not only_common_words("!!")
    said = search_miss("It", {})
    assert "too common" in said and "No passage mentions" not in said
    assert "No passage mentions" in search_miss("pennywise", {})


async def test_a_title_of_common_words_is_found_on_either_backend(two_processes) -> None:
    """`/search It` on a club watching *It*: SQLite's FTS5 indexes every word; PostgreSQL's configuration dropped
    english stop words until migration 238, so there it found nothing. Both find the passage now, ranked first."""
    store, _ = two_processes
    async with store.db.corpus_transaction() as conn:
        await conn.execute("INSERT INTO films(title, year) VALUES ('It', 2017)")
        review = (await conn.execute(
            "INSERT INTO reviews(film_id, critic, outlet, body, body_hash, source, added_at)"
            " VALUES ((SELECT id FROM films WHERE title = 'It'), 'A. Critic', NULL, 'b', 'h', 'moderator', '2026-01-01')"
        )).lastrowid
        for ordinal, text in enumerate(("The clown waits in the drain.", "It is the summer the town forgot.",
                                        "Her fear has a shape, and it is his.")):
            await conn.execute("INSERT INTO passages(review_id, ordinal, paragraph, text, quotable) VALUES (?, ?, 0, ?, 1)",
                               (review, ordinal, text))
    found = [quote.text for quote, _ in await store.quotes.search("It", limit=5)]
    assert sorted(found) == ["Her fear has a shape, and it is his.", "It is the summer the town forgot."]
    assert [quote.text for quote, _ in await store.quotes.search("her", limit=5)] == [
        "Her fear has a shape, and it is his."]


def test_any_word_leaves_out_stop_words_beside_other_words():
    """'sea at dawn', any word: "at" alone is no match, on either backend (both index every word since 238)."""
    assert match_expression("sea at dawn", any_word=True) == '"sea" OR "dawn"'
    assert match_expression("sea at dawn") == '"sea" "at" "dawn"'
    assert match_expression("it", any_word=True) == '"it"'  # a film called *It*: kept when it is all there is
    assert query_text("sea at dawn", any_word=True) == "'sea' | 'dawn'" and query_text("it", any_word=True) == "'it'"
    assert query_text("sea at dawn") == "'sea' & 'at' & 'dawn'"
