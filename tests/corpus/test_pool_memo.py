"""A review cut once in this process is not cut again under the same theme file (bot/corpus/pool.py): the
rules are pure, so the memo may only ever return what cutting again would."""

from __future__ import annotations

from pathlib import Path

from bot.corpus import pool, process_review
from bot.corpus.themes_load import load_themes

THEMES_FILE = Path(__file__).resolve().parents[2] / "data" / "themes.toml"
BODY = ("Mia and Sebastian meet again years later. In the epilogue, she walks into his club with her husband. "
        "Emma Stone is superb as Mia, and the score swells as the camera glides through a life not lived.\n\n"
        "It is a film about the past and what we give up for the work.")


def test_the_same_text_under_the_same_theme_file_is_cut_once_and_alike(monkeypatch) -> None:
    themes = load_themes(THEMES_FILE)
    assert themes.source  # the file's hash
    pool._MEMO.clear()
    first = pool.process_items([(BODY, "La La Land", 2016)], themes)
    calls = []
    monkeypatch.setattr(pool, "process_review", lambda *args: calls.append(args) or process_review(*args))
    again = pool.process_items([(BODY, "La La Land", 2016)], load_themes(THEMES_FILE))  # a new bot, same file
    assert calls == [] and again == first
    assert again[0][0] == process_review(BODY, themes, "La La Land", 2016)  # what cutting again gives
    again[0][0].clear()  # a caller's list is its own
    assert pool.process_items([(BODY, "La La Land", 2016)], themes)[0][0] == first[0][0]


def test_another_theme_file_or_film_cuts_again(tmp_path: Path, monkeypatch) -> None:
    themes = load_themes(THEMES_FILE)
    pool._MEMO.clear()
    pool.process_items([(BODY, "La La Land", 2016)], themes)
    edited = tmp_path / "themes.toml"
    edited.write_text(THEMES_FILE.read_text(encoding="utf-8") + "\n# a moderator's edit\n", encoding="utf-8")
    calls = []
    monkeypatch.setattr(pool, "process_review", lambda *args: calls.append(args) or process_review(*args))
    pool.process_items([(BODY, "La La Land", 2016)], load_themes(edited))
    pool.process_items([(BODY, "Whiplash", 2014)], themes)
    assert len(calls) == 2


def test_the_memo_is_bounded() -> None:
    themes = load_themes(THEMES_FILE)
    pool._MEMO.clear()
    pool.process_items([(f"Review number {n}. It is a fine film." , None, None) for n in range(pool.MEMO_SIZE + 5)],
                       themes)
    assert len(pool._MEMO) == pool.MEMO_SIZE
