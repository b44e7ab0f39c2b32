"""The leave-out script for a learned theme scorer (theme_model_leaveout.py) keeps working: it is the measurement
behind not shipping a model (bot/corpus/README.md, "A learned scorer"). On the in-repo dev+test sets only."""

from __future__ import annotations

import time
from functools import cache

from tests.corpus import theme_model_leaveout as leaveout
from tests.corpus.theme_model_leaveout import Context, SetData, features, probability


@cache
def dev_test() -> SetData:
    return leaveout.extract("dev+test")


def test_features_read_names_cast_lines_and_the_title() -> None:
    ctx = leaveout.context({"Mia", "Emma Stone"}, "La La Land")
    feats = features("Emma Stone – luminous as Mia. The Land of dreams, said Bob.", ctx, {"performances"}, ())
    assert {"NAME DASH", "DASH luminous", "as NAME", "FILM", "CAP", "R:performances", "LEN0"} <= feats
    assert "emma" not in feats and "mia" not in feats


def test_training_is_deterministic_and_learns_acting_from_plot() -> None:
    data = dev_test()
    assert data.paras and len(data.feats) == len(data.rules)
    first, second = leaveout.train([data]), leaveout.train([data])
    assert first == second
    ctx = Context(frozenset({"Rick"}))
    acting = features("Humphrey Bogart gives a superb, bruised performance, and the cast is terrific.", ctx)
    plot = features("Rick drives to the airport and hands over the letters of transit.", ctx)
    weights = first["performances"]
    assert probability(weights, acting) > 0.5 > probability(weights, plot)


def test_decision_adds_what_the_model_is_sure_of_and_vetoes_weak_rule_tags() -> None:
    probs = {"ending": 0.97, "music": 0.01, "look": 0.4}
    got = leaveout.decide({"music", "look"}, probs, {"ending": 0.9, "look": 0.5}, {"music": 0.05})
    assert got == {"ending", "look"}
    assert leaveout.decide({"music"}, probs, {}, {}) == {"music"}  # the model off: the rules alone


def test_hostile_text_is_read_in_linear_time() -> None:
    start = time.process_time()
    for text in ("a" * 200_000, "Ab " * 50_000, "- " * 50_000, "’" * 100_000):
        features(text, Context())
    assert time.process_time() - start < 1.0


def test_structure_reads_reasons_position_narration_and_tense() -> None:
    texts = [
        "The film opens in a quiet village. It is a gentle, funny drama.",
        "Later Anna walked away from the farm and finally married Tom. Tom had waited for years.",
        "The ending is the best thing in it.",
    ]
    got = leaveout.structure(texts, [0, 1, 2], [set(), set(), {"ending"}], [None, "narration", "ending_theme"],
                             frozenset({"Anna", "Tom"}), "Harvest")
    assert {"SR:none", "POS:first", "POS:opens", "NARR:0", "TENSE:present"} <= got[0]
    assert {"SR:narration", "PSR:narration", "NARR:2", "PNARR:2", "OUTCOME", "P:OUTCOME", "TENSE:past"} <= got[1]
    assert {"SR:ending_theme", "PR:ending", "POS:last", "POS:t2"} <= got[2]
    assert "QR:ending" not in got[1] and "PR:ending" not in got[1]
