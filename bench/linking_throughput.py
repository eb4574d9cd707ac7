"""Benchmark: SDG/theme classification throughput per core against the keyword baseline, same texts.

Trains the classifier on the shipped excerpt (the SDG and theme heads; no database needed), then
classifies 20,000 real UPR Info recommendation texts (sessions 14–17, cycled) on one thread, in
batches of 1,000, with both heads, and tags the same texts with the keyword baseline.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hrtc.linking import classifier, datasets, evaluation, keywords  # noqa: E402

TEXTS = 20_000


def main() -> None:
    shared = datasets.shared_data_dir()
    matrices, exports = datasets.shipped_files(None)
    dataset = datasets.split(datasets.merge([datasets.ohchr_matrix(matrices[0]), datasets.uprinfo(exports)]))
    train = dataset.train
    started = time.perf_counter()
    linker = classifier.train(
        texts=[e.text for e in train],
        goals=[e.goals for e in train],
        themes=[e.themes for e in train],
        calibrate=[True] * len(train),
        goal_labels=datasets.GOALS,
        seed=0,
    )
    print(f"trained on the excerpt ({len(train)} records) in {time.perf_counter() - started:.1f} s")
    source = sorted(shared.glob(datasets.UPRINFO_GLOB))[-1:] if shared else exports
    pool = [e.text for e in datasets.uprinfo(source)]
    texts = [pool[i % len(pool)] for i in range(TEXTS)]
    model_rate = evaluation.throughput(linker, texts, min_seconds=2.0)
    tagger = keywords.sdg_tagger()
    with evaluation.one_thread():
        started = time.perf_counter()
        tagger.tag_many(texts)
        keyword_rate = len(texts) / (time.perf_counter() - started)
    print(
        f"{len(texts):,} texts, one thread: classifier {model_rate:,.0f} texts/s/core (both heads); "
        f"keyword baseline (SDG goals only) {keyword_rate:,.0f} texts/s/core; "
        f"ratio classifier/keywords {model_rate / keyword_rate:.2f}"
    )


if __name__ == "__main__":
    main()
