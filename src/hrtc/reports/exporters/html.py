"""The report as one self-contained HTML page (styles and SVG charts inline), with print CSS."""

from __future__ import annotations

import base64
import json

from django.template.loader import render_to_string

from hrtc.reports import charts
from hrtc.reports.document import Report


def draw_charts(report: Report, *, as_images: bool = False) -> None:
    for figure in report.figures:
        svg = charts.svg(figure, report.table(figure.table))
        if as_images and not figure.src:
            figure.src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def page(report: Report, *, as_images: bool = False) -> str:
    """The page; `as_images` puts each chart in an <img> (with its alt text) instead of inline, for WeasyPrint."""
    draw_charts(report, as_images=as_images)
    parameters = {k: v for k, v in report.params.as_dict().items() if v not in ("", [], None)}
    context = {
        "report": report,
        "as_images": as_images,
        "parameters": json.dumps(parameters, ensure_ascii=False),
        "data_as_of": (report.manifest.get("data_as_of") or "—").replace("T", " ")[:19],
    }
    return render_to_string("reports/document.html", context)


def render(report: Report) -> bytes:
    return page(report).encode("utf-8")
