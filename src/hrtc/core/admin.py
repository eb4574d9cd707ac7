"""What the Django admin may touch. The admin is a window on the data, not a way around the services: a
record whose lifecycle a service owns (a request and its consent, an activity's publication, a history, the
funds' ledger) is shown view-only, and fields that carry consent, publication or a workflow's state are
read-only wherever the rest of the record may be edited. Changes to those go through `services.py`, which
asks the access policy and audits them.

The mixins work on model admins and inlines alike; `locked_fields` adds to `readonly_fields`, so an admin
can say which fields are the services' without repeating the fields it shows read-only for other reasons.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import admin


class ViewOnlyMixin:
    """Nobody adds, changes or deletes through the admin; those with view permission see the record."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LockedFieldsMixin:
    """`locked_fields` are shown read-only on every form of this admin (add and change)."""

    locked_fields: Sequence[str] = ()

    def get_readonly_fields(self, request, obj=None):
        shown = list(super().get_readonly_fields(request, obj))
        return shown + [name for name in self.locked_fields if name not in shown]


class ViewOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    pass


class ViewOnlyTabularInline(ViewOnlyMixin, admin.TabularInline):
    extra = 0


class ReadOnlyFieldsAdmin(LockedFieldsMixin, admin.ModelAdmin):
    """Editable, except the `locked_fields`; records are created by their services, not here."""

    def has_add_permission(self, request) -> bool:
        return False


def _register_import_runs() -> None:
    from hrtc.core.models import ImportRun

    class ImportRunAdmin(ViewOnlyAdmin):
        list_display = ["kind", "file_name", "format", "started_at", "by", "rows_read", "created", "updated"]
        list_filter = ["kind", "format"]
        search_fields = ["file_name", "sha256"]

    admin.site.register(ImportRun, ImportRunAdmin)


_register_import_runs()
