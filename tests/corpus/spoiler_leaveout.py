"""Leave-one-set-out check of the structural spoiler signals (bot/corpus/narration.py) and of the reveal zone
(bot/corpus/reveal_zone.py), issue 25 item 1.

The phrase rules of spoilers.py have been tuned on the sets before each blind run, so today's figures on a set say
little about unseen prose. This puts back the text rules (spoilers.py and clean.py) as they stood at each set's one
blind run, before anyone tuned on it, and scores that set: the text rules alone, with the structural layer on top,
and with today's reveal zone on top of both (`--zone`). From eb7f2a3 (v7's and v8's blind run) the structural layer
is part of spoilers.py and no text rule has changed since, so for v7-v10 the text rules are today's, never tuned on
those sets; the zone's own choices (what opens it, what stays clear in it) were made after v8 and v9 and are
written as general signals, so the --zone column is the honest estimate only for the sets after them.

Run: python -m tests.corpus.spoiler_leaveout [set ...] [--zone]   (needs the git history and the third-party texts)
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
BLIND_RUNS = {"v5": "a743b9e", "v6": "06a207e", "v7": "eb7f2a3", "v8": "eb7f2a3", "v9": "b644448", "v10": "2c9862e",
              "v11": "2fe5809", "v12": "2fe5809",
              "v13": "5e95b6c", "v14": "11785f2", "v15": "3cbfa83", "v16": "90ecf8d"}
# From this commit on spoilers.py runs the structural layer itself.
STRUCTURAL_BUILT_IN = "eb7f2a3"


def _module_at(commit: str, path: str, name: str) -> types.ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"], check=True, capture_output=True,
                            text=True).stdout
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def _built_in(commit: str) -> bool:
    """Whether spoilers.py at `commit` already runs the structural layer (narration.py) itself."""
    return subprocess.run(["git", "-C", str(ROOT), "merge-base", "--is-ancestor", STRUCTURAL_BUILT_IN, commit],
                          check=False).returncode == 0


@contextmanager
def rules_at(commit: str, structural: bool, zone: bool = False) -> Iterator[None]:
    """process_review with the text rules of `commit`, the structural layer on top when `structural` (from
    STRUCTURAL_BUILT_IN on it is always on: those text rules run it themselves), and today's reveal zone when
    `zone`."""
    spoilers = _module_at(commit, "bot/corpus/spoilers.py", "old_spoilers")
    clean = _module_at(commit, "bot/corpus/clean.py", "old_clean")
    old: Callable[..., Any] = spoilers.spoiler_reasons
    built_in = _built_in(commit)

    def reasons(texts: Any, paragraphs: Any, zones: Any, tagged: Any, film: str | None = None,
                reading: Any = None) -> Any:
        found = old(texts, paragraphs, zones, tagged, film)
        return narration_reasons(texts, paragraphs, found, film, reading) if structural and not built_in else found

    saved = corpus.spoiler_reasons, corpus.clean_paragraphs, corpus.reveal_zone
    corpus.spoiler_reasons, corpus.clean_paragraphs = reasons, clean.clean_paragraphs  # type: ignore[assignment]
    if not zone:
        corpus.reveal_zone = lambda reasons, *_: list(reasons)
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


def leave_out_zone(name: str) -> SpoilerScores:
    """The text rules of set `name`'s blind run, the structural layer and today's reveal zone on top."""
    with rules_at(BLIND_RUNS[name], structural=True, zone=True):
        return score_spoilers(*SETS[name])


if __name__ == "__main__":
    args = sys.argv[1:]
    names = [a for a in args if not a.startswith("--")] or list(BLIND_RUNS)
    if "--zone" in args:
        print("## each set on the text rules of its blind run + structural layer + today's reveal zone")
        print(table({f"{name} @ {BLIND_RUNS[name]}": leave_out_zone(name) for name in names if SETS[name][1].exists()}))
    else:
        for name in names:
            if SETS[name][1].exists():
                before, after = leave_out(name)
                print(f"\n## {name}, text rules of its blind run ({BLIND_RUNS[name]}): alone, then + structural layer")
                print(table({f"{name} blind-run rules": before, f"{name} + structural": after}, total_row=False))
