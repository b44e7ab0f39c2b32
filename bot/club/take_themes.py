"""The themes members' takes talk about, for `/compare` and `/club stats`' "club vs critics".

Tagging a 280-character take costs 1–2 ms of CPU (bot/corpus/themes): a club two years in has hundreds of takes
a year, and `/club stats` tagged every one of them on every call (0.5 s of CPU at 400 takes), `/compare` every
take of its film on the event loop. A take's tags depend only on its text and the theme set, so each is tagged
once per process and kept (bounded), and the tagging runs in a worker thread, never on the loop.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from bot.corpus import tag_passage

if TYPE_CHECKING:
    from bot.corpus.themes_model import Theme

Themes = dict[str, "Theme"]

KEPT = 20_000  # takes remembered (≤ 280 characters each: a few MB at most)

_lock = threading.Lock()
# Per theme set, by identity (a theme set is a dict: unhashable): a reloaded or another bot's set tags afresh,
# and its tags go with it, before its id can be reused.
_kept: dict[int, OrderedDict[str, tuple[str, ...]]] = {}


def _tags_of(themes: Themes) -> OrderedDict[str, tuple[str, ...]]:
    tags = _kept.get(id(themes))
    if tags is None:
        tags = _kept[id(themes)] = OrderedDict()
        weakref.finalize(themes, _kept.pop, id(themes), None)
    return tags


def take_tags(take: str, themes: Themes) -> tuple[str, ...]:
    """The theme keys `take` is tagged with under `themes` (a ThemeSet: it must allow weak references)."""
    with _lock:
        tags = _tags_of(themes)
        found = tags.get(take)
        if found is not None:
            tags.move_to_end(take)
            return found
    found = tuple(tag_passage(take, themes))  # outside the lock: two threads may tag one take, both right
    with _lock:
        tags[take] = found
        while len(tags) > KEPT:
            tags.popitem(last=False)
    return found


def count_themes(takes: Iterable[str], themes: Themes) -> dict[str, int]:
    """How many of `takes` talk about each theme."""
    counts: dict[str, int] = {}
    for take in takes:
        for key in take_tags(take, themes):
            counts[key] = counts.get(key, 0) + 1
    return counts


async def counted_off_loop(groups: Mapping[int, list[str]], themes: Themes) -> dict[int, dict[str, int]]:
    """`count_themes` of each group of takes, in a worker thread (tagging is CPU work)."""
    return await asyncio.to_thread(lambda: {k: count_themes(v, themes) for k, v in groups.items()})
