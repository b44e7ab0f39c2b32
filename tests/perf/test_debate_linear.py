"""/debate stays linear in the theme's pool: each candidate's side is scored once, candidates are bounded."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from bot.corpus import load_themes
from bot.corpus.passage import Quote
from bot.discussion import rotation
from bot.discussion.rotation import MAX_CANDIDATES, RotationState, choose_passages
from bot.discussion.stance import side_of

THEMES = load_themes(Path(__file__).resolve().parents[2] / "data" / "themes.toml")
ENDING = THEMES["ending"]
TEXTS = ["The ending is cathartic and full of hope.", "The ending is bitter and cruel.", "The epilogue happens."]


def quote(pid: int, review: int, critic: str | None = None) -> Quote:
    return Quote(pid, review, TEXTS[pid % 3], 0, pid, critic, None, None, None, False, "Film", 2000, ())


def test_debate_scores_each_candidate_once_and_bounds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = rotation.stance

    def counting(text: str, theme: object) -> float:
        nonlocal calls
        calls += 1
        return real(text, theme)  # type: ignore[arg-type]

    monkeypatch.setattr(rotation, "stance", counting)
    pool = [quote(i, i // 5, f"critic {i % 40}") for i in range(20_000)]
    start = time.perf_counter()
    choice = choose_passages(pool, RotationState(0, frozenset(), None), theme=ENDING, count=2,
                             rng=random.Random(1))
    elapsed = time.perf_counter() - start
    assert choice is not None
    first, second = (q for q, _ in choice.picks)
    assert first.review_id != second.review_id
    assert calls <= 2 * MAX_CANDIDATES + 4  # two candidate lists, plus the display order
    assert elapsed < 1.0  # was quadratic: minutes at this size


def test_debate_still_prefers_opposite_wording_from_different_reviews() -> None:
    pool = [quote(i, i // 2) for i in range(1_000)]
    for seed in range(10):
        choice = choose_passages(pool, RotationState(0, frozenset(), None), theme=ENDING, count=2,
                                 rng=random.Random(seed))
        assert choice is not None
        a, b = (q for q, _ in choice.picks)
        assert a.review_id != b.review_id
        assert side_of(rotation.stance(a.text, ENDING)) * side_of(rotation.stance(b.text, ENDING)) == -1
        assert choice.disagree
