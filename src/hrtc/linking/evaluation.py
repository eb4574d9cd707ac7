"""Held-out evaluation of a classifier against the keyword baseline, and its throughput per core."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from hrtc.linking import keywords
from hrtc.linking.classifier import Linker
from hrtc.linking.datasets import UPRINFO, Dataset, Example

BATCH = 1000


@dataclass
class Scores:
    micro_f1: float
    macro_f1: float
    per_label: dict[str, dict]  # label → precision, recall, f1, support

    def as_dict(self) -> dict:
        return {"micro_f1": self.micro_f1, "macro_f1": self.macro_f1, "per_label": self.per_label}


def score(truth: Sequence[frozenset[str]], predicted: Sequence[set[str]], labels: list[str]) -> Scores:
    """Micro-F1 over all decisions; macro-F1 averaged over the labels that occur in `truth` (a label
    absent from the held-out set has no recall to measure)."""
    index = {label: j for j, label in enumerate(labels)}
    y = np.zeros((len(truth), len(labels)), dtype=bool)
    p = np.zeros_like(y)
    for i, (t, q) in enumerate(zip(truth, predicted, strict=True)):
        y[i, [index[x] for x in t if x in index]] = True
        p[i, [index[x] for x in q if x in index]] = True
    tp, fp, fn = (y & p).sum(0), (~y & p).sum(0), (y & ~p).sum(0)
    per_label = {}
    for j, label in enumerate(labels):
        precision = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        recall = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f1 = 2 * tp[j] / (2 * tp[j] + fp[j] + fn[j]) if tp[j] + fp[j] + fn[j] else 0.0
        per_label[label] = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(f1), 4),
            "support": int(y[:, j].sum()),
            "predicted": int(p[:, j].sum()),
        }
    present = [per_label[label]["f1"] for label in labels if per_label[label]["support"]]
    micro = 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()) if tp.sum() + fp.sum() + fn.sum() else 0.0
    return Scores(round(float(micro), 4), round(float(np.mean(present)) if present else 0.0, 4), per_label)


@contextmanager
def one_thread():
    """Measure per core: BLAS/OpenMP pools limited to one thread (threadpoolctl ships with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn depends on it
        previous = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous
        return
    with threadpool_limits(limits=1):
        yield


def predict_sets(linker: Linker, texts: Sequence[str]) -> dict[str, list[set[str]]]:
    result: dict[str, list[set[str]]] = {"goals": [], "themes": []}
    for start in range(0, len(texts), BATCH):
        predictions = linker.predict(texts[start : start + BATCH])
        for task, prediction in predictions.items():
            hits = prediction.matrix()
            result[task].extend({prediction.labels[j] for j in np.flatnonzero(row)} for row in hits)
    return result


def throughput(linker: Linker, texts: Sequence[str], min_seconds: float = 1.0) -> float:
    """Texts per second on one thread, classifying in batches (both heads), repeated for at least
    `min_seconds`."""
    if not texts:
        return 0.0
    done, started = 0, time.perf_counter()
    with one_thread():
        while True:
            for start in range(0, len(texts), BATCH):
                linker.predict(texts[start : start + BATCH])
            done += len(texts)
            elapsed = time.perf_counter() - started
            if elapsed >= min_seconds:
                return done / elapsed


def keyword_sets(task: str, texts: Sequence[str], theme_labels: list[str]) -> list[set[str]]:
    if task == "goals":
        return keywords.sdg_tagger().tag_many(texts)
    names = [label.split(":", 1)[1] for label in theme_labels]
    tagger = keywords.theme_tagger(names)
    return [{f"{UPRINFO}:{name}" for name in found} for found in tagger.tag_many(texts)]


def evaluate(linker: Linker, dataset: Dataset, *, measure_speed: bool = True) -> dict:
    """Model and keyword baseline on the held-out records of each task, side by side."""
    report: dict = {"sizes": dataset.counts(), "tasks": {}}
    all_texts: list[str] = []
    for task in ("goals", "themes"):
        examples: list[Example] = dataset.evaluation(task)
        texts = [e.text for e in examples]
        truth = [getattr(e, task) for e in examples]
        labels = linker.goals.labels if task == "goals" else linker.themes.labels
        model = score(truth, predict_sets(linker, texts)[task], labels) if texts else None
        baseline = score(truth, keyword_sets(task, texts, labels), labels) if texts else None
        report["tasks"][task] = {
            "held_out": len(examples),
            "model": model.as_dict() if model else None,
            "keywords": baseline.as_dict() if baseline else None,
        }
        all_texts.extend(texts)
    if measure_speed:
        report["texts_per_second_per_core"] = round(throughput(linker, all_texts), 1)
        report["speed_texts"] = len(all_texts)
    return report
