"""Which passages a prompt uses: the per-server rotation as a pure function (no I/O).

Rules: a passage is not used again in a (guild, theme, film) rotation until every other one was
used (a cycle); the critic of the last prompt is avoided when another critic has passages left;
a debate pairs two different reviews whose excerpts take opposite sides of the theme's question
(bot.discussion.stance); when no such pair exists, the two most different views ("two takes").
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.films import critic_key as critic_key_of
from bot.corpus import Theme
from bot.corpus.passage import Quote
from bot.discussion.stance import disagree, side_of, stance


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
    # A debate only: the two excerpts take opposite sides. False = no disagreeing pair exists, so
    # the prompt offers the two most different views ("two takes") instead of claiming a debate.
    disagree: bool = False


def critic_key(quote: Quote) -> str:
    """Who wrote it: a named critic across their reviews, else each unattributed review on its own."""
    return critic_key_of(quote.critic, quote.review_id)


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

# Pair quality, best first: opposite sides of the theme's question (a real debate), first avoiding
# the last prompt's critic; then, with no disagreeing pair, the two most different views.
_OPPOSITE = ((-1, 1), (1, -1))


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
    """A pair from two different reviews taking opposite sides, else the two most different views.

    None only when no pair from two different reviews exists. Linear: each candidate's stance is
    scored once, and the second excerpt is looked up among a few kept per side / per extreme
    instead of trying every pair.
    """
    firsts, seconds = _bounded(firsts, rng), _bounded(seconds, rng)
    scores: dict[int, float] = {}

    def score(quote: Quote) -> float:
        if quote.passage_id not in scores:
            scores[quote.passage_id] = stance(quote.text, theme)
        return scores[quote.passage_id]

    def two_reviews(quotes: Sequence[Quote]) -> list[Quote]:
        """The first quote, and the first one from a different review than it: for any first
        excerpt, one of the two comes from another review if any does."""
        kept: list[Quote] = []
        for quote in quotes:
            if not kept or (len(kept) == 1 and kept[0].review_id != quote.review_id):
                kept.append(quote)
        return kept

    partners: dict[int, list[Quote]] = {}
    for quote in seconds:
        partners.setdefault(side_of(score(quote)), []).append(quote)
    partners = {s: two_reviews(group) for s, group in partners.items()}
    by_score = sorted(seconds, key=score)
    extremes = two_reviews(by_score) + two_reviews(by_score[::-1])

    for avoid_critic in (True, False):
        for first in firsts:
            if avoid_critic and critic_key(first) == last_critic:
                continue
            wanted = [b for a, b in _OPPOSITE if a == side_of(score(first))]
            for other in wanted:
                second = next((q for q in partners.get(other, ()) if q.review_id != first.review_id), None)
                if second is not None:
                    return first, second
    for avoid_critic in (True, False):
        best: tuple[float, Quote, Quote] | None = None
        for first in firsts:
            if avoid_critic and critic_key(first) == last_critic:
                continue
            for second in extremes:
                gap = abs(score(first) - score(second))
                if second.review_id != first.review_id and (best is None or gap > best[0]):
                    best = (gap, first, second)
        if best is not None:
            return best[1], best[2]
    return None


def _ordered(pair: tuple[Quote, Quote], theme: Theme) -> tuple[Quote, Quote]:
    """Show the side of contrasts[0] first, so the debate reads "one view … the other"."""
    first, second = pair
    if stance(first.text, theme) > stance(second.text, theme):
        return second, first
    return first, second


def _debate(pair: tuple[Quote, Quote], theme: Theme, cycles: dict[int, int], restarted: bool) -> Choice:
    first, second = _ordered(pair, theme)
    picks = ((first, cycles[first.passage_id]), (second, cycles[second.passage_id]))
    return Choice(theme, picks, restarted, disagree=disagree(first.text, second.text, theme))


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
    pair = pick_pair(fresh, fresh, theme, state.last_critic, rng)
    if pair is None or (len(fresh) < len(unused) and not disagree(pair[0].text, pair[1].text, theme)):
        # A real debate among passages the server just saw beats two takes among fresh ones.
        wider = pick_pair(unused, unused, theme, state.last_critic, rng)
        if wider is not None and (pair is None or disagree(wider[0].text, wider[1].text, theme)):
            pair = wider
    if pair is not None:
        return _debate(pair, theme, {pair[0].passage_id: cycle, pair[1].passage_id: cycle}, restarted)
    if restarted:
        return None  # even the whole pool has no two reviews
    # The cycle's leftovers all come from one review: finish the cycle with one of them and take
    # the other excerpt from the next cycle, so neither cycle hands a passage out twice.
    pair = pick_pair(unused, list(pool), theme, state.last_critic, rng)
    if pair is None:
        return None
    return _debate(pair, theme, {pair[0].passage_id: cycle, pair[1].passage_id: cycle + 1}, True)
