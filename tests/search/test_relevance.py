"""Relevance measured: the metrics against hand-computed values, and the judged multilingual query set run
on the engine in use (SQLite here, PostgreSQL when DATABASE_URL says so) over the real corpus."""

import math
from pathlib import Path

import pytest

from hrtc.quality import search_relevance as evaluation
from hrtc.quality.search_relevance import Judged, ndcg_at, recall_at
from tests.base import SHARED_DATA, need_shared


def test_recall_and_ndcg_match_hand_computed_values():
    judged = Judged(id="t", language="en", query="q", relevant=("a", "b", "c"))
    ranked = ["a", "x", "b"]
    assert recall_at(ranked, judged) == pytest.approx(2 / 3)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(ranked, judged) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    graded = Judged(id="g", language="en", query="q", relevant=("a", "b"), grades={"b": 2})
    assert ndcg_at(["b", "a"], graded) == pytest.approx(1.0)
    assert ndcg_at(["a", "b"], graded) == pytest.approx((1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3)))
    assert recall_at([], judged) == 0.0
    assert ndcg_at(["x"], judged) == 0.0


def test_the_judged_set_covers_the_six_languages_and_its_keys_are_well_formed():
    queries = evaluation.load_queries()
    assert len(queries) >= 60
    per_language = {lang: sum(q.language == lang for q in queries) for lang in evaluation.LANGUAGES}
    assert all(n >= 10 for n in per_language.values()), per_language
    assert len({q.id for q in queries}) == len(queries)
    kinds = {key.split(":", 1)[0] for q in queries for key in q.relevant}
    assert kinds <= {"recommendation", "sdg-goal", "sdg-target", "practice"}
    assert all(q.relevant for q in queries)


@pytest.fixture
def corpus(people):
    need_shared(SHARED_DATA / evaluation.CORPUS_FILE)
    return evaluation.load_corpus(Path(SHARED_DATA), say=lambda message: None)


def test_every_judged_document_is_in_the_index(corpus):
    from hrtc.search.models import Document

    keys = {f"{k}:{v}" for k, v in Document.objects.values_list("kind", "object_key")}
    missing = sorted({key for q in evaluation.load_queries() for key in q.relevant} - keys)
    assert missing == []


def test_each_language_finds_what_a_person_expects(corpus):
    result = evaluation.evaluate(evaluation.load_queries())
    summary = result.by_language()
    for language in evaluation.LANGUAGES:
        assert summary[language]["recall"] >= 0.6, (language, summary[language], result.engine)
        assert summary[language]["ndcg"] >= 0.5, (language, summary[language], result.engine)
