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

Run for the tables: python -m tests.corpus.test_real_heldout_v4 [tune] [blind]
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from bot.corpus import process_review
from tests.corpus.test_real_heldout import DATA, _flat, read_texts, themes

SETS = {
    "tune": (DATA / "real_heldout_v4_tune.json",
             Path(os.environ.get("FILMBOT_REAL_HELDOUT_V4_TUNE", "/work/wt/corpus-heldout/real_v4_tune.md"))),
    "blind": (DATA / "real_heldout_v4.json",
              Path(os.environ.get("FILMBOT_REAL_HELDOUT_V4", "/work/wt/corpus-heldout/real_v4.md"))),
}
# Floors: the figures measured (data/real_heldout_v4.md); a change that drops below fails.
FLOOR_RECALL = {"tune": 1.0, "blind": 0.77}
# Hiding a harmless sentence is the cheap error, but past a third of them quotes become useless.
CEILING_HIDDEN = {"tune": 0.35, "blind": 0.35}

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
    shown: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    def recall(self) -> float:
        return self.revealing_hidden / self.revealing if self.revealing else 1.0

    def hidden_share(self) -> float:
        return self.harmless_hidden / self.harmless if self.harmless else 0.0

    def table(self, title: str) -> str:
        return "\n".join([
            title, "| sentences | labelled | in spoiler passages | share |", "| --- | --- | --- | --- |",
            f"| ending-revealing (recall) | {self.revealing} | {self.revealing_hidden} | {self.recall():.2f} |",
            f"| harmless (hidden share) | {self.harmless} | {self.harmless_hidden} | {self.hidden_share():.2f} |",
        ])


@cache
def evaluate(name: str) -> SpoilerScores:
    scores = SpoilerScores()
    labels_path, texts_path = SETS[name]
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["reviews"]
    texts = read_texts(texts_path)
    for key, paragraphs in labels.items():
        review = texts[key]
        assert len(review.paragraphs) == len(paragraphs), key
        passages = process_review("\n\n".join(review.paragraphs), themes(), review.film, review.year)
        flat_passages = [(_flat(p.text), p.spoiler is not None) for p in passages]
        for text, label in zip(review.paragraphs, paragraphs, strict=True):
            assert _flat(text).startswith(_flat(label["starts"])), (key, label["starts"])
            starts = [_flat(s) for s in label.get("ending", [])]
            for sentence in sentences(text):
                flat = _flat(sentence)
                holders = [hidden for passage, hidden in flat_passages if flat[:80] in passage]
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
                        scores.hidden.append(where)
            assert sum(any(_flat(s).startswith(x) or x.startswith(_flat(s)[:60]) for s in sentences(text))
                       for x in starts) == len(starts), (key, starts)
    return scores


def needs(name: str) -> pytest.MarkDecorator:
    texts = SETS[name][1]
    return pytest.mark.skipif(not texts.exists(), reason=f"review texts of set v4 {name} not here ({texts})")


def test_v4_labels_were_written_for_both_halves() -> None:
    """13 pieces of 12 films, 27 + 22 ending-revealing sentences labelled, TUNE and BLIND apart."""
    halves = {name: json.loads(path.read_text(encoding="utf-8"))["reviews"] for name, (path, _) in SETS.items()}
    assert not set(halves["tune"]) & set(halves["blind"])
    assert len(halves["tune"]) + len(halves["blind"]) == 13
    counts = {name: sum(len(p.get("ending", [])) for r in reviews.values() for p in r) for name, reviews in halves.items()}
    assert counts == {"tune": 27, "blind": 22}


@pytest.mark.parametrize("name", [pytest.param(n, marks=needs(n)) for n in SETS])
def test_v4_spoiler_recall_floor(name: str) -> None:
    """Ending-revealing sentences in spoiler passages: at least the figure measured (issue 25 item 1)."""
    scores = evaluate(name)
    assert scores.recall() >= FLOOR_RECALL[name], scores.shown


@pytest.mark.parametrize("name", [pytest.param(n, marks=needs(n)) for n in SETS])
def test_v4_harmless_sentences_mostly_stay_quotable(name: str) -> None:
    """At most a third of the harmless sentences are hidden."""
    assert evaluate(name).hidden_share() <= CEILING_HIDDEN[name], evaluate(name).hidden


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ["tune"]:
        if SETS[name][1].exists():
            result = evaluate(name)
            print(result.table(f"\n## set v4 {name}"))
            print("\n".join(["SHOWN " + s for s in result.shown] + ["HIDDEN " + s for s in result.hidden]))
