"""Spoiler detection on set v4: real critics' pieces, labelled before any run, split TUNE / BLIND.

The issue-25 goal: at least 95 % of the sentences that give an ending away sit in a spoiler passage, on
reviews the rules were never tuned on. Labels: tests/corpus/data/real_heldout_v4_tune.json (TUNE half: the
rules may be tuned on it) and real_heldout_v4.json (BLIND half: scored once after tuning, figures in
data/real_heldout_v4.md; retired into tuning since, like v1-v3). The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V4_TUNE /
FILMBOT_REAL_HELDOUT_V4 (default /work/wt/corpus-heldout/real_v4_tune.md, real_v4.md); the tests skip
without them.

Two figures per half, by sentence (in the format of test_real_heldout.py):
- recall: labelled sentences inside a spoiler passage (or in no passage at all);
- hidden share: unlabelled sentences inside a spoiler passage (what hiding costs: quotes lost).

Run for the tables: python -m tests.corpus.test_real_heldout_v4 [tune] [blind] [v1] [v2] [v3]
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from bot.corpus import SpoilerReason
from tests.corpus.test_real_heldout import DATA, _flat, labelled_paragraphs
from tests.corpus.test_real_heldout import SETS as OLDER_SETS

SETS = {
    "tune": (DATA / "real_heldout_v4_tune.json",
             Path(os.environ.get("FILMBOT_REAL_HELDOUT_V4_TUNE", "/work/wt/corpus-heldout/real_v4_tune.md"))),
    "blind": (DATA / "real_heldout_v4.json",
              Path(os.environ.get("FILMBOT_REAL_HELDOUT_V4", "/work/wt/corpus-heldout/real_v4.md"))),
    # The retired sets v1-v3 scored the same way, by sentence (their labels name sentence openings too).
    **OLDER_SETS,
}
# Floors: the figures measured (data/real_heldout_v4.md); a change that drops below fails.
FLOOR_RECALL = {"tune": 1.0, "blind": 1.0, "v1": 1.0, "v2": 1.0, "v3": 1.0}
# Hiding a harmless sentence is the cheap error. The text rules alone hid about a third (v2 0.43: warnings and
# reviews about endings throughout); since session 8 the rest of a review after its first reveal is hidden too
# (bot/corpus/reveal_zone.py, craft talk and the critic's impersonal verdict left clear), the price of >= 0.95
# recall on unseen reviews: the ceilings are the figures measured with it (rules alone -> with the zone: tune
# 0.27 -> 0.58, blind 0.26 -> 0.62, v1 0.23 -> 0.25, v2 0.43 -> 0.51, v3 0.27 -> 0.38). Raised for the zone's
# earlier start (a fate named past the set-up opens it, branch spoil5: recall on unseen reviews, leave-one-set-out
# 275 -> 284/288): tune 0.58 -> 0.625 ("the fathers are dead" in a set-up aside opens it), v1 0.25 -> 0.26.
# Raised for spoiler round 6 (the critic's reaction right after a told reveal, in its paragraph, is hidden too;
# leave-one-set-out 386 -> 388/396): tune 0.625 -> 0.664, blind 0.617 -> 0.630, v2 0.510 -> 0.531.
CEILING_HIDDEN = {"tune": 0.67, "blind": 0.63, "v1": 0.27, "v2": 0.54, "v3": 0.39}

# A sentence ends at . ! ? (and a closing quote or bracket) before a capital or an opening quote.
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\b[A-Z])[.!?][’”'\")\]]?\s+(?=[A-Z‘“'\"])")


def sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


@dataclass
class SpoilerScores:
    revealing: int = 0
    revealing_hidden: int = 0
    harmless: int = 0
    harmless_hidden: int = 0
    harmless_warned: int = 0  # of the hidden ones, those under the review's own spoiler warning
    shown: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    def recall(self) -> float:
        return self.revealing_hidden / self.revealing if self.revealing else 1.0

    def hidden_share(self) -> float:
        return self.harmless_hidden / self.harmless if self.harmless else 0.0

    def hidden_share_unwarned(self) -> float:
        """The hidden share outside the reviews' own spoiler warnings (what the text rules decide)."""
        harmless = self.harmless - self.harmless_warned
        return (self.harmless_hidden - self.harmless_warned) / harmless if harmless else 0.0

    def table(self, title: str) -> str:
        return "\n".join([
            title, "| sentences | labelled | in spoiler passages | share |", "| --- | --- | --- | --- |",
            f"| ending-revealing (recall) | {self.revealing} | {self.revealing_hidden} | {self.recall():.2f} |",
            f"| harmless (hidden share) | {self.harmless} | {self.harmless_hidden} | {self.hidden_share():.2f} |",
            (f"| harmless, outside the critic's own warning | {self.harmless - self.harmless_warned} | "
             f"{self.harmless_hidden - self.harmless_warned} | {self.hidden_share_unwarned():.2f} |"),
        ])


