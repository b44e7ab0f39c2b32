"""Clauses fused where a scrape lost the punctuation between them: the `run_on` refusal.

See README.md in this folder for which rule does what and where its tests are.
"""

from __future__ import annotations

from bot.corpus.fusion.names import unintroduced_subject
from bot.corpus.fusion.objects import object_fusion
from bot.corpus.fusion.run_on import run_on
from bot.corpus.fusion.words import IRREGULAR_PAST

__all__ = ["IRREGULAR_PAST", "object_fusion", "run_on", "unintroduced_subject"]
