"""What a report is made of, whatever it is rendered to: parameters, sections of tables and figures, and the
manifest that says which query produced each of them.

Every number in a report is a cell of a `Table` that one named query in `hrtc.reports.queries` returned;
figures are drawn from those tables; the exporters only lay them out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hrtc.core.exceptions import InvalidInput
from hrtc.reference.choices import RegionalGroup
from hrtc.reports.choices import ReportKind

#: A report covers at most this many years (a fund report has one statement per fund and year).
MAX_YEARS = 40
FIRST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class Params:
    """A report's parameters, validated. `as_dict()` is what the manifest records."""

    kind: str
    start: date
    end: date
    states: tuple[str, ...] = ()
    region: str = ""
    theme: str = ""
    provider: str = ""
    fund: str = ""
    language: str = "en"
    title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "states": list(self.states),
            "region": self.region,
            "theme": self.theme,
            "provider": self.provider,
            "fund": self.fund,
            "language": self.language,
            "title": self.title,
        }

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def filtered(self) -> bool:
        """Whether the report is narrowed to some States, a region, a theme or a provider."""
        return bool(self.states or self.region or self.theme or self.provider)

    @classmethod
    def parse(
        cls,
        kind: str,
        *,
        start: date | str | None = None,
        end: date | str | None = None,
        states: list[str] | tuple[str, ...] | str | None = None,
        region: str | None = "",
        theme: str | None = "",
        provider: str | None = "",
        fund: str | None = "",
        language: str | None = "en",
        title: str | None = "",
        today: date | None = None,
    ) -> Params:
        """Validate raw parameters (from the command line, a form or the API) and fill in defaults: a
        country profile covers everything up to today, the other reports the last full calendar year."""
        from django.conf import settings

        from hrtc.accounts.models import Organisation
        from hrtc.reference.models import Fund, State, Theme

        if kind not in ReportKind.values:
            raise InvalidInput(_("Unknown report type %(kind)r.") % {"kind": kind}, field="kind")
        today = today or date.today()
        start, end = _date(start, "from"), _date(end, "to")
        if kind == ReportKind.COUNTRY:
            start, end = start or FIRST_DAY, end or today
        else:
            start = start or date(today.year - 1, 1, 1)
            end = end or date(start.year, 12, 31)
        if end < start:
            raise InvalidInput(_("The period ends before it starts."), field="to")
        if end.year - start.year >= MAX_YEARS:
            raise InvalidInput(_("A report covers at most %(n)d years.") % {"n": MAX_YEARS}, field="from")
        if isinstance(states, str):
            states = [s for s in states.replace(";", ",").split(",")]
        codes = tuple(sorted({s.strip().upper() for s in states or () if s.strip()}))
        known = set(State.objects.filter(code__in=codes).values_list("code", flat=True))
        if set(codes) - known:
            missing = ", ".join(sorted(set(codes) - known))
            raise InvalidInput(
                _("Unknown State (ISO alpha-3): %(codes)s.") % {"codes": missing}, field="state"
            )
        if kind == ReportKind.COUNTRY and len(codes) != 1:
            raise InvalidInput(_("A country profile is about one State: give --state."), field="state")
        region = (region or "").strip().upper()
        if region and region not in RegionalGroup.values:
            raise InvalidInput(
                _("Unknown regional group %(region)r (one of %(known)s).")
                % {"region": region, "known": ", ".join(RegionalGroup.values)},
                field="region",
            )
        theme = (theme or "").strip()
        if theme:
            vocabulary, _sep, code = theme.partition(":")
            if not Theme.objects.filter(vocabulary=vocabulary, code=code).exists():
                raise InvalidInput(
                    _("Unknown theme %(theme)r; give its key, e.g. uhri:B31.") % {"theme": theme},
                    field="theme",
                )
        provider = (provider or "").strip().lower()
        if provider and not Organisation.objects.filter(code=provider).exists():
            raise InvalidInput(
                _("Unknown provider organisation %(code)r.") % {"code": provider}, field="provider"
            )
        fund = (fund or "").strip().upper()
        if fund and not Fund.objects.filter(code=fund).exists():
            known_funds = ", ".join(Fund.objects.values_list("code", flat=True))
            raise InvalidInput(
                _("Unknown fund %(code)r (one of %(known)s).") % {"code": fund, "known": known_funds},
                field="fund",
            )
        language = (language or "en").strip().lower()
        languages = {code.split("-")[0] for code, _name in settings.LANGUAGES}
        if language.split("-")[0] not in languages:
            raise InvalidInput(
                _("Language %(language)r is not one of the six UN languages.") % {"language": language},
                field="language",
            )
        return cls(
            kind=kind,
            start=start,
            end=end,
            states=codes,
            region=region,
            theme=theme,
            provider=provider,
            fund=fund,
            language=language.split("-")[0],
            title=(title or "").strip()[:300],
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Params:
        return cls.parse(
            data["kind"],
            start=data.get("from"),
            end=data.get("to"),
            states=data.get("states") or (),
            region=data.get("region", ""),
            theme=data.get("theme", ""),
            provider=data.get("provider", ""),
            fund=data.get("fund", ""),
            language=data.get("language", "en"),
            title=data.get("title", ""),
        )

    def with_language(self, language: str) -> Params:
        return replace(self, language=language)


def _date(value: date | str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(_("Give dates as YYYY-MM-DD (%(name)s).") % {"name": name}, field=name) from None


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text | int | number (int or money) | usd | percent | date

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "number", "usd", "percent")


@dataclass
class Table:
    """Rows returned by one query, with the query's dotted name and parameters (for the manifest)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    query: str = ""
    query_params: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    total_rows: int | None = None  # when `rows` is a first page of a longer list
    counts_as_data: bool = True  # False for context (key figures, facts about a State): shown even when zero
    block = "table"

    @property
    def truncated(self) -> bool:
        return self.total_rows is not None and self.total_rows > len(self.rows)

    @property
    def empty(self) -> bool:
        return not self.rows

    def column(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def cell(self, row: list[Any], column: Column) -> str:
        return format_value(row[self.columns.index(column)], column.kind)

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Cells as (text, numeric) for the HTML layout."""
        return [
            [(format_value(v, c.kind), c.numeric) for v, c in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def formatted_rows(self) -> list[list[str]]:
        return [
            [format_value(v, c.kind) for v, c in zip(row, self.columns, strict=True)] for row in self.rows
        ]


@dataclass
class Figure:
    """A chart drawn from one table: categories from `category`, one series per column in `series`."""

    key: str
    title: str
    table: str
    kind: str  # bar | hbar | stacked | hstacked | line
    category: str
    series: list[str]
    xlabel: str = ""
    ylabel: str = ""
    alt: str = ""
    svg: str = ""
    png: bytes = b""
    src: str = ""  # the SVG as a data: URI, for the PDF
    block = "figure"


@dataclass
class Paragraph:
    text: str
    block = "paragraph"


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Table | Figure | Paragraph] = field(default_factory=list)
    empty_message: str = ""

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def has_data(self) -> bool:
        return any(not t.empty for t in self.tables)


@dataclass
class Report:
    params: Params
    title: str
    subtitle: str
    scope: str
    sections: list[Section]
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.params.kind

    @property
    def direction(self) -> str:
        return "rtl" if self.params.language == "ar" else "ltr"

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]

    @property
    def has_data(self) -> bool:
        """Whether anything was found: key figures of zero and facts about a State are no data."""
        return any(not t.empty and t.counts_as_data for t in self.tables)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def slug(self) -> str:
        states = "-".join(self.params.states[:3])
        parts = [self.kind, states, self.params.start.isoformat(), self.params.end.isoformat()]
        return "_".join(p for p in parts if p)


def format_value(value: Any, kind: str) -> str:
    """One way to write every number, so the text of a PDF or DOCX can be compared with the queries."""
    if value is None or value == "":
        return "—"
    if kind == "int" or (kind == "number" and isinstance(value, int)):
        return f"{int(value):,}"
    if kind == "number":
        return f"{Decimal(value):,.2f}"
    if kind == "usd":
        return f"{Decimal(value):,.2f}"
    if kind == "percent":
        return f"{Decimal(value):.1f}%"
    if kind == "date":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


def content_digest(tables: list[Table]) -> str:
    """SHA-256 of every table's cells: two reports with the same digest say the same thing."""
    payload = [[t.key, t.formatted_rows()] for t in tables]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()
