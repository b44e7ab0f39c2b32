"""Set v14: 16 real reviews of 16 films from 8 sources (How Dare You Review, Working Mirror, jbiason's blog, SPICYJO,
mattlock12, rkaneriya, whalepark, pjohanneson), labelled by hand before any run by a helper who never saw the rules;
chosen to hold themes the earlier sets barely had (nostalgia 18, look 15, music 9 paragraphs).

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v14.json (committed before any run, 5eef960;
one label aligned to the scorer's sentence split before the run, 2nd commit); sources, counts and method:
data/real_heldout_v14.md. Scored ONCE, on commit 11785f2 (session 10: theme round 8); the figures of that run are the
floors below. Retired into tuning after that run.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V14 (default
/work/wt/corpus-heldout/real_v14.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v14
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v14.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V14", "/work/wt/corpus-heldout/real_v14.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v14 not here ({TEXTS})")


# The one blind run (commit 11785f2, session 10), now the floors: a change that drops below fails. Spoiler recall
# 49/51 = 0.961 (goal 0.95: met; the text rules alone, same run: 44/51 = 0.86 at 0.26 hidden; the code at the
# session's start, ab812d8, the same 49/51 at 0.523), harmless sentences hidden 262/501 = 0.523. Themes (goal missed;
# the code at the session's start scored the same): (precision, recall), measured, rounded down.
FLOOR_RECALL = 0.96
CEILING_HIDDEN = 0.53  # 0.523 measured
FLOOR_THEMES = {"ending": (0.85, 0.42), "nostalgia": (0.83, 0.27), "performances": (0.76, 0.83), "music": (0.40, 0.22),
                "look": (0.62, 0.33)}
MAX_TRAPS = 10
# Theme round 9 (branch theme9, retired into tuning): the critic's own remembered past, memory as the film's subject,
# time that cannot come back, a past that never was, a remake held against the original: nostalgia .83/.28 -> .93/.78.
FLOOR_THEMES["nostalgia"] = (0.93, 0.77)
# Music: a song sung "over the image" by name, "to the dulcet tones of", a soundtrack beside the sound design, "one of
# the best numbers in the whole film": .40/.22 -> .62/.55.
FLOOR_THEMES["music"] = (0.62, 0.55)
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look .62/.33 -> .70/.46.
FLOOR_THEMES["look"] = (0.70, 0.46)


SET = BlindSet("v14", LABELS, TEXTS, (16, 146, 51), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v14_labels() -> None:
    """16 reviews of 16 films, 146 paragraphs, 51 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v14_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v14_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
