"""Leave-one-set-out check of the structural spoiler signals (bot/corpus/narration.py, issue 25 item 1).

The phrase rules of spoilers.py have been tuned on every set, so today's figures on v5 and v6 say nothing about
unseen prose. This puts back the text rules (spoilers.py and clean.py) as they stood at each set's one blind run,
before anyone tuned on it, and scores that set with and without the structural layer on top: the difference is
what the structural layer, developed on v1-v4 only, adds on prose it was never tuned on.

Run: python -m tests.corpus.spoiler_leaveout   (needs the git history and the third-party texts)
"""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot import corpus
from bot.corpus.narration import narration_reasons
from tests.corpus.spoiler_sets import SETS, table
from tests.corpus.test_real_heldout_v4 import SpoilerScores, score_spoilers

ROOT = Path(__file__).resolve().parents[2]
# Set -> the commit its one blind run was scored at (test_real_heldout_v5.py, _v6.py).
BLIND_RUNS = {"v5": "a743b9e", "v6": "06a207e"}


def _module_at(commit: str, path: str, name: str) -> types.ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"], check=True, capture_output=True,
                            text=True).stdout
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


@contextmanager
def rules_at(commit: str, structural: bool) -> Iterator[None]:
    spoilers = _module_at(commit, "bot/corpus/spoilers.py", "old_spoilers")
    clean = _module_at(commit, "bot/corpus/clean.py", "old_clean")
    old: Callable[..., Any] = spoilers.spoiler_reasons

    def reasons(texts: Any, paragraphs: Any, zones: Any, tagged: Any, film: str | None = None) -> Any:
        found = old(texts, paragraphs, zones, tagged, film)
        return narration_reasons(texts, paragraphs, found, film) if structural else found

    # The reveal zone (reveal_zone.py) is left out: this measures the structural layer alone, as it was measured.
    saved = corpus.spoiler_reasons, corpus.clean_paragraphs, corpus.reveal_zone
    corpus.spoiler_reasons, corpus.clean_paragraphs = reasons, clean.clean_paragraphs  # type: ignore[assignment]
    corpus.reveal_zone = list  # type: ignore[assignment]
    try:
        yield
    finally:
        corpus.spoiler_reasons, corpus.clean_paragraphs, corpus.reveal_zone = saved


def leave_out(name: str) -> tuple[SpoilerScores, SpoilerScores]:
    """(the text rules of the blind run alone, the same plus the structural layer) on set `name`."""
    with rules_at(BLIND_RUNS[name], structural=False):
        before = score_spoilers(*SETS[name])
    with rules_at(BLIND_RUNS[name], structural=True):
        after = score_spoilers(*SETS[name])
    return before, after


if __name__ == "__main__":
    for name in sys.argv[1:] or list(BLIND_RUNS):
        if SETS[name][1].exists():
            before, after = leave_out(name)
            print(f"\n## {name}, text rules of its blind run ({BLIND_RUNS[name]}): alone, then + structural layer")
            print(table({f"{name} blind-run rules": before, f"{name} + structural": after}, total_row=False))
