"""Relevance measured: a judged query set (data/judged_queries.json, see data/SOURCE.md) run against the
search engine in use, scored with recall@k and nDCG@k per language.

The corpus is public and real: UPR Info's recommendations of sessions 1-5 (English), the SDG goals and
targets in the six UN languages (reference data), and the demo good practices written in each language.
Queries run as an anonymous user: every judged document is public.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

QUERIES = Path(__file__).parent / "data" / "judged_queries.json"
CORPUS_FILE = "upr-info-sessions-1-17/recommendations_sessions_1-5.csv"
LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]


@dataclass(frozen=True)
class Judged:
    id: str
    language: str
    query: str
    relevant: tuple[str, ...]
    grades: dict[str, int] = field(default_factory=dict)

    def grade(self, key: str) -> int:
        return self.grades.get(key, 1) if key in self.relevant else 0


def load_queries(path: Path = QUERIES) -> list[Judged]:
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Judged(
            id=item["id"],
            language=item["language"],
            query=item["query"],
            relevant=tuple(item["relevant"]),
            grades={k: int(v) for k, v in (item.get("grades") or {}).items()},
        )
        for item in items
    ]


def recall_at(ranked: list[str], judged: Judged, k: int = 10) -> float:
    """Share of the relevant documents found in the first k (of at most k relevant: the set sizes are ≤ 10)."""
    if not judged.relevant:
        return 0.0
    found = len(set(ranked[:k]) & set(judged.relevant))
    return found / min(len(judged.relevant), k)


def ndcg_at(ranked: list[str], judged: Judged, k: int = 10) -> float:
    """Normalised discounted cumulative gain with graded relevance (gain 2^g - 1, log2 discount)."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted((judged.grade(key) for key in judged.relevant), reverse=True))
    return dcg([judged.grade(key) for key in ranked[:k]]) / ideal if ideal else 0.0


def ranked_keys(query: str, k: int = 10) -> list[str]:
    from hrtc.search import engine

    results = engine.search(None, query)
    keys = [f"{h.document.kind}:{h.document.object_key}" for h in results.hits]
    seen: list[str] = []
    for key in keys:  # a record indexed in several languages counts once
        if key not in seen:
            seen.append(key)
    return seen[:k]


@dataclass
class Evaluation:
    engine: str
    k: int
    per_query: list[dict]

    def by_language(self) -> dict[str, dict[str, float]]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in self.per_query:
            groups[row["language"]].append(row)
        out = {}
        for language in [*LANGUAGES, *sorted(set(groups) - set(LANGUAGES))]:
            rows = groups.get(language)
            if rows:
                out[language] = {
                    "queries": len(rows),
                    "recall": sum(r["recall"] for r in rows) / len(rows),
                    "ndcg": sum(r["ndcg"] for r in rows) / len(rows),
                }
        rows = self.per_query
        out["all"] = {
            "queries": len(rows),
            "recall": sum(r["recall"] for r in rows) / len(rows) if rows else 0.0,
            "ndcg": sum(r["ndcg"] for r in rows) / len(rows) if rows else 0.0,
        }
        return out

    def as_dict(self) -> dict:
        return {
            "engine": self.engine,
            "k": self.k,
            "per_query": self.per_query,
            "summary": self.by_language(),
        }


def engine_name() -> str:
    return "PostgreSQL full-text" if connection.vendor == "postgresql" else "SQLite FTS5"


def evaluate(queries: list[Judged], k: int = 10, progress: Callable[[int], None] | None = None) -> Evaluation:
    rows = []
    for n, judged in enumerate(queries, 1):
        ranked = ranked_keys(judged.query, k)
        rows.append(
            {
                "id": judged.id,
                "language": judged.language,
                "query": judged.query,
                "recall": recall_at(ranked, judged, k),
                "ndcg": ndcg_at(ranked, judged, k),
                "missed": [key for key in judged.relevant if key not in ranked],
            }
        )
        if progress:
            progress(n)
    return Evaluation(engine=engine_name(), k=k, per_query=rows)


def shared_data() -> Path:
    return Path(getattr(settings, "HRTC_SHARED_DATA", "") or Path.cwd().parent / "shared" / "data")


def load_corpus(shared: Path | None = None, say: Callable[[str], None] = print) -> dict[str, int]:
    """Put the evaluation corpus in the current database (idempotent) and make sure it is indexed."""
    from hrtc.accounts.policy import SYSTEM
    from hrtc.practices.demo import load_practices, records
    from hrtc.recommendations.importing import recommendations_import
    from hrtc.recommendations.models import Recommendation
    from hrtc.search import engine
    from hrtc.search.models import Document

    source = (shared or shared_data()) / CORPUS_FILE
    if not source.exists():
        raise FileNotFoundError(f"{source} is missing: the evaluation corpus comes from ../shared/data")
    say(f"Importing {source.name}…")
    recommendations_import(path=source, by=SYSTEM)
    say("Loading the demo good practices…")
    load_practices(records(), [SYSTEM], SYSTEM)
    for kind, model_count in (
        ("recommendation", Recommendation.objects.count()),
        ("sdg-goal", 17),
        ("sdg-target", 169),
    ):
        indexed = Document.objects.filter(kind=kind).values("object_id").distinct().count()
        if indexed < model_count:
            say(f"Indexing {kind}…")
            engine.reindex(only=[kind])
    return {
        "recommendations": Recommendation.objects.count(),
        "documents": Document.objects.count(),
    }
