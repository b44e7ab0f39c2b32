"""The structural spoiler layer (bot/corpus/narration.py, issue 25 item 1), grouped by rule: characters learned
from the review, the narration register, the set-up's position, propagation within a paragraph, essay-type
reviews, and bad input. Measured on the real sets by tests/corpus/spoiler_sets.py and spoiler_leaveout.py."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest

from bot.corpus import Theme, load_themes, process_review
from bot.corpus.narration import (
    _ACTION,
    _CRITIC,
    _ESSAY,
    _MAKER,
    _VOICE,
    character_names,
    is_narration,
    is_narration_sentence,
    narration_reasons,
)
from bot.corpus.reasons import SpoilerReason
from tests.corpus.test_themes_films import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
N = SpoilerReason.NARRATION


@cache
def themes() -> dict[str, Theme]:
    return load_themes(ROOT / "data" / "themes.toml")


# A review of an invented film: set-up paragraph, a critic's paragraph, then the plot goes on (the outcome told
# as plain narration, no word of dying, ending or revealing), then the critic again.
REVIEW = [
    "Harbour Lights is the best thing its director has made in a decade, and I loved every minute of it.",
    ("Marta runs a ferry between two islands. When her brother Tomas comes home from the city, she lets him "
     "sleep on the boat."),
    "The performances are superb, and the camera work by the cinematographer is a joy to watch.",
    ("Tomas takes the ferry one night while Marta sleeps. She wakes on the empty quay and walks back to the "
     "village alone."),
    "It is a film I will watch again.",
]


def review_reasons(paragraphs: list[str], film: str | None = "Harbour Lights") -> list[SpoilerReason | None]:
    return [p.spoiler for p in process_review("\n\n".join(paragraphs), themes(), film, 2026, zone=False)]


# ------------------------------------------------------------------ characters learned from the review
def test_character_names_are_names_used_mid_sentence_more_than_once() -> None:
    names = character_names(REVIEW, "Harbour Lights")
    assert {"Marta", "Tomas"} <= names
    assert "Harbour" not in names  # the title opens a sentence once, never in mid-sentence


def test_makers_are_not_characters() -> None:
    texts = ["Directed by Anna Kessler, the film follows Marta. Kessler's script is lean.",
             "Marta meets Joel. Joel Berg plays Joel with relish, and Kessler directed him well. Then Marta leaves.",
             "Marta (Ruth Wilson) is superb; Berg as Joel too. Later Marta sails on."]
    names = character_names(texts)
    assert "Marta" in names
    assert "Kessler" not in names and "Berg" not in names


def test_capitalised_words_that_are_no_names_are_not_characters() -> None:
    texts = ["In December she goes to London, then in December to Paris with the American.",
             "The American meets her in London in December."]
    assert not {"December", "London", "American"} & character_names(texts)


# ------------------------------------------------------------------ the narration register
@pytest.mark.parametrize("sentence", [
    "Tomas takes the ferry one night while Marta sleeps.",
    "She wakes on the empty quay and walks back to the village alone.",
    "Then they fight one on one.",
    "Marta and Tomas get to keep the boat.",
    "When the storm comes, he finally returns to the island.",
    "The detective follows him into the harbour.",
])
def test_plot_told_with_characters_acting_is_narration(sentence: str) -> None:
    assert is_narration_sentence(sentence, frozenset({"Marta", "Tomas"}))


@pytest.mark.parametrize("sentence", [
    "I think Tomas takes the ferry too often.",  # the critic's own voice
    "Does Marta forgive him?",  # a question to the reader
    "The performances are superb.",  # judgement, no character acting
    "Kessler directs the actors with care.",  # a maker, not a character
    "Tomas takes the ferry in a brilliant sequence.",  # the critic's judgement in the sentence
    "Harbour Lights follows Marta through one winter.",  # the film as subject
])
def test_the_critics_register_is_no_narration(sentence: str) -> None:
    assert not is_narration_sentence(sentence, frozenset({"Marta", "Tomas"}), "Harbour Lights")


def test_a_title_that_is_a_name_is_the_film_when_whole() -> None:
    names = frozenset({"Anne", "Muriel"})
    assert not is_narration_sentence("Anne and Muriel remains a sorrowful piece.", names, "Anne and Muriel")
    assert is_narration_sentence("Anne arrives in France to be a sculptor.", names, "Anne and Muriel")


def test_a_passage_is_narration_when_its_narration_outweighs_the_critic() -> None:
    names = frozenset({"Marta"})
    assert is_narration("Marta sails at dawn. The light on the water is grey.", names)
    assert not is_narration("Marta sails at dawn. I found the film slow. The performances are fine.", names)


# ------------------------------------------------------------------ position: past the set-up
def test_narration_past_the_set_up_is_hidden_and_the_set_up_stays() -> None:
    reasons = review_reasons(REVIEW)
    assert reasons[1] is None  # the set-up: first narration paragraph
    assert reasons[3] is N  # the story goes on: the outcome told as plain narration
    assert reasons[2] is None and reasons[4] is None  # the critic's paragraphs


def test_short_review_keeps_its_first_narration_passages_as_set_up() -> None:
    texts = ["Marta runs a ferry for Tomas.", "Marta takes Tomas aboard.", "Tomas sails off in the boat of Marta.",
             "Marta walks home."]
    reasons = narration_reasons(texts, [0, 0, 0, 0], [None] * 4)
    assert reasons[:2] == [None, None] and reasons[2:] == [N, N]


def test_only_unreasoned_passages_change() -> None:
    texts = ["Marta runs a ferry.", "Tomas goes.", "Marta waits.", "Tomas comes back to Marta."]
    given = [SpoilerReason.AFTER_WARNING, None, SpoilerReason.REVEAL, None]
    out = narration_reasons(texts, [0, 1, 2, 3], given)
    assert out[0] is SpoilerReason.AFTER_WARNING and out[2] is SpoilerReason.REVEAL


# ------------------------------------------------------------------ propagation within a paragraph
def test_a_spoiler_passage_hides_the_rest_of_its_paragraphs_narration() -> None:
    texts = ["Marta meets Tomas.", "Marta dies.", "Tomas sails away.", "The score is lovely, I thought."]
    out = narration_reasons(texts, [0, 1, 1, 1], [None, SpoilerReason.REVEAL, None, None])
    assert out[2] is N  # narration after the reveal, same paragraph
    assert out[3] is None  # the critic's aside is shown


def test_a_paragraph_mostly_of_spoilers_loses_its_narration_before_them() -> None:
    texts = ["Marta meets Tomas.", "Tomas robs the bank with Marta.", "Marta dies.", "Tomas is arrested.", "Tomas hangs."]
    given = [None, None, SpoilerReason.REVEAL, SpoilerReason.REVEAL, SpoilerReason.ENDING_PARAGRAPH]
    out = narration_reasons(texts, [0, 1, 1, 1, 1], given)
    assert out[1] is N  # the retelling's start, in a paragraph of four passages, three of them spoilers
    assert out[0] is None  # the set-up paragraph
    short = narration_reasons(texts[1:4], [1, 1, 1], given[1:4])
    assert short[0] is None  # three passages: the set-up before the reveal stays clear (spoilers.py's rule)


# ------------------------------------------------------------------ topic continuity
def test_a_passage_going_on_with_a_reveals_topic_is_hidden() -> None:
    texts = ["The lighthouse keeper is drowned, and the lantern goes out over the harbour for good.",
             "Something else entirely: the costumes are period-perfect.",
             "The lantern and the harbour return in the coda, relit by a stranger.",
             "The costumes are by a designer who worked on three period films before."]
    given = [SpoilerReason.REVEAL, None, None, None]
    out = narration_reasons(texts, [0, 1, 2, 3], given)
    assert out[2] is N  # "lantern", "harbour" again, two passages after the reveal
    assert out[1] is None and out[3] is None  # other topics; too far, or shared with no reveal


def test_topic_words_are_stemmed_and_the_reviews_common_words_do_not_count() -> None:
    from bot.corpus.narration import _topics

    topics = _topics(["The brackets return.", "A bracket returned.", "Nothing here."])
    assert {"bracket", "return"} <= topics[0] & topics[1]
    spread = _topics(["Marta sails."] * 8 + ["Marta waits."])
    assert "marta" not in spread[-1]  # in every passage: the review's own common word


# ------------------------------------------------------------------ essay-type reviews
def test_a_review_about_its_ending_hides_all_its_narration() -> None:
    texts = ["The ending of Harbour Lights is the reason to write about it.", "Marta runs a ferry with Tomas.",
             "Tomas takes the boat from Marta."]
    out = narration_reasons(texts, [0, 1, 2], [None, None, None], "Harbour Lights")
    assert out == [None, N, N]
    assert _ESSAY.search("Ending explained") and not _ESSAY.search("An endless summer")


# ------------------------------------------------------------------ bad input
def test_empty_input() -> None:
    assert narration_reasons([], [], []) == []
    assert character_names([]) == frozenset()


def test_an_all_names_paragraph() -> None:
    text = " ".join(["Marta Tomas Joel Anna Kessler"] * 200) + "."
    out = review_reasons([text, text, text])
    assert len(out) >= 1  # no crash; whatever it decides is a reason or None
    assert all(r is None or isinstance(r, SpoilerReason) for r in out)


@pytest.mark.parametrize("text", [
    *HOSTILE,
    "Marta " * 2_000,  # 12k characters of one name
    "x" * 10_000,
    "Marta runs\x00 the ferry. Tomas\x00 takes it.",
    "Marta 🚢 runs the ferry 🌊. Tomas takes it 🌙 and sails away 🎬.",
    "He " * 5_000,
    "Then Marta and " * 1_000 + "Tomas",
    "(" * 3_000 + "Marta" + ")" * 3_000,
])
def test_bad_input_is_read_quickly_and_safely(text: str) -> None:
    started = time.thread_time()
    for pattern in (_ACTION, _CRITIC, _VOICE, _MAKER, _ESSAY):
        pattern.search(text)
        pattern.findall(text)
    out = narration_reasons([text, text], [0, 1], [None, None])
    assert len(out) == 2
    assert time.thread_time() - started < 1.5, text[:30]


def test_narration_reason_is_stored_and_labelled() -> None:
    assert N.value == "narration"
    assert "set-up" in N.label


# ------------------------------------------------------------------ generalisation (needs git history and the texts)
def test_the_layer_lifts_recall_on_the_rules_of_each_blind_run() -> None:
    """On the text rules as they stood at v5's and v6's one blind run, the layer adds ending sentences (48/51 and
    38/47 measured, from 39 and 32) for a handful of harmless ones (181 and 130 measured, from 176 and 120)."""
    from tests.corpus import spoiler_leaveout

    for name, (recall, hidden) in {"v5": (48, 186), "v6": (38, 134)}.items():
        if not spoiler_leaveout.SETS[name][1].exists():
            pytest.skip(f"texts of set {name} not here")
        try:
            before, after = spoiler_leaveout.leave_out(name)
        except Exception as error:  # noqa: BLE001 - a shallow clone has no blind-run commit
            pytest.skip(f"blind-run rules of {name} not in this checkout: {error}")
        assert after.revealing_hidden >= recall > before.revealing_hidden, after.shown
        assert after.harmless_hidden <= hidden
