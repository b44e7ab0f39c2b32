"""The leave-out script for sentence-embedding theme classifiers (theme_embed_leaveout.py) keeps working: it is
the measurement behind not shipping one (bot/corpus/README.md, "Sentence embeddings"). Pure parts only: the
model's weights are an optional install, so vectors here are made up."""

from __future__ import annotations

import math

import numpy as np

from tests.corpus import theme_embed_leaveout as leaveout
from tests.corpus.minilm import _erf, _gelu
from tests.corpus.theme_model_leaveout import Para, SetData


def made_up_set(name: str, seed: int, n: int = 60) -> leaveout.EmbSet:
    """Passages whose first coordinate says performances; one paragraph per passage."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, leaveout.DIM))
    x[:, 0] = np.where(np.arange(n) % 3 == 0, 30.0, -30.0)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    data = SetData(name, rules=[set() for _ in range(n)],
                   paras=[Para({"performances"} if i % 3 == 0 else set(), [], f"[{name}] {i}", [i]) for i in range(n)])
    return leaveout.EmbSet(data, texts=[f"{name} {i}" for i in range(n)], paragraph_of=[[i] for i in range(n)], x=x)


def test_erf_and_gelu_are_exact_enough_and_stay_float32() -> None:
    """The forward pass's GELU is BERT's exact one (to 1.5e-7) and keeps float32 (float64 cost 1.5x the time)."""
    xs = np.linspace(-6, 6, 2001)
    assert np.abs(_erf(xs) - np.array([math.erf(v) for v in xs])).max() < 2e-7
    assert _gelu(np.ones(4, np.float32)).dtype == np.float32


def test_regression_learns_a_direction_held_out() -> None:
    """Trained on two sets, the regression ranks the third set's theme passages above the others."""
    sets = [made_up_set(f"s{i}", i) for i in range(3)]
    model = leaveout.train(sets[:2], leaveout.L2)
    probs = leaveout.probabilities(model, sets[2])
    gold = [p["performances"] for i, p in enumerate(probs) if i % 3 == 0]
    other = [p["performances"] for i, p in enumerate(probs) if i % 3]
    assert min(gold) > 0.5 > max(other)
    assert max(p["ending"] for p in probs) < 0.5


def test_neighbours_vote_by_share() -> None:
    """With --knn K, a passage's probability is the share of its K nearest training passages carrying the theme."""
    sets = [made_up_set(f"s{i}", i) for i in range(3)]
    leaveout.KNN = 5
    try:
        probs = leaveout.probabilities(leaveout.train(sets[:2], leaveout.L2), sets[2])
    finally:
        leaveout.KNN = 0
    assert all(p["performances"] == (1.0 if i % 3 == 0 else 0.0) for i, p in enumerate(probs))


def test_the_scorer_counts_rules_or_model_per_paragraph() -> None:
    """A paragraph is tagged when the rules or the model tag one of its passages (theme_sets.py's count)."""
    held = made_up_set("h", 7, n=6)
    held.data.rules[3] = {"performances"}
    probs = [{"performances": 0.9 if i == 0 else 0.1} for i in range(6)]
    scores = leaveout.score(held.data, leaveout.tagged(held.data, probs, {"performances": 0.5}, {}))
    assert (scores.tp["performances"], scores.fp["performances"], scores.fn["performances"]) == (2, 0, 0)
