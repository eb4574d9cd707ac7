from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrtc.linking.choices import LinkKind, LinkSource, LinkStatus


class ClassifierModel(models.Model):
    """One trained classifier: its artefact in HRTC_DATA_DIR/models/, how it was trained, how it scored."""

    version = models.CharField(max_length=80, unique=True)
    file_name = models.CharField(max_length=200, help_text="Inside HRTC_DATA_DIR/models/.")
    sha256 = models.CharField(max_length=64)
    seed = models.IntegerField()
    is_active = models.BooleanField(default=False, db_index=True)
    params = models.JSONField(default=dict, blank=True, help_text="Features, solver, split.")
    training = models.JSONField(default=dict, blank=True, help_text="Examples by source and task.")
    metrics = models.JSONField(default=dict, blank=True, help_text="Held-out evaluation at training time.")
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_classifier"
            )
        ]

    def __str__(self) -> str:
        return f"linker {self.version}"


class Link(models.Model):
    """A record (recommendation, pledge, activity) linked to an SDG goal or a human-rights theme."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    goal = models.ForeignKey(
        "reference.SdgGoal", null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    theme = models.ForeignKey(
        "reference.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    source = models.CharField(max_length=10, choices=LinkSource.choices)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, db_index=True)
    confidence = models.FloatField(null=True, blank=True, help_text=_("The classifier's probability, 0–1."))
    margin = models.FloatField(
        null=True,
        blank=True,
        help_text="Confidence minus the label's decision threshold: small means uncertain (reviewed first).",
    )
    classifier = models.ForeignKey(
        ClassifierModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "goal__number", "theme__code", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "margin"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=LinkKind.GOAL) & Q(goal__isnull=False) & Q(theme__isnull=True))
                | (Q(kind=LinkKind.THEME) & Q(theme__isnull=False) & Q(goal__isnull=True)),
                name="link_kind_matches_target",
            ),
            models.CheckConstraint(
                condition=~Q(source=LinkSource.MODEL) | Q(confidence__isnull=False),
                name="link_model_has_confidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=LinkStatus.SUGGESTED) | Q(source=LinkSource.MODEL),
                name="link_only_model_suggests",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "goal"],
                condition=Q(goal__isnull=False),
                name="link_unique_goal",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "theme"],
                condition=Q(theme__isnull=False),
                name="link_unique_theme",
            ),
        ]

    @property
    def label(self) -> str:
        return f"SDG {self.goal_id}" if self.kind == LinkKind.GOAL else self.theme.name

    @property
    def label_key(self) -> str:
        return self.goal_id if self.kind == LinkKind.GOAL else self.theme.key

    @property
    def decided_by_a_person(self) -> bool:
        return self.status != LinkStatus.SUGGESTED

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} → {self.label_key} ({self.source}, {self.status})"


class Classification(models.Model):
    """Which classifier last looked at a record, so `hrtc classify --missing` can skip it. Internal."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    classifier = models.ForeignKey(ClassifierModel, on_delete=models.CASCADE, related_name="+")
    classified_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="classification_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} by classifier {self.classifier_id}"
