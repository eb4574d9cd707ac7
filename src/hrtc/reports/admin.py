"""Saved reports are versioned documents: frozen once saved, published and withdrawn only through
`report_publish` / `report_unpublish` (which check the audience and record why). The admin shows them."""

from django.contrib import admin

from hrtc.core.admin import ViewOnlyAdmin, ViewOnlyTabularInline
from hrtc.reports.models import ReportFile, SavedReport


class ReportFileInline(ViewOnlyTabularInline):
    model = ReportFile
    fields = ["format", "file", "size", "sha256"]
    readonly_fields = fields


@admin.register(SavedReport)
class SavedReportAdmin(ViewOnlyAdmin):
    list_display = ["symbol", "version", "kind", "title", "audience", "is_published", "created_at"]
    list_filter = ["kind", "audience", "is_published"]
    search_fields = ["symbol", "title"]
    inlines = [ReportFileInline]
