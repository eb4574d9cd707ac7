"""Downloads of any portal view: CSV, JSON, XLSX and (activities) IATI 2.03 XML, streamed.

One column definition per dataset (``DATASETS``) drives every format, the public API's serializers and the
data dictionary page, so they cannot drift apart. Rows come from ``selectors.*_rows``: public fields only.

Responses carry an ETag made of the dataset, the format, the filter and a version stamp of the data (see
``selectors.latest_change``), and a Last-Modified of the latest change; a client that sends either back
gets 304 Not Modified without the data being read again.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import chain
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _

from hrtc.core import exports
from hrtc.opendata import selectors
from hrtc.opendata.selectors import PortalFilter

#: Bump when columns change, so cached downloads are not served for a different layout.
LAYOUT_VERSION = "2"  # 2: text starting like a formula is neutralised in XLSX too

TYPES = {
    "string": _("text"),
    "integer": _("whole number"),
    "decimal": _("decimal number, exact (a dot, two decimals)"),
    "date": _("date, ISO 8601 (YYYY-MM-DD)"),
    "datetime": _("date and time, ISO 8601, UTC"),
    "list": _("list of codes (separated by ';' in CSV and XLSX, an array in JSON)"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Any  # a lazy translation

    @property
    def type_label(self) -> str:
        return str(TYPES[self.type])


@dataclass(frozen=True)
class Dataset:
    key: str
    title: Any
    description: Any
    columns: tuple[Column, ...]
    rows: Callable[[PortalFilter], Iterator[dict[str, Any]]]
    formats: tuple[str, ...] = ("csv", "json", "xlsx")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


C = Column
ACTIVITY_COLUMNS = (
    C(
        "source",
        "string",
        _("“hrtc” for activities recorded here; otherwise the IATI publisher it was imported from"),
    ),
    C("id", "string", _("hrtc's identifier of the activity (for imported ones: the IATI identifier)")),
    C("iati_identifier", "string", _("the IATI activity identifier")),
    C("title", "string", _("title")),
    C("description", "string", _("description")),
    C("state", "string", _("recipient State, ISO 3166-1 alpha-3")),
    C("state_name", "string", _("recipient State, name")),
    C("m49_region", "string", _("the State's UN M49 region")),
    C("regional_group", "string", _("the State's UN regional group (AFRICAN, ASIA_PACIFIC, ...)")),
    C("lead_provider", "string", _("code of the lead provider (OHCHR, a UN agency, a country team, ...)")),
    C("lead_provider_name", "string", _("name of the lead provider")),
    C("partners", "list", _("codes of partner organisations")),
    C("modality", "string", _("modality: advisory, training, legislative_review, data_indicators, ...")),
    C("status", "integer", _("IATI ActivityStatus code: 1 pipeline, 2 implementation, 3 finalisation, ...")),
    C("status_label", "string", _("activity status, in words")),
    C("planned_start", "date", _("planned start")),
    C("planned_end", "date", _("planned end")),
    C("actual_start", "date", _("actual start")),
    C("actual_end", "date", _("actual end")),
    C("budget_amount", "decimal", _("budget, in the budget currency (never converted)")),
    C("budget_currency", "string", _("ISO 4217 currency of the budget")),
    C(
        "gender_marker",
        "integer",
        _("OECD-DAC gender equality marker: 0 not targeted, 1 significant, 2 principal"),
    ),
    C("participants_women", "integer", _("women participants")),
    C("participants_men", "integer", _("men participants")),
    C("participants_other", "integer", _("other participants, or sex not stated")),
    C("themes", "list", _("human-rights themes, as vocabulary:code keys (uhri:A2)")),
    C("sdg_goals", "list", _("SDG goals (1-17)")),
    C("sdg_targets", "list", _("SDG targets (5.2, 16.a, ...)")),
    C("recommendations", "list", _("hrtc identifiers of the recommendations the activity implements")),
    C("request", "string", _("the published request it answers, if any")),
    C("outputs", "string", _("outputs reported by the provider")),
    C("last_updated", "datetime", _("when the record last changed")),
)
REQUEST_COLUMNS = (
    C("id", "string", _("hrtc's identifier of the request")),
    C("state", "string", _("requesting State, ISO 3166-1 alpha-3")),
    C("state_name", "string", _("requesting State, name")),
    C("title", "string", _("title (the summary the State allowed to be published)")),
    C("modality", "string", _("modality of the support asked for")),
    C("status", "string", _("submitted, under_review, accepted, declined, in_progress or completed")),
    C("themes", "list", _("human-rights themes, as vocabulary:code keys")),
    C("created_at", "datetime", _("when the State created the request")),
    C("last_updated", "datetime", _("when the request last changed")),
)
OFFER_COLUMNS = (
    C("id", "string", _("hrtc's identifier of the offer")),
    C("provider", "string", _("code of the provider")),
    C("provider_name", "string", _("name of the provider")),
    C("title", "string", _("title")),
    C("description", "string", _("description")),
    C("modality", "string", _("modality")),
    C("themes", "list", _("human-rights themes, as vocabulary:code keys")),
    C("languages", "list", _("working languages, ISO 639-1")),
    C("regional_groups", "list", _("UN regional groups served (empty: all)")),
    C("published_at", "datetime", _("when the offer was published")),
)

DATASETS: dict[str, Dataset] = {
    "activities": Dataset(
        "activities",
        _("Support provided: activities"),
        _("Published activities recorded here, then activities imported from other publishers' IATI files."),
        ACTIVITY_COLUMNS,
        selectors.activity_rows,
        ("csv", "json", "xlsx", "iati"),
    ),
    "requests": Dataset(
        "requests",
        _("Support requested: published request summaries"),
        _("Requests whose State allowed their summary to be published; nothing else of them is public."),
        REQUEST_COLUMNS,
        selectors.request_rows,
    ),
    "offers": Dataset(
        "offers",
        _("Support available: the catalogue of offers"),
        _("What providers offer; the contact and capacity of an offer stay internal."),
        OFFER_COLUMNS,
        selectors.offer_rows,
    ),
}

FORMATS = {
    "csv": ("text/csv; charset=utf-8", _("CSV (UTF-8, comma-separated, one header row)")),
    "json": ("application/json", _("JSON: the filter, the column names and an array of records")),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel workbook, one sheet"),
    ),
    "iati": ("application/xml", _("IATI 2.03 activity XML (activities only)")),
}


def _value(column: Column, value: Any) -> Any:
    """A value for CSV and XLSX: lists joined by ';'; the rest as it is (hrtc.core.exports writes dates ISO in
    CSV, money exact, and neutralises text that starts like a formula)."""
    if column.type == "list" and value is not None:
        return ";".join(str(v) for v in value)
    return value


def _values(dataset: Dataset, rows: Iterable[dict]) -> Iterator[list]:
    for row in rows:
        yield [_value(c, row[c.name]) for c in dataset.columns]


def iter_csv(dataset: Dataset, rows: Iterable[dict]) -> Iterator[str]:
    return exports.csv_rows(dataset.names, _values(dataset, rows))


def iter_json(dataset: Dataset, view: PortalFilter, rows: Iterable[dict]) -> Iterator[str]:
    head = {"dataset": dataset.key, "filters": view.active(), "columns": dataset.names}
    yield json.dumps(head, cls=DjangoJSONEncoder)[:-1] + ', "data": ['
    separator = ""
    for row in rows:
        clean = {
            c.name: (str(row[c.name]) if isinstance(row[c.name], Decimal) else row[c.name])
            for c in dataset.columns
        }
        yield separator + json.dumps(clean, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"


def write_xlsx(dataset: Dataset, rows: Iterable[dict], fileobj) -> None:
    exports.write_xlsx(fileobj, dataset.key, dataset.names, _values(dataset, rows))


def write_iati(view: PortalFilter, fileobj, generated: datetime | None = None) -> None:
    """IATI 2.03 XML of the view: published activities recorded here, then the imported ones as their
    publishers reported them. ``generated`` is the data's latest change, so the same data gives the same file."""
    from hrtc.opendata.iati.export import iati_records, write_activities

    records = chain(
        iati_records(selectors.activities(view)), iati_records(selectors.external_activities(view))
    )
    write_activities(records, fileobj, generated=generated)


