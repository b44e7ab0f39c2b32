"""Which side of a theme's debate question an excerpt takes: a pure, explainable scorer (no I/O).

A theme's debate question has two sides ("cathartic or cruel?"), and its `contrasts` list the words
of each side. `stance(text, theme)` reads an excerpt word by word:

- each side word counts -1 (contrasts[0]) or +1 (contrasts[1]); the two words the question itself
  opposes ("cathartic" / "cruel", "purist" / "modernizer") count too;
- a general evaluative word ("devastating", "wooden", "generous") counts half, on the side whose
  contrast words share its valence (praise/uplift on the side of "joy*", "graceful*"…);
- a negation shortly before a word flips it ("not sad at all", "never stiff"), with less weight;
- an intensifier strengthens it ("utterly cruel"), a downtoner weakens it ("slightly flat");
- after "but", "yet", "however" or "instead", the earlier clause counts for less: the critic's
  verdict is usually the last clause.

`disagree(a, b)` holds when the two excerpts lean clearly to opposite sides. Measured on the
hand-labelled pairs in tests/discussion/data/debate_pairs.json (see tests/discussion/test_stance.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.corpus import Theme
from bot.corpus.themes_model import fold_quotes, word_set

# An excerpt needs at least this much lean to count as taking a side.
MIN_LEAN = 0.5
NEGATED = -0.8  # a negated word counts this much of its side, on the other side
GENERAL_WEIGHT = 0.5
EARLIER_CLAUSE = 0.5  # weight of what comes before "but"/"yet"

_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


_NEGATORS = word_set(
    "not no never nor without hardly barely scarcely nothing isn't wasn't aren't weren't doesn't didn't don't"
    " can't cannot couldn't won't wouldn't shouldn't lacks lacking"
)
_NEGATION_REACH = 3  # a negator affects the next few words ("not at all sad", "never once stiff")
_INTENSIFIERS = word_set(
    "very so too utterly deeply truly most pure purely profoundly absolutely really thoroughly"
    " extraordinarily wholly genuinely remarkably achingly unbearably overwhelmingly"
)
_DOWNTONERS = word_set("slightly somewhat mildly faintly rather fairly oddly almost partly")
_TURNS = word_set("but yet however instead though although")

# General valence words, used on the side whose contrast words share the valence.
_UPLIFT = (
    "generous* tender* hopeful* uplift* joy* triumph* exhilarat* electrif* ecstatic* warm* loving*"
    " celebrat* delight* affection* glow* embrac* charm* graceful* gifted magnetic natural* unforced"
    " marvel* brilliant* wonderful* superb* beautiful* gorgeous stunning luminous best better great"
    " earned earns satisfying affirm* comfort* release glorious* radiant* soaring* sweet*"
    " happy happiness"
)
_DOWNCAST = (
    "devastat* bleak* grief* sorrow* punish* withheld dread* uneasy unease dark* darken* downer"
    " despair* mourn* regret* sad* sour* bitter* cruel* tragic* loss lost alone chilling sick*"
    " trap* stuck obsess* cling* denial lie* warning uncomfortable* diagnos* mock* critiq* expos*"
    " limit* flat wooden stiff mannered miscast unconvincing false shtick sleepy weak* worst"
    " overbearing cloying thin awkward* forced"
)

# Words of a question that are never one of its two sides ("the film or …").
_NOT_A_SIDE = word_set(
    "the a an of to it its film movie story past you them who which what pick side make case right wrong"
    " is are was were does do did and or"
)
_QUESTION_SIDES = re.compile(r"\b([a-z][a-z-]+) or (?:an? |the )?([a-z][a-z-]+)\b")


def _pattern(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    parts = [re.escape(w.rstrip("*")) + (r"[\w'-]*" if w.endswith("*") else "") for w in words if w.strip()]
    return re.compile(r"^(?:" + "|".join(parts) + r")$") if parts else re.compile(r"(?!)")


_UPLIFT_RE = _pattern(_UPLIFT.split())
_DOWNCAST_RE = _pattern(_DOWNCAST.split())


def question_sides(question: str) -> tuple[str, str] | None:
    """The two words a take-a-side question opposes ("cathartic or cruel" → cathartic, cruel), if any."""
    for first, second in _QUESTION_SIDES.findall(fold_quotes(question)):
        if first not in _NOT_A_SIDE and second not in _NOT_A_SIDE:
            return first, second
    return None


@lru_cache(maxsize=256)
def _lexicon(
    contrasts: tuple[tuple[str, ...], tuple[str, ...]], question: str
) -> tuple[re.Pattern[str], re.Pattern[str], int]:
    """(side -1 words, side +1 words, which side the uplifting words lean to: -1, +1 or 0)."""
    first, second = list(contrasts[0]), list(contrasts[1])
    sides = question_sides(question)
    if sides is not None:
        first.append(sides[0][:5] + "*" if len(sides[0]) > 6 else sides[0])
        second.append(sides[1][:5] + "*" if len(sides[1]) > 6 else sides[1])

    def valence(words: list[str]) -> int:
        stems = [w.rstrip("*").casefold() for w in words]
        return sum(1 for s in stems if _UPLIFT_RE.match(s)) - sum(1 for s in stems if _DOWNCAST_RE.match(s))

    lean = valence(first) - valence(second)
    uplift_side = -1 if lean > 0 else 1 if lean < 0 else 0
    return _pattern(first), _pattern(second), uplift_side


def stance(text: str, theme: Theme) -> float:
    """How far the excerpt leans to contrasts[0] (negative) or contrasts[1] (positive); 0 = no lean."""
    first, second, uplift_side = _lexicon(theme.contrasts, theme.debate_question)
    words = _WORD.findall(fold_quotes(text).casefold().replace("’", "'"))
    total = 0.0
    clause = 0.0
    negated_until = -1
    boost = 1.0
    for index, word in enumerate(words):
        if word in _TURNS:
            total = total * EARLIER_CLAUSE + clause * EARLIER_CLAUSE
            clause = 0.0
            negated_until, boost = -1, 1.0
            continue
        if word in _NEGATORS or word.endswith("n't"):
            negated_until = index + _NEGATION_REACH
            continue
        if word in _INTENSIFIERS:
            boost = 1.5
            continue
        if word in _DOWNTONERS:
            boost = 0.5
            continue
        side, weight = 0, 1.0
        if first.match(word):
            side = -1
        elif second.match(word):
            side = 1
        elif uplift_side and _UPLIFT_RE.match(word):
            side, weight = uplift_side, GENERAL_WEIGHT
        elif uplift_side and _DOWNCAST_RE.match(word):
            side, weight = -uplift_side, GENERAL_WEIGHT
        if side:
            if index <= negated_until:
                weight *= NEGATED
                negated_until = -1
            clause += side * weight * boost
        boost = 1.0
    return total + clause


def side_of(score: float) -> int:
    """-1, 0 or +1: the side an excerpt with this stance takes (0 = too faint to take one)."""
    return -1 if score <= -MIN_LEAN else 1 if score >= MIN_LEAN else 0


def disagree(a: str, b: str, theme: Theme) -> bool:
    """True when the two excerpts take opposite sides of the theme's question."""
    return side_of(stance(a, theme)) * side_of(stance(b, theme)) < 0
