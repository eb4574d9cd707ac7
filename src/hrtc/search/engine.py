"""One interface, two engines: SQLite FTS5 (the embedded default) and PostgreSQL full-text search."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from hrtc.search import documents, text
from hrtc.search.models import Document, DocumentTag

PAGE = 20


def _build(kind: documents.Kind, obj) -> list[tuple[Document, dict[str, list[str]]]]:
    """The documents of one record (one per audience and language) with their facet tags."""
    out = []
    for audience, data in kind.documents(obj):
        state = data["state"]
        # None: the audience may not read the record's language; empty: not recorded, English as before
        language = documents.UNDISCLOSED if data["language"] is None else (data["language"] or "en")[:8]
        out.append(
            (
                Document(
                    kind=kind.name,
                    object_id=kind.object_id(obj),
                    audience=audience,
                    object_key=str(data.get("key") or "")[:120],
                    state_id=state.pk if state else None,
                    region=((state.regional_group if state else "") or data.get("region") or "")[:20],
                    mechanism=data["mechanism"] or "",
                    year=data["year"],
                    language=language,
                    title=data["title"][:500],
                    body=data["body"],
                    content=text.index_text(f"{data['title']} {data['body']} {data['extra']}", language),
                ),
                data.get("tags") or {},
            )
        )
    return out


@transaction.atomic
def index(kind_name: str, pks: Iterable) -> int:
    """(Re)index these records of a kind (by primary key); records that no longer exist leave the index."""
    kind = documents.kinds()[kind_name]
    pks = list(pks)
    found = list(kind.queryset().filter(pk__in=pks))
    remove(kind_name, kind.index_ids(pks) if kind.ids_of else pks)
    built = [pair for obj in found for pair in _build(kind, obj)]
    docs = Document.objects.bulk_create([doc for doc, _ in built], batch_size=500)
    DocumentTag.objects.bulk_create(
        [
            DocumentTag(document=doc, facet=facet, value=value[:120])
            for doc, (_, tags) in zip(docs, built, strict=True)
            for facet, values in tags.items()
            for value in values
        ],
        batch_size=2000,
    )
    return len(docs)


def remove(kind_name: str, ids: Iterable[int]) -> None:
    """Drop the documents indexed under these ids (every audience and language)."""
    stale = list(
        Document.objects.filter(kind=kind_name, object_id__in=list(ids)).values_list("pk", flat=True)
    )
    if not stale:
        return
    Document.objects.filter(pk__in=stale).delete()  # tags go with them (CASCADE)


def audiences_in_step() -> int:
    """Reindex the records whose documents are not a whole set of audiences (``all`` alone, or ``public`` with
    ``full``), such as those indexed before documents had audiences: migration 0005 left those of requests,
    activities and offers ``full``, so that only full readers find them until this runs, right after migrating.
    Kinds indexed under their primary key; returns the number of documents written."""
    written = 0
    for name, kind in documents.kinds().items():
        if kind.ids_of is not None:
            continue
        indexed = Document.objects.filter(kind=name)
        full, public = (
            indexed.filter(audience=a).values("object_id") for a in (documents.FULL, documents.PUBLIC)
        )
        broken = (Q(audience=documents.FULL) & ~Q(object_id__in=public)) | (
            Q(audience=documents.PUBLIC) & ~Q(object_id__in=full)
        )
        if kind.disclosure() is None:
            broken |= ~Q(audience=documents.ALL)
        ids = sorted(set(indexed.filter(broken).values_list("object_id", flat=True)))
        for start in range(0, len(ids), 2000):
            written += index(name, ids[start : start + 2000])
    return written


def analyze() -> None:
    """Refresh the planner statistics of the index tables (PostgreSQL; SQLite plans without them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_documenttag")


def reindex(
    progress: Callable[[str, int, int], None] | None = None,
    batch: int = 2000,
    only: Iterable[str] | None = None,
) -> dict[str, int]:
    counts = {}
    for name, kind in documents.kinds().items():
        if only and name not in only:
            continue
        pks = list(kind.model().objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            stale = Document.objects.filter(kind=name).exclude(object_id__in=kind.index_ids(pks))
            stale.delete()
        done = 0
        for start in range(0, len(pks), batch):
            done += index(name, pks[start : start + batch])
            if progress:
                progress(name, min(start + batch, len(pks)), len(pks))
        counts[name] = done
    analyze()
    return counts


def _fts5_query(terms: list[list[str]], prefix: bool = False) -> str:
    def quote(word: str) -> str:
        star = "*" if prefix and not text.is_cjk(word) else ""
        return '"' + word.replace('"', '""') + '"' + star

    return " AND ".join("(" + " OR ".join(quote(w) for w in alternatives) + ")" for alternatives in terms)


def _tsquery(terms: list[list[str]], prefix: bool = False) -> str:
    def quote(word: str) -> str:
        star = ":*" if prefix and not text.is_cjk(word) else ""
        return "'" + word.replace("'", "''").replace("\\", "") + "'" + star

    return " & ".join("(" + " | ".join(quote(w) for w in alternatives) + ")" for alternatives in terms)


@dataclass
class Match:
    """The documents matching a query (`base`, no ranking: for counts and facets) and how to rank them."""

    base: QuerySet[Document]
    ranked: Callable[[QuerySet[Document]], QuerySet[Document]]


def matching(query: str, prefix: bool = False) -> Match | None:
    """Documents matching `query`; None for an empty query. With `prefix`, every word also matches the words
    it begins (the fallback when nothing matched). The match is a subquery on its own table name, so `base`
    can itself be used as a subquery (Django aliases the outer table there)."""
    terms = text.query_terms(query)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        tsquery = _tsquery(terms, prefix)
        return Match(
            Document.objects.filter(
                pk__in=RawSQL(
                    "SELECT id FROM search_document WHERE tsv @@ to_tsquery('simple', %s)", [tsquery]
                )
            ),
            lambda found: found.annotate(
                rank=RawSQL("ts_rank(search_document.tsv, to_tsquery('simple', %s))", [tsquery])
            ).order_by(F("rank").desc(), "pk"),
        )
    match = _fts5_query(terms, prefix)
    return Match(
        Document.objects.filter(
            pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
        ),
        # FTS5 computes bm25 (its `rank` column) inline when the table is joined under MATCH
        lambda found: found.extra(
            tables=["search_fts"],
            where=["search_fts.rowid = search_document.id", "search_fts MATCH %s"],
            params=[match],
            select={"rank": "-search_fts.rank"},
        ).order_by("-rank", "pk"),
    )


def similar_titles(query: str) -> Match | None:
    """PostgreSQL only: titles within trigram distance of the query (pg_trgm), for misspelt queries."""
    if connection.vendor != "postgresql" or len(query) < 4:
        return None
    return Match(
        Document.objects.filter(
            pk__in=RawSQL("SELECT id FROM search_document WHERE lower(title) %% lower(%s)", [query])
        ),
        lambda found: found.annotate(
            rank=RawSQL("similarity(lower(search_document.title), lower(%s))", [query])
        ).order_by(F("rank").desc(), "pk"),
    )


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


FACETS = ("kind", "state", "region", "mechanism", "theme", "sdg", "year", "language")
TAG_FACETS = ("theme", "sdg")  # multi-valued: kept in DocumentTag


def _filtered(found: QuerySet[Document], filters: dict[str, str]) -> QuerySet[Document]:
    for name in FACETS:
        value = (filters or {}).get(name)
        if not value:
            continue
        if name in TAG_FACETS:
            found = found.filter(
                pk__in=DocumentTag.objects.filter(facet=name, value=value).values("document_id")
            )
        elif name == "state":
            found = found.filter(state_id=value.upper())
        elif name == "year":
            found = found.filter(year=int(value)) if str(value).isdigit() else found.none()
        else:
            found = found.filter(**{name: value})
    return found


_COLUMNS = (
    ("kind", "kind"),
    ("state", "state_id"),
    ("region", "region"),
    ("mechanism", "mechanism"),
    ("year", "CAST(year AS TEXT)"),
    ("language", "language"),
)


def _total_and_facets(found: QuerySet[Document]) -> tuple[int, dict[str, list[dict]]]:
    """Count the matches and every facet in ONE statement: the match is computed once (a materialised CTE)
    and grouped by each facet column, plus the multi-valued tags (themes, SDGs)."""
    columns = ("id", "kind", "state_id", "region", "mechanism", "year", "language")
    sql, params = found.order_by().values(*columns).query.sql_with_params()
    parts = ["SELECT 'total' AS facet, '' AS value, COUNT(*) AS n FROM m"]
    parts += [  # constant SQL: names and columns come from _COLUMNS above, never from the request
        f"SELECT '{name}', {column}, COUNT(*) FROM m GROUP BY {column}"  # noqa: S608
        for name, column in _COLUMNS
    ]
    parts.append(
        "SELECT t.facet, t.value, COUNT(*) FROM m JOIN search_documenttag t ON t.document_id = m.id "
        "GROUP BY t.facet, t.value"
    )
    statement = f"WITH m AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    total = 0
    grouped: dict[str, list[dict]] = {name: [] for name in FACETS}
    for facet, value, n in rows:
        if facet == "total":
            total = n
        elif facet in grouped and value not in ("", None):
            grouped[facet].append({"value": value, "count": n})
    facets = {
        name: sorted(values, key=lambda row: (-row["count"], str(row["value"])))[:20]
        for name, values in grouped.items()
    }
    return total, facets


def search(user, query: str, filters: dict[str, str] | None = None, page: int = 1) -> Results:
    """Search what `user` may see, each record through the one document of the audience they read it as (a
    summary reader matches, and reads in the snippet, only the public fields). Facets and totals are computed
    after that choice, so a result or a field the user may not see is never shown, counted or hinted at.
    Nothing found: words are tried as prefixes, then (PostgreSQL) titles by trigram similarity."""
    results = Results(query=query)
    for attempt in (
        lambda: matching(query),
        lambda: matching(query, prefix=True),
        lambda: similar_titles(query),
    ):
        match = attempt()
        if match is None:
            continue
        found = _filtered(match.base.filter(documents.visible_q(user)), filters or {})
        total, facets = _total_and_facets(found)
        if total:
            results.total, results.facets = total, facets
            break
    else:
        return results
    page = max(page, 1)
    chosen = match.ranked(found)[(page - 1) * PAGE : page * PAGE]
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