@cache
def evaluate(name: str) -> SpoilerScores:
    return score_spoilers(*SETS[name])


def score_spoilers(labels_path: Path, texts_path: Path) -> SpoilerScores:
    """Score one set: its labels file and its texts file."""
    scores = SpoilerScores()
    for key, text, label, passages in labelled_paragraphs(labels_path, texts_path):
        flat_passages = [(_flat(p.text), p.spoiler) for p in passages]
        starts = [_flat(s) for s in label.get("ending", [])]
        for sentence in sentences(text):
            flat = _flat(sentence)
            reasons = [reason for passage, reason in flat_passages if flat[:80] in passage]
            holders = [reason is not None for reason in reasons]
            where = f"[{key}] {sentence[:90]}"
            if any(flat.startswith(s) or s.startswith(flat[:60]) for s in starts):
                scores.revealing += 1
                if all(holders):  # in spoiler passages, or in none (dropped)
                    scores.revealing_hidden += 1
                else:
                    scores.shown.append(where)
            else:
                scores.harmless += 1
                if holders and all(holders):
                    scores.harmless_hidden += 1
                    scores.harmless_warned += all(r is SpoilerReason.AFTER_WARNING for r in reasons)
                    scores.hidden.append(where)
        assert sum(any(_flat(s).startswith(x) or x.startswith(_flat(s)[:60]) for s in sentences(text))
                   for x in starts) == len(starts), (key, starts)
    return scores


def needs(name: str) -> pytest.MarkDecorator:
    texts = SETS[name][1]
    return pytest.mark.skipif(not texts.exists(), reason=f"review texts of set v4 {name} not here ({texts})")


def test_v4_labels_were_written_for_both_halves() -> None:
    """13 pieces of 12 films, 27 + 22 ending-revealing sentences labelled, TUNE and BLIND apart."""
    halves = {name: json.loads(SETS[name][0].read_text(encoding="utf-8"))["reviews"] for name in ("tune", "blind")}
    assert not set(halves["tune"]) & set(halves["blind"])
    assert len(halves["tune"]) + len(halves["blind"]) == 13
    counts = {name: sum(len(p.get("ending", [])) for r in reviews.values() for p in r) for name, reviews in halves.items()}
    assert counts == {"tune": 27, "blind": 22}


@pytest.mark.parametrize("name", [pytest.param(n, marks=needs(n)) for n in SETS])
def test_v4_spoiler_recall_floor(name: str) -> None:
    """Ending-revealing sentences in spoiler passages: at least the figure measured (issue 25 item 1); v1-v3
    scored by sentence the same way."""
    scores = evaluate(name)
    assert scores.recall() >= FLOOR_RECALL[name], scores.shown


@pytest.mark.parametrize("name", [pytest.param(n, marks=needs(n)) for n in SETS])
def test_v4_harmless_sentences_mostly_stay_quotable(name: str) -> None:
    """At most about a third of the harmless sentences are hidden (v2: see CEILING_HIDDEN)."""
    assert evaluate(name).hidden_share() <= CEILING_HIDDEN[name], evaluate(name).hidden


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ["tune"]:
        if SETS[name][1].exists():
            result = evaluate(name)
            print(result.table(f"\n## set {'v4 ' if name in ('tune', 'blind') else ''}{name}"))
            print("\n".join(["SHOWN " + s for s in result.shown] + ["HIDDEN " + s for s in result.hidden]))
