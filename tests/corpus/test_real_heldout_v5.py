"""Set v5: real reviews of 12 films, labelled by hand before any run by a helper who never saw the rules.

Both goals on one blind set (issues 25 and 28): ending-revealing sentences inside spoiler passages (goal
>= 95 %), and themes per paragraph (ending, nostalgia, performances recall >= 0.75 at precision >= 0.85; idiom
traps <= 1 in 14; music and look reported). Labels: data/real_heldout_v5.json; sources, counts and method:
data/real_heldout_v5.md. Scored ONCE, after the session-7 tuning landed (commit a743b9e); the figures of that run are the floors below
and are in data/real_heldout_v5.md. Retired into tuning after that run, like every set before it.
The texts are third-party and not committed: FILMBOT_REAL_HELDOUT_V5 (default
/work/wt/corpus-heldout/real_v5.md); the tests skip without them.

Run for the tables: python -m tests.corpus.test_real_heldout_v5
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.corpus.test_real_heldout import DATA
from tests.corpus.test_real_heldout_v4 import score_spoilers
from tests.corpus.test_theme_real_v4 import score_themes

LABELS = DATA / "real_heldout_v5.json"
TEXTS = Path(os.environ.get("FILMBOT_REAL_HELDOUT_V5", "/work/wt/corpus-heldout/real_v5.md"))
needs_texts = pytest.mark.skipif(not TEXTS.exists(), reason=f"review texts of set v5 not here ({TEXTS})")


# The one blind run (commit a743b9e, session 7), now the floors: a change that drops below fails. Spoiler
# recall 39/51 = 0.76 (goal 0.95: missed), harmless sentences hidden 176/406 = 0.43 (two of the twelve pieces
# are alternate-ending essays whose every paragraph retells an ending). Themes: see data/real_heldout_v5.md.
# Issue 25 round 2 (tuned on v5, retired): recall 51/51 = 1.00, hidden 156/406 = 0.384 (0.35 outside the critic's
# own warning): a heading naming the ending opens a zone, climax narration, endings in general shown, a reader's
# call to comment dropped.
FLOOR_RECALL = 1.0
# Issue 25 structural layer (branch spoil4, bot/corpus/narration.py): plot narration past the set-up is hidden too;
# hidden 156 -> 160/406 = 0.384 -> 0.394 (recall unchanged at 1.00). On the text rules of v5's blind run the layer
# lifts recall 39 -> 42/51 as first written (on v1-v4 only, before v5's misses were read), 48/51 once tuned on all.
# Raised 0.57 -> 0.58 for the zone's earlier start (a fate named past the set-up, branch spoil5): 0.571 measured.
CEILING_HIDDEN = 0.58  # 0.559 with the reveal zone (reveal_zone.py; 0.394 without it)
FLOOR_THEME_RECALL = {"ending": 0.46, "look": 0.50}
# The generic themes after round 2 of issue 28 item 1 (branch theme2, tuned on v5 once it was retired): theme ->
# (precision, recall). The blind run had performances 0.25/0.08, nostalgia 0.00/0.00 (3 gold), music 0.25/1.00,
# look 0.75/0.50; after: performances 11/12 at 11/12, nostalgia 3/3 at 1.00, look 6/7 at 6/6, music 1/3 at 1/1.
FLOOR_THEMES = {"performances": (0.91, 0.91), "nostalgia": (1.00, 1.00), "look": (0.85, 1.00), "music": (0.33, 1.00)}
# Theme round 5 (branch theme5): the bare word "music" is half a clue; music 1/3 -> 1/1 precision.
FLOOR_THEMES["music"] = (1.00, 1.00)
# Theme round 4 (branch theme4): ending precision 0.63 -> 0.67 (the critic's own "better ending" is not the film's),
# ending traps 6 -> 5.
FLOOR_ENDING_PRECISION = 0.66
MAX_ENDING_TRAPS = 5
# Idiom traps tagged with a theme other than the ending (the ending's are branch spoil2's): 4 of them in the
# blind run, 3 after round 2 (two music, one performances: "Don't expect Oscar-winning performances").
MAX_OTHER_TRAPS = 3
# Theme round 8 (branch theme8): performances said to be absent push the tag away ("Don't expect Oscar-winning
# performances"): performances .92/.92 -> 1.00/.92, no idiom trap of another theme left.
FLOOR_THEMES["performances"] = (1.00, 0.91)
MAX_OTHER_TRAPS = 0


def test_v5_labels() -> None:
    """12 reviews of 12 films, 136 paragraphs, 51 ending-revealing sentences, labelled before any run."""
    reviews = json.loads(LABELS.read_text(encoding="utf-8"))["reviews"]
    assert len(reviews) == 12
    assert sum(len(paragraphs) for paragraphs in reviews.values()) == 136
    assert sum(len(p.get("ending", [])) for paragraphs in reviews.values() for p in paragraphs) == 51


if __name__ == "__main__":
    spoilers = score_spoilers(LABELS, TEXTS)
    print(spoilers.table("\n## set v5 (blind run once, retired): spoilers"))
    print("\n".join(["SHOWN " + s for s in spoilers.shown] + ["HIDDEN " + s for s in spoilers.hidden]))
    found = score_themes(LABELS, TEXTS)
    print(found.table("\n## set v5 (blind run once, retired): themes"))
    print("\n".join(found.errors + found.traps_tagged))


@needs_texts
def test_v5_spoiler_floors() -> None:
    scores = score_spoilers(LABELS, TEXTS)
    assert scores.recall() >= FLOOR_RECALL, scores.shown
    assert scores.hidden_share() <= CEILING_HIDDEN, scores.hidden


@needs_texts
def test_v5_theme_floors() -> None:
    found = score_themes(LABELS, TEXTS)
    assert all(found.recall(key) >= floor for key, floor in FLOOR_THEME_RECALL.items()), found.errors
    for key, (precision, recall) in FLOOR_THEMES.items():
        assert found.precision(key) >= precision and found.recall(key) >= recall, (key, found.errors)
    others = [trap for trap in found.traps_tagged if not trap.startswith("ending:")]
    assert len(others) <= MAX_OTHER_TRAPS, others
    assert found.precision("ending") >= FLOOR_ENDING_PRECISION, found.errors
    assert len(found.traps_tagged) - len(others) <= MAX_ENDING_TRAPS, found.traps_tagged