def _in_english(chunks: Iterator) -> Iterator:
    """Run a streaming generator with English labels: a download is the same whatever the page language."""
    with translation.override("en"):
        yield from chunks


def etag_and_time(dataset: Dataset, fmt: str, view: PortalFilter) -> tuple[str, datetime | None]:
    version, changed = selectors.latest_change(dataset.key)
    digest = hashlib.sha256(
        "\n".join([LAYOUT_VERSION, dataset.key, fmt, view.canonical(), version]).encode()
    ).hexdigest()[:40]
    return quote_etag(digest), changed


def filename(dataset: Dataset, fmt: str, view: PortalFilter) -> str:
    parts = ["hrtc", dataset.key, *(f"{k}-{v}" for k, v in sorted(view.active().items()))]
    safe = "_".join(parts).replace(":", "-").replace("/", "-").replace(" ", "-")
    return f"{safe}.{'xml' if fmt == 'iati' else fmt}"


def response(request: HttpRequest, dataset: Dataset, fmt: str, view: PortalFilter) -> HttpResponse:
    """The download, or 304 when the client's copy (If-None-Match / If-Modified-Since) is current."""
    etag, changed = etag_and_time(dataset, fmt, view)
    last_modified = int(changed.timestamp()) if changed is not None else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is None:
        not_modified = _body(dataset, fmt, view, changed)
        not_modified["Content-Disposition"] = f'attachment; filename="{filename(dataset, fmt, view)}"'
    not_modified["ETag"] = etag
    if last_modified is not None:
        not_modified["Last-Modified"] = http_date(last_modified)
    not_modified["Cache-Control"] = "public, no-cache"  # keep a copy, but ask whether it is current
    return not_modified


def _body(dataset: Dataset, fmt: str, view: PortalFilter, changed: datetime | None) -> HttpResponse:
    content_type = FORMATS[fmt][0]
    if fmt == "csv":
        return StreamingHttpResponse(
            _in_english(iter_csv(dataset, dataset.rows(view))), content_type=content_type
        )
    if fmt == "json":
        return StreamingHttpResponse(
            _in_english(iter_json(dataset, view, dataset.rows(view))), content_type=content_type
        )
    # XLSX and XML are written to a spooled file (memory, then disk beyond 8 MB) and streamed from it.
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - FileResponse closes it
    with translation.override("en"):
        if fmt == "xlsx":
            write_xlsx(dataset, dataset.rows(view), spool)
        else:
            write_iati(view, spool, generated=changed)
    spool.seek(0)
    return FileResponse(spool, content_type=content_type)
