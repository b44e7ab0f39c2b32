"""A take's themes, tagged once per process and theme set (bot/club/take_themes.py)."""

from __future__ import annotations

from bot.club import take_themes
from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus import tag_passage
from bot.corpus.themes_load import load_themes

TAKE = "The ending wrecked me, and the score swells while the camera holds on her face. 😭"


def test_tags_match_the_tagger_and_counts_add_up():
    """The kept tags are the tagger's; count_themes counts each take once per theme."""
    themes = load_themes(DEFAULT_DATA_DIR / "themes.toml")
    assert set(take_themes.take_tags(TAKE, themes)) == set(tag_passage(TAKE, themes))
    counts = take_themes.count_themes([TAKE, TAKE, "Fine."], themes)
    assert counts == {key: 2 for key in tag_passage(TAKE, themes)}


def test_a_take_is_tagged_once_and_the_memory_is_bounded(monkeypatch):
    """A second look is not tagged again; past KEPT takes the oldest is dropped; a gone theme set takes its tags."""
    themes = load_themes(DEFAULT_DATA_DIR / "themes.toml")
    calls = []
    monkeypatch.setattr(take_themes, "tag_passage", lambda text, _themes: calls.append(text) or {})
    monkeypatch.setattr(take_themes, "KEPT", 2)
    for text in ("a", "a", "b", "c", "a"):
        take_themes.take_tags(text, themes)
    assert calls == ["a", "b", "c", "a"]
    key = id(themes)
    del themes
    assert key not in take_themes._kept
