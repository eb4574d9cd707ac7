"""A small classifier trained once per session on the shipped excerpt (a few seconds), installed as the
active model where a test needs one."""

from __future__ import annotations

import pytest

from hrtc.linking import classifier, datasets
from hrtc.linking.models import ClassifierModel

SEED = 3


def train_small(dataset: datasets.Dataset, seed: int = SEED) -> classifier.Linker:
    train = dataset.train
    return classifier.train(
        texts=[e.text for e in train],
        goals=[e.goals for e in train],
        themes=[e.themes for e in train],
        calibrate=[not e.reference for e in train],
        goal_labels=datasets.GOALS,
        seed=seed,
    )


@pytest.fixture(scope="session")
def excerpt(django_db_setup, django_db_blocker) -> datasets.Dataset:
    """The shipped excerpt, without ../shared/data and without database labels (SDG titles are read once)."""
    with django_db_blocker.unblock():
        return datasets.build(excerpt_only=True, database=False)


@pytest.fixture(scope="session")
def small_linker(excerpt) -> classifier.Linker:
    return train_small(excerpt)


@pytest.fixture
def models_dir(settings, tmp_path):
    settings.HRTC_DATA_DIR = tmp_path
    return tmp_path / "models"


@pytest.fixture
def installed(small_linker, models_dir) -> ClassifierModel:
    """`small_linker` saved as the active classifier."""
    sha256 = small_linker.save(models_dir / "linker-test.npz")
    return ClassifierModel.objects.create(
        version="test", file_name="linker-test.npz", sha256=sha256, seed=SEED, is_active=True
    )
