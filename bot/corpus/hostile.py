"""Adversarial texts for the segmentation pipeline, and a worst-case timer.

Review text comes from users and scrapers, so clean_review + segment must run
in linear time on anything (a regex that backtracks over a run of "!" once
blocked the bot for 37 s on 40 KB).  The generators here are shared by the
tests and the benchmark so both measure the same hostile inputs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.corpus.clean import clean_review
from bot.corpus.segment import segment

# Repeating units: runs of terminal punctuation, quote nesting, omission
# marks, control bytes, emoji and CJK punctuation - each aimed at a pattern
# or loop of the pipeline.
HOSTILE_UNITS: dict[str, str] = {
    "bang": "!",
    "dot": ".",
    "question_bang": "?!",
    "ellipsis": "…",
    "one_word": "a",
    "nested_quotes": "“‘",
    "newlines": "\n",
    "omission_marks": "[…]",
    "dot_space": ". ",
    "nul": "\x00",
    "emoji": "😀",
    "cjk": "。！？「」『』",
    "word_gaps": "a  ",
    "closing_quotes": ".” ",
    "abbreviation": "Dr. ",
    "initials": "A. ",
    "spoilers": "This review contains spoilers ",
    "dash_quote": "—” ",
    "open_quote_sentences": "“Stop. ",
}


def hostile_text(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def hostile_texts(size: int) -> dict[str, str]:
    """Every adversarial text at `size` characters, by name."""
    return {name: hostile_text(unit, size) for name, unit in HOSTILE_UNITS.items()}


def run_pipeline(text: str) -> int:
    """clean + segment one text; returns the passage count (keeps the work observable)."""
    return len(segment(clean_review(text)))


def time_ms(func: Callable[[str], object], text: str, repeat: int = 1) -> float:
    """Best-of-`repeat` CPU time of func(text) on this thread, in milliseconds.

    CPU, not wall time: the work is single-threaded and CPU-bound, so on an idle machine the two agree,
    while on a loaded one wall time also counts the time the OS gave other processes (a 36 ms text read
    102 ms at load 12 and failed the linearity tests).
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        func(text)
        best = min(best, time.thread_time() - start)
    return best * 1000


def worst_case_ms_per_100kb(repeat: int = 1) -> tuple[str, float]:
    """(name, ms) of the slowest adversarial 100 KB text through clean + segment."""
    timings = {name: time_ms(run_pipeline, text, repeat) for name, text in hostile_texts(100_000).items()}
    worst = max(timings, key=timings.__getitem__)
    return worst, timings[worst]


if __name__ == "__main__":  # python -m bot.corpus.hostile
    for name, text in hostile_texts(100_000).items():
        print(f"{name:22} {time_ms(run_pipeline, text, repeat=3):7.1f} ms / 100 KB")
    worst_name, worst_ms = worst_case_ms_per_100kb(repeat=3)
    print(f"worst-case segmentation time per 100 KB: {worst_ms:.1f} ms ({worst_name})")
