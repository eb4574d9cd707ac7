from django.contrib import admin

from hrtc.practices.models import Attachment, Practice, PracticeEvent


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]


class EventInline(admin.TabularInline):
    model = PracticeEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "comment", "at"]
    can_delete = False


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "state", "status", "published_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "summary", "slug"]
    readonly_fields = ["status", "published_at", "submitted_by", "organisation"]
    inlines = [AttachmentInline, EventInline]
