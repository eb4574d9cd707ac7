"""The classifier: multi-label text classification into SDG goals and human-rights themes.

Method (a strong, cheap baseline, chosen over a sentence-embedding model because it meets the
throughput goal on one core and needs no download):

* Features: word uni/bigrams and character 2–5-grams inside word boundaries (they carry meaning
  across English, French and Spanish inflections and spellings), hashed, so there is no vocabulary
  to store; TF-IDF (sublinear tf, idf and the kept columns fitted on the training texts), L2-normalised.
* Theme head: one linear SVM per theme (one-vs-rest).
* Goal head: one linear SVM per SDG goal over the same features plus the theme head's scores
  (stacking, its weight chosen by out-of-fold macro-F1 on the training records): the themes, learnt from tens of thousands of labelled recommendations, carry what the
  few hundred SDG-labelled ones cannot. The six-language SDG goal and target titles are training
  examples of their goal, which anchors French, Spanish (and other) text.
* Calibration: per label, a sigmoid (Platt) fitted on out-of-fold scores turns a margin into a
  probability, and the decision threshold is the one that maximises that label's out-of-fold F1
  (labels with too few positives share the global best threshold).

The artefact is a NumPy `.npz` of arrays plus JSON metadata: loading it runs no code (no pickle).
Everything random takes the seed, so the same data and seed give identical arrays.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

FORMAT = "hrtc-linker/1"
HASH_FEATURES = 2**20
MAX_FEATURES = 2**18
MIN_DF = 2
SVM_C = 0.5
#: Weights of the theme scores among the goal head's features, chosen per training run by out-of-fold
#: macro-F1 on the training records (0 = no stacking).
STACK_WEIGHTS = (0.0, 0.1, 0.3)
STACK_CLIP = 2.0
FOLDS = 3
MIN_POSITIVES_FOR_OWN_THRESHOLD = 5
THRESHOLDS = np.round(np.arange(0.10, 0.91, 0.05), 2)

Progress = Callable[[str], None]


def _vectorizers() -> tuple[HashingVectorizer, HashingVectorizer]:
    common = dict(
        n_features=HASH_FEATURES,
        alternate_sign=False,
        norm=None,
        strip_accents="unicode",
        lowercase=True,
        dtype=np.float32,
    )
    words = HashingVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)
    return words, chars


WORDS, CHARS = _vectorizers()


def hashed_counts(texts: Sequence[str]) -> sp.csr_matrix:
    texts = list(texts)
    return sp.hstack([WORDS.transform(texts), CHARS.transform(texts)], format="csr")


@dataclass
class Features:
    """TF-IDF over the kept hashed columns."""

    keep: np.ndarray  # int32 column indices into the hashed space
    idf: np.ndarray  # float32, one per kept column

    @classmethod
    def fit(cls, counts: sp.csr_matrix, min_df: int = MIN_DF) -> Features:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        keep = np.flatnonzero(df >= min_df)
        if len(keep) > MAX_FEATURES:
            keep = np.sort(keep[np.argsort(-df[keep], kind="stable")[:MAX_FEATURES]])
        n = counts.shape[0]
        idf = np.log((1 + n) / (1 + df[keep])) + 1
        return cls(keep=keep.astype(np.int32), idf=idf.astype(np.float32))

    def transform(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        x = counts[:, self.keep].tocsr().astype(np.float32)
        np.log1p(x.data, out=x.data)
        x = x @ sp.diags(self.idf)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sp.csr_matrix(sp.diags((1 / norms).astype(np.float32)) @ x)

    def __call__(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.transform(hashed_counts(texts))


@dataclass
class Head:
    """One-vs-rest linear classifiers with a calibrated probability and a decision threshold per label."""

    labels: list[str]
    coef: np.ndarray  # (n_features, n_labels) float32
    intercept: np.ndarray  # (n_labels,)
    platt_a: np.ndarray
    platt_b: np.ndarray
    thresholds: np.ndarray
    oof_macro_f1: float = 0.0

    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef) + self.intercept

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(scores * self.platt_a + self.platt_b)))


def _fit_svms(x: sp.csr_matrix, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    intercept = np.full(y.shape[1], -1.0, dtype=np.float32)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            svm = LinearSVC(C=SVM_C, random_state=seed, max_iter=5000).fit(x, y[:, j])
            coef[:, j], intercept[j] = svm.coef_.ravel(), svm.intercept_[0]
    return coef, intercept


def _f1(y: np.ndarray, predicted: np.ndarray) -> float:
    tp = float((y & predicted).sum())
    denominator = float(y.sum() + predicted.sum())
    return 2 * tp / denominator if denominator else 0.0


def fit_head(x: sp.csr_matrix, y: np.ndarray, labels: list[str], calibrate: np.ndarray, seed: int) -> Head:
    """Fit one head. `calibrate` marks the rows (real records, not reference texts) whose out-of-fold
    scores set the sigmoids and thresholds; the other rows are in every fold's training part."""
    y = y.astype(bool)
    rows = np.flatnonzero(calibrate)
    out_of_fold = np.zeros((len(rows), y.shape[1]), dtype=np.float32)
    folds = KFold(n_splits=FOLDS, shuffle=True, random_state=seed) if len(rows) >= FOLDS * 2 else None
    if folds is not None:
        for _, score_part in folds.split(rows):
            mask = np.ones(x.shape[0], dtype=bool)
            mask[rows[score_part]] = False
            coef, intercept = _fit_svms(x[mask], y[mask], seed)
            out_of_fold[score_part] = np.asarray(x[rows[score_part]] @ coef) + intercept
    n = y.shape[1]
    platt_a, platt_b = np.full(n, 2.0), np.zeros(n)
    y_oof = y[rows]
    for j in range(n):
        positives = int(y_oof[:, j].sum())
        if folds is not None and 2 <= positives < len(rows) - 1:
            sigmoid = LogisticRegression(C=100.0).fit(out_of_fold[:, j : j + 1], y_oof[:, j])
            platt_a[j], platt_b[j] = sigmoid.coef_[0, 0], sigmoid.intercept_[0]
    probabilities = 1.0 / (1.0 + np.exp(-(out_of_fold * platt_a + platt_b)))
    pooled = max(THRESHOLDS, key=lambda t: _f1(y_oof, probabilities >= t)) if len(rows) else 0.5
    thresholds = np.full(n, pooled)
    for j in range(n):
        if y_oof[:, j].sum() >= MIN_POSITIVES_FOR_OWN_THRESHOLD:
            thresholds[j] = max(THRESHOLDS, key=lambda t, j=j: _f1(y_oof[:, j], probabilities[:, j] >= t))
    predicted = probabilities >= thresholds
    present = [j for j in range(n) if y_oof[:, j].any()]
    oof_macro_f1 = float(np.mean([_f1(y_oof[:, j], predicted[:, j]) for j in present])) if present else 0.0
    coef, intercept = _fit_svms(x, y, seed)
    return Head(
        labels=list(labels),
        coef=coef,
        intercept=intercept,
        platt_a=platt_a.astype(np.float32),
        platt_b=platt_b.astype(np.float32),
        thresholds=thresholds.astype(np.float32),
        oof_macro_f1=oof_macro_f1,
    )


