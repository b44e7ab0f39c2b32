"""A learned sentence model for spoiler detection: features, trainer, scoring (issue 25 item 1). Not collected by pytest.

The question it answers: does a small classifier "does this sentence give the ending away", on top of the rules
(a passage is hidden when the rules say so OR any of its sentences scores >= t), lift recall on sets it never
saw at an acceptable hidden share? spoiler_model_leaveout.py measures that, leave one set out; the answer so far
is no (bot/corpus/README.md, Measured), so nothing of this ships in bot/: it lives here, ready to be moved into a
runtime module (pure standard library, weights in a JSON file) if a later round of features earns it.

Data: every labelled real set of tests/corpus/spoiler_sets.py (texts in /work/wt/corpus-heldout/, not committed).
Each review goes through process_review (the rules' reasons are features);
each sentence of each passage is one example: 1 when it is a labelled ending-revealing sentence, else 0.
Features of a sentence (binary, named by string): its words and word pairs, lowercased, the review's characters
(narration.character_names) as NAME and the film title's words as FILM; the rules' verdict on its passage and on
the one before and after, whether any passage before it or in its paragraph is hidden; its paragraph's relative
position (fifths), first or last paragraph; the narration register (narration.is_narration_sentence), alone and
with the position and the after-a-spoiler flag; counts of third-person pronouns, -ed words, names, the critic's "I".
Model: logistic regression, L2, AdaGrad over a fixed number of epochs in a fixed order (deterministic), pure
Python; features seen in fewer than MIN_COUNT training sentences are dropped.
Threshold: chosen on the training sets only, by leave-one-set-out among them: the highest t at which the rules
OR the model (a passage is hidden when any sentence scores >= t) reach TARGET_RECALL of their ending sentences
out of fold, scored by sentence exactly as test_real_heldout_v4.score_spoilers scores.

Run: python -m tests.corpus.spoiler_model   (train on every set, print the threshold chosen and the time taken)
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.corpus import process_review, split_sentences
from bot.corpus.narration import character_names, is_narration_sentence
from bot.corpus.reasons import SpoilerReason
from tests.corpus.spoiler_sets import SETS
from tests.corpus.test_real_heldout import _flat, read_texts, themes
from tests.corpus.test_real_heldout_v4 import SpoilerScores, sentences

# A word: letters, digits, inner apostrophes (a possessive "'s" is cut off).
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_POSSESSIVE = re.compile(r"['’]s$")
_PRONOUNS = frozenset("he she they him her them his hers their himself herself themselves".split())  # noqa: SIM905
_CRITIC = frozenset("i my me i'm i've i'd".split())  # noqa: SIM905
_TITLE_STOP = frozenset("the a an of and in on at to for with".split())  # noqa: SIM905
# Longer sentences are scored on their first words only (a run-on of 10,000 characters stays cheap).
_MAX_TOKENS = 120


@dataclass(frozen=True)
class SpoilerModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, features: Sequence[str]) -> float:
        """The probability the sentence gives the ending away."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _bucket(count: int) -> str:
    return str(count) if count < 3 else "3+"


