"""Group near-duplicate recommendations to the same State: the same ask repeated across cycles,
recommending States and mechanisms, so a national mechanism can track one cluster instead of dozens.

Method: recommendations are blocked by State under review (a cluster never spans two States), turned
into TF-IDF vectors of word uni- and bigrams (sublinear tf, accents folded), and compared in chunks
by sparse cosine similarity: memory stays bounded by chunk × block, never n × n over the whole
registry. Pairs at or above the threshold are joined (union-find); each component of two or more
becomes a cluster labelled by its most central text. Clusters edited by hand (method = manual) and
their members are left alone: a human decision wins over the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from sklearn.feature_extraction.text import TfidfVectorizer

from hrtc.accounts import policy
from hrtc.core import audit
from hrtc.recommendations.choices import ClusterMethod
from hrtc.recommendations.models import Cluster, Recommendation
from hrtc.reference.models import State

DEFAULT_THRESHOLD = 0.55
CHUNK_ROWS = 1000


@dataclass
class ClusteringReport:
    states: int = 0
    recommendations: int = 0
    clusters: int = 0
    clustered: int = 0
    seconds: float = 0.0
    largest: list[tuple[int, str]] = field(default_factory=list)


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def similar_groups(texts: list[str], threshold: float) -> list[list[int]]:
    """Indices of `texts` grouped by cosine similarity ≥ threshold (groups of two or more)."""
    if len(texts) < 2:
        return []
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        strip_accents="unicode",
        max_df=0.5 if len(texts) > 200 else 1.0,
        min_df=1,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words / empty vocabulary
        return []
    transposed = matrix.T.tocsr()
    union = UnionFind(len(texts))
    for start in range(0, len(texts), CHUNK_ROWS):
        block = (matrix[start : start + CHUNK_ROWS] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.row + start < block.col)
        for i, j in zip(block.row[keep] + start, block.col[keep], strict=True):
            union.union(int(i), int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(union.find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _label(texts: list[str]) -> str:
    shortest = min(texts, key=len)
    return (shortest[:297] + "…") if len(shortest) > 300 else shortest


def recommendations_cluster(
    *,
    by,
    states: list[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> ClusteringReport:
    """(Re)compute the automatic clusters of the given States (all by default)."""
    policy.require(by, "recommendations.cluster")
    if not 0 < threshold <= 1:
        raise ValueError("The similarity threshold is between 0 and 1.")
    started = time.perf_counter()
    report = ClusteringReport()
    state_codes = states or list(
        Recommendation.objects.order_by().values_list("state_under_review", flat=True).distinct()
    )
    for index, code in enumerate(sorted(state_codes), start=1):
        made = _cluster_state(code, threshold, report)
        audit.record(
            actor=by,
            action="recommendations.cluster",
            target=State.objects.get(code=code),
            data={"threshold": threshold, "clusters": made},
        )
        if progress:
            progress(index, len(state_codes))
    report.states = len(state_codes)
    report.seconds = time.perf_counter() - started
    report.largest.sort(reverse=True)
    report.largest = report.largest[:10]
    return report


@transaction.atomic
def _cluster_state(code: str, threshold: float, report: ClusteringReport) -> int:
    state = State.objects.get(code=code)
    rows = list(
        Recommendation.objects.filter(state_under_review=state)
        .exclude(cluster__method=ClusterMethod.MANUAL)
        .order_by("pk")
        .values_list("pk", "text")
    )
    report.recommendations += len(rows)
    with audit.disabled():
        Recommendation.objects.filter(pk__in=[pk for pk, _ in rows]).update(cluster=None)
        Cluster.objects.filter(state_under_review=state, method=ClusterMethod.AUTOMATIC).delete()
        groups = similar_groups([text for _, text in rows], threshold)
        clusters = Cluster.objects.bulk_create(
            [
                Cluster(
                    state_under_review=state,
                    label=_label([rows[i][1] for i in g]),
                    method=ClusterMethod.AUTOMATIC,
                )
                for g in groups
            ]
        )
        members = []
        for cluster, group in zip(clusters, groups, strict=True):
            for i in group:
                members.append(Recommendation(pk=rows[i][0], cluster=cluster))
            report.largest.append((len(group), f"{code}: {cluster.label[:120]}"))
        Recommendation.objects.bulk_update(members, ["cluster"], batch_size=1000)
    report.clusters += len(groups)
    report.clustered += len(members)
    return len(groups)
