"""A roll call of crafts with one stock verdict is not a discussion of any of them (bot/corpus/roll_call.py).

Sentences written for this test (theme round 6, issue 28 item 1), in words none of the labelled sets uses: each
roll call names three or more crafts and gives them one stock verdict, and must carry none of the crafts' themes;
each kept sentence names the crafts and says something of them, and keeps its themes.
"""

from __future__ import annotations

import pytest

from bot.corpus.roll_call import without_roll_calls
from tests.corpus.test_theme_probes import tagged

ROLL_CALLS = [
    "Honestly the score, the photography and the acting were all great, so go and see it.",
    "The dialogue, the cinematography, and the performances are pretty solid across the board.",
    "The script is fine, the soundtrack is fine, and the acting is fine.",
    "Everything from the lighting, to the costumes, to the songs feels carefully chosen.",
    # round 7: one verdict said again for each craft is still one verdict
    "The editing is solid, the songs are solid, and the cast is solid.",
    # round 8: stock participles, each its own verdict of nothing in particular
    "Well shot, well acted and well written, the debut earns its festival prizes.",
    "The picture is nicely lit, expertly cut, and has superb acting throughout.",
]

KEPT = [
    "The cinematography, the editing and the score all push against the story, and the film is richer for it.",
    "The music is great: a single cello carries every scene in which the sisters cannot speak.",
    "Visually it is stunning, with the cinematography turning the salt flats into a white page.",
    # round 7 (the kind blind set v13 showed): each craft weighed apart, a verdict of its own
    "The acting is superb, the photography is cold, and the score is intrusive.",
    # round 8: one stock participle is no list
    "It is well acted, and Delphine Roux is a marvel as the widowed baker.",
]


@pytest.mark.parametrize("text", ROLL_CALLS)
def test_a_roll_call_carries_no_craft_theme(text: str) -> None:
    assert not tagged(text) & {"music", "look", "performances", "ending"}


@pytest.mark.parametrize("text", KEPT)
def test_crafts_discussed_keep_their_themes(text: str) -> None:
    assert tagged(text) & {"music", "look", "performances"}


def test_only_the_roll_call_sentence_is_left_out() -> None:
    text = ("The plot, the pacing and the cast are all good. "
            "But it is the score, with its low brass, that stays with you.")
    assert without_roll_calls(text) == "But it is the score, with its low brass, that stays with you."
    assert "music" in tagged(text)
    assert without_roll_calls("No list here, just one comma.") == "No list here, just one comma."
