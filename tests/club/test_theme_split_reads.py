"""A theme poll's critics-vs-club sample of one film (ClubStore.theme_passages) is read through the film's
reviews, not through every tag of the theme (issue 30: ~110 ms per theme poll closed at 1.1M passages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.club import store as club_store
from bot.core.config import Settings
from bot.corpus.bundle import import_bundled
from bot.films.store import FilmStore
from tests import pg_backend


@pytest.fixture
async def bot(tmp_path: Path):
    bot = FilmBot(Settings(database=tmp_path / "t.db"))
    await bot.open_store()
    await import_bundled(bot.store, bot.settings.data_dir, bot.themes, bot.settings.themes_file)
    # A second film: the bundled corpus has one. Its first review moves to it.
    film_id = await FilmStore.ensure(bot.store.db.conn, "Second Film", 2001)
    await bot.store.db.conn.execute("UPDATE reviews SET film_id = ? WHERE id = (SELECT min(id) FROM reviews)",
                                    (film_id,))
    await bot.store.db.conn.commit()
    yield bot
    await bot.close_store()


async def _expected(bot: FilmBot, theme: str, film_id: int) -> list[str]:
    rows = await bot.store.db.fetchall(
        "SELECT coalesce(m.trimmed, p.text) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " JOIN reviews r ON r.id = p.review_id LEFT JOIN passage_marks m ON m.passage_id = p.id"
        " WHERE t.theme = ? AND r.film_id = ? AND p.quotable = 1 AND coalesce(m.hidden, 0) = 0", (theme, film_id))
    return sorted(row[0] for row in rows)


async def test_a_films_sample_is_every_passage_of_the_film_on_the_theme(bot: FilmBot) -> None:
    """Under the sample's size, each film's passages of each theme come back, exactly, and no other film's."""
    films = [row[0] for row in await bot.store.db.fetchall("SELECT DISTINCT film_id FROM reviews")]
    themes = [row[0] for row in await bot.store.db.fetchall("SELECT DISTINCT theme FROM passage_themes")]
    assert len(films) >= 2 and themes
    checked = 0
    for film_id in films:
        for theme in themes:
            got = sorted(text for text, _ in await bot.store.club.theme_passages(theme, film_id, limit=300))
            assert got == await _expected(bot, theme, film_id), (theme, film_id)
            checked += bool(got)
    assert checked


async def test_a_films_sample_leaves_hidden_passages_out(bot: FilmBot) -> None:
    """A passage a moderator hid is not in the film's sample."""
    film_id, theme, passage_id = (await bot.store.db.fetchall(
        "SELECT r.film_id, t.theme, p.id FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " JOIN reviews r ON r.id = p.review_id WHERE p.quotable = 1 LIMIT 1"))[0]
    before = len(await bot.store.club.theme_passages(theme, film_id, limit=300))
    await bot.store.db.execute(
        "INSERT INTO passage_marks(passage_id, hidden) VALUES (?, 1)"
        " ON CONFLICT (passage_id) DO UPDATE SET hidden = 1", (passage_id,))
    assert len(await bot.store.club.theme_passages(theme, film_id, limit=300)) == before - 1


@pytest.mark.skipif(pg_backend.on_postgres(), reason="SQLite's query plans")
async def test_a_films_tags_are_listed_from_its_reviews(bot: FilmBot) -> None:
    """The listing starts at the film's reviews (reviews_film), never at the theme's index."""
    plan = " / ".join(row[3] for row in await bot.store.db.fetchall(
        "EXPLAIN QUERY PLAN " + club_store._FILM_THEME_IDS, (1, "music", 1025)))
    assert plan.startswith("SEARCH r USING COVERING INDEX reviews_film"), plan
    assert "passage_themes_theme" not in plan, plan


async def test_a_film_with_more_tags_than_the_list_bound_is_drawn_and_still_its_own(bot: FilmBot, monkeypatch) -> None:
    """Past the list's bound (lowered here) a film is sampled by draws over the theme: its passages only."""
    monkeypatch.setattr(club_store, "LIST_CAP", 1)
    film_id = (await bot.store.db.fetchall(
        "SELECT film_id FROM reviews GROUP BY film_id ORDER BY count(*) DESC LIMIT 1"))[0][0]
    for theme in [row[0] for row in await bot.store.db.fetchall("SELECT DISTINCT theme FROM passage_themes")]:
        got = sorted(text for text, _ in await bot.store.club.theme_passages(theme, film_id, limit=300))
        assert got == await _expected(bot, theme, film_id), theme
