from django.contrib import admin

from hrtc.assistance import models


@admin.register(models.AssistanceRequest)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["title", "requesting_state", "status", "modality", "updated_at"]
    list_filter = ["status", "modality"]
    search_fields = ["title", "needs"]
    readonly_fields = ["status"]  # the lifecycle moves only through hrtc.assistance.services


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "lead_provider", "status", "gender_marker", "is_published"]
    list_filter = ["status", "gender_marker", "is_published"]
    search_fields = ["title"]


@admin.register(models.Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "modality", "is_active"]
    list_filter = ["modality", "is_active"]
