"""The learned-spoiler experiment's own machinery (tests/corpus/spoiler_model.py), on made-up rows: it trains the
same model twice, learns a word that marks endings, and counts recall and hidden share the way score_spoilers does.
The measurement itself (spoiler_model_leaveout.py) needs the third-party texts and is not run here."""

from __future__ import annotations

from tests.corpus.spoiler_model import (
    PassageRow,
    ReviewRow,
    choose_threshold,
    passage_scores,
    review_features,
    score,
    sentence_features,
    train,
)


def _review(key: str, ending: str, plain: str, reason: str | None = None) -> ReviewRow:
    passages = [
        PassageRow(ending, None, [sentence_features(ending, frozenset({"Kat"}), frozenset())], [1]),
        PassageRow(plain, reason, [sentence_features(plain, frozenset({"Kat"}), frozenset())], [0]),
    ]
    return ReviewRow(key, passages, [(ending, True), (plain, False)])


ROWS = [_review(f"r{i}", f"In the end Kat vanishes for good number {i}.",
                f"The photography is lovely and warm, take {i}.") for i in range(12)]


def test_training_is_deterministic_and_learns_the_ending_word() -> None:
    first, second = train(ROWS), train(ROWS)
    assert first == second
    assert first.weights["w:vanishes"] > 0 > first.weights["w:photography"]
    ending, plain = ROWS[0].passages
    assert first.score(ending.sentences[0]) > 0.5 > first.score(plain.sentences[0])


def test_scoring_counts_rules_or_model_by_sentence() -> None:
    alone = score(ROWS, None, 0.5)
    assert (alone.revealing, alone.revealing_hidden, alone.harmless, alone.harmless_hidden) == (12, 0, 12, 0)
    both = score(ROWS, passage_scores(train(ROWS), ROWS), 0.5)
    assert (both.revealing_hidden, both.harmless_hidden) == (12, 0)
    ruled = [_review("x", "Kat vanishes.", "It is lovely.", reason="reveal")]
    assert score(ruled, None, 0.5).harmless_hidden == 1


def test_threshold_is_chosen_on_the_training_sets_only() -> None:
    t = choose_threshold({"a": ROWS[:6], "b": ROWS[6:]})
    assert 0.0 < t < 1.0


def test_features_name_characters_and_the_rules_context() -> None:
    features = review_features(["Kat leaves the house. Kat never returns.", "I loved it, and Kat too."], [0, 1],
                               [None, None], "Skin")
    assert "w:NAME" in features[0][0] and "r:none" in features[0][0] and "pos:2" in features[1][0]
    assert sentence_features("x" * 10_000 + " \x00 🎬", frozenset(), frozenset())  # hostile input stays cheap
