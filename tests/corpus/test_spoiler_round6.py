"""Spoiler round 6 (issue 25 item 1): phrase rules of spoilers.py added after sets v11 and v12 were retired into
tuning. Every sentence here is written for the test, none is taken from a labelled set."""

from __future__ import annotations

import pytest

from bot.corpus.reasons import SpoilerReason as R
from bot.corpus.spoilers import spoiler_reasons


def reason(text: str) -> R | None:
    return spoiler_reasons([text], [0], [False], [False])[0]


@pytest.mark.parametrize("text", [
    # the twist as a thing: the whole business was a lie / a dream / a set-up
    "The heist looks clean, though this time it was all a lie.",
    "By the last reel we learn it's all just a simulation run by the lab.",
    "The courtship, the letters, the house by the sea: it was nothing but a ruse.",
    # a fate named ahead of time
    "It is moving to watch the two brothers laugh together before the elder's eventual fall.",
    "The script keeps hinting at her eventual death without ever making us dread it.",
    "His eventual betrayal of the crew feels earned.",
    # a person made up by a character: the imagined-companion twist
    "I could never see why a man so guarded would be soothed by imagining her at his side.",
    "The friend who follows him everywhere is a figment of his imagination.",
    "It matters that Owen is a product of Clara's own mind.",
    "So she invents a brave imaginary companion to say what she cannot.",
    "So, she creates Lucas, the confident double she has always wanted to be.",
])
def test_the_new_reveal_phrases_hide_the_passage(text: str) -> None:
    assert reason(text) is R.REVEAL


@pytest.mark.parametrize("text", [
    "The film is a lie about the fifties, told with love.",  # no "all a lie"
    "The director's eventual cut runs twenty minutes longer.",  # "eventual" without a fate
    "I tried imagining them as a real family and could not.",  # imagining them *as*: the critic's picture
    "Gondry's imagination runs riot in every frame.",
    "An imaginary friend is the oldest device in the children's film.",  # the friend of a premise, no twist words
    "He creates a mood of dread from almost nothing.",  # creates a thing, not a named person
])
def test_near_misses_stay_clear(text: str) -> None:
    assert reason(text) is None
