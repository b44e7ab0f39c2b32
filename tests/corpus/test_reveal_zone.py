"""The reveal zone (bot/corpus/reveal_zone.py): after a review's first reveal, the rest of the review is hidden."""

from __future__ import annotations

import time
from functools import cache

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus import Theme, load_themes, process_review
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
