"""The audit log: who changed what, when. Append-only.

Field-level changes of tracked models are written by django-auditlog (register a model with
`audit.track(Model)`). Domain events that are more than a field change (a transition with a
reason, an import) are written with `audit.record(...)`. Services wrap their writes in
`audit.acting_as(user)` so the actor is known for API calls authenticated by token, too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import disable_auditlog, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_delete, pre_save


class AuditLogIsAppendOnly(Exception):
    pass


def track(model: type[models.Model] | None = None, **options: Any):
    """Register a model for field-level auditing; usable as a class decorator."""

    def register(cls: type[models.Model]) -> type[models.Model]:
        auditlog.register(cls, **options)
        return cls

    return register(model) if model is not None else register


def _real_user(user):
    """The user to record as actor: None for anonymous users and the command-line operator."""
    return user if isinstance(user, AbstractBaseUser) and user.is_authenticated else None


@contextmanager
def acting_as(user) -> Iterator[None]:
    with set_actor(_real_user(user)):
        yield


def record(
    *, actor, action: str, target: models.Model, reason: str = "", data: dict | None = None
) -> LogEntry:
    """Write one domain event about `target` (e.g. action="request.accept")."""
    pk = target.pk
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=str(target)[:2000],
        action=LogEntry.Action.UPDATE,
        changes={},
        changes_text=action,
        actor=_real_user(actor),
        additional_data={"event": action, "reason": reason, **(data or {})},
    )


def created_in_bulk(objects: list[models.Model]) -> int:
    """Audit rows written with `bulk_create` (which sends no signals) as django-auditlog audits a created
    row: one CREATE entry per row, with every field's value, written in one INSERT."""
    if not objects:
        return 0
    content_type = ContentType.objects.get_for_model(objects[0])
    fields = [f for f in objects[0]._meta.concrete_fields if not f.primary_key]

    def changes(obj) -> dict[str, list[str]]:  # auditlog's form for a creation: [old, new] as text
        return {
            f.name: ["None", f.value_to_string(obj)] for f in fields if f.value_from_object(obj) is not None
        }

    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=str(obj)[:2000],
            action=LogEntry.Action.CREATE,
            changes=changes(obj),
        )
        for obj in objects
    ]
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def history(target: models.Model):
    return LogEntry.objects.get_for_object(target).select_related("actor")


def _refuse_update(sender, instance: LogEntry, **kwargs) -> None:
    if instance.pk is not None and not instance._state.adding:
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")


def _refuse_delete(sender, instance: LogEntry, **kwargs) -> None:
    raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


def guard_append_only() -> None:
    """Refuse changes to audit entries through the ORM; migration 0001 adds database triggers too."""
    pre_save.connect(_refuse_update, sender=LogEntry, dispatch_uid="hrtc.audit.refuse_update")
    pre_delete.connect(_refuse_delete, sender=LogEntry, dispatch_uid="hrtc.audit.refuse_delete")


@contextmanager
def disabled() -> Iterator[None]:
    """For derived data recomputed in bulk (e.g. automatic clusters): the run is audited as one event instead."""
    with disable_auditlog():
        yield
