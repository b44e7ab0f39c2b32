"""Flags and moderators' decisions on passages: pure domain types, limits and wording (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.corpus.segment import split_sentences

FLAGS_PER_HOUR = 10  # a member's flags over every server; past this, a flag is refused privately
FLAG_WINDOW_SECONDS = 3600
QUEUE_PAGE = 4  # passages per queue page: 4 rows of 4 buttons, and one row for the page buttons
TRIM_CHOICES = 25  # a select menu's most options
CORPUS_WIDE = "The corpus is shared between servers, so this applies in every server that uses this bot."


class Reason(StrEnum):
    """Why a member flagged a passage (stored as the value)."""

    READS_BADLY = "reads_badly"
    WRONG_FILM = "wrong_film"
    SPOILER = "spoiler"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Reason.READS_BADLY: "Doesn't read well", Reason.WRONG_FILM: "Wrong film", Reason.SPOILER: "Spoiler"}


class Decision(StrEnum):
    """What a moderator does with a passage; hide, show, spoiler and trim change it for every server."""

    HIDE = "hide"
    SHOW = "show"
    KEEP = "keep"
    SPOILER = "spoiler"
    TRIM = "trim"
    NOT_SPOILER = "not_spoiler"


@dataclass(frozen=True)
class Marks:
    """A passage's corpus-wide marks (passage_decisions / passage_marks)."""

    hidden: bool = False
    spoiler: bool = False
    trimmed: str | None = None
    cleared: bool = False  # a moderator said "not a spoiler": the text rules' spoiler reason is dropped

    def as_dict(self) -> dict[str, object]:
        return {"hidden": self.hidden, "spoiler": self.spoiler, "trimmed": self.trimmed, "cleared": self.cleared}

    def after(self, decision: Decision, sentence: str | None = None) -> Marks:
        """The marks once `decision` is applied (keep changes nothing); a spoiler mark and "not a spoiler"
        undo each other."""
        if decision is Decision.HIDE:
            return replace(self, hidden=True)
        if decision is Decision.SHOW:
            return replace(self, hidden=False)
        if decision is Decision.SPOILER:
            return replace(self, spoiler=True, cleared=False)
        if decision is Decision.NOT_SPOILER:
            return replace(self, spoiler=False, cleared=True)
        if decision is Decision.TRIM:
            return replace(self, trimmed=sentence)
        return self


@dataclass(frozen=True)
class FlaggedPassage:
    """One line of the moderators' queue: a passage with this server's open flags, counted by reason."""

    passage_id: int
    counts: dict[Reason, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def count_line(counts: dict[Reason, int]) -> str:
    """"2 doesn't read well · 1 spoiler": open flags by reason, never by whom."""
    return " · ".join(f"{n} {reason.label.lower()}" for reason, n in counts.items() if n) or "no open flags"


def trim_choices(text: str) -> list[str]:
    """The sentences a passage can be trimmed to (the corpus's own splitter), at most TRIM_CHOICES."""
    sentences = [s for paragraph in text.split("\n") for s in split_sentences(paragraph.strip())]
    return sentences[:TRIM_CHOICES]


def pages(total: int) -> int:
    return max(1, -(-total // QUEUE_PAGE))
