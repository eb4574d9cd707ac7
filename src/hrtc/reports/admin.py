from django.contrib import admin

from hrtc.reports.models import ReportFile, SavedReport


class ReportFileInline(admin.TabularInline):
    model = ReportFile
    extra = 0
    readonly_fields = ["format", "file", "size", "sha256"]
    can_delete = False


@admin.register(SavedReport)
class SavedReportAdmin(admin.ModelAdmin):
    list_display = ["symbol", "version", "kind", "title", "audience", "is_published", "created_at"]
    list_filter = ["kind", "audience", "is_published"]
    search_fields = ["symbol", "title"]
    readonly_fields = [
        "symbol",
        "version",
        "kind",
        "parameters",
        "language",
        "audience",
        "manifest",
        "created_by",
    ]
    inlines = [ReportFileInline]

    def has_add_permission(self, request) -> bool:  # saved through `report_save`, which gives the symbol
        return False
