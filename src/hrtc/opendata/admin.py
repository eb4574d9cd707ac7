"""The admin shows imported IATI activities and import records read-only (they change only by
`hrtc import iati`); translations of activities' texts are edited here or through the service."""

from django.contrib import admin

from hrtc.opendata import models


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ParticipantInline(ReadOnlyInline):
    model = models.ExternalParticipatingOrg
    fields = ["role", "ref", "type", "organisation", "narratives"]


class CountryInline(ReadOnlyInline):
    model = models.ExternalCountry
    fields = ["code", "percentage", "state"]


class SectorInline(ReadOnlyInline):
    model = models.ExternalSector
    fields = ["vocabulary", "code", "percentage"]


class TagInline(ReadOnlyInline):
    model = models.ExternalTag
    fields = ["vocabulary", "code", "sdg_goal", "sdg_target"]


class TransactionInline(ReadOnlyInline):
    model = models.ExternalTransaction
    fields = ["type", "date", "value", "currency", "provider_organisation"]


@admin.register(models.ExternalActivity)
class ExternalActivityAdmin(ReadOnly):
    list_display = [
        "iati_identifier",
        "title",
        "reporting_org_ref",
        "state",
        "activity_status",
        "gender_marker",
    ]
    list_filter = ["activity_status", "gender_marker", "reporting_organisation"]
    search_fields = ["iati_identifier", "title", "reporting_org_ref", "reporting_org_name"]
    inlines = [ParticipantInline, CountryInline, SectorInline, TagInline, TransactionInline]


@admin.register(models.IatiImport)
class IatiImportAdmin(ReadOnly):
    list_display = [
        "file_name",
        "started_at",
        "by",
        "activities_read",
        "kept",
        "created",
        "updated",
        "unchanged",
    ]


@admin.register(models.ActivityTranslation)
class ActivityTranslationAdmin(admin.ModelAdmin):
    list_display = ["activity", "field", "language", "updated_at"]
    list_filter = ["field", "language"]
    search_fields = ["text", "activity__title"]
    raw_id_fields = ["activity"]