def sentence_features(
    sentence: str, names: frozenset[str], film_words: frozenset[str], context: Sequence[str] = (),
) -> list[str]:
    """The features of one sentence: its words and word pairs (names as NAME, title words as FILM), counts, the
    narration register, and the passage's `context` features (rules' verdicts, position) as given."""
    words: list[str] = []
    for token in _TOKEN.findall(sentence[:2000])[:_MAX_TOKENS]:
        bare = _POSSESSIVE.sub("", token)
        if bare in names:
            words.append("NAME")
        elif bare in film_words:
            words.append("FILM")
        else:
            words.append(token.lower().replace("’", "'"))
    features = [f"w:{w}" for w in words]
    features += [f"b:{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)]
    features.append("pron:" + _bucket(sum(w in _PRONOUNS for w in words)))
    features.append("ed:" + _bucket(sum(w.endswith("ed") for w in words)))
    features.append("names:" + _bucket(words.count("NAME")))
    features.append("critic:" + str(any(w in _CRITIC for w in words)))
    features.append("narr:" + str(is_narration_sentence(sentence[:2000], names)))
    features.extend(context)
    return features


def film_title_words(film: str | None) -> frozenset[str]:
    return frozenset(w for w in _TOKEN.findall(film or "") if w.lower() not in _TITLE_STOP and len(w) > 1)


def review_features(
    texts: Sequence[str], paragraphs: Sequence[int], reasons: Sequence[SpoilerReason | None], film: str | None = None,
) -> list[list[list[str]]]:
    """Per passage, per sentence, its features (the rules' `reasons` are part of the context)."""
    names = character_names(texts, film)
    film_words = film_title_words(film)
    last = max(paragraphs, default=0)
    hidden_paragraphs = {p for p, reason in zip(paragraphs, reasons, strict=True) if reason is not None}
    out: list[list[list[str]]] = []
    seen_spoiler = False
    for i, (text, paragraph) in enumerate(zip(texts, paragraphs, strict=True)):
        before = reasons[i - 1] if i else None
        after = reasons[i + 1] if i + 1 < len(reasons) else None
        pos = min(4, paragraph * 5 // (last + 1))
        context = [
            f"r:{reasons[i] or 'none'}",
            f"prev:{before or 'none'}",
            f"next:{after or 'none'}",
            f"after_spoiler:{seen_spoiler}",
            f"para_spoiler:{paragraph in hidden_paragraphs}",
            f"pos:{pos}",
            f"first:{paragraph == 0}",
            f"last:{paragraph == last}",
        ]
        sentences_ = []
        for sentence in split_sentences(text):
            features = sentence_features(sentence, names, film_words, context)
            narr = features[-len(context) - 1]  # "narr:True/False"
            features += [f"{narr}&after_spoiler:{seen_spoiler}", f"{narr}&pos:{pos}",
                         f"{narr}&para_spoiler:{paragraph in hidden_paragraphs}"]
            sentences_.append(features)
        out.append(sentences_)
        seen_spoiler = seen_spoiler or reasons[i] is not None
    return out


EPOCHS = 12
L2 = 1e-3
RATE = 0.2
MIN_COUNT = 2
TARGET_RECALL = 0.97
ROUND = 3  # decimals kept of each weight


@dataclass
class PassageRow:
    flat: str
    reason: str | None  # the rules' reason
    sentences: list[list[str]]  # each sentence's features
    labels: list[int]  # each sentence's label (1 = gives the ending away)


@dataclass
class ReviewRow:
    key: str
    passages: list[PassageRow]
    test_sentences: list[tuple[str, bool]] = field(default_factory=list)  # (flat sentence, ending?) as scored


def _is_ending(flat: str, starts: Sequence[str]) -> bool:
    return any(flat.startswith(s) or s.startswith(flat[:60]) for s in starts)


def extract(name: str) -> list[ReviewRow]:
    """One set's examples under the rules in force (see spoiler_model_leaveout.rules_at for older ones)."""
    labels_path, texts_path = SETS[name]
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["reviews"]
    texts = read_texts(texts_path)
    rows: list[ReviewRow] = []
    for key, paragraphs in labels.items():
        review = texts[key]
        starts = [_flat(s) for p in paragraphs for s in p.get("ending", [])]
        passages = process_review("\n\n".join(review.paragraphs), themes(), review.film, review.year, zone=False)
        ptexts, reasons = [p.text for p in passages], [p.spoiler for p in passages]
        features = review_features(ptexts, [p.paragraph for p in passages], reasons, review.film)
        row = ReviewRow(key, [])
        for text, reason, feats in zip(ptexts, reasons, features, strict=True):
            flat_sentences = [_flat(s) for s in split_sentences(text)]
            row.passages.append(PassageRow(_flat(text), reason.value if reason else None, feats,
                                           [int(_is_ending(s, starts)) for s in flat_sentences]))
        row.test_sentences = [(_flat(s), _is_ending(_flat(s), starts)) for p in review.paragraphs for s in sentences(p)]
        rows.append(row)
    return rows


def train(rows: Sequence[ReviewRow], drop: Callable[[str], bool] = lambda f: False) -> SpoilerModel:
    """Logistic regression on every passage sentence of `rows` (threshold 0.5 until chosen)."""
    examples = [(feats, label) for r in rows for p in r.passages for feats, label in zip(p.sentences, p.labels,
                                                                                           strict=True)]
    counts = Counter(f for feats, _ in examples for f in set(feats))
    kept = [([f for f in set(feats) if counts[f] >= MIN_COUNT and not drop(f)], y) for feats, y in examples]
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    bias, bias_g2 = 0.0, 0.0
    for _ in range(EPOCHS):
        for feats, y in kept:
            z = bias + sum(w.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            bias_g2 += g * g
            bias -= RATE * g / math.sqrt(bias_g2 + 1e-8)
            for f in feats:
                gf = g + L2 * w.get(f, 0.0)
                g2[f] = g2.get(f, 0.0) + gf * gf
                w[f] = w.get(f, 0.0) - RATE * gf / math.sqrt(g2[f] + 1e-8)
    weights = {f: round(v, ROUND) for f, v in w.items() if abs(v) >= 10 ** -ROUND}
    return SpoilerModel(weights, round(bias, ROUND), 0.5)


def passage_scores(model: SpoilerModel, rows: Sequence[ReviewRow]) -> list[list[float]]:
    """Per passage of `rows` (in order), the highest sentence score (0 for a passage with none)."""
    return [[max((model.score(f) for f in p.sentences), default=0.0) for p in r.passages] for r in rows]


def score(rows: Sequence[ReviewRow], best: Sequence[Sequence[float]] | None, t: float) -> SpoilerScores:
    """Sentence recall and hidden share the way score_spoilers counts, with passages hidden by the rules or by a
    best sentence score >= t (best None: the rules alone)."""
    s = SpoilerScores()
    for i, r in enumerate(rows):
        hidden = [p.reason is not None or (best is not None and best[i][j] >= t) for j, p in enumerate(r.passages)]
        for flat, ending in r.test_sentences:
            holders = [h for p, h in zip(r.passages, hidden, strict=True) if flat[:80] in p.flat]
            if ending:
                s.revealing += 1
                s.revealing_hidden += all(holders)
            else:
                s.harmless += 1
                s.harmless_hidden += bool(holders) and all(holders)
    return s


def choose_threshold(data: dict[str, list[ReviewRow]], drop: Callable[[str], bool] = lambda f: False,
                     target: float = TARGET_RECALL) -> float:
    """The highest t at which rules OR model reach `target` recall pooled out of fold over the sets of `data`
    (each scored by a model trained on the others)."""
    folds = [(data[name], passage_scores(train([r for n, rows in data.items() if n != name for r in rows], drop),
                                         data[name])) for name in data]
    rows = [r for fold, _ in folds for r in fold]
    best = [b for _, scores in folds for b in scores]
    for t in [x / 100 for x in range(95, 0, -1)]:
        if score(rows, best, t).recall() >= target:
            return t
    return 0.01


def extract_all(names: Sequence[str]) -> dict[str, list[ReviewRow]]:
    return {name: extract(name) for name in names if SETS[name][1].exists()}


if __name__ == "__main__":
    start = time.perf_counter()
    data = extract_all(list(SETS))
    print(f"extracted {len(data)} sets in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    t = choose_threshold(data)
    model = train([r for rows in data.values() for r in rows])
    print(f"threshold {t} (leave-one-set-out over {len(data)} sets), {len(model.weights)} weights, "
          f"trained with its threshold in {time.perf_counter() - start:.1f} s")
