"""The reveal zone (bot/corpus/reveal_zone.py): after a review's first reveal, the rest of the review is hidden."""

from __future__ import annotations

import time
from functools import cache

import pytest

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus import Theme, load_themes, process_review
from bot.corpus.narration import Reading, character_names, is_narration, read_review
from bot.corpus.reasons import SpoilerReason as R
from bot.corpus.reveal_zone import reveal_zone

Z = R.AFTER_REVEAL


@cache
def themes() -> dict[str, Theme]:
    return load_themes(DEFAULT_DATA_DIR / "themes.toml")


def test_everything_clear_after_the_first_reveal_is_hidden_and_nothing_before_it() -> None:
    assert reveal_zone([None, None, R.REVEAL, None, R.ENDING_THEME, None]) == [None, None, R.REVEAL, Z, R.ENDING_THEME, Z]


def test_each_story_reason_opens_the_zone() -> None:
    for opener in (R.ENDING_THEME, R.REVEAL, R.ENDING_PARAGRAPH, R.NARRATION):
        assert reveal_zone([None, opener, None]) == [None, opener, Z]


def test_a_warning_or_a_mark_opens_no_zone_and_keeps_its_own_reason() -> None:
    """A warning already hides what follows it; reasons set outside the text say nothing about where the story is told."""
    assert reveal_zone([R.AFTER_WARNING, None]) == [R.AFTER_WARNING, None]
    assert reveal_zone([None, R.MODERATOR, None, R.REVIEW_MARKED, None]) == [None, R.MODERATOR, None, R.REVIEW_MARKED, None]
    assert reveal_zone([R.AFTER_WARNING, R.REVEAL, None]) == [R.AFTER_WARNING, R.REVEAL, Z]


def test_no_reveal_no_zone_and_empty_input() -> None:
    assert reveal_zone([None, None]) == [None, None]
    assert reveal_zone([]) == []


def test_a_review_that_tells_its_ending_hides_the_critics_later_verdict_too() -> None:
    """Through the pipeline: the set-up and the verdict before the reveal stay clear, the argument after it is hidden."""
    text = ("Anna Karlsson is superb as Marta, a ferry pilot on a cold northern island.\n\n"
            "In the last scene Marta drowns in the harbour, and Tomas sails away alone.\n\n"
            "What the film is really saying is that nobody there ever gets what they deserve.")
    reasons = [p.spoiler for p in process_review(text, themes(), "Harbour Lights", 2026)]
    assert reasons[0] is None and reasons[1] is not None and reasons[-1] is Z
    rules_alone = [p.spoiler for p in process_review(text, themes(), "Harbour Lights", 2026, zone=False)]
    assert rules_alone[-1] is None  # no rule reads the argument: the zone is what hides it


def test_hostile_text_stays_linear() -> None:
    text = "In the last scene Marta drowns in the harbour.\n\n" + ("x" * 10_000 + "\n\n" + "\x00🎬 @everyone " * 500 + "\n\n") * 3
    started = time.process_time()
    passages = process_review(text, themes(), "Harbour Lights", 2026)
    assert time.process_time() - started < 2.0
    assert passages[0].spoiler is not None and all(p.spoiler is not None for p in passages[1:])


# ---------------------------------------------------------------- what stays clear inside the zone: the film, not its story
def test_craft_talk_after_the_reveal_stays_clear() -> None:
    texts = ["Marta runs the ferry for Tomas.", "In the end Marta drowns.", "The cinematography is all grey light.",
             "Marta's ferry sinks with Tomas watching."]
    out = reveal_zone([None, R.REVEAL, None, None], texts, [set(), {"ending"}, {"look"}, set()], "Harbour Lights")
    assert out == [None, R.REVEAL, None, Z]  # the look stays; a passage naming a character does not


def test_the_critics_impersonal_verdict_stays_clear_but_an_impersonal_outcome_does_not() -> None:
    texts = ["Marta runs the ferry for Tomas.", "In the end Marta drowns.",
             "I think the film is the best thing its director has made.",
             "It has that shot of the harbour erupting with joy as the boat comes home.",
             "We are told nobody there ever gets what they deserve."]
    themes: list[set[str]] = [set(), {"ending"}, set(), set(), set()]
    out = reveal_zone([None, R.REVEAL, None, None, None], texts, themes, "Harbour Lights")
    assert out[2] is None  # the critic's voice, no character, no he/she/they
    assert out[3] is Z  # no critic's voice: it may be the story's outcome
    assert out[4] is Z  # "they": the story's people


def test_craft_talk_that_is_about_the_ending_is_hidden() -> None:
    texts = ["In the end Marta drowns.", "The final shot is framed like a painting."]
    assert reveal_zone([R.REVEAL, None], texts, [{"ending"}, {"look", "ending"}]) == [R.REVEAL, Z]


