"""One interface, two engines: SQLite FTS5 (the embedded default) and PostgreSQL full-text search."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.expressions import RawSQL

from hrtc.search import documents, text
from hrtc.search.models import Document

PAGE = 20


def _build(kind: documents.Kind, obj) -> Document:
    data = kind.to_document(obj)
    language = (data["language"] or "en")[:8]
    state = (
        obj.state_under_review
        if hasattr(obj, "state_under_review")
        else getattr(obj, "requesting_state", None) or getattr(obj, "state", None)
    )
    return Document(
        kind=kind.name,
        object_id=obj.pk,
        state_id=data["state_id"],
        region=getattr(state, "regional_group", "") or "",
        mechanism=data["mechanism"] or "",
        year=data["year"],
        language=language,
        title=data["title"][:500],
        body=data["body"],
        content=text.index_text(f"{data['title']} {data['body']} {data['extra']}", language),
    )


@transaction.atomic
def index(kind_name: str, ids: Iterable[int]) -> int:
    """(Re)index these records of a kind; records that no longer exist are dropped from the index."""
    kind = documents.kinds()[kind_name]
    ids = list(ids)
    found = list(kind.queryset().filter(pk__in=ids))
    remove(kind_name, ids)
    docs = Document.objects.bulk_create([_build(kind, obj) for obj in found], batch_size=500)
    if connection.vendor == "sqlite" and docs:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts(rowid, content) VALUES (%s, %s)", [(d.pk, d.content) for d in docs]
            )
    return len(docs)


def remove(kind_name: str, ids: Iterable[int]) -> None:
    stale = list(
        Document.objects.filter(kind=kind_name, object_id__in=list(ids)).values_list("pk", flat=True)
    )
    if not stale:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in stale])
    Document.objects.filter(pk__in=stale).delete()


def reindex(progress: Callable[[str, int, int], None] | None = None, batch: int = 2000) -> dict[str, int]:
    counts = {}
    for name, kind in documents.kinds().items():
        ids = list(kind.model().objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            Document.objects.filter(kind=name).exclude(object_id__in=ids).delete()
        done = 0
        for start in range(0, len(ids), batch):
            done += index(name, ids[start : start + batch])
            if progress:
                progress(name, min(start + batch, len(ids)), len(ids))
        counts[name] = done
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # drop orphans left by deletions outside the signals
            cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_document)")
    return counts


def _fts5_query(terms: list[list[str]]) -> str:
    def quote(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quote(w) for w in alternatives) + ")" for alternatives in terms)


def _tsquery(terms: list[list[str]]) -> str:
    def quote(word: str) -> str:
        return "'" + word.replace("'", "''").replace("\\", "") + "'"

    return " & ".join("(" + " | ".join(quote(w) for w in alternatives) + ")" for alternatives in terms)


def matching(query: str) -> QuerySet[Document] | None:
    """Documents matching `query`, annotated with `rank` (higher is better); None for an empty query."""
    terms = text.query_terms(query)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        tsquery = _tsquery(terms)
        return Document.objects.annotate(
            rank=RawSQL(
                "ts_rank(to_tsvector('simple', search_document.content), to_tsquery('simple', %s))", [tsquery]
            )
        ).extra(
            where=["to_tsvector('simple', search_document.content) @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    match = _fts5_query(terms)
    ranked = RawSQL(
        "SELECT -bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s "
        "AND search_fts.rowid = search_document.id",
        [match],
    )
    return Document.objects.filter(
        pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
    ).annotate(rank=ranked)


@dataclass
class Hit:
    document: Document
    snippet: str


@dataclass
class Results:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)


FACETS = ("kind", "state", "region", "mechanism", "year", "language")


def search(user, query: str, filters: dict[str, str] | None = None, page: int = 1) -> Results:
    """Search what `user` may see. Facets and totals are computed after the permission filter, so a result the
    user may not see is never shown, counted or hinted at."""
    results = Results(query=query)
    found = matching(query)
    if found is None:
        return results
    found = found.filter(documents.visible_q(user))
    for name in FACETS:
        value = (filters or {}).get(name)
        if value:
            found = found.filter(
                **{f"{name}_id" if name == "state" else name: value.upper() if name == "state" else value}
            )
    results.total = found.count()
    for name in FACETS:
        column = "state_id" if name == "state" else name
        rows = found.order_by().values(column).annotate(n=Count("pk")).order_by("-n")[:20]
        results.facets[name] = [
            {"value": r[column], "count": r["n"]} for r in rows if r[column] not in ("", None)
        ]
    page = max(page, 1)
    chosen = found.order_by(F("rank").desc(nulls_last=True), "pk")[(page - 1) * PAGE : page * PAGE]
    words = [w for alternatives in text.query_terms(query) for w in alternatives]
    results.hits = [Hit(doc, snippet(doc.body or doc.title, words)) for doc in chosen]
    return results


def snippet(body: str, words: list[str], width: int = 90) -> str:
    """A window of `body` around the first matching word, matches in <mark>, everything else escaped."""
    folded = text.fold(body)

    def pattern(word: str) -> str:  # words start at a boundary; CJK characters have none
        return re.escape(word) if text.is_cjk(word) else r"(?<!\w)" + re.escape(word) + r"\w*"

    positions = [m.start() for w in words for m in [re.search(pattern(w), folded)] if m]
    start = max(min(positions) - width // 2, 0) if positions else 0
    window = body[start : start + 2 * width]
    folded_window = folded[start : start + 2 * width]
    marks = sorted({(m.start(), m.end()) for w in words for m in re.finditer(pattern(w), folded_window)})
    out, cursor = [], 0
    for begin, end in marks:
        if begin < cursor:
            continue
        out.append(html.escape(window[cursor:begin]))
        out.append(f"<mark>{html.escape(window[begin:end])}</mark>")
        cursor = end
    out.append(html.escape(window[cursor:]))
    prefix = "…" if start else ""
    suffix = "…" if start + 2 * width < len(body) else ""
    return prefix + "".join(out) + suffix
