"""Set v9: 16 real reviews of 16 films from 5 writers' sites (Thomas Midena's blog, Christian Arbelaez's Movie
Blog, Dear Cast & Crew, Dan's Blog, Solitude), labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v9.json (committed before any run);
sources, counts and method: data/real_heldout_v9.md. Scored ONCE, after session 8's reveal zone (bot/corpus/reveal_zone.py) landed
(commit b644448); the figures of that run are the floors below. Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V9 (default
/work/wt/corpus-heldout/real_v9.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v9
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v9.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V9", "/work/wt/corpus-heldout/real_v9.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v9 not here ({TEXTS})")


# The one blind run (commit b644448, session 8), now the floors: a change that drops below fails. Spoiler
# recall 42/42 = 1.00 (goal 0.95: met; the rules alone, zone off in the same run: 32/42 = 0.76), harmless sentences
# hidden 273/416 = 0.66 (rules alone 0.22). Themes (goal missed): (precision, recall) per theme as measured.
FLOOR_RECALL = 1.0
CEILING_HIDDEN = 0.49  # 0.481 with the reveal zone as refined after its blind run (0.656 at the blind run)
FLOOR_THEMES = {"ending": (0.60, 0.42), "nostalgia": (0.71, 0.55), "performances": (0.55, 0.41),
                "music": (0.60, 0.85), "look": (0.58, 0.77)}  # measured, rounded down
MAX_TRAPS = 14
# Theme round 5 (branch theme5, issue 28 item 1: kinds read from the v9/v10 misses): floors raised to the figures then.
FLOOR_THEMES = {"ending": (0.64, 0.52), "nostalgia": (0.80, 0.88), "performances": (0.90, 0.75),
                "music": (0.75, 0.85), "look": (0.58, 0.77)}
MAX_TRAPS = 12
# Theme round 8 (branch theme8): nostalgia as a style label ("shabby nostalgia chic") pushes the tag away:
# nostalgia .80/.89 -> .89/.89, traps 12 -> 11.
FLOOR_THEMES["nostalgia"] = (0.88, 0.88)
MAX_TRAPS = 11
# Theme round 9 (branch theme9): a composer's "iconic scores": music .75/.86 -> .77/1.00.
FLOOR_THEMES["music"] = (0.77, 1.00)
# Theme round 6 (branch theme6): ending floor raised (0.62, 0.47) -> (0.64, 0.52): the ending told in plain words.
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look .58/.78 -> .61/.88.
FLOOR_THEMES["look"] = (0.61, 0.88)


SET = BlindSet("v9", LABELS, TEXTS, (16, 112, 42), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v9_labels() -> None:
    """16 reviews of 16 films, 112 paragraphs, 42 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v9_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v9_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
