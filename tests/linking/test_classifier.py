"""The classifier itself: deterministic with a seed, an honest split, a sane keyword baseline, a safe
artefact, several languages."""

import numpy as np
import pytest

from hrtc.accounts.policy import SYSTEM
from hrtc.linking import datasets, evaluation, keywords, services
from hrtc.linking.classifier import Linker

FRENCH_SPANISH = [
    "Garantizar el acceso universal a la educación primaria gratuita para todas las niñas",
    "Renforcer la lutte contre la violence à l'égard des femmes et des filles",
    "Améliorer l'accès à l'eau potable et à l'assainissement dans les zones rurales",
]


def small(dataset: datasets.Dataset, n: int = 150) -> datasets.Dataset:
    """A third of the SDG titles and about n other training records: enough to learn, quick to train."""
    references = [e for e in dataset.train if e.reference]
    records = [e for e in dataset.train if not e.reference]
    step = max(1, len(records) // n)
    return datasets.Dataset(train=references[::3] + records[::step], held_out=dataset.held_out)


@pytest.mark.django_db
def test_training_is_deterministic_with_a_seed(excerpt, models_dir):
    subset = small(excerpt)
    first = services.linker_train(by=SYSTEM, seed=11, dataset=subset)
    second = services.linker_train(by=SYSTEM, seed=11, dataset=subset)
    a = Linker.load(models_dir / first.model.file_name, sha256=first.model.sha256)
    b = Linker.load(models_dir / second.model.file_name, sha256=second.model.sha256)
    texts = [e.text for e in excerpt.held_out]
    pa, pb = a.predict(texts), b.predict(texts)
    for task in ("goals", "themes"):
        assert np.array_equal(pa[task].probabilities, pb[task].probabilities)
        assert np.array_equal(pa[task].thresholds, pb[task].thresholds)
    assert first.model.metrics["tasks"] == second.model.metrics["tasks"]
    assert first.model.version != second.model.version  # versioned artefacts, both kept
    assert list(models_dir.glob("linker-*.npz"))
    assert second.model.is_active
    first.model.refresh_from_db()
    assert not first.model.is_active


def test_the_held_out_split_never_touches_training(excerpt):
    train_keys = {e.key for e in excerpt.train}
    train_texts = {e.text for e in excerpt.train}
    for task in ("goals", "themes"):
        held = excerpt.evaluation(task)
        assert held, task
        assert not {e.key for e in held} & train_keys
        assert not {e.text for e in held} & train_texts
        assert all(not e.reference for e in held)
    assert all(e.reference is False for e in excerpt.held_out)
    # The same recommendation, numbered and attributed differently, falls on the same side.
    a = datasets.Example("121.1 Ratify the OPCAT (France) (Lithuania);", "x", goals=frozenset({"16"}))
    b = datasets.Example("Ratify the OPCAT", "y", goals=frozenset({"16"}))
    assert a.key == b.key
    assert a.is_held_out == b.is_held_out
    # Merged sources keep one example per text, labels united.
    merged = datasets.merge(
        [[a], [datasets.Example("Ratify the OPCAT.", "z", themes=frozenset({"uprinfo:X"}))]]
    )
    assert len(merged) == 1
    assert merged[0].goals == {"16"}
    assert merged[0].themes == {"uprinfo:X"}


def test_the_split_is_fixed_whatever_the_training_seed(excerpt):
    again = datasets.split(excerpt.train + excerpt.held_out)
    assert [e.key for e in again.held_out] == sorted(e.key for e in excerpt.held_out)


def test_the_keyword_baseline_is_a_fair_yardstick(excerpt, small_linker):
    sdg = keywords.sdg_tagger()
    assert "5" in sdg.tag("Combat violence against women and girls")
    assert "4" in sdg.tag("Garantizar el acceso a la educación")
    assert "6" in sdg.tag("Améliorer l'accès à l'eau potable")
    assert sdg.tag("Adopt the budget") == set()
    themes = keywords.theme_tagger(["Death penalty", "Women's rights"])
    assert themes.tag("Abolish the death penalty") == {"Death penalty"}
    report = evaluation.evaluate(small_linker, excerpt, measure_speed=False)
    for task in ("goals", "themes"):
        baseline = report["tasks"][task]["keywords"]
        assert 0.3 < baseline["macro_f1"] < 0.9
        assert 0.3 < baseline["micro_f1"] < 0.9
    goals = report["tasks"]["goals"]
    assert goals["model"]["macro_f1"] > goals["keywords"]["macro_f1"]
    assert set(goals["model"]["per_label"]) == set(datasets.GOALS)


def test_scores_count_what_they_say():
    scores = evaluation.score(
        [frozenset({"a"}), frozenset({"a", "b"}), frozenset({"b"})], [{"a"}, {"a"}, {"a"}], ["a", "b", "c"]
    )
    assert scores.per_label["a"] == {
        "precision": 0.6667,
        "recall": 1.0,
        "f1": 0.8,
        "support": 2,
        "predicted": 3,
    }
    assert scores.per_label["b"]["recall"] == 0.0
    assert scores.macro_f1 == 0.4  # "c" never occurs, so it is not averaged
    assert scores.micro_f1 == round(2 * 2 / (2 * 2 + 1 + 2), 4)


def test_french_and_spanish_texts_find_their_goals(small_linker):
    goals = small_linker.predict(FRENCH_SPANISH)["goals"]
    best = [goals.labels[int(np.argmax(row))] for row in goals.probabilities]
    assert best == ["4", "5", "6"]


def test_the_artefact_holds_arrays_only_and_is_checked(small_linker, tmp_path):
    path = tmp_path / "linker.npz"
    sha256 = small_linker.save(path)
    loaded = Linker.load(path, sha256=sha256)
    texts = [*FRENCH_SPANISH, "Abolish the death penalty"]
    assert np.array_equal(
        loaded.predict(texts)["themes"].probabilities, small_linker.predict(texts)["themes"].probabilities
    )
    with np.load(path, allow_pickle=False) as arrays:  # no object arrays: loading runs no code
        assert all(arrays[name].dtype != object for name in arrays.files)
    tampered = bytearray(path.read_bytes())
    tampered[len(tampered) // 2] ^= 1
    path.write_bytes(bytes(tampered))
    with pytest.raises(ValueError, match="checksum"):
        Linker.load(path, sha256=sha256)


def test_throughput_is_measured_on_one_thread(small_linker):
    assert evaluation.throughput(small_linker, FRENCH_SPANISH * 100, min_seconds=0.1) > 100
