"""Set v16: 16 real reviews of 16 films from 7 sources (amuthan.xyz, Kirby Urner's blogs archived in
docxology/School_of_Tomorrow, dafmontenegro, thebestdarngirls, jgerace, neynt.ca, NischalDawadi), labelled by hand
before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v16.json (committed before any run, ab96510;
whiplash-neynt's pieces aligned to the scorer's sentence split before any run, c50c77e); sources, counts and
method: data/real_heldout_v16.md. Scored ONCE, on commit 90ecf8d (session 11); the figures of that run are the
floors below. Retired into tuning after that run.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V16 (default
/work/wt/corpus-heldout/real_v16.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v16
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus.blind_set import BlindSet
from tests.corpus.test_real_heldout import DATA

LABELS = DATA / "real_heldout_v16.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V16", "/work/wt/corpus-heldout/real_v16.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v16 not here ({TEXTS})")


# The one blind run (commit 90ecf8d, session 11), now the floors: a change that drops below fails. Spoiler recall
# 41/45 = 0.911 (goal 0.95: MISSED; the text rules alone, same run: 31/45 = 0.689 at 0.327 hidden; the code at the
# session's start, ea81eb1, the same 41/45 at 0.609), harmless sentences hidden 322/529 = 0.609. Themes (goal missed;
# the code at the session's start scored the same): (precision, recall), measured, rounded down.
FLOOR_RECALL = 0.91
CEILING_HIDDEN = 0.61
FLOOR_THEMES = {"ending": (0.77, 0.48), "nostalgia": (0.50, 1.00), "performances": (0.42, 0.75), "music": (0.75, 0.50),
                "look": (0.80, 0.40)}
MAX_TRAPS = 8


SET = BlindSet("v16", LABELS, TEXTS, (16, 164, 45), FLOOR_RECALL, CEILING_HIDDEN, FLOOR_THEMES, MAX_TRAPS)


def test_v16_labels() -> None:
    """16 reviews of 16 films, 164 paragraphs, 45 ending-revealing pieces, labelled before any run."""
    SET.check_labels()


@needs_texts
def test_v16_spoiler_floors() -> None:
    SET.check_spoilers()


@needs_texts
def test_v16_theme_floors() -> None:
    SET.check_themes()


if __name__ == "__main__":
    SET.print_tables()
