"""Render a built report: HTML (print CSS), PDF (WeasyPrint, from the same HTML), DOCX (an editable draft with
real headings, tables and figures) and an XLSX data annex (every table, and the manifest)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation

from hrtc.reports.choices import ReportFormat
from hrtc.reports.document import Report


def render(report: Report, fmt: str) -> bytes:
    from hrtc.reports.exporters import docx, html, pdf, xlsx

    renderers: dict[str, Callable[[Report], bytes]] = {
        ReportFormat.HTML: html.render,
        ReportFormat.PDF: pdf.render,
        ReportFormat.DOCX: docx.render,
        ReportFormat.XLSX: xlsx.render,
    }
    with translation.override(report.params.language):
        return renderers[fmt](report)
