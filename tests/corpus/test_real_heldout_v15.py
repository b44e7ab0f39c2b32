"""Set v15: 16 real reviews of 16 films from 7 sources (bsag's blog, shivanshuag, allthingsdork.com, snubwoody,
michael-kudrik, rethy.xyz, mvolkmann), labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v15.json (committed before any run);
sources, counts and method: data/real_heldout_v15.md. Scored ONCE, on commit 3cbfa83 (session 10: theme rounds 8
and 9); the figures of that run are the floors below. Retired into tuning after that run.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V15 (default
/work/wt/corpus-heldout/real_v15.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v15
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v15.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V15", "/work/wt/corpus-heldout/real_v15.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v15 not here ({TEXTS})")


# The one blind run (commit 3cbfa83, session 10), now the floors: a change that drops below fails. Spoiler recall
# 53/61 = 0.869 (goal 0.95: MISSED; the text rules alone, same run: 37/61 = 0.61 at 0.28 hidden; the code at the
# session's start, ab812d8, the same 53/61 at 0.543), harmless sentences hidden 304/560 = 0.543. Themes (goal missed;
# the code at the session's start scored the same: theme rounds 8 and 9 changed nothing here): (precision, recall),
# measured, rounded down.
# Spoiler round 7 (branch spoil7, tuned on this set after its blind run): 61/61 at 308/560 = 0.55 harmless hidden.
FLOOR_RECALL = 1.00
CEILING_HIDDEN = 0.55  # 0.543 measured blind, 0.550 after round 7
FLOOR_THEMES = {"ending": (0.84, 0.28), "nostalgia": (0.50, 0.11), "performances": (0.66, 0.60), "music": (0.71, 0.83),
                "look": (0.73, 0.57)}
MAX_TRAPS = 9


SET = BlindSet("v15", LABELS, TEXTS, (16, 180, 61), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v15_labels() -> None:
    """16 reviews of 16 films, 180 paragraphs, 61 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v15_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v15_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
