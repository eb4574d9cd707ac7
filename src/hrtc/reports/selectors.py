"""Reads: the report runs and saved reports a user may see, and the published ones (for the portal)."""

from __future__ import annotations

from django.db.models import QuerySet

from hrtc.accounts import policy
from hrtc.reports.models import ReportFile, ReportRun, SavedReport


def runs_visible(user) -> QuerySet[ReportRun]:
    return policy.visible(user, ReportRun.objects.all())


def saved_visible(user) -> QuerySet[SavedReport]:
    return policy.visible(user, SavedReport.objects.select_related("created_by").prefetch_related("files"))


def files_visible(user) -> QuerySet[ReportFile]:
    return policy.visible(user, ReportFile.objects.select_related("report"))


def published_reports() -> QuerySet[SavedReport]:
    """What the transparency portal lists: published report versions, newest first, with their files."""
    return (
        SavedReport.objects.filter(is_published=True)
        .prefetch_related("files")
        .order_by("-published_at", "-id")
    )


def versions_of(user, saved: SavedReport) -> QuerySet[SavedReport]:
    return saved_visible(user).filter(symbol=saved.symbol).order_by("-version")
