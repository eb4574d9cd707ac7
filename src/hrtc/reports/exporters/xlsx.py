"""The data annex: every table behind every chart and every table of the report, one sheet each, with the
query that produced it; a first sheet with the manifest. Numbers are numbers (money in US dollars with two
decimals), so the annex can be re-analysed."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from hrtc.reports.document import Report, Table

FORMATS = {"int": "#,##0", "number": "#,##0.##", "usd": "#,##0.00", "percent": "0.0"}


def _sheet_name(index: int, key: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", f"{index:02d} {key}")[:31]


def _write_table(ws, table: Table, figures: list[str]) -> None:
    ws.append([table.title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([_("Query"), table.query])
    ws.append([_("Parameters"), json.dumps(table.query_params, ensure_ascii=False)])
    if figures:
        ws.append([_("Charts drawn from this table"), "; ".join(figures)])
    if table.truncated:
        ws.append(
            [
                _("Rows"),
                _("the first %(shown)d of %(total)d") % {"shown": len(table.rows), "total": table.total_rows},
            ]
        )
    if table.note:
        ws.append([_("Note"), table.note])
    ws.append([])
    header = ws.max_row + 1
    ws.append([c.label + (" (%)" if c.kind == "percent" else "") for c in table.columns])
    for cell in ws[header]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append([v if not hasattr(v, "isoformat") else v.isoformat() for v in row])
        for cell, column in zip(ws[ws.max_row], table.columns, strict=True):
            if column.kind in FORMATS and cell.value is not None:
                cell.number_format = FORMATS[column.kind]
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    for n, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = 14 if column.kind != "text" else 40


def render(report: Report) -> bytes:
    wb = Workbook()
    about = wb.active
    about.title = _sheet_name(0, "about")
    manifest = report.manifest
    about.append([report.title])
    about["A1"].font = Font(bold=True, size=14)
    about.append([report.subtitle])
    about.append([report.scope])
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
        about.append([label, value])
    about.append([])
    about.append([_("Sheet"), _("Table"), _("Query"), _("Rows")])
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    figures_of: dict[str, list[str]] = {}
    for figure in report.figures:
        figures_of.setdefault(figure.table, []).append(figure.title)
    for n, table in enumerate(report.tables, start=1):
        name = _sheet_name(n, table.key)
        about.append([name, table.title, table.query, len(table.rows)])
        _write_table(wb.create_sheet(name), table, figures_of.get(table.key, []))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 60
    about.column_dimensions["C"].width = 55
    for row in about.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=False, vertical="top")
    if report.direction == "rtl":
        for ws in wb.worksheets:
            ws.sheet_view.rightToLeft = True
    created = manifest.get("data_as_of")
    wb.properties.title = report.title
    wb.properties.creator = "hrtc"
    if created:
        wb.properties.created = wb.properties.modified = datetime.fromisoformat(created).replace(tzinfo=None)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
