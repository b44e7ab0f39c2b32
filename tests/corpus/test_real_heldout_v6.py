"""Set v6: real reviews of 14 films (12 from the student newspaper Felix, 2 from Films Folded), labelled
by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v6.json; sources, counts and method:
data/real_heldout_v6.md. Scored ONCE, after the session-7 second tuning round (on v5) landed (commit
06a207e); the figures of that run are the floors below and are in data/real_heldout_v6.md. Retired into
tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V6 (default
/work/wt/corpus-heldout/real_v6.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v6
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v6.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V6", "/work/wt/corpus-heldout/real_v6.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v6 not here ({TEXTS})")


# The one blind run (commit 06a207e, session 7), now the floors: a change that drops below fails. Spoiler
# recall 32/47 = 0.68 (goal 0.95: missed), harmless sentences hidden 120/443 = 0.27. Themes (goal missed):
# (precision, recall) per theme as measured; data/real_heldout_v6.md has the table.
# Issue 25 round 3 (v6 retired into tuning): essay-style outcomes, recall 45/47 = 0.957, hidden 123/443 = 0.278.
# Issue 25 structural layer (branch spoil4, bot/corpus/narration.py): plot narration past the set-up, and a passage
# going on with a reveal's topic, are hidden too: recall 45 -> 46/47 = 0.979 (the Cast Away "bracket" of the return
# home, caught by topic continuity), hidden 123 -> 128/443 = 0.278 -> 0.289. On the text rules of v6's blind run the
# layer lifts recall 32 -> 33/47 as first written (on v1-v4 only, before v6's misses were read), 38/47 once tuned on all.
FLOOR_RECALL = 1.0  # 47/47 with the reveal zone (0.979 without)
CEILING_HIDDEN = 0.62  # 0.614 with the reveal zone (reveal_zone.py; 0.289 without it, 0.271 at the blind run)
# Raised after the themes' tuning round 3 on v6 (branch theme3): nostalgia 1.00/0.83 (was 0.33/0.17), performances
# 0.92/0.96 (0.76/0.70), music 1.00/1.00 (0.86/0.75), look 0.88/0.93 (0.62/0.53), traps 5 (7), all five the ending's.
FLOOR_THEMES = {"ending": (0.80, 0.66), "nostalgia": (1.00, 0.83), "performances": (0.91, 0.95),
                "music": (1.00, 1.00), "look": (0.87, 0.93)}
# Theme round 4 (branch theme4): the ending as a stretch of running time, the maker ending the film, "By the end,",
# "how it ends", the critic keeping the ending back: ending 0.71/0.50 -> 0.80/0.67, traps 5 -> 4.
MAX_TRAPS = 4
# Theme round 5 (branch theme5, issue 28 item 1: kinds read from the v9/v10 misses): floors raised to the figures then.
FLOOR_THEMES["ending"] = (0.81, 0.75)


SET = BlindSet("v6", LABELS, TEXTS, (14, 124, 47), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v6_labels() -> None:
    """14 reviews of 14 films, 124 paragraphs, 47 ending-revealing sentences, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v6_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v6_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
