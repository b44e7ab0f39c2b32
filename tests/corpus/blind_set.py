"""One blind set's checks (tests/corpus/test_real_heldout_v6..v10.py): its label counts, and the floors its one blind
run set for spoilers and themes; `python -m tests.corpus.test_real_heldout_vN` prints its tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.test_real_heldout_v4 import score_spoilers
from tests.corpus.test_theme_real_v4 import score_themes


@dataclass(frozen=True)
class BlindSet:
    name: str
    labels: Path
    texts: Path
    counts: tuple[int, int, int]  # reviews, paragraphs, ending-revealing sentences
    floor_recall: float
    ceiling_hidden: float
    floor_themes: dict[str, tuple[float, float]]  # theme -> (precision, recall)
    max_traps: int

    def check_labels(self) -> None:
        reviews = json.loads(self.labels.read_text(encoding="utf-8"))["reviews"]
        paragraphs = sum(len(paragraphs) for paragraphs in reviews.values())
        endings = sum(len(p.get("ending", [])) for paragraphs in reviews.values() for p in paragraphs)
        assert (len(reviews), paragraphs, endings) == self.counts

    def check_spoilers(self) -> None:
        scores = score_spoilers(self.labels, self.texts)
        assert scores.recall() >= self.floor_recall, scores.shown
        assert scores.hidden_share() <= self.ceiling_hidden, scores.hidden

    def check_themes(self) -> None:
        found = score_themes(self.labels, self.texts)
        for key, (precision, recall) in self.floor_themes.items():
            assert found.precision(key) >= precision and found.recall(key) >= recall, (key, found.errors)
        assert len(found.traps_tagged) <= self.max_traps, found.traps_tagged

    def print_tables(self) -> None:
        spoilers = score_spoilers(self.labels, self.texts)
        print(spoilers.table(f"\n## set {self.name} (blind run once, retired): spoilers"))
        print("\n".join(["SHOWN " + s for s in spoilers.shown] + ["HIDDEN " + s for s in spoilers.hidden]))
        found = score_themes(self.labels, self.texts)
        print(found.table(f"\n## set {self.name} (blind run once, retired): themes"))
        print("\n".join(found.errors + found.traps_tagged))
