"""Set v12: 16 real reviews of 16 films from 8 sources (EskimoTV, niklasblog.com, 3N4N, writingaboutthings.com, edelgrace.me, dosisod, mpardalos.com, midgleyc), labelled by hand before any run by a helper who never saw the rules (nostalgia 2, music 3 paragraphs only).

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v12.json (committed before any run, 8395312);
sources, counts and method: data/real_heldout_v12.md. Scored ONCE, on commit 2fe5809 (session 9: the fate opener of
the reveal zone, theme rules round 5), with v11 and v12 together; the figures of that run are the floors below.
Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V12 (default
/work/wt/corpus-heldout/real_v12.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v12
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v12.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V12", "/work/wt/corpus-heldout/real_v12.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v12 not here ({TEXTS})")


# The one blind run (commit 2fe5809, session 9), now the floors: a change that drops below fails. Spoiler recall
# 52/55 = 0.945 (goal 0.95: missed; the text rules alone, same run: 44/55 = 0.80, 0.53 hidden), harmless sentences hidden
# 471/660 = 0.714. Themes (goal missed): (precision, recall), measured, rounded down.
FLOOR_RECALL = 0.98  # 54/55 after spoiler round 6 (tuned on this set: no longer a blind figure)
CEILING_HIDDEN = 0.74  # 0.738 after spoiler round 6; 0.714 measured at the blind run
FLOOR_THEMES = {"ending": (0.73, 0.31), "nostalgia": (0.25, 0.50), "performances": (0.88, 0.72), "music": (0.50, 1.00), "look": (0.75, 0.50)}
MAX_TRAPS = 9
# Theme round 6 (branch theme6): a roll call of crafts with one stock verdict is not scored (bot/corpus/roll_call.py);
# the ending told in plain words (data/themes.toml, round 6).
FLOOR_THEMES = {"ending": (0.80, 0.48), "nostalgia": (0.25, 0.50), "performances": (0.90, 0.81), "music": (0.60, 1.00),
                "look": (1.00, 0.50)}
MAX_TRAPS = 7
# Theme round 7 (branch theme7): "taking its extreme premise to a logical conclusion" is an idiom, not the film's end
# (round 5's "a logical conclusion" had tagged it): ending P .81 -> .85.
FLOOR_THEMES = {"ending": (0.85, 0.48), "nostalgia": (0.25, 0.50), "performances": (0.90, 0.81), "music": (0.60, 1.00),
                "look": (1.00, 0.50)}
# Theme round 8 (branch theme8): nostalgia as a commodity ("the profits of nostalgia") pushes the tag away:
# nostalgia .25/.50 -> .33/.50, traps 7 -> 6.
FLOOR_THEMES["nostalgia"] = (0.33, 0.50)
MAX_TRAPS = 6
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look 1.00/.50 -> 1.00/.66.
FLOOR_THEMES["look"] = (1.00, 0.66)


SET = BlindSet("v12", LABELS, TEXTS, (16, 184, 55), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v12_labels() -> None:
    """16 reviews, their paragraphs and ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v12_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v12_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
