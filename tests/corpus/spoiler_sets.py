"""Spoiler detection on every labelled real set at once: recall and hidden share per set and in total.

issue 25 item 1: ending-revealing sentences inside spoiler passages (recall, goal >= 0.95 on unseen reviews) and
harmless sentences hidden (the cost). Each set is scored the one way test_real_heldout_v4.score_spoilers scores
it (by sentence). The texts are third-party and not committed (/work/wt/corpus-heldout/); a set whose texts are
missing is skipped.

Run: python -m tests.corpus.spoiler_sets [set ...] [--misses] [--time]
  --misses   list the ending sentences shown (and, with --hidden, the harmless ones hidden)
  --time     time process_review on the bundled corpus (La La Land), and count its quotable passages left in clear
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from tests.corpus.test_real_heldout import DATA
from tests.corpus.test_real_heldout_v4 import SETS as V4_SETS
from tests.corpus.test_real_heldout_v4 import SpoilerScores, score_spoilers
from tests.corpus.test_real_heldout_v5 import LABELS as V5_LABELS
from tests.corpus.test_real_heldout_v5 import TEXTS as V5_TEXTS
from tests.corpus.test_real_heldout_v6 import LABELS as V6_LABELS
from tests.corpus.test_real_heldout_v6 import TEXTS as V6_TEXTS
from tests.corpus.test_real_heldout_v7 import LABELS as V7_LABELS
from tests.corpus.test_real_heldout_v7 import TEXTS as V7_TEXTS
from tests.corpus.test_real_heldout_v8 import LABELS as V8_LABELS
from tests.corpus.test_real_heldout_v8 import TEXTS as V8_TEXTS
from tests.corpus.test_real_heldout_v9 import LABELS as V9_LABELS
from tests.corpus.test_real_heldout_v9 import TEXTS as V9_TEXTS
from tests.corpus.test_real_heldout_v10 import LABELS as V10_LABELS
from tests.corpus.test_real_heldout_v10 import TEXTS as V10_TEXTS
from tests.corpus.test_real_heldout_v11 import LABELS as V11_LABELS
from tests.corpus.test_real_heldout_v11 import TEXTS as V11_TEXTS
from tests.corpus.test_real_heldout_v12 import LABELS as V12_LABELS
from tests.corpus.test_real_heldout_v12 import TEXTS as V12_TEXTS
from tests.corpus.test_real_heldout_v13 import LABELS as V13_LABELS
from tests.corpus.test_real_heldout_v13 import TEXTS as V13_TEXTS
from tests.corpus.test_real_heldout_v14 import LABELS as V14_LABELS
from tests.corpus.test_real_heldout_v14 import TEXTS as V14_TEXTS
from tests.corpus.test_real_heldout_v15 import LABELS as V15_LABELS
from tests.corpus.test_real_heldout_v15 import TEXTS as V15_TEXTS
from tests.corpus.test_real_heldout_v16 import LABELS as V16_LABELS
from tests.corpus.test_real_heldout_v16 import TEXTS as V16_TEXTS

SETS: dict[str, tuple[Path, Path]] = {
    "v1": V4_SETS["v1"], "v2": V4_SETS["v2"], "v3": V4_SETS["v3"],
    "v4tune": V4_SETS["tune"], "v4blind": V4_SETS["blind"],
    "v5": (V5_LABELS, V5_TEXTS), "v6": (V6_LABELS, V6_TEXTS),
    "v7": (V7_LABELS, V7_TEXTS), "v8": (V8_LABELS, V8_TEXTS), "v9": (V9_LABELS, V9_TEXTS),
    "v10": (V10_LABELS, V10_TEXTS),
    "v11": (V11_LABELS, V11_TEXTS),
    "v12": (V12_LABELS, V12_TEXTS),
    "v13": (V13_LABELS, V13_TEXTS),
    "v14": (V14_LABELS, V14_TEXTS),
    "v15": (V15_LABELS, V15_TEXTS),
    "v16": (V16_LABELS, V16_TEXTS),
}
assert DATA.exists()


def score_all(names: list[str]) -> dict[str, SpoilerScores]:
    return {name: score_spoilers(*SETS[name]) for name in names if SETS[name][1].exists()}


def table(scores: dict[str, SpoilerScores], total_row: bool = True) -> str:
    lines = ["| set | ending sentences hidden | recall | harmless hidden | hidden share |",
             "| --- | --- | --- | --- | --- |"]
    total = SpoilerScores()
    for name, s in scores.items():
        lines.append(f"| {name} | {s.revealing_hidden}/{s.revealing} | {s.recall():.2f} | "
                     f"{s.harmless_hidden}/{s.harmless} | {s.hidden_share():.2f} |")
        total.revealing += s.revealing
        total.revealing_hidden += s.revealing_hidden
        total.harmless += s.harmless
        total.harmless_hidden += s.harmless_hidden
    if total_row:
        lines.append(f"| total | {total.revealing_hidden}/{total.revealing} | {total.recall():.2f} | "
                     f"{total.harmless_hidden}/{total.harmless} | {total.hidden_share():.2f} |")
    return "\n".join(lines)


def _bundled() -> tuple[dict[str, Any], list[tuple[Any, str]]]:
    from bot.corpus import load_themes
    from bot.corpus.bundle import read_manifest

    data = Path(__file__).resolve().parents[2] / "data"
    return load_themes(data / "themes.toml"), [(e, (data / e.file).read_text(encoding="utf-8"))
                                                for e in read_manifest(data)]


def bundled_clear() -> tuple[int, int]:
    """(quotable passages of the bundled La La Land corpus with no spoiler reason, quotable passages): what a
    member can still read in clear (a bot that hides everything is useless)."""
    from bot.corpus import process_review

    themes, reviews = _bundled()
    quotable = [p for entry, text in reviews for p in process_review(text, themes, entry.film, entry.year) if p.quotable]
    return sum(p.spoiler is None for p in quotable), len(quotable)


def time_bundled(rounds: int = 5) -> float:
    """Milliseconds for process_review over the bundled La La Land corpus (best of `rounds`)."""
    from bot.corpus import process_review

    themes, reviews = _bundled()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for entry, text in reviews:
            process_review(text, themes, entry.film, entry.year)
        best = min(best, time.perf_counter() - start)
    return best * 1000


if __name__ == "__main__":
    args = sys.argv[1:]
    names = [a for a in args if not a.startswith("--")] or list(SETS)
    scores = score_all(names)
    print(table(scores))
    if "--misses" in args:
        for name, s in scores.items():
            print("\n".join(f"SHOWN {name} {line}" for line in s.shown))
    if "--hidden" in args:
        for name, s in scores.items():
            print("\n".join(f"HIDDEN {name} {line}" for line in s.hidden))
    if "--time" in args:
        print(f"process_review on the bundled corpus: {time_bundled():.0f} ms; quotable passages in clear: "
              "{} of {}".format(*bundled_clear()))