# ---------------------------------------------------------------- a fate named past the set-up opens the zone
FATE_REVIEW = [
    "Harbour Lights is a quiet film about a ferry town in winter.",
    "Marta pilots the ferry, and her brother Tomas keeps the books.",
    "The photography is all slate and fog.",
    "There is a long shot of the quay as the two of them bury their dead father, framed like a church painting.",
    "Tomas leaves the town the next spring.",
]


def test_a_fate_named_past_the_set_up_is_the_reveal_and_opens_the_zone() -> None:
    """No rule caught it (a shot described, a death in passing): the first fate past the set-up opens the zone."""
    out = reveal_zone([None] * 5, FATE_REVIEW, [set(), set(), {"look"}, {"look"}, set()], "Harbour Lights")
    assert out == [None, None, None, R.REVEAL, Z]


def test_a_fate_in_the_set_up_opens_nothing() -> None:
    """The first fifth of the review is its premise: "a widow", "after his wife died" are no outcome."""
    texts = ["Marta has run the ferry alone since her husband died.", *FATE_REVIEW[1:3], "The pace is slow.",
             "Tomas keeps the books.", "The score is strings.", "I liked it."]
    assert reveal_zone([None] * 7, texts, [set()] * 7, "Harbour Lights") == [None] * 7


def test_a_fate_after_a_rules_reveal_changes_nothing_and_the_rules_reason_stays() -> None:
    texts = [*FATE_REVIEW[:2], "In the end Marta sails away.", FATE_REVIEW[3], FATE_REVIEW[4]]
    out = reveal_zone([None, None, R.REVEAL, None, None], texts, [set()] * 5, "Harbour Lights")
    assert out == [None, None, R.REVEAL, Z, Z]


@pytest.mark.parametrize("text", [
    "The soundtrack is to die for, all brass and drums.",
    "The cast are dead serious about every line of it.",
    "Some say this is the death of cinema; I say it is a fine matinee.",
    "Dead Calm is the rare thriller that trusts its quiet.",  # the film's own title
])
def test_the_critics_idioms_and_a_title_holding_a_fate_open_nothing(text: str) -> None:
    texts = [*FATE_REVIEW[:3], text, FATE_REVIEW[4]]
    assert reveal_zone([None] * 5, texts, [set()] * 5, "Dead Calm") == [None] * 5


def test_the_zone_reads_the_reading_it_is_given() -> None:
    """process_review reads the characters and the narration flags once (narration.read_review) and shares them: the
    zone uses what it is given instead of reading the review again."""
    texts = ["In the end Marta drowns.", "The photography is grey."]
    marked = [R.REVEAL, None]
    assert reveal_zone(marked, texts, [{"ending"}, {"look"}]) == [R.REVEAL, None]
    told = Reading(frozenset(), (False, True))  # a reading that says the second passage retells the plot
    assert reveal_zone(marked, texts, [{"ending"}, {"look"}], None, told) == [R.REVEAL, Z]
    reading = read_review(texts)
    assert reading == Reading(character_names(texts), tuple(is_narration(t, reading.names) for t in texts))


# ---------------------------------------------------------------- the critic's reaction to a reveal, in its paragraph
def test_the_critics_reaction_right_after_a_reveal_in_its_paragraph_is_hidden() -> None:
    """Spoiler round 6: "I guess there was one, of sorts" answers the reveal just made; in the reveal's paragraph it is
    no verdict on the film, so the impersonal-verdict exemption does not apply. In the next paragraph it does."""
    texts = ["Marta runs the ferry for Tomas.", "In the end Marta drowns.", "I suppose we saw it coming, of sorts.",
             "I think the film is the best thing its director has made."]
    themes: list[set[str]] = [set()] * 4
    out = reveal_zone([None, R.REVEAL, None, None], texts, themes, "Harbour Lights", None, [0, 1, 1, 2])
    assert out == [None, R.REVEAL, Z, None]
    # Another paragraph: the critic's verdict, shown as before; so without paragraphs (the old call).
    assert reveal_zone([None, R.REVEAL, None, None], texts, themes, "Harbour Lights", None, [0, 1, 2, 3])[2] is None
    assert reveal_zone([None, R.REVEAL, None, None], texts, themes, "Harbour Lights")[2] is None


def test_only_a_told_story_calls_for_the_reaction_not_talk_about_the_ending() -> None:
    """After ending talk (ENDING_PARAGRAPH: "the last shot is long") the critic's own verdict stays clear."""
    texts = ["Marta runs the ferry for Tomas.", "The last shot is long and grey.", "I think it earns its length."]
    out = reveal_zone([None, R.ENDING_PARAGRAPH, None], texts, [set()] * 3, "Harbour Lights", None, [0, 1, 1])
    assert out == [None, R.ENDING_PARAGRAPH, None]
