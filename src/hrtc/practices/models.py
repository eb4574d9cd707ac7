"""Good practices and lessons in technical cooperation, submitted by any stakeholder and moderated."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from hrtc.core import audit
from hrtc.core.append_only import AppendOnly
from hrtc.practices.choices import LANGUAGES, PracticeStatus
from hrtc.practices.sanitize import clean_html

#: The fields of a practice that hold rich text (HTML); the others are plain text, escaped when shown.
HTML_FIELDS = ("body",)


def _sanitised(values: dict) -> dict:
    return {k: clean_html(v) if k in HTML_FIELDS and isinstance(v, str) else v for k, v in values.items()}


class PracticeQuerySet(models.QuerySet):
    """Writes that skip `Practice.save()` sanitise too, where they are given text. An SQL expression or raw
    SQL still bypasses this: pages render the body through the `sanitized` filter, the API cleans it again."""

    def update(self, **kwargs):
        return super().update(**_sanitised(kwargs))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for practice in objs:
            practice.sanitise()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        for practice in objs:
            practice.sanitise()
        return super().bulk_update(objs, fields, *args, **kwargs)


class Practice(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body"), help_text=_("Rich text; sanitised when saved."))
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="en")
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    state = models.ForeignKey(
        "reference.State", null=True, blank=True, on_delete=models.PROTECT, related_name="practices"
    )
    region = models.CharField(_("UN regional group"), max_length=20, blank=True)
    providers = models.ManyToManyField("accounts.Organisation", blank=True, related_name="practices")
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="practices")
    sdg_targets = models.ManyToManyField("reference.SdgTarget", blank=True, related_name="practices")
    affected_groups = models.ManyToManyField("reference.AffectedGroup", blank=True, related_name="practices")
    results = models.TextField(_("results"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="practices"
    )
    requests = models.ManyToManyField("assistance.AssistanceRequest", blank=True, related_name="practices")
    activities = models.ManyToManyField("assistance.Activity", blank=True, related_name="practices")
    status = models.CharField(
        _("status"), max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="practices"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_practices",
        help_text=_("The organisation the author submitted for."),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self) -> str:
        return self.title

    def sanitise(self) -> None:
        """Clean the rich-text fields in place (nh3: no scripts, styles, event handlers, unsafe URLs)."""
        for name in HTML_FIELDS:
            setattr(self, name, clean_html(getattr(self, name)))

    def save(self, *args, **kwargs) -> None:
        # Whoever saves — a service, the admin, a script — stores only sanitised HTML.
        self.sanitise()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])


class PracticeEvent(AppendOnly):
    """One step of moderation, with the moderator's comments: the history the author sees. Append-only."""

    mutable_fields = ("by",)  # nulled when the account or organisation is deleted

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=PracticeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PracticeStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.from_status or '—'} → {self.to_status}"


def attachment_storage():
    """Attachments go through Django's storage API: the `practices` storage if one is configured (object storage
    in production), else the default (HRTC_DATA_DIR/media)."""
    return storages["practices"] if "practices" in settings.STORAGES else storages["default"]


def attachment_path(instance: Attachment, filename: str) -> str:
    name = get_valid_filename(PurePosixPath(filename).name)[-100:]
    return f"practices/{instance.practice_id}/{uuid.uuid4().hex[:12]}-{name}"


class Attachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage, max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


def _sanitise_loaded(sender, instance: Practice, raw: bool = False, **kwargs) -> None:
    """Fixtures (`loaddata`) save raw, around `Practice.save()`: clean what they load, too."""
    if raw:
        instance.sanitise()


pre_save.connect(_sanitise_loaded, sender=Practice, dispatch_uid="hrtc.practices.sanitise_loaded")
audit.track(Practice, m2m_fields={"themes", "sdg_targets", "providers", "affected_groups"})
audit.track(Attachment, exclude_fields=["file"])
