"""The report as PDF: WeasyPrint lays out the same HTML (Pango shapes Arabic right-to-left and Chinese with
the Noto fonts Debian's fonts-noto-core and fonts-noto-cjk install)."""

from __future__ import annotations

import logging

from hrtc.reports.document import Report
from hrtc.reports.exporters.html import page

# WeasyPrint narrates every layout step and fontTools every font subset: keep the logs for problems.
for name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(name).setLevel(logging.ERROR)


def render(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=page(report, as_images=True)).write_pdf()
