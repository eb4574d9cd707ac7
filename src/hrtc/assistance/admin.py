"""The admin shows assistance records; it changes none of what the State decides or the lifecycle moves.

A request is the State's (only its government drafts, edits, submits and consents) and its histories are
append-only, so requests, consent records, request events and feed events are view-only here. An
activity's descriptive fields stay editable (platform administrators may edit activities; the change is
audited), but who sees it — its State, request, lead provider, partners, the State's consent, publication —
and what the lifecycle moves (status, actual dates, participants) change only through
`hrtc.assistance.services`.
"""

from django.contrib import admin

from hrtc.assistance import models
from hrtc.core.admin import ReadOnlyFieldsAdmin, ViewOnlyAdmin


@admin.register(models.AssistanceRequest)
class RequestAdmin(ViewOnlyAdmin):
    list_display = [
        "title",
        "requesting_state",
        "status",
        "modality",
        "consent_publish_summary",
        "updated_at",
    ]
    list_filter = ["status", "modality", "consent_publish_summary"]
    search_fields = ["title", "needs"]


@admin.register(models.ConsentRecord)
class ConsentRecordAdmin(ViewOnlyAdmin):
    list_display = ["request", "publish_summary", "by", "at"]
    list_filter = ["publish_summary"]


@admin.register(models.RequestEvent)
class RequestEventAdmin(ViewOnlyAdmin):
    list_display = ["request", "from_status", "to_status", "by", "organisation", "at"]
    list_filter = ["to_status"]


@admin.register(models.FeedEvent)
class FeedEventAdmin(ViewOnlyAdmin):
    list_display = ["summary", "kind", "state", "provider", "at"]
    list_filter = ["kind"]


@admin.register(models.Activity)
class ActivityAdmin(ReadOnlyFieldsAdmin):
    list_display = ["title", "state", "lead_provider", "status", "gender_marker", "is_published"]
    list_filter = ["status", "gender_marker", "is_published"]
    search_fields = ["title"]
    locked_fields = [
        "state",
        "request",
        "lead_provider",
        "partners",
        "state_consent_by",
        "state_consent_at",
        "is_published",
        "status",
        "actual_start",
        "actual_end",
        "participants_women",
        "participants_men",
        "participants_other",
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Offer)
class OfferAdmin(ReadOnlyFieldsAdmin):
    list_display = ["title", "provider", "modality", "is_active"]
    list_filter = ["modality", "is_active"]
    locked_fields = ["provider"]
