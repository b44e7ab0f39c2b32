"""Set v7: 16 real reviews of 16 films from 5 writers' sites (bennierobinson.com, Reviews Per Minute, Kabir Ahuja, Cicada
Creative Magazine, levjoy.com, Zia's Blog), labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v7.json (committed before any run);
sources, counts and method: data/real_heldout_v7.md. Scored ONCE, after session 8's structural spoiler layer
(bot/corpus/narration.py) and theme round 4 landed (commit eb7f2a3); the figures of that run are the floors
below. Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V7 (default
/work/wt/corpus-heldout/real_v7.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v7
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v7.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V7", "/work/wt/corpus-heldout/real_v7.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v7 not here ({TEXTS})")


# The one blind run (commit eb7f2a3, session 8), now the floors: a change that drops below fails. Spoiler
# recall 32/41 = 0.78 (goal 0.95: missed; 0.73 on the rules before session 8's round), harmless sentences
# hidden 163/411 = 0.40 (0.31 outside the critic's own warning). Themes (goal missed):
# (precision, recall) per theme as measured.
FLOOR_RECALL = 1.0  # 41/41 after spoiler round 6 (the reaction to a told reveal, in its paragraph, is hidden); 40/41 with the reveal zone and its clear film talk (41/41 without it; 0.78 at the blind run)
CEILING_HIDDEN = 0.64  # 0.630 with the reveal zone (reveal_zone.py); 0.397 at the blind run
FLOOR_THEMES = {"ending": (0.83, 0.45), "nostalgia": (1.00, 0.45), "performances": (0.88, 0.66),
                "music": (0.33, 0.50), "look": (0.88, 0.50)}  # measured, rounded down
MAX_TRAPS = 7
# Theme round 5 (branch theme5, issue 28 item 1: kinds read from the v9/v10 misses): floors raised to the figures then.
FLOOR_THEMES = {"ending": (1.00, 0.50), "nostalgia": (1.00, 0.54), "performances": (1.00, 0.83),
                "music": (0.50, 0.50), "look": (0.88, 0.50)}
MAX_TRAPS = 2
# Theme round 9 (branch theme9): the critic's own childhood viewings, a film shown to the critic's child, "the wonder
# of being a kid": nostalgia 1.00/.54 -> 1.00/.90.
FLOOR_THEMES["nostalgia"] = (1.00, 0.90)
# and a singer heard ("we get to hear He Saifei sing"), "every musical cue": music .50/.50 -> .66/1.00.
FLOOR_THEMES["music"] = (0.66, 1.00)
# Theme round 9 (branch theme9): the effects judged, the sets, the camera's point of view, the scenery judged, a
# tinted image, a palette, a shot praised: look .89/.50 -> .90/.56.
FLOOR_THEMES["look"] = (0.90, 0.56)


SET = BlindSet("v7", LABELS, TEXTS, (16, 135, 41), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v7_labels() -> None:
    """16 reviews of 16 films, 135 paragraphs, 41 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v7_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v7_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
