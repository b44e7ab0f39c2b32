"""Quote quality measured on a labelled set: seeds + other films, dev and held-out parts.

Labels live in tests/corpus/data/standalone_labels.json: "stands alone",
"needs context" or "never show", written by an editor before the rules were
tuned on them.  "dev" holds the seed passages as the pipeline cuts them plus
passages the rules were tuned on (including held-out sets already scored
once and then retired to dev, marked "retired": "v3" … "v6"); "test" is the
current blind held-out set, empty until a new one is written by someone who has
not seen the rules: its tests skip while it is empty.

`pytest -s` prints one Markdown table (dev and test, label x quotable) to paste
into a note.
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
SEED_FILM = "La La Land"
STANDS, NEVER = "stands alone", "never show"
MIN_PRECISION = 0.95
MIN_SEED_QUOTABLE = 44  # 45 until the 7th Heaven retelling (another film's plot) was refused (issue 28 item 5)


@cache
def labels() -> dict[str, list[dict[str, str]]]:
    """The labelled set, by part."""
    return json.loads(LABELS.read_text(encoding="utf-8"))


@cache
def seed_passages() -> dict[str, bool]:
    """Every seed passage as the pipeline cuts it -> quotable."""
    out: dict[str, bool] = {}
    for path in sorted(SEED_DIR.glob("*.txt")):
        # As process_review cuts an imported review: the film is known.
        for passage in segment(clean_review(path.read_text(encoding="utf-8")), SEED_FILM):
            out[passage.text] = passage.quotable
    return out


def marked_quotable(item: dict[str, str]) -> bool:
    """Seed passages as cut in their review; other texts as a paragraph of their own.

    Both with their film's title, as the import and `/review add` pass it to process_review.
    """
    if "seed" in item:
        return seed_passages()[item["text"]]
    return any(p.quotable for p in segment([item["text"]], item["film"]))


def table(part: str) -> Counter[tuple[str, bool]]:
    """(label, marked quotable) -> count for one part of the labelled set."""
    return Counter((item["label"], marked_quotable(item)) for item in labels()[part])


def precision(counts: Counter[tuple[str, bool]]) -> float:
    """Share of quotable passages labelled "stands alone"."""
    quotable = sum(n for (_, quoted), n in counts.items() if quoted)
    return counts[(STANDS, True)] / quotable if quotable else 1.0


def markdown_table() -> str:
    """Both parts as one Markdown table (label x quotable, then precision), ready to paste."""
    lines = ["| part | label | quotable | not quotable |", "|---|---|---:|---:|"]
    for part in ("dev", "test"):
        counts = table(part)
        name = f"{part} ({sum(counts.values())})"
        for label in (STANDS, "needs context", NEVER):
            lines.append(f"| {name} | {label} | {counts[(label, True)]} | {counts[(label, False)]} |")
        quotable = sum(n for (_, quoted), n in counts.items() if quoted)
        share = f"{precision(counts):.1%}" if quotable else "n/a"
        lines.append(f"| {name} | precision | {counts[(STANDS, True)]}/{quotable} = {share} | |")
    lines.append(f"\nseed passages quotable: {sum(seed_passages().values())} of {len(seed_passages())}")
    return "\n".join(lines)


def held_out() -> Counter[tuple[str, bool]]:
    """The held-out counts; skips the calling test while no blind set has been written."""
    if not labels()["test"]:
        pytest.skip('no blind held-out set yet ("test" is empty; the last one was retired to dev)')
    return table("test")


def test_every_seed_passage_is_labelled() -> None:
    """The labels follow the pipeline's cut: a re-cut seed passage must be labelled again."""
    labelled = {item["text"] for item in labels()["dev"] if "seed" in item}
    assert set(seed_passages()) == labelled


def test_seeds_still_yield_enough_quotes() -> None:
    """Fewer but better: at least 45 quotable seed passages."""
    assert sum(seed_passages().values()) >= MIN_SEED_QUOTABLE


def test_dev_quotes_stand_alone() -> None:
    """Dev: >= 95 % of quotable passages stand alone; at most the one known "never show" is quotable.

    Round 4 (v6 retired to dev) measures 259/264 = 98.1 %, one "never show" quotable.  The one: "…to the
    Harvard dorm Zuckerberg types faster than anyone can follow him." is a run-on only because "types"
    has no object here; "the dorm Zuckerberg types in" would be grammatical, and no rule tells the two
    apart without a parser. A second leak fails this test.  Dev is what the rules were tuned on: only a
    blind held-out set says whether they transfer.
    """
    print("\n" + markdown_table())
    counts = table("dev")
    assert precision(counts) >= MIN_PRECISION and counts[(NEVER, True)] <= 1


def test_dev_has_other_films() -> None:
    """The rules are tuned on more than the seed film: 8+ other films, 60+ of their passages."""
    others = [i["film"] for i in labels()["dev"] if i["film"] != "La La Land"]
    assert len(set(others)) >= 8 and len(others) >= 60


def test_held_out_set_is_big_enough_and_other_films() -> None:
    """A blind held-out set has at least 20 passages, none of the seed film."""
    items = labels()["test"]
    if not items:
        pytest.skip("no blind held-out set yet")
    assert len(items) >= 20 and all(i["film"] != "La La Land" for i in items)


def test_held_out_floor() -> None:
    """Held-out v7: the level measured when it was scored once (30/38 = 78.9 %, 7 "never show" quotable).

    A regression guard only; the target below is not met (see held_out_meets_the_target).
    """
    counts = held_out()
    quotable = sum(n for (_, quoted), n in counts.items() if quoted)
    assert quotable > 0 and precision(counts) >= 30 / 38 and counts[(NEVER, True)] <= 7


@pytest.mark.xfail(strict=True, reason="blind held-out sets score 80.5 %, 72.3 %, 69.0 %, 78.9 % (v4-v7): the rules do not transfer")
def test_held_out_meets_the_target() -> None:
    """Held-out: the same target as dev, >= 95 % of quotable passages stand alone, 0 "never show"."""
    counts = held_out()
    assert precision(counts) >= MIN_PRECISION and counts[(NEVER, True)] == 0
