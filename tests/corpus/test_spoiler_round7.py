"""Spoiler round 7 (issue 25 item 1): rules added after set v15 was retired into tuning. Every sentence here is
written for the test, none is taken from a labelled set."""

from __future__ import annotations

import pytest

from bot.corpus import process_review
from bot.corpus.narration import character_names
from bot.corpus.reasons import SpoilerReason as R
from bot.corpus.spoilers import spoiler_reasons
from tests.corpus.test_real_heldout import themes


def reason(text: str) -> R | None:
    return spoiler_reasons([text], [0], [False], [False])[0]


@pytest.mark.parametrize("text", [
    # "eventual" + an outcome of a couple or a person (beside round 6's fall, death, betrayal…)
    "Her stubbornness about the farm is what leads to their eventual divorce.",
    "The letters sketch, scene by scene, the road to the pair's eventual marriage.",
    "We watch the slow months that precede his eventual release from the camp.",
    # the one who gets out
    "Told through the eyes of Nico, the only one of the gang to escape the mines.",
    "It follows five sisters in a fishing village, the only one who survives being the youngest.",
    # a survival inferred
    "The interviews are filmed years later, so of course the climber must have survived.",
    "Since she narrates it from a hospital bed, we know she must have got out of the cave.",
    # a death named as kept off-screen
    "Ozu keeps the mother's death off-screen and cuts straight to the empty room.",
    "The off-screen suicide lands harder than any shown one could.",
    # the way back told as done
    "The second hour is the crawl he endured to make his way back to the base camp.",
    "Somehow the two brothers made their way back home across the desert.",
])
def test_the_new_reveal_phrases_hide_the_passage(text: str) -> None:
    assert reason(text) is R.REVEAL


@pytest.mark.parametrize("text", [
    "The director's eventual masterpiece was still ten years off.",  # "eventual" without an outcome
    "She is the only one in the cast who can sing.",  # the only one, no way out
    "He is the only one who lives up to the hype.",
    "The crew must have loved shooting on that glacier.",  # "must have" without a survival
    "That detail must have escaped my notice.",
    "You must have lived through the eighties to get half the jokes.",
    "The film must have come out the same week as Titanic.",
    "Most of the violence happens off-screen, which suits the film's tone.",  # off-screen, no death
    "He must make his way back home before winter closes the pass.",  # the premise's task
    "Keaton is making his way back to comedy after a decade of dramas.",  # a career's comeback,
])
def test_near_misses_stay_clear(text: str) -> None:
    assert reason(text) is None


def test_a_characters_hard_work_does_not_make_the_name_a_maker() -> None:
    """"Nolan's work" names a maker; "Aiko's hard work" is a character's labour, and she stays a character."""
    texts = ["Aiko sells fish at the harbour with her father.", "The race is the payoff of Aiko's hard work.",
             "Every morning, Aiko trains in the cold bay.", "It is Nolan's best work, and Nolan's work shows here."]
    names = character_names(texts)
    assert "Aiko" in names
    assert "Nolan" not in names


def test_the_last_shot_told_through_the_camera_is_hidden_in_the_zone() -> None:
    """After the ending is named, a passage telling the last shot through what the camera shows, with a character
    in it, is no craft talk: it stays hidden (the character is learned even after a 'hard work')."""
    paragraphs = [
        "A quiet film about a fisherman's daughter, and one of the best of its year.",
        "Aiko sells fish at the harbour with her father. Every morning, Aiko trains in the cold bay for the race.",
        "The race is the payoff of Aiko's hard work, and she wins it by a length.",
        "The score by Hisaishi is lovely throughout.",
        "The ending is the most poetic thing in it.",
        ("Aiko's father is seen on the pier. The camera holds on the empty water, and we see Aiko's cap drifting "
         "towards the rocks."),
    ]
    review = "\n\n".join(paragraphs)
    passages = process_review(review, themes(), "The Bay", 2001)
    last = [p for p in passages if "camera holds" in p.text]
    assert last and all(p.spoiler is not None for p in last)
