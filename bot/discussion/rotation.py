"""Which passages a prompt uses: the per-server rotation as a pure function (no I/O).

Rules: a passage is not used again in a (guild, theme, film) rotation until every other one was
used (a cycle); the critic of the last prompt is avoided when another critic has passages left;
a debate pairs two different reviews, preferring excerpts whose wording leans opposite ways.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.corpus import Theme, contrast_side
from bot.quotes.rules import Quote


@dataclass(frozen=True)
class RotationState:
    """Where one (guild, theme, film) rotation stands."""

    cycle: int  # the current cycle number; 0 when nothing was ever posted
    used: frozenset[int]  # passage ids already used in that cycle
    last_critic: str | None  # critic_key of the most recently used passage (any cycle)
    # Passages of this server's latest prompts on any theme: a passage tagged with two themes should
    # not come back under the second theme right after it was shown under the first.
    recent: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PromptUse:
    """One passage a posted prompt used, in the cycle it counts for."""

    passage_id: int
    critic_key: str
    cycle: int


@dataclass(frozen=True)
class Choice:
    theme: Theme
    picks: tuple[tuple[Quote, int], ...]  # (passage, cycle it is recorded in), in display order
    cycle_restarted: bool


def critic_key(quote: Quote) -> str:
    """Who wrote it: a named critic across their reviews, else each unattributed review on its own."""
    return quote.critic.strip().casefold() if quote.critic else f"review:{quote.review_id}"


def pick_one(
    candidates: Sequence[Quote], last_critic: str | None, rng: random.Random, recent: frozenset[int] = frozenset()
) -> Quote:
    """A passage whose critic differs from the last one when possible.

    Among the allowed critics, the one with most passages left goes first, so a critic with many
    passages is interleaved with the others instead of filling the end of the cycle alone. Then,
    if possible, a passage the server has not just seen under another theme (`recent`).
    """
    allowed = [q for q in candidates if critic_key(q) != last_critic] or list(candidates)
    allowed = [q for q in allowed if q.passage_id not in recent] or allowed
    by_critic: dict[str, list[Quote]] = {}
    for quote in allowed:
        by_critic.setdefault(critic_key(quote), []).append(quote)
    most = max(len(group) for group in by_critic.values())
    critic = rng.choice(sorted(k for k, group in by_critic.items() if len(group) == most))
    return rng.choice(by_critic[critic])


# A debate looks at no more than this many candidates per side: the pool of a theme can hold
# hundreds of thousands of passages, and a random sample this size still finds contrasting pairs.
MAX_CANDIDATES = 200

# Pair quality, best first: (first side, second side) combinations and whether the first excerpt's
# critic must differ from the last prompt's. Opposite wording beats two leaning excerpts, which
# beat one, which beats none; within each, avoiding the last critic comes first.
_OPPOSITE = ((-1, 1), (1, -1))
_SAME = ((-1, -1), (1, 1))
_ONE = ((-1, 0), (1, 0), (0, -1), (0, 1))
_NONE = ((0, 0),)
_TIERS = tuple(
    (sides, avoid_critic) for sides in (_OPPOSITE, _SAME, _ONE, _NONE) for avoid_critic in (True, False)
)


def _bounded(quotes: Sequence[Quote], rng: random.Random) -> list[Quote]:
    """The candidates in random order, at most MAX_CANDIDATES of them."""
    if len(quotes) > MAX_CANDIDATES:
        return rng.sample(list(quotes), MAX_CANDIDATES)
    shuffled = list(quotes)
    rng.shuffle(shuffled)
    return shuffled


def pick_pair(
    firsts: Sequence[Quote],
    seconds: Sequence[Quote],
    theme: Theme,
    last_critic: str | None,
    rng: random.Random,
) -> tuple[Quote, Quote] | None:
    """The most contrasting pair from two different reviews, or None when no such pair exists.

    Linear: each candidate's side is scored once, and the second excerpt of a pair is looked up by
    side (the first of its side from another review) instead of trying every pair.
    """
    firsts, seconds = _bounded(firsts, rng), _bounded(seconds, rng)
    sides: dict[int, int] = {}

    def side(quote: Quote) -> int:
        if quote.passage_id not in sides:
            sides[quote.passage_id] = contrast_side(quote.text, theme)
        return sides[quote.passage_id]

    # Per side: the first candidate, and the first one from a different review than it — so for
    # any first excerpt, one of the two is a partner from another review if the side has one.
    partners: dict[int, list[Quote]] = {}
    for quote in seconds:
        group = partners.setdefault(side(quote), [])
        if not group or (len(group) == 1 and group[0].review_id != quote.review_id):
            group.append(quote)

    def partner(first: Quote, wanted: int) -> Quote | None:
        return next((q for q in partners.get(wanted, ()) if q.review_id != first.review_id), None)

    for combos, avoid_critic in _TIERS:
        for first in firsts:
            if avoid_critic and critic_key(first) == last_critic:
                continue
            wanted = [b for a, b in combos if a == side(first)]
            rng.shuffle(wanted)
            for other in wanted:
                second = partner(first, other)
                if second is not None:
                    return first, second
    return None


def _ordered(pair: tuple[Quote, Quote], theme: Theme) -> tuple[Quote, Quote]:
    """Show the side of contrasts[0] first, so the debate reads "one view … the other"."""
    first, second = pair
    if contrast_side(first.text, theme) > contrast_side(second.text, theme):
        return second, first
    return first, second


def choose_passages(
    pool: Sequence[Quote],
    state: RotationState,
    *,
    theme: Theme,
    count: int = 1,
    rng: random.Random | None = None,
) -> Choice | None:
    """The passages of the next prompt (1 to discuss, 2 to debate), or None if the pool can't make one."""
    rng = rng or random.Random()
    if not pool:
        return None
    cycle = max(state.cycle, 1)
    unused = [q for q in pool if q.passage_id not in state.used] if state.cycle else list(pool)
    restarted = not unused
    if restarted:
        cycle, unused = cycle + 1, list(pool)
    if count == 1:
        return Choice(theme, ((pick_one(unused, state.last_critic, rng, state.recent), cycle),), restarted)
    fresh = [q for q in unused if q.passage_id not in state.recent]
    pair = pick_pair(fresh, fresh, theme, state.last_critic, rng) or pick_pair(
        unused, unused, theme, state.last_critic, rng
    )
    if pair is not None:
        first, second = _ordered(pair, theme)
        return Choice(theme, ((first, cycle), (second, cycle)), restarted)
    if restarted:
        return None  # even the whole pool has no two reviews
    # The cycle's leftovers all come from one review: finish the cycle with one of them and take
    # the other excerpt from the next cycle, so neither cycle hands a passage out twice.
    pair = pick_pair(unused, list(pool), theme, state.last_critic, rng)
    if pair is None:
        return None
    cycles = {pair[0].passage_id: cycle, pair[1].passage_id: cycle + 1}
    first, second = _ordered(pair, theme)
    return Choice(theme, ((first, cycles[first.passage_id]), (second, cycles[second.passage_id])), True)
