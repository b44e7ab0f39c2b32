"""`python -m bench.import_probe DATA_DIR DATABASE [bare]`: one bundled import in a fresh process.

Prints one JSON line: seconds, reviews, and peak RSS in MB of this process and of its largest child
(a text-processing worker). A process of its own, so the peak is the import's and nothing else's.
`bare` opens the same store without importing: the baseline.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.bundle import import_bundled


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


async def main(data_dir: Path, database: Path, bare: bool) -> dict:
    bot = FilmBot(Settings(database=database, data_dir=data_dir))
    store = await bot.open_store()
    try:
        start = time.perf_counter()
        added = 0 if bare else (await import_bundled(store, data_dir, bot.themes, bot.settings.themes_file)).reviews_added
        seconds = time.perf_counter() - start
        reviews = await store.db.fetchval("SELECT count(*) FROM reviews")
    finally:
        await bot.close_store()
    return {
        "seconds": seconds, "reviews": reviews, "added": added,
        "rss_mb": peak_mb(resource.RUSAGE_SELF), "children_rss_mb": peak_mb(resource.RUSAGE_CHILDREN),
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] == ["bare"]))))
