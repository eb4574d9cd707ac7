"""Reads: the report runs and saved reports a user may see, and the published ones (for the portal).

Published versions are checked here, lazily, before they are listed or served: one that disclosed a record the
public may no longer see (a State withdrew consent) is withdrawn first (``services.withdraw_stale_reports``),
so no surface — pages, downloads, the API, the portal, search — serves it to the public. A withdrawn version
is no longer published: the access policy leaves it to OHCHR, whoever saved it and administrators, who see it
marked withdrawn."""

from __future__ import annotations

from django.db.models import QuerySet

from hrtc.accounts import policy
from hrtc.reports.models import ReportFile, ReportRun, SavedReport


def _withdraw_stale() -> None:
    """Imported here: the services pull in the exporters, which the portal and search need not load."""
    from hrtc.reports.services import withdraw_stale_reports

    withdraw_stale_reports()


def runs_visible(user) -> QuerySet[ReportRun]:
    return policy.visible(user, ReportRun.objects.all())


def _saved(user) -> QuerySet[SavedReport]:
    return policy.visible(user, SavedReport.objects.select_related("created_by").prefetch_related("files"))


def saved_visible(user) -> QuerySet[SavedReport]:
    """The saved report versions `user` may see: withdrawn ones only for OHCHR, whoever saved them and
    administrators (search lists reports through this)."""
    _withdraw_stale()
    return _saved(user)


def files_visible(user) -> QuerySet[ReportFile]:
    _withdraw_stale()
    return policy.visible(user, ReportFile.objects.select_related("report"))


def published_reports() -> QuerySet[SavedReport]:
    """What the transparency portal lists: published report versions, newest first, with their files."""
    _withdraw_stale()
    return (
        SavedReport.objects.filter(is_published=True)
        .prefetch_related("files")
        .order_by("-published_at", "-id")
    )


def versions_of(user, saved: SavedReport) -> QuerySet[SavedReport]:
    return _saved(user).filter(symbol=saved.symbol).order_by("-version")


def withdrawn_version(pk: int) -> SavedReport | None:
    """A withdrawn version, for its notice to readers who may no longer see it (its symbol, version and title
    were public while it was published; nothing it contained is shown)."""
    return SavedReport.objects.filter(pk=pk, withdrawn_at__isnull=False).first()
