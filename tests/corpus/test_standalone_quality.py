"""Quote quality measured on a labelled set: seeds + other films, dev and held-out parts.

Labels live in tests/corpus/data/standalone_labels.json: "stands alone",
"needs context" or "never show", written by an editor before the rules were
tuned on them.  "dev" holds the seed passages as the pipeline cuts them plus
passages the rules were tuned on (including two held-out sets already scored
once and then retired to dev); "test" is the current held-out set.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from bot.corpus import clean_review, segment

ROOT = Path(__file__).resolve().parents[2]
LABELS = Path(__file__).resolve().parent / "data" / "standalone_labels.json"
SEED_DIR = ROOT / "data" / "corpus" / "la-la-land"
STANDS, NEVER = "stands alone", "never show"
MIN_PRECISION = 0.95
MIN_SEED_QUOTABLE = 45


@cache
def labels() -> dict[str, list[dict[str, str]]]:
    """The labelled set, by part."""
    return json.loads(LABELS.read_text(encoding="utf-8"))


@cache
def seed_passages() -> dict[str, bool]:
    """Every seed passage as the pipeline cuts it -> quotable."""
    out: dict[str, bool] = {}
    for path in sorted(SEED_DIR.glob("*.txt")):
        for passage in segment(clean_review(path.read_text(encoding="utf-8"))):
            out[passage.text] = passage.quotable
    return out


def marked_quotable(item: dict[str, str]) -> bool:
    """Seed passages as cut in their review; other texts as a paragraph of their own."""
    if "seed" in item:
        return seed_passages()[item["text"]]
    return any(p.quotable for p in segment([item["text"]]))


def table(part: str) -> Counter[tuple[str, bool]]:
    """(label, marked quotable) -> count, printed for the report (pytest -s)."""
    counts = Counter((item["label"], marked_quotable(item)) for item in labels()[part])
    print(f"\n{part}: label x quotable")
    for label in (STANDS, "needs context", NEVER):
        print(f"  {label:14} quotable={counts[(label, True)]:3}  not={counts[(label, False)]:3}")
    return counts


def precision(counts: Counter[tuple[str, bool]]) -> float:
    """Share of quotable passages labelled "stands alone"."""
    quotable = sum(n for (_, quoted), n in counts.items() if quoted)
    return counts[(STANDS, True)] / quotable if quotable else 1.0


def test_every_seed_passage_is_labelled() -> None:
    """The labels follow the pipeline's cut: a re-cut seed passage must be labelled again."""
    labelled = {item["text"] for item in labels()["dev"] if "seed" in item}
    assert set(seed_passages()) == labelled


def test_seeds_still_yield_enough_quotes() -> None:
    """Fewer but better: at least 45 quotable seed passages."""
    assert sum(seed_passages().values()) >= MIN_SEED_QUOTABLE


def test_held_out_set_is_big_enough_and_other_films() -> None:
    """At least 30 passages of other films overall, 20 held out."""
    others = [i for part in ("dev", "test") for i in labels()[part] if i["film"] != "La La Land"]
    assert len(others) >= 30 and len(labels()["test"]) >= 20


def test_dev_quotes_stand_alone() -> None:
    """Dev: >= 95 % of quotable passages stand alone, no "never show" is quotable."""
    counts = table("dev")
    assert precision(counts) >= MIN_PRECISION and counts[(NEVER, True)] == 0


def test_held_out_floor() -> None:
    """Held-out: the level measured when the set was first scored must not regress."""
    counts = table("test")
    assert precision(counts) >= 10 / 13 and counts[(NEVER, True)] <= 2


@pytest.mark.xfail(strict=True, reason="held-out misses run-ons without an apostrophe ('…rules he cares…')")
def test_held_out_meets_the_target() -> None:
    """Held-out: the same targets as dev.  Not met yet; strict xfail flags the day it is."""
    counts = table("test")
    assert precision(counts) >= MIN_PRECISION and counts[(NEVER, True)] == 0
