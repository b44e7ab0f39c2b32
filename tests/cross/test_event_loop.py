"""Heavy text work (segmenting and tagging) runs off the event loop: the loop keeps ticking meanwhile."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus.bundle import import_bundled
from tests.helpers import longest_loop_gap, msgs


def honest_text(size: int, salt: int) -> str:
    """Real review prose from the bundled corpus, repeated up to `size` bytes, made unique by `salt`."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DEFAULT_DATA_DIR / "corpus").rglob("*")) if p.is_file()]
    body, i = f"Review number {salt} of the batch, written for this test.\n\n", 0
    while len(body.encode()) < size:
        body += texts[i % len(texts)] + "\n\n"
        i += 1
    return body


async def longest_gap_while(work: Awaitable[Any]) -> tuple[float, Any]:
    """The longest stretch of CPU the loop's thread spent between two 10 ms ticks while `work` ran.

    CPU time of the loop's thread, not wall time: on a loaded machine the OS may preempt the process for
    hundreds of ms, which is no stall of ours (a wall-clock gap made this test fail under load), while
    work done on the loop, the thing this guards against, is counted in full whatever the load.
    The heap earlier tests left in this worker is frozen out of the collector first, as `filmbot run` freezes
    its start-up heap: in a full suite run a full collection of it alone took over 0.2 s of the loop's CPU.
    """
    gc.collect()
    gc.freeze()
    try:
        return await longest_loop_gap(work, clock=time.thread_time, tick=0.01)
    finally:
        gc.unfreeze()


async def test_review_import_of_1_5_mb_keeps_the_loop_ticking(world):
    world.env.settle_timeout = 240.0  # honest CPU work: ~19 s quiet, past 60 s when four workers share two cores
    items = [{"film": f"Film {n}", "year": 2000 + n, "critic": "Tester", "text": honest_text(95_000, n)}
             for n in range(16)]
    data = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": items}).encode()
    assert len(data) > 1_400_000
    gap, r = await longest_gap_while(world.mod.slash(world.channel, "review import", file=("big.json", data)))
    assert "Imported 16 review" in " ".join(m.content or "" for m in msgs(r))
    assert gap < 0.2, f"the event loop worked {gap:.2f} s without a tick"


async def test_bundled_import_keeps_the_loop_ticking(world, tmp_path: Path):
    """The bundled import (start-up, `filmbot import`) too, on a 1.5 MB corpus."""
    entries = []
    for n in range(16):
        (tmp_path / "corpus").mkdir(exist_ok=True)
        (tmp_path / "corpus" / f"{n}.txt").write_text(honest_text(95_000, n), encoding="utf-8")
        entries.append(f'[[review]]\nfile = "corpus/{n}.txt"\nfilm = "Film {n}"\nyear = {2000 + n}\n')
    (tmp_path / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
    bot = world.bot
    gap, result = await longest_gap_while(import_bundled(bot.store, tmp_path, bot.themes, bot.settings.themes_file))
    assert result.reviews_added == 16
    assert gap < 0.2, f"the event loop worked {gap:.2f} s without a tick"
