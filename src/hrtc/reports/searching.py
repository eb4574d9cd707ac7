"""Saved reports in the search index, found by the text of their HTML version (registered from
ReportsConfig.ready(); the HTML file is saved after the report, so its saving reindexes the report)."""

from __future__ import annotations

from hrtc.practices.sanitize import plain_text
from hrtc.search.documents import Fields, Kind, register


def _report_text(r: Fields, limit: int = 60_000) -> str:
    """The text of a saved report's HTML version (what a reader would search for), if it has one."""
    for item in r.all("files"):
        if item.format == "html":
            try:
                with item.file.open("rb") as handle:
                    return plain_text(handle.read(limit * 4).decode("utf-8", "replace"))[:limit]
            except (FileNotFoundError, OSError):
                return ""
    return ""


def _report(r: Fields) -> dict:
    return {
        "key": f"{r('symbol')} v{r('version')}",
        "tags": {},
        "title": f"{r('symbol')} (v{r('version')}) — {r.text('title')}",
        "body": _report_text(r) or r.text("title"),
        "extra": f"{r.display('kind')} {r('symbol')}",
        "state": None,
        "mechanism": "",
        "year": (r("published_at") or r("created_at")).year,
        "language": r("language"),
    }


def register_kinds() -> None:
    from django.db.models.signals import post_save

    from hrtc.reports import selectors
    from hrtc.reports.models import ReportFile, SavedReport

    register(
        Kind(
            "report",
            lambda: SavedReport,
            lambda: SavedReport.objects.prefetch_related("files"),
            _report,
            lambda user: selectors.saved_visible(user),
        )
    )
    post_save.connect(_file_saved, sender=ReportFile, dispatch_uid="search.report_file")


def _file_saved(sender, instance, **kwargs) -> None:
    from hrtc.search import engine

    if instance.format == "html":
        engine.index("report", [instance.report_id])
