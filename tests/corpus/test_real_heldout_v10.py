"""Set v10: 16 real reviews of 16 films from 5 sources (a film journal in mas-4's dotfiles, grilborzer.github.io,
Snarkflix, rjbs.github.io, the LateNite Films blog), labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v10.json (committed before any run);
sources, counts and method: data/real_heldout_v10.md. Scored ONCE, after the reveal zone's refinement (craft talk and the critic's
impersonal verdict left clear, commit 2c9862e); the figures of that run are the floors below. Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V10 (default
/work/wt/corpus-heldout/real_v10.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v10
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v10.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V10", "/work/wt/corpus-heldout/real_v10.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v10 not here ({TEXTS})")


# The one blind run (commit 2c9862e, session 8), now the floors: a change that drops below fails. Spoiler
# recall 54/59 = 0.92 (goal 0.95: missed; the zone without its refinement 55/59, the rules alone 46/59 = 0.78 in the
# same run), harmless sentences hidden 342/588 = 0.58 (rules alone 0.27). Themes (goal missed): (precision, recall).
# Branch spoil5 (a fate named past the set-up opens the zone): 54 -> 57/59 = 0.966 at 0.582 -> 0.617 hidden; the
# floor raised, the ceiling raised with it (the price of the recall, inside the 0.62 total).
FLOOR_RECALL = 0.96
CEILING_HIDDEN = 0.62  # 0.582 measured at the blind run, 0.617 after spoil5
FLOOR_THEMES = {"ending": (0.60, 0.12), "nostalgia": (0.57, 0.40), "performances": (0.46, 0.50),
                "music": (0.36, 0.66), "look": (0.66, 0.48)}  # measured, rounded down
MAX_TRAPS = 18
# Theme round 5 (branch theme5, issue 28 item 1: kinds read from the v9/v10 misses): floors raised to the figures then.
FLOOR_THEMES = {"ending": (1.00, 0.28), "nostalgia": (0.77, 0.70), "performances": (0.61, 0.66),
                "music": (0.44, 0.66), "look": (0.70, 0.56)}
MAX_TRAPS = 13
# Theme round 6 (branch theme6): a roll call of crafts with one stock verdict is not scored (bot/corpus/roll_call.py);
# the ending told in plain words (data/themes.toml, round 6).
FLOOR_THEMES = {"ending": (1.00, 0.36), "nostalgia": (0.77, 0.70), "performances": (0.66, 0.66),
                "music": (0.50, 0.66), "look": (0.73, 0.56)}
MAX_TRAPS = 10
# Theme round 7 (branch theme7): the performer named as such ("Haley Lu Richardson, the actress, …"), lost by round 5's
# cut of "the actress" alone: performances .66/.66 -> .69/.75.
FLOOR_THEMES = {"ending": (1.00, 0.36), "nostalgia": (0.77, 0.70), "performances": (0.69, 0.75),
                "music": (0.50, 0.66), "look": (0.73, 0.56)}
# Theme round 8 (branch theme8): performances said to be absent ("no lines or performances that caused one to sit
# up") push the tag away: performances .69/.75 -> .75/.75, traps 10 -> 9.
FLOOR_THEMES["performances"] = (0.75, 0.75)
MAX_TRAPS = 9
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look .74/.56 -> .76/.64.
FLOOR_THEMES["look"] = (0.76, 0.64)


SET = BlindSet("v10", LABELS, TEXTS, (16, 177, 59), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v10_labels() -> None:
    """16 reviews of 16 films, 177 paragraphs, 59 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v10_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v10_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
