"""Why a passage is not quotable, and why it is a spoiler: closed sets, stored with each passage.

Every rule of the pipeline that refuses a passage answers with one `Refusal`; every reason a passage
is hidden behind spoiler bars is one `SpoilerReason`. The values are the stored keys (the
`passages.refusal` and `passages.spoiler_reason` columns, `filmbot preview --json`): never rename
one, add new members. `label` is the one line a moderator reads. bot/corpus/README.md maps each
rule to an example and its test.
"""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    """Why a passage is kept (for context, search of the review, digests) but never quoted."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    CUT_SENTENCE = "cut_sentence"
    NOT_SENTENCES = "not_sentences"
    QUESTIONS = "questions"
    GAPS = "gaps"
    LEANS_BACK = "leans_back"
    UNBALANCED_QUOTES = "unbalanced_quotes"
    REPLY_OPENER = "reply_opener"
    OPENS_WITH_QUOTE = "opens_with_quote"
    MOSTLY_QUOTED = "mostly_quoted"
    DIALOGUE_RECAP = "dialogue_recap"
    MAKER_VOICE = "maker_voice"
    TEASER = "teaser"
    HEADING = "heading"
    RUN_ON = "run_on"
    OTHER_FILM = "other_film"
    PAIR_UNINTRODUCED = "pair_unintroduced"

    @property
    def label(self) -> str:
        return _REFUSAL_LABELS[self]


_REFUSAL_LABELS = {
    Refusal.TOO_SHORT: "shorter than 40 characters",
    Refusal.TOO_LONG: "longer than a quote can be",
    Refusal.CUT_SENTENCE: "a piece of a sentence over 1,000 characters",
    Refusal.NOT_SENTENCES: "not whole sentences (no capital start or no full stop)",
    Refusal.QUESTIONS: "mostly the critic's questions",
    Refusal.GAPS: "more than two lost-word gaps […]",
    Refusal.LEANS_BACK: "opens by leaning on an earlier sentence",
    Refusal.UNBALANCED_QUOTES: "unbalanced quotation marks",
    Refusal.REPLY_OPENER: "opens with a reply to an earlier sentence (But/And)",
    Refusal.OPENS_WITH_QUOTE: "opens with someone else's words",
    Refusal.MOSTLY_QUOTED: "mostly someone else's words",
    Refusal.DIALOGUE_RECAP: "dialogue recap",
    Refusal.MAKER_VOICE: "the film-maker's words, unattributed",
    Refusal.TEASER: "listicle teaser",
    Refusal.HEADING: "heading fused into a sentence",
    Refusal.RUN_ON: "run-on from lost punctuation",
    Refusal.OTHER_FILM: "describes another film",
    Refusal.PAIR_UNINTRODUCED: "pair never introduced",
}


class SpoilerReason(StrEnum):
    """Why a passage is a spoiler; None (no reason) = not a spoiler."""

    ENDING_THEME = "ending_theme"
    REVEAL = "reveal"
    ENDING_PARAGRAPH = "ending_paragraph"
    NARRATION = "narration"
    AFTER_WARNING = "after_warning"
    AFTER_REVEAL = "after_reveal"
    REVIEW_MARKED = "review_marked"
    MODERATOR = "moderator"

    @property
    def label(self) -> str:
        return _SPOILER_LABELS[self]


_SPOILER_LABELS = {
    SpoilerReason.ENDING_THEME: "tagged with a spoiler theme (the ending)",
    SpoilerReason.REVEAL: "tells what happens: a death, a survival, a twist, who ends up with whom",
    SpoilerReason.ENDING_PARAGRAPH: "in a paragraph that discusses or retells the ending",
    SpoilerReason.NARRATION: "retells the plot past the review's set-up",
    SpoilerReason.AFTER_WARNING: "after the review's own spoiler warning",
    SpoilerReason.AFTER_REVEAL: "after the review's first reveal (the rest of a review that gave something away)",
    SpoilerReason.REVIEW_MARKED: "the whole review is marked spoiler",
    SpoilerReason.MODERATOR: "marked spoiler by a moderator",
}
