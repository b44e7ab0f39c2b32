"""The /debate stance scorer, measured on hand-labelled pairs (dev half tuned on, held-out half not)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.corpus import Theme, contrast_side, load_themes, themes_for_film
from bot.discussion.stance import disagree, question_sides, side_of, stance

DATA = Path(__file__).parent / "data" / "debate_pairs.json"
THEMES = load_themes(Path(__file__).parents[2] / "data" / "themes.toml")


def _theme(pair: dict[str, str]) -> Theme:
    return themes_for_film(THEMES, pair["film"], None)[pair["theme"]]


def _table(half: str, judge) -> dict[tuple[str, str], int]:
    """(label, predicted) -> count over one half of the labelled pairs."""
    table: dict[tuple[str, str], int] = {}
    for pair in json.loads(DATA.read_text())[half]:
        predicted = "disagree" if judge(pair["a"], pair["b"], _theme(pair)) else "agree"
        table[(pair["label"], predicted)] = table.get((pair["label"], predicted), 0) + 1
    return table


def _accuracy(table: dict[tuple[str, str], int]) -> float:
    right = table.get(("disagree", "disagree"), 0) + table.get(("agree", "agree"), 0)
    return right / sum(table.values())


def _baseline(a: str, b: str, theme: Theme) -> bool:
    return contrast_side(a, theme) * contrast_side(b, theme) < 0


def test_labelled_pairs_cover_several_films_and_themes_in_both_halves():
    """Both halves hold ≥20 pairs, both labels, and the ending / nostalgia / performances themes."""
    data = json.loads(DATA.read_text())
    for half in ("dev", "heldout"):
        pairs = data[half]
        assert len(pairs) >= 20
        assert {p["label"] for p in pairs} == {"agree", "disagree"}
        assert {"ending", "nostalgia", "performances"} <= {p["theme"] for p in pairs}
        assert len({p["film"] for p in pairs}) >= 5
    assert not {p["a"] for p in data["dev"]} & {p["a"] for p in data["heldout"]}


@pytest.mark.parametrize(("half", "minimum"), [("dev", 0.9), ("heldout", 0.85)])
def test_stance_scorer_accuracy_on_labelled_pairs(half: str, minimum: float):
    """A reader agrees with the scorer's disagree/agree verdict on most pairs, and more often than word counts."""
    table = _table(half, disagree)
    baseline = _table(half, _baseline)
    # Measured at the time of writing: dev 24/24 (baseline 21/24), held-out 24/24 (baseline 22/24).
    assert _accuracy(table) >= minimum, table
    assert _accuracy(table) >= _accuracy(baseline), (table, baseline)
    # A debate that is not one is the worse error: few "agree" pairs are passed off as disagreeing.
    assert table.get(("agree", "disagree"), 0) <= 1, table


def test_negation_flips_the_side():
    """'not sad at all' leans away from sad; 'never stiff' leans away from stiff."""
    ending = THEMES["ending"]
    assert side_of(stance("The ending is sad.", ending)) == 1
    assert side_of(stance("The ending is not sad at all.", ending)) == -1
    performances = THEMES["performances"]
    assert side_of(stance("He is never stiff.", performances)) == -1
    assert side_of(stance("He is stiff.", performances)) == 1


def test_intensity_and_the_last_clause_weigh_more():
    """'utterly cruel' outweighs 'sweet'; after 'but' the verdict wins over what came before."""
    ending = THEMES["ending"]
    assert stance("utterly cruel", ending) > stance("cruel", ending) > 0
    assert stance("slightly cruel", ending) < stance("cruel", ending)
    assert side_of(stance("It has sweet moments, but the ending is cruel and bitter.", ending)) == 1


def test_the_question_names_the_two_sides():
    """The two words the debate question opposes count as sides."""
    assert question_sides("Is the ending of the film cathartic or cruel? Pick a side.") == ("cathartic", "cruel")
    assert question_sides("Who gives the best performance in the film? Make the case.") is None
    assert side_of(stance("Purist to the bone.", THEMES["jazz"])) == -1
