"""Time process_review over the bundled corpus (data/corpus): CPU, best of 10 runs, in ms.

Run: python -m tests.corpus.theme_timing
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.corpus import load_themes, process_review
from bot.corpus.bundle import read_manifest

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    entries = read_manifest(ROOT / "data")
    texts = [(ROOT / "data" / e.file).read_text(encoding="utf-8") for e in entries]
    best = float("inf")
    for _ in range(10):
        themes = load_themes(ROOT / "data" / "themes.toml")  # fresh: no per-film cache carried over
        start = time.process_time()
        for entry, text in zip(entries, texts, strict=True):
            process_review(text, themes, entry.film, entry.year)
        best = min(best, time.process_time() - start)
    print(f"process_review over {len(entries)} bundled reviews: {best * 1000:.0f} ms (CPU, best of 10)")


if __name__ == "__main__":
    main()
