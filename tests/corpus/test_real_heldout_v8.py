"""Set v8: 16 real reviews of 16 films from 7 writers' own sites (Groth On Film, Movie Log, shribros.com,
serrazanetti.xyz, olshansky.info, jimvanfleet.com, Moments of Inertia), labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v8.json (committed before any run);
sources, counts and method: data/real_heldout_v8.md. Scored ONCE, after session 8's structural spoiler layer
(bot/corpus/narration.py) and theme round 4 landed (commit eb7f2a3); the figures of that run are the floors
below. Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V8 (default
/work/wt/corpus-heldout/real_v8.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v8
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v8.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V8", "/work/wt/corpus-heldout/real_v8.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v8 not here ({TEXTS})")


# The one blind run (commit eb7f2a3, session 8), now the floors: a change that drops below fails. Spoiler
# recall 38/48 = 0.79 (goal 0.95: missed; 0.77 on the rules before session 8's round), harmless sentences
# hidden 100/343 = 0.29 (0.25 outside the critic's own warning). Themes (goal missed):
# (precision, recall) per theme as measured.
FLOOR_RECALL = 1.0  # 46/48 = 0.958 with the reveal zone (0.79 at the blind run); 48/48 once a fate named past the
# set-up opens the zone (branch spoil5), the ceiling raised with it: 0.464 -> 0.499 hidden
CEILING_HIDDEN = 0.51  # 0.501 after spoiler round 6 (the reaction to a told reveal); 0.464 with the reveal zone (reveal_zone.py), recall 46/48; 0.292 at the blind run
FLOOR_THEMES = {"ending": (0.91, 0.40), "nostalgia": (0.66, 0.36), "performances": (0.75, 0.75),
                "music": (0.55, 1.00), "look": (0.60, 0.85)}  # measured, rounded down
MAX_TRAPS = 7
# Theme round 5 (branch theme5, issue 28 item 1: kinds read from the v9/v10 misses): floors raised to the figures then.
FLOOR_THEMES = {"ending": (0.91, 0.44), "nostalgia": (0.66, 0.36), "performances": (0.76, 0.83),
                "music": (0.62, 1.00), "look": (0.60, 0.85)}
MAX_TRAPS = 6
# Theme round 8 (branch theme8): a bracketed voice credit "(voiced by Kevin Spacey)" is no comment on the acting:
# performances .77/.83 -> .83/.83, traps 6 -> 5.
FLOOR_THEMES["performances"] = (0.83, 0.83)
MAX_TRAPS = 5
# Theme round 9 (branch theme9): a rewatch ritual, "a part of my life", "the way things were": nostalgia .66/.36 ->
# .77/.63.
FLOOR_THEMES["nostalgia"] = (0.77, 0.63)


SET = BlindSet("v8", LABELS, TEXTS, (16, 99, 48), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v8_labels() -> None:
    """16 reviews of 16 films, 99 paragraphs, 48 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v8_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v8_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
