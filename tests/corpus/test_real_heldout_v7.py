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

import json
import os
from pathlib import Path

import pytest

from tests.corpus.test_real_heldout import DATA
from tests.corpus.test_real_heldout_v4 import score_spoilers
from tests.corpus.test_theme_real_v4 import score_themes

LABELS = DATA / "real_heldout_v7.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V7", "/work/wt/corpus-heldout/real_v7.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v7 not here ({TEXTS})")


# The one blind run (commit eb7f2a3, session 8), now the floors: a change that drops below fails. Spoiler
# recall 32/41 = 0.78 (goal 0.95: missed; 0.73 on the rules before session 8's round), harmless sentences
# hidden 163/411 = 0.40 (0.31 outside the critic's own warning). Themes (goal missed):
# (precision, recall) per theme as measured.
FLOOR_RECALL = 0.97  # 40/41 with the reveal zone and its clear film talk (41/41 without it; 0.78 at the blind run)
CEILING_HIDDEN = 0.64  # 0.630 with the reveal zone (reveal_zone.py); 0.397 at the blind run
FLOOR_THEMES = {"ending": (0.83, 0.45), "nostalgia": (1.00, 0.45), "performances": (0.88, 0.66),
                "music": (0.33, 0.50), "look": (0.88, 0.50)}  # measured, rounded down
MAX_TRAPS = 7


def test_v7_labels() -> None:
    """16 reviews of 16 films, 135 paragraphs, 41 ending-revealing sentences, labelled before any run."""
    reviews = json.loads(LABELS.read_text(encoding="utf-8"))["reviews"]
    assert len(reviews) == 16
    assert sum(len(paragraphs) for paragraphs in reviews.values()) == 135
    assert sum(len(p.get("ending", [])) for paragraphs in reviews.values() for p in paragraphs) == 41



@needs_texts
def test_v7_spoiler_floors() -> None:
    scores = score_spoilers(LABELS, TEXTS)
    assert scores.recall() >= FLOOR_RECALL, scores.shown
    assert scores.hidden_share() <= CEILING_HIDDEN, scores.hidden


@needs_texts
def test_v7_theme_floors() -> None:
    found = score_themes(LABELS, TEXTS)
    for key, (precision, recall) in FLOOR_THEMES.items():
        assert found.precision(key) >= precision and found.recall(key) >= recall, (key, found.errors)
    assert len(found.traps_tagged) <= MAX_TRAPS, found.traps_tagged


if __name__ == "__main__":
    spoilers = score_spoilers(LABELS, TEXTS)
    print(spoilers.table("\n## set v7 (blind run once, retired): spoilers"))
    print("\n".join(["SHOWN " + s for s in spoilers.shown] + ["HIDDEN " + s for s in spoilers.hidden]))
    found = score_themes(LABELS, TEXTS)
    print(found.table("\n## set v7 (blind run once, retired): themes"))
    print("\n".join(found.errors + found.traps_tagged))
