"""The admin shows imported IATI activities and import records read-only (they change only by
`hrtc import iati`); a translation's text may be corrected here, new ones are made through the service."""

from django.contrib import admin

from hrtc.core.admin import ReadOnlyFieldsAdmin, ViewOnlyAdmin, ViewOnlyTabularInline
from hrtc.opendata import models


class ParticipantInline(ViewOnlyTabularInline):
    model = models.ExternalParticipatingOrg
    fields = ["role", "ref", "type", "organisation", "narratives"]


class CountryInline(ViewOnlyTabularInline):
    model = models.ExternalCountry
    fields = ["code", "percentage", "state"]


class SectorInline(ViewOnlyTabularInline):
    model = models.ExternalSector
    fields = ["vocabulary", "code", "percentage"]


class TagInline(ViewOnlyTabularInline):
    model = models.ExternalTag
    fields = ["vocabulary", "code", "sdg_goal", "sdg_target"]


class TransactionInline(ViewOnlyTabularInline):
    model = models.ExternalTransaction
    fields = ["type", "date", "value", "currency", "provider_organisation"]


@admin.register(models.ExternalActivity)
class ExternalActivityAdmin(ViewOnlyAdmin):
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


@admin.register(models.ActivityTranslation)
class ActivityTranslationAdmin(ReadOnlyFieldsAdmin):
    """The text may be corrected here; which activity, field and language (an IATI code) it is, and new
    translations, go through `activity_translation_set`."""

    list_display = ["activity", "field", "language", "updated_at"]
    list_filter = ["field", "language"]
    search_fields = ["text", "activity__title"]
    locked_fields = ["activity", "field", "language"]
