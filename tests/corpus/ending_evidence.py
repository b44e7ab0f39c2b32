"""The spoiler layers' reasons as evidence of the ending theme: measured, not used (theme round 6, issue 28 item 1).

Round 5 found most ending misses are endings retold in plot words, which the phrase rules cannot see, and pointed at
the spoiler reasons (reveal, ending_paragraph, narration, after_warning, after_reveal: passages that tell the story's
outcome). This scores, on every labelled set (tests/corpus/theme_sets.py), what the ending theme would be if a passage
also got it from its final spoiler reason (the zone included), alone, by the paragraph's place in the review, and
with a weak ending cue of its own (an ending score above 0 but under the threshold). No variant keeps the ending's
precision near 0.85: the reasons mark far more passages that are not about the ending than passages that are (figures
in bot/corpus/README.md, round 6), so process_review does not use them.

Run: python -m tests.corpus.ending_evidence [variant ...] (default: all)
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable

from bot.corpus import TaggedPassage, themes_for_film
from bot.corpus.themes import theme_score
from bot.corpus.themes_model import ThemeSet
from tests.corpus import test_real_heldout as v1_3
from tests.corpus import theme_sets
from tests.corpus.test_real_heldout import Scores

REASONS = ("reveal", "ending_paragraph", "narration", "after_warning", "after_reveal")
STRUCTURE = ("reveal", "ending_paragraph", "narration")

# variant -> (reasons that give the ending, where in the review: "all" | "late" (second half) | "last2", weak cue needed)
VARIANTS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    **{reason: ((reason,), "all", False) for reason in REASONS},
    "reveal, second half": (("reveal",), "late", False),
    "reveal, last 2 paragraphs": (("reveal",), "last2", False),
    "ending_paragraph, last 2": (("ending_paragraph",), "last2", False),
    "narration, last 2": (("narration",), "last2", False),
    "reveal+ending_paragraph+narration, weak cue": (STRUCTURE, "all", True),
    "any reason, weak cue": (REASONS, "all", True),
}


def with_ending(variant: tuple[tuple[str, ...], str, bool]) -> Callable[..., list[TaggedPassage]]:
    reasons, where, cue = variant
    plain = v1_3.process_review

    def process(raw: str, themes: ThemeSet, film: str | None = None, year: int | None = None,
                *, zone: bool = True) -> list[TaggedPassage]:
        passages = plain(raw, themes, film, year, zone=zone)
        ending = themes_for_film(themes, film, year)["ending"]
        paragraphs = max((p.paragraph for p in passages), default=0) + 1
        out = []
        for p in passages:
            placed = (where == "all" or (where == "late" and p.paragraph >= paragraphs / 2)
                      or (where == "last2" and p.paragraph >= paragraphs - 2))
            if (p.spoiler is not None and p.spoiler.value in reasons and placed and "ending" not in p.themes
                    and (not cue or theme_score(p.text, ending) > 0)):
                p = dataclasses.replace(p, themes={**p.themes, "ending": ending.threshold})
            out.append(p)
        return out

    return process


def score(name: str) -> tuple[str, Scores]:
    v1_3.evaluate_real.cache_clear()
    v1_3.evaluate_tuning.cache_clear()
    total = Scores()
    cells = []
    for set_name, scorer in theme_sets.SETS.items():
        if set_name in theme_sets.TEXTS and not theme_sets.TEXTS[set_name].exists():
            continue
        scores = scorer()
        total.add_counts(scores)
        cells.append(f"{set_name} {scores.precision('ending'):.2f}/{scores.recall('ending'):.2f}")
    return f"{name:<44} TOTAL {total.precision('ending'):.2f}/{total.recall('ending'):.2f} | " + ", ".join(cells), total


def main(argv: list[str]) -> None:
    plain = v1_3.process_review
    print(score("rules alone (no reason used)")[0])
    for name in argv or list(VARIANTS):
        setattr(v1_3, "process_review", with_ending(VARIANTS[name]))  # noqa: B010 - every scorer calls it there
        try:
            print(score(name)[0])
        finally:
            setattr(v1_3, "process_review", plain)  # noqa: B010


if __name__ == "__main__":
    main(sys.argv[1:])
