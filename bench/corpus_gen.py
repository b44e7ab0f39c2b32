"""Deterministic large corpora: many films whose reviews recombine sentences of the seed reviews."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus import clean_review, split_sentences

SEED = 20161209  # La La Land's release date: any fixed number would do


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted((DEFAULT_DATA_DIR / "corpus").rglob("*.txt")):
        for paragraph in clean_review(path.read_text(encoding="utf-8")):
            sentences += [s for s in split_sentences(paragraph) if 40 <= len(s) <= 300 and "[…]" not in s]
    return sentences


def review_text(rng: random.Random, sentences: list[str]) -> str:
    """Three paragraphs of four to six sentences: about 10 passages once segmented."""
    paragraphs = []
    for _ in range(3):
        paragraphs.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(4, 6))))
    # A serial number keeps every review unique for the duplicate check.
    paragraphs.append(f"Generated review number {rng.getrandbits(48)} ends here.")
    return "\n\n".join(paragraphs)


def write_data_dir(target: Path, reviews: int) -> Path:
    """A data dir (manifest.toml, corpus/, themes.toml) holding `reviews` generated reviews."""
    if (target / "manifest.toml").exists():
        return target
    rng = random.Random(SEED)
    sentences = seed_sentences()
    corpus = target / "corpus" / "generated"
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEFAULT_DATA_DIR / "themes.toml", target / "themes.toml")
    lines = []
    for number in range(reviews):
        name = f"review_{number:06d}.txt"
        (corpus / name).write_text(review_text(rng, sentences), encoding="utf-8")
        film = number // 10
        lines.append(
            f'[[review]]\nfile = "corpus/generated/{name}"\nfilm = "Generated Film {film:05d}"\n'
            f"year = {1990 + film % 35}\nspoiler = false\n"
            # Every third review unattributed; the others spread over critics and outlets.
            + (f'critic = "Critic {number % 397:03d}"\noutlet = "Outlet {number % 23:02d}"\n' if number % 3 else "")
        )
    (target / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    return target
