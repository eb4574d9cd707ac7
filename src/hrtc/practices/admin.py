"""The admin edits a practice's texts and links (audited; the body is sanitised by `Practice.save()`);
moderation, authorship, attachments and the moderation history change only through
`hrtc.practices.services`."""

from django.contrib import admin

from hrtc.core.admin import ReadOnlyFieldsAdmin, ViewOnlyAdmin, ViewOnlyTabularInline
from hrtc.practices.models import Attachment, Practice, PracticeEvent


class AttachmentInline(ViewOnlyTabularInline):
    """Files are typed by their bytes and size-capped by `attachment_add`: not uploaded here."""

    model = Attachment
    fields = ["name", "content_type", "size", "description", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class EventInline(ViewOnlyTabularInline):
    model = PracticeEvent
    fields = ["from_status", "to_status", "by", "comment", "at"]
    readonly_fields = fields


@admin.register(Practice)
class PracticeAdmin(ReadOnlyFieldsAdmin):
    list_display = ["title", "language", "state", "status", "published_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "summary", "slug"]
    locked_fields = ["status", "published_at", "submitted_by", "organisation"]
    inlines = [AttachmentInline, EventInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a moderator rejects or unpublishes it: the history stays


@admin.register(PracticeEvent)
class PracticeEventAdmin(ViewOnlyAdmin):
    list_display = ["practice", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
