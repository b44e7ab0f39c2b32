"""clean_review + segment run in linear time on hostile input (no ReDoS)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.clean import clean_review
from bot.corpus.hostile import HOSTILE_UNITS, hostile_text, run_pipeline, time_ms, worst_case_ms_per_100kb
from bot.corpus.segment import split_sentences

# Generous bounds: a shared 2-core CI box may be 5x slower than a laptop, but a
# quadratic pattern is 100x slower at 100 KB than at 10 KB, so it still fails.
MAX_RATIO = 20
MAX_100KB_S = 0.5
# Timings below this are noise on a shared box (the old quadratic splitter took
# 240 ms on 5 KB, so a real regression is far above it).
FLOOR_MS = 5.0


@pytest.mark.parametrize("name", sorted(HOSTILE_UNITS))
def test_hostile_text_scales_linearly(name: str) -> None:
    """10 KB -> 100 KB of the same pattern costs < 20x more and < 0.5 s absolute."""
    unit = HOSTILE_UNITS[name]
    small = time_ms(run_pipeline, hostile_text(unit, 10_000), repeat=5)
    large = time_ms(run_pipeline, hostile_text(unit, 100_000), repeat=5)
    assert large / 1000 < MAX_100KB_S, f"{name}: {large:.0f} ms for 100 KB"
    assert large / max(small, FLOOR_MS) < MAX_RATIO, f"{name}: 10 KB {small:.1f} ms, 100 KB {large:.1f} ms"


def test_split_sentences_alone_is_fast_on_punctuation_runs() -> None:
    """The splitter on its own: 100 KB of '!' used to take minutes."""
    for unit in ("!", ".", "?!", "…", "。"):
        assert time_ms(split_sentences, unit * 100_000) < MAX_100KB_S * 1000


def test_worst_case_helper_reports_a_named_bounded_time() -> None:
    """The benchmark helper names the slowest adversarial text and its time."""
    name, ms = worst_case_ms_per_100kb()
    assert name in HOSTILE_UNITS and 0 < ms < MAX_100KB_S * 1000


HOSTILE_ALPHABET = st.sampled_from(list(".!?…。！？“”‘’\"'()[]— \n\x00😀Aa,;:") + ["[…]", "Dr.", "A. "])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE_ALPHABET, min_size=1, max_size=40))
def test_any_hostile_mix_is_linear(pieces: list[str]) -> None:
    """Any repeated mix of hostile characters stays within the per-KB bound."""
    unit = "".join(pieces)
    small = time_ms(run_pipeline, hostile_text(unit, 5_000), repeat=3)
    large = time_ms(run_pipeline, hostile_text(unit, 50_000), repeat=3)
    assert large < MAX_100KB_S * 1000 / 2
    # Best of 3 and a floor: a 5 KB run takes < 1 ms, so one scheduler hiccup on
    # a shared box would otherwise look like a 100x ratio.  Quadratic still fails (~100x).
    assert large / max(small, FLOOR_MS) < MAX_RATIO


def test_hostile_text_still_segments_sanely() -> None:
    """Speed is not bought by dropping text: a run of 'Stop. ' still yields passages."""
    passages = clean_review(hostile_text("Sebastian stops. ", 10_000))
    assert passages and len(split_sentences(passages[0])) > 100
