"""Themes on every labelled set at once: P/R per theme per set and in total, and idiom traps tagged.

Issue 28 item 1 (themes for every passage, on films the rules never saw). The sets and their scorers are
the test files' own (test_real_heldout*.py, test_theme_real_v4.py); sets whose texts are absent are left
out (v4 and v4-tune carry spoiler labels only). Run: python -m tests.corpus.theme_sets [set ...] [--errors]
[--themes PATH]

--themes scores with another theme file, for a leave-out check: the rules as they stood before a set was tuned on
(`git show <commit>:data/themes.toml > /tmp/old.toml`) tell what a change does on text it never saw.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bot.corpus import load_themes
from tests.corpus import test_real_heldout as v1_3
from tests.corpus import test_real_heldout_v17 as v17
from tests.corpus.test_real_heldout import DATA, THEMES, Scores, evaluate_tuning
from tests.corpus.test_theme_real_v4 import HELDOUT, score_themes

CORPUS = Path("/work/wt/corpus-heldout")
V17_TEXTS = v17.TEXTS  # scored blind once (session 13), now one of the sets
# name -> how to score it (a set whose texts are not here is left out)
SETS: dict[str, Callable[[], Scores]] = {
    "dev+test": evaluate_tuning,
    **{name: partial(v1_3.evaluate_real, name) for name in ("v1", "v2", "v3")},
    "v4-themes-tune": lambda: score_themes(DATA / "themes_real_tune.json", HELDOUT / "tune.md"),
    "v4-themes-blind": lambda: score_themes(DATA / "themes_real_blind.json", HELDOUT / "blind.md"),
    "v5": lambda: score_themes(DATA / "real_heldout_v5.json", CORPUS / "real_v5.md"),
    "v6": lambda: score_themes(DATA / "real_heldout_v6.json", CORPUS / "real_v6.md"),
    "v7": lambda: score_themes(DATA / "real_heldout_v7.json", CORPUS / "real_v7.md"),
    "v8": lambda: score_themes(DATA / "real_heldout_v8.json", CORPUS / "real_v8.md"),
    "v9": lambda: score_themes(DATA / "real_heldout_v9.json", CORPUS / "real_v9.md"),
    "v10": lambda: score_themes(DATA / "real_heldout_v10.json", CORPUS / "real_v10.md"),
    "v11": lambda: score_themes(DATA / "real_heldout_v11.json", CORPUS / "real_v11.md"),
    "v12": lambda: score_themes(DATA / "real_heldout_v12.json", CORPUS / "real_v12.md"),
    "v13": lambda: score_themes(DATA / "real_heldout_v13.json", CORPUS / "real_v13.md"),
    "v14": lambda: score_themes(DATA / "real_heldout_v14.json", CORPUS / "real_v14.md"),
    "v15": lambda: score_themes(DATA / "real_heldout_v15.json", CORPUS / "real_v15.md"),
    "v16": lambda: score_themes(DATA / "real_heldout_v16.json", CORPUS / "real_v16.md"),
    "v17": lambda: score_themes(DATA / "real_heldout_v17.json", V17_TEXTS),
}
TEXTS = {"v1": CORPUS / "real_v1.md", "v2": CORPUS / "real_v2.md", "v3": CORPUS / "real_v3.md",
         "v4-themes-tune": HELDOUT / "tune.md", "v4-themes-blind": HELDOUT / "blind.md",
         "v5": CORPUS / "real_v5.md",
         "v6": CORPUS / "real_v6.md", "v7": CORPUS / "real_v7.md", "v8": CORPUS / "real_v8.md",
         "v9": CORPUS / "real_v9.md", "v10": CORPUS / "real_v10.md", "v11": CORPUS / "real_v11.md",
         "v12": CORPUS / "real_v12.md", "v13": CORPUS / "real_v13.md",
         "v14": CORPUS / "real_v14.md", "v15": CORPUS / "real_v15.md",
         "v16": CORPUS / "real_v16.md", "v17": V17_TEXTS}


def row(name: str, scores: Scores) -> str:
    cells = []
    for key in THEMES:
        gold = scores.tp[key] + scores.fn[key]
        cells.append(f"{scores.precision(key):.2f}/{scores.recall(key):.2f} ({gold:>2})")
    return f"{name:<16} " + " ".join(f"{c:<16}" for c in cells) + f" traps {len(scores.traps_tagged)}/{scores.traps}"


def main(argv: list[str]) -> None:
    show_errors = "--errors" in argv
    if "--themes" in argv:
        at = argv.index("--themes")
        other = load_themes(Path(argv[at + 1]))
        setattr(v1_3, "themes", lambda: other)  # noqa: B010 - every scorer reads the theme file through this function
        argv = argv[:at] + argv[at + 2:]
    names = [a for a in argv if not a.startswith("--")] or list(SETS)
    total = Scores()
    print(f"{'set':<16} " + " ".join(f"{k + ' P/R (gold)':<16}" for k in THEMES))
    for name in names:
        if name in TEXTS and not TEXTS[name].exists():
            continue
        scores = SETS[name]()
        print(row(name, scores))
        total.add_counts(scores)
        total.errors += [f"{name} {e}" for e in scores.errors + scores.traps_tagged]
    print(row("TOTAL", total))
    if show_errors:
        print("\n".join(total.errors))


if __name__ == "__main__":
    main(sys.argv[1:])