@dataclass
class Prediction:
    """Probabilities and thresholds of one head for a batch of texts."""

    labels: list[str]
    probabilities: np.ndarray  # (n_texts, n_labels)
    thresholds: np.ndarray

    def positives(self, row: int) -> list[tuple[str, float, float]]:
        """(label, probability, margin) of the labels predicted for text `row`, surest first."""
        p = self.probabilities[row]
        hits = [
            (self.labels[j], float(p[j]), float(p[j] - self.thresholds[j]))
            for j in np.flatnonzero(p >= self.thresholds)
        ]
        return sorted(hits, key=lambda hit: -hit[1])

    def matrix(self) -> np.ndarray:
        return self.probabilities >= self.thresholds


@dataclass
class Linker:
    """A trained classifier: the features, the theme head and the goal head."""

    theme_features: Features
    goal_features: Features
    themes: Head
    goals: Head
    meta: dict = field(default_factory=dict)

    def predict(self, texts: Sequence[str]) -> dict[str, Prediction]:
        counts = hashed_counts(texts)
        theme_scores = self.themes.scores(self.theme_features.transform(counts))
        goal_scores = self.goals.scores(
            _stack(self.goal_features.transform(counts), theme_scores, self.meta["stack_weight"])
        )
        return {
            "themes": Prediction(
                self.themes.labels, self.themes.probabilities(theme_scores), self.themes.thresholds
            ),
            "goals": Prediction(
                self.goals.labels, self.goals.probabilities(goal_scores), self.goals.thresholds
            ),
        }

    # -- the artefact: arrays and JSON, no pickle -------------------------------------------------
    def save(self, path: Path) -> str:
        arrays = {}
        for name, head, features in (
            ("themes", self.themes, self.theme_features),
            ("goals", self.goals, self.goal_features),
        ):
            arrays[f"{name}_keep"], arrays[f"{name}_idf"] = features.keep, features.idf
            for attr in ("coef", "intercept", "platt_a", "platt_b", "thresholds"):
                arrays[f"{name}_{attr}"] = getattr(head, attr)
        meta = {
            **self.meta,
            "format": FORMAT,
            "theme_labels": self.themes.labels,
            "goal_labels": self.goals.labels,
        }
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)
        return hashlib.sha256(path.read_bytes()).hexdigest()

    @classmethod
    def load(cls, path: Path, sha256: str | None = None) -> Linker:
        data = path.read_bytes()
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"{path.name} does not match the checksum recorded when it was trained.")
        with np.load(path, allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path.name} is not a {FORMAT} artefact.")
            heads = {
                name: Head(
                    labels=meta[f"{name[:-1]}_labels"],
                    **{
                        attr: arrays[f"{name}_{attr}"]
                        for attr in ("coef", "intercept", "platt_a", "platt_b", "thresholds")
                    },
                )
                for name in ("themes", "goals")
            }
            features = {name: Features(arrays[f"{name}_keep"], arrays[f"{name}_idf"]) for name in heads}
            return cls(features["themes"], features["goals"], heads["themes"], heads["goals"], meta)


