"""Actors a review names count for the performances theme; the broader ending and nostalgia fields.

Issue 28 item 1: critics write "Huppert alone is worth the price of admission" after introducing
"Isabelle Huppert plays Erika": no acting word, yet plainly about her performance. The review's own cast
(cast_names) is what La La Land's section does by hand with "Stone" and "Gosling".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.corpus import load_themes, process_review
from bot.corpus.themes import cast_names, themes_for_film, with_cast
from bot.corpus.themes_model import ThemeSet

ROOT = Path(__file__).resolve().parents[2]


@cache
def themes() -> ThemeSet:
    return load_themes(ROOT / "data" / "themes.toml")


def tags(text: str, film: str = "Some Film") -> list[set[str]]:
    """The themes of each passage of a review."""
    return [set(p.themes) for p in process_review(text, themes(), film, None)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A woman (Kristin Scott Thomas) leaves prison.", [("Kristin Scott", "Thomas")]),
        ("Isabelle Huppert plays Erika, a teacher.", [("Isabelle", "Huppert")]),
        ("Walter, played by Benoît Magimel, is young.", [("Benoît", "Magimel")]),
        ("Gary King, played by Simon Pegg, drinks.", [("Simon", "Pegg")]),
        ("Starring Paul Newman and the actress Patricia Neal.", [("Patricia", "Neal")]),
        ("the actor Robert De Niro is here; starring Paul Newman", [("Robert De", "Niro"), ("Paul", "Newman")]),
        ("Richard E. Grant plays Withnail.", [("Richard E.", "Grant")]),
        ("A film (Start the Revolution Without Me) in New York.", []),
        ("Burt Lancaster as Swede and Ava Gardner as the girl.", [("Burt", "Lancaster"), ("Ava", "Gardner")]),
        ("Joseph Cotten, as the hack writer Holly Martins, arrives.", [("Joseph", "Cotten")]),
        ("I first saw Pump Up the Volume as a teenager.", []),
    ],
)
def test_cast_names_reads_how_reviews_name_actors(text: str, names: list[tuple[str, str]]) -> None:
    """Parenthesised names, "X plays", "played by X", "starring X", "the actress X", "X as Swede"; not titles."""
    assert list(cast_names(text)) == names


def test_a_named_actor_mentioned_again_is_performance_talk() -> None:
    """ "Huppert alone is worth the price of admission" is about the acting once the review has named her;
    the sentence introducing her gets nothing from her name."""
    text = ("Isabelle Huppert plays Erika Kohut, a piano teacher in Vienna who lives with her mother.\n\n"
            "The film is cold and exact, and it never explains her.\n\n"
            "Huppert alone is worth the price of admission.")
    assert ["performances" in t for t in tags(text)] == [False, False, True]
    assert "performances" not in tags("Huppert alone is worth the price of admission.")[0]


def test_the_introduction_alone_is_not_a_performance() -> None:
    """ "(Paul Newman)" and "X plays Y" introduce the cast: the name there is no evidence of acting talk."""
    assert tags("An aging rancher (Melvyn Douglas) faces an uncertain future.") == [set()]
    bound = with_cast(themes_for_film(themes(), "Hud"), "An aging rancher (Melvyn Douglas) faces his son.")
    cast = bound["performances"].cast
    assert cast is not None and not cast.search("(Melvyn Douglas)") and cast.search("Douglas is superb")


def test_names_a_theme_already_counts_are_left_to_it() -> None:
    """La La Land's own section counts Stone and Gosling: no second weight for the same name."""
    bound = with_cast(themes_for_film(themes(), "La La Land", 2016), "Mia (Emma Stone) meets Seb (Ryan Gosling).")
    assert bound["performances"].cast is None


def test_a_theme_without_cast_weight_ignores_names(tmp_path: Path) -> None:
    """cast_weight defaults to 0 (names mean nothing) and must be a number of 0 or more."""
    assert all(theme.cast_weight == 0 for key, theme in themes().items() if key != "performances")
    text = (ROOT / "data" / "themes.toml").read_text(encoding="utf-8").replace("cast_weight = 1.0", "cast_weight = -1")
    (tmp_path / "themes.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="'cast_weight' must be a number of 0 or more"):
        load_themes(tmp_path / "themes.toml")


@pytest.mark.parametrize(
    "text",
    [
        "The finale left me underwhelmed.",
        "The film climaxes with Riley hugging her parents.",
        "It can't apply that lesson to its own ending.",
        "Disappointing, given a better ending was within reach.",
        "Each time I forget the big twist.",
    ],
)
def test_ordinary_ending_talk_is_the_ending(text: str) -> None:
    assert "ending" in tags(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "Rewatching it, the closing chapter of Wright's Cornetto Trilogy, had the opposite effect.",
        "Every scene ending up in a shouting match gets tiring.",
        "This is not an all-time bad ending list.",
    ],
)
def test_ending_idioms_are_not_the_ending(text: str) -> None:
    assert "ending" not in tags(text)[0]


def test_going_back_home_is_nostalgia() -> None:
    """ "desperate to recreate his life's crowning achievement … in his hometown" looks back."""
    assert "nostalgia" in tags("A man-child desperate to recreate his youth's glory in his hometown.")[0]


def test_two_named_actors_side_by_side_are_performance_talk() -> None:
    """Each actor of the review's cast named counts once (up to two): "Coburn was forty-five. Kristofferson was
    thirty-seven." compares the actors; one name alone, with nothing about acting, is not enough."""
    intro = "James Coburn plays Garrett. Kris Kristofferson plays Billy.\n\n"
    both = tags(intro + "Coburn was forty-five. Kristofferson was thirty-seven. The gap shows.")
    one = tags(intro + "Coburn rides into town on a grey horse, and the town watches him.")
    assert "performances" in both[-1]
    assert "performances" not in one[-1]
