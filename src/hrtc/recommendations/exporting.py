"""CSV and XLSX export of any filtered list of recommendations, streamed; text that starts like a formula
is neutralised (hrtc.core.exports)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.db.models import QuerySet

from hrtc.core.exports import csv_rows, write_xlsx
from hrtc.recommendations.models import Recommendation

COLUMNS = [
    "id",
    "state_under_review",
    "mechanism",
    "cycle",
    "session",
    "document_symbol",
    "paragraph",
    "text",
    "recommending_states",
    "recommending_body",
    "response",
    "status",
    "themes",
    "affected_groups",
    "sdg_goals",
    "responsible_entities",
    "cluster",
]


def row(rec: Recommendation) -> list:
    return [
        rec.pk,
        rec.state_under_review_id,
        rec.mechanism_id,
        rec.cycle or "",
        rec.session or "",
        rec.document_symbol,
        rec.paragraph,
        rec.text,
        ";".join(sorted(s.code for s in rec.recommending_states.all())),
        rec.recommending_body,
        rec.response,
        rec.public_status,
        ";".join(sorted(t.key for t in rec.themes.all())),
        ";".join(sorted(g.code for g in rec.affected_groups.all())),
        ";".join(sorted((g.code for g in rec.sdg_goals.all()), key=int)),
        ";".join(sorted(e.name for e in rec.responsible_entities.all())),
        rec.cluster_id or "",
    ]


def iter_csv(queryset: QuerySet[Recommendation]) -> Iterator[str]:
    return csv_rows(COLUMNS, (row(rec) for rec in queryset.iterator(chunk_size=2000)))


def xlsx_bytes(queryset: QuerySet[Recommendation]) -> bytes:
    output = io.BytesIO()
    write_xlsx(output, "recommendations", COLUMNS, (row(rec) for rec in queryset.iterator(chunk_size=2000)))
    return output.getvalue()