def _stack(x: sp.csr_matrix, theme_scores: np.ndarray, weight: float) -> sp.csr_matrix:
    extra = weight * np.clip(theme_scores, -STACK_CLIP, STACK_CLIP).astype(np.float32)
    return sp.hstack([x, sp.csr_matrix(extra)], format="csr")


def _binarize(label_sets: Sequence[frozenset[str]], labels: list[str]) -> np.ndarray:
    index = {label: j for j, label in enumerate(labels)}
    y = np.zeros((len(label_sets), len(labels)), dtype=bool)
    for i, found in enumerate(label_sets):
        for label in found:
            if label in index:
                y[i, index[label]] = True
    return y


def train(
    *,
    texts: Sequence[str],
    goals: Sequence[frozenset[str]],
    themes: Sequence[frozenset[str]],
    calibrate: Sequence[bool],
    goal_labels: list[str],
    seed: int,
    progress: Progress | None = None,
) -> Linker:
    """Train from parallel lists: each text with its goal labels and theme labels (either may be empty;
    an empty set means "not labelled for this task", so the row is left out of that head)."""
    say = progress or (lambda step: None)
    theme_labels = sorted({label for found in themes for label in found})
    if not theme_labels:
        raise ValueError("No theme labels to learn from.")
    say("features")
    counts = hashed_counts(texts)
    calibrate = np.asarray(calibrate, dtype=bool)
    has_themes = np.array([bool(t) for t in themes])
    has_goals = np.array([bool(g) for g in goals])
    # Each head has its own columns and idf: the few SDG-labelled texts keep their rare n-grams.
    theme_features = Features.fit(counts[has_themes])
    goal_features = Features.fit(counts[has_goals], min_df=1)
    say("themes")
    theme_head = fit_head(
        theme_features.transform(counts[has_themes]),
        _binarize([t for t, keep in zip(themes, has_themes, strict=True) if keep], theme_labels),
        theme_labels,
        calibrate[has_themes],
        seed,
    )
    say("goals")
    goal_counts = counts[has_goals]
    x_goals = goal_features.transform(goal_counts)
    theme_scores = theme_head.scores(theme_features.transform(goal_counts))
    y_goals = _binarize([g for g, keep in zip(goals, has_goals, strict=True) if keep], goal_labels)
    candidates = {
        weight: fit_head(
            _stack(x_goals, theme_scores, weight), y_goals, goal_labels, calibrate[has_goals], seed
        )
        for weight in STACK_WEIGHTS
    }
    weight = max(STACK_WEIGHTS, key=lambda w: (round(candidates[w].oof_macro_f1, 6), -w))
    meta = {
        "seed": seed,
        "stack_weight": weight,
        "oof_macro_f1": {str(w): round(head.oof_macro_f1, 4) for w, head in candidates.items()},
    }
    return Linker(theme_features, goal_features, theme_head, candidates[weight], meta)
