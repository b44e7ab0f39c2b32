"""Pre-drawn quote picks, per filter: a /quote or "Another" served without a statement of its own.

Each filter (the filters, all words or any word, the spoiler gate) keeps a short queue of quotes drawn
ahead, WITH replacement, each an independent uniform pick over the filter's set (bot/core/sample_store.py
`draw_batch`: the first hits of uniform random draws, in draw order, rows included; a small set is listed
once and drawn from in Python). A pick takes the next quote; skipping the one on screen ("Another") leaves
the rest uniform over the others, since every queued quote is drawn independently.

A queue is exact at one `Database.corpus_version`: every write that can change a set or a row (corpus
writes, moderators' hide / show / spoiler / trim decisions, theme overrides, film titles, another
process's corpus write once seen) moves it, and a queue of an older version is never read again. The
gate is part of the key, so a screening scheduled, moved or ended reads another queue. At most KEPT
queues of BATCH quotes are kept, the least recently used dropped first.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from bot.corpus.passage import Quote

BATCH = 32  # quotes drawn per refill statement
KEPT = 128  # filters whose queues are kept (least recently used dropped first): at most KEPT * BATCH quotes
FIRST_DRAWS = 96  # random draws in a filter's first refill; later ones from the hit rate seen
MAX_DRAWS = 8192  # per refill statement
# A refill statement's time on the reader's thread is capped near this: its draws are sized from the time a draw
# took in the last refill (a keyword's draw is an FTS probe, ~30 µs: 8192 of them held the thread 50-70 ms).
STATEMENT_BUDGET = 0.006  # seconds
BARREN = 2  # a set this many refills in a row miss (too sparse in its range to draw ahead) is picked exactly


@dataclass
class Drawn:
    """One filter's queue at one corpus version."""

    version: int
    ids: Any = None  # the filter's IdSet (sample_store), None when nothing can match
    quotes: deque[Quote] = field(default_factory=deque)
    listed: list[int] | None = None  # the whole set (at most LIST_CAP ids) once listed: drawn from in Python
    empty: bool = False  # nothing matches
    draws: int = FIRST_DRAWS  # random draws per refill statement
    barren: int = 0  # refills in a row that drew nothing: after BARREN, picks go straight to the exact path

    @property
    def usable(self) -> bool:
        return not self.empty and self.barren < BARREN

    def take(self, exclude: int | None) -> Quote | None:
        """The next queued quote that is not `exclude` (skipped ones are dropped), or None."""
        quotes = self.quotes
        while quotes:
            quote = quotes.popleft()
            if quote.passage_id != exclude:
                return quote
        return None

    def hit_rate(self, draws: int, hits: int, seconds: float = 0.0) -> None:
        """Size the next refill from this one. A full batch stopped early (its rate is unknown past it): an
        eighth fewer draws next time; a short one: draws for about 1.5 batches at the rate seen; never more
        than STATEMENT_BUDGET's worth at the time a draw took (`seconds` for `draws`), so a costly filter
        refills in more, shorter statements."""
        if hits >= BATCH:
            self.draws = max(FIRST_DRAWS, draws - draws // 8)
        else:
            self.draws = min(MAX_DRAWS, max(FIRST_DRAWS, (3 * BATCH * draws) // (2 * max(hits, 1))))
        if seconds > 0:
            self.draws = min(self.draws, max(FIRST_DRAWS, int(STATEMENT_BUDGET * draws / seconds)))
        self.barren = 0 if hits else self.barren + 1


class PickBuffers:
    """The queues, by filter key, least recently used first."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._queues: OrderedDict[Hashable, Drawn] = OrderedDict()

    def get(self, key: Hashable, version: int) -> Drawn | None:
        drawn = self._queues.get(key)
        if drawn is None:
            return None
        if drawn.version != version:
            del self._queues[key]
            return None
        self._queues.move_to_end(key)
        return drawn

    def put(self, key: Hashable, drawn: Drawn) -> None:
        self._queues[key] = drawn
        self._queues.move_to_end(key)
        while len(self._queues) > self.kept:
            self._queues.popitem(last=False)

    def __len__(self) -> int:
        return len(self._queues)
