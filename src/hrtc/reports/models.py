"""Report runs (one generation, in the background, for one person) and saved reports (versioned documents with
a symbol such as HRTC/REP/2026/1, published to the transparency portal when their `is_published` is set). A
published version that disclosed a record the public may no longer see (a State withdrew consent) is withdrawn:
no longer published, marked with `withdrawn_at` and why, its files kept but served only to OHCHR."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hrtc.core import audit
from hrtc.reports.choices import Audience, ReportFormat, ReportKind, RunStatus, WithdrawalReason


def report_storage():
    """Generated files go through Django's storage API: a `reports` storage if one is configured (object
    storage in production), else the default (HRTC_DATA_DIR/media)."""
    return storages["reports"] if "reports" in settings.STORAGES else storages["default"]


class ReportRun(models.Model):
    """One generation of a report in every format, queued from the web page and run by a background task."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=8, default="en")
    audience = models.CharField(
        _("drawn from"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="report_runs"
    )
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    files = models.JSONField(default=dict, blank=True, help_text="Format → storage name.")
    manifest = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    def get_absolute_url(self) -> str:
        return reverse("reports:run", args=[self.pk])


class SavedReport(models.Model):
    """A version of a report document: its symbol, version, parameters, manifest and files."""

    symbol = models.CharField(_("symbol"), max_length=40, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=300)
    parameters = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=8, default="en")
    audience = models.CharField(_("drawn from"), max_length=10, choices=Audience.choices)
    manifest = models.JSONField(_("manifest"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="saved_reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Listed on the transparency portal.")
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("When the published version stopped being served to the public."),
    )
    withdrawn_reason = models.CharField(
        _("why it was withdrawn"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["symbol", "version"], name="saved_report_unique_version"),
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(audience=Audience.PUBLIC),
                name="saved_report_published_is_public",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(is_published=False),
                name="saved_report_withdrawn_is_not_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} v{self.version}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:saved", args=[self.pk])


def report_file_path(instance: ReportFile, filename: str) -> str:
    symbol = instance.report.symbol.replace("/", "-")
    return f"reports/saved/{symbol}/v{instance.report.version}/{filename}"


class ReportFile(models.Model):
    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=10, choices=ReportFormat.choices)
    file = models.FileField(upload_to=report_file_path, storage=report_storage, max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "format"]
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="report_file_unique_format")]

    def __str__(self) -> str:
        return f"{self.report.symbol} v{self.report.version} ({self.format})"


audit.track(SavedReport)
audit.track(ReportFile, exclude_fields=["file"])
