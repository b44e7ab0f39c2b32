"""Set v11: 16 real reviews of 16 films from 6 sources (seanhagen.ca, brandur.org, jpverkamp.com, base0.net, munged.org, alchoi.com), labelled by hand before any run by a helper who never saw the rules (no paragraph is about nostalgia or music (traps only)).

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v11.json (committed before any run, 8395312);
sources, counts and method: data/real_heldout_v11.md. Scored ONCE, on commit 2fe5809 (session 9: the fate opener of
the reveal zone, theme rules round 5), with v11 and v12 together; the figures of that run are the floors below.
Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V11 (default
/work/wt/corpus-heldout/real_v11.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v11
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v11.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V11", "/work/wt/corpus-heldout/real_v11.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v11 not here ({TEXTS})")


# The one blind run (commit 2fe5809, session 9), now the floors: a change that drops below fails. Spoiler recall
# 50/53 = 0.943 (goal 0.95: missed; the text rules alone, same run: 31/53 = 0.58, 0.29 hidden), harmless sentences hidden
# 367/605 = 0.607. Themes (goal missed): (precision, recall), measured, rounded down.
# 53/53 after spoiler round 6 alone (tuned on this set: no longer a blind figure); 52/53 once theme round 6 landed
# beside it: "I am okay with where it ended" now tags the ending theme, so that passage's reason is ending_theme,
# and the reaction rule (the next passage of a reveal's paragraph) follows reveals and retellings only, so "I guess
# there was one, of sorts" is shown again. Following ending talk too costs +57 harmless and 2 La La Land quotes.
FLOOR_RECALL = 0.98
CEILING_HIDDEN = 0.68  # 0.674 after spoiler round 6; 0.607 measured at the blind run
FLOOR_THEMES = {"ending": (0.78, 0.29), "performances": (0.85, 0.70), "look": (0.62, 0.55)}
MAX_TRAPS = 6
# Theme round 6 (branch theme6): a roll call of crafts with one stock verdict is not scored (bot/corpus/roll_call.py);
# the ending told in plain words (data/themes.toml, round 6).
FLOOR_THEMES = {"ending": (0.87, 0.37), "performances": (0.86, 0.76), "look": (0.71, 0.55)}
MAX_TRAPS = 4
# Theme round 8 (branch theme8): an actor's tenure in a franchise part is casting news ("Johansson is probably moving
# on from her role"): performances .87/.76 -> .93/.76, traps 4 -> 3.
FLOOR_THEMES["performances"] = (0.92, 0.76)
MAX_TRAPS = 3
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look .71/.56 -> .77/.77.
FLOOR_THEMES["look"] = (0.77, 0.77)


SET = BlindSet("v11", LABELS, TEXTS, (16, 238, 53), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v11_labels() -> None:
    """16 reviews, their paragraphs and ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v11_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v11_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
