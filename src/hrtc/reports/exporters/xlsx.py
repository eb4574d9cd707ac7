"""The data annex: every table behind every chart and every table of the report, one sheet each, with the
query that produced it; a first sheet with the manifest. Numbers are numbers (money in US dollars with two
decimals), so the annex can be re-analysed; text goes through hrtc.core.exports (never a formula)."""

from __future__ import annotations

import json
import re
from datetime import datetime

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from hrtc.core.exports import XlsxWriter
from hrtc.reports.document import Report, Table

FORMATS = {"int": "#,##0", "number": "#,##0.##", "usd": "#,##0.00", "percent": "0.0"}
BOLD = Font(bold=True)
TOP = Alignment(wrap_text=False, vertical="top")


def _sheet_name(index: int, key: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", f"{index:02d} {key}")[:31]


def _write_table(book: XlsxWriter, name: str, table: Table, figures: list[str], rtl: bool) -> None:
    about = [
        [_("Query"), table.query],
        [_("Parameters"), json.dumps(table.query_params, ensure_ascii=False)],
    ]
    if figures:
        about.append([_("Charts drawn from this table"), "; ".join(figures)])
    if table.truncated:
        about.append(
            [
                _("Rows"),
                _("the first %(shown)d of %(total)d") % {"shown": len(table.rows), "total": table.total_rows},
            ]
        )
    if table.note:
        about.append([_("Note"), table.note])
    header = len(about) + 3  # the title, the lines about the table, a blank line, then the header
    ws = book.sheet(
        name,
        widths=[14 if column.kind != "text" else 40 for column in table.columns],
        freeze=f"A{header + 1}",
        right_to_left=rtl,
    )
    ws.append([table.title], font=Font(bold=True, size=12))
    for line in about:
        ws.append(line)
    ws.append([])
    ws.append([c.label + (" (%)" if c.kind == "percent" else "") for c in table.columns], font=BOLD)
    formats = [FORMATS.get(column.kind) for column in table.columns]
    for row in table.rows:
        ws.append([v if not hasattr(v, "isoformat") else v.isoformat() for v in row], number_formats=formats)


def render(report: Report) -> bytes:
    book = XlsxWriter()
    rtl = report.direction == "rtl"
    about = book.sheet(_sheet_name(0, "about"), widths=[28, 60, 55], right_to_left=rtl)
    manifest = report.manifest
    about.append([report.title], font=Font(bold=True, size=14), alignment=TOP)
    about.append([report.subtitle], alignment=TOP)
    about.append([report.scope], alignment=TOP)
    about.append([])
    for label, value in (
        (_("Report"), manifest["report"]),
        (_("Parameters"), json.dumps(manifest["parameters"], ensure_ascii=False)),
        (_("Language"), manifest["language"]),
        (_("hrtc version"), manifest["hrtc_version"]),
        (_("Data as of"), manifest["data_as_of"] or "—"),
        (_("Generated at"), manifest["generated_at"]),
        (_("Generated for"), manifest["generated_for"]),
        (_("Content digest (SHA-256)"), manifest["content_sha256"]),
    ):
        about.append([label, value], alignment=TOP)
    about.append([])
    about.append([_("Sheet"), _("Table"), _("Query"), _("Rows")], font=BOLD, alignment=TOP)
    names = [_sheet_name(n, table.key) for n, table in enumerate(report.tables, start=1)]
    for name, table in zip(names, report.tables, strict=True):
        about.append([name, table.title, table.query, len(table.rows)], alignment=TOP)
    figures_of: dict[str, list[str]] = {}
    for figure in report.figures:
        figures_of.setdefault(figure.table, []).append(figure.title)
    for name, table in zip(names, report.tables, strict=True):
        _write_table(book, name, table, figures_of.get(table.key, []), rtl)
    created = manifest.get("data_as_of")
    book.properties.title = report.title
    book.properties.creator = "hrtc"
    if created:
        book.properties.created = datetime.fromisoformat(created).replace(tzinfo=None)
    return book.getvalue()
