"""Records every app shares: one `ImportRun` per imported file, whatever it imported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of one file — recommendations, exchange rates, contributions, IATI activities: who ran it,
    which file (name and SHA-256), which format, and what it changed. The records it wrote point to it."""

    kind = models.CharField(
        _("kind"), max_length=40, help_text=_("What was imported (the `hrtc import` kind).")
    )
    format = models.CharField(_("format"), max_length=40)
    file_name = models.CharField(_("file"), max_length=500)
    sha256 = models.CharField(max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    details = models.JSONField(
        default=dict, blank=True, help_text=_("Counts particular to the kind (pledges, activities kept).")
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")

    def __str__(self) -> str:
        when = f"{self.started_at:%Y-%m-%d %H:%M}" if self.started_at else ""
        return f"{self.kind}: {self.file_name} ({self.format}, {when})"
