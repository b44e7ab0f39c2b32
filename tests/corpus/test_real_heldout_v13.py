"""Set v13: 16 real reviews of 16 films from 4 sources (zanecorp.com, satyanash.github.io, goldenagehorror.com, okjuan's
virtual.book), labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v13.json (committed before any run, ce2d354);
sources, counts and method: data/real_heldout_v13.md. Scored ONCE, on commit 5e95b6c (session 9: spoiler round 6,
theme rounds 5 and 6); the figures of that run are the floors below. Retired into tuning after that run.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V13 (default
/work/wt/corpus-heldout/real_v13.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v13
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v13.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V13", "/work/wt/corpus-heldout/real_v13.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v13 not here ({TEXTS})")


# The one blind run (commit 5e95b6c, session 9), now the floors: a change that drops below fails. Spoiler recall
# 48/48 = 1.00 (goal 0.95: met; the text rules alone, same run: 41/48 = 0.85 at 0.28 hidden; the code at the
# session's start, f8c49b5, also 48/48 at 0.54), harmless sentences hidden 226/401 = 0.564. Themes (goal missed):
# (precision, recall), measured, rounded down; no look paragraph was found (0/12) and no nostalgia one (0/2).
# Theme round 7 (after retirement) won back the two paragraphs rounds 5/6 had lost against f8c49b5: a list of crafts
# each given its own verdict is no roll call (roll_call.py), the actors' manner of acting told is performances
# (themes.toml), the critic's guess at the outcome voiced in the final moments is no longer read as the critic's state
# (themes.toml): performances .50/.60 -> .57/.80, look .00/.00 -> .50/.08, ending .77/.33 -> .79/.37 (floors raised).
FLOOR_RECALL = 1.0
CEILING_HIDDEN = 0.57  # 0.564 measured
FLOOR_THEMES = {"ending": (0.78, 0.36), "performances": (0.57, 0.80), "music": (0.50, 0.50), "look": (0.50, 0.08)}
MAX_TRAPS = 4
# Theme round 8 (branch theme8): a roll call of stock participles ("well constructed, well directed, and has excellent
# acting") is not scored (roll_call.py): performances .57/.80 -> .61/.80, traps 4 -> 3.
FLOOR_THEMES["performances"] = (0.61, 0.80)
MAX_TRAPS = 3
# Theme round 9 (branch theme9): a past that never was, an earlier decade's look put on: nostalgia .00/.00 -> .50/1.00.
FLOOR_THEMES["nostalgia"] = (0.50, 1.00)
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look .50/.08 -> .83/.41.
FLOOR_THEMES["look"] = (0.83, 0.41)
# Theme round 9: a performer in the story is a character's job ("she is the performer undressing earlier in the film"):
# performances .62/.80 -> .66/.80, traps 3 -> 2.
FLOOR_THEMES["performances"] = (0.66, 0.80)
MAX_TRAPS = 2


SET = BlindSet("v13", LABELS, TEXTS, (16, 168, 48), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v13_labels() -> None:
    """16 reviews of 16 films, 168 paragraphs, 48 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v13_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v13_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
