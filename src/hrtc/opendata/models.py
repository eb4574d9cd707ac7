"""Open data: activities imported from other publishers' IATI files, translations of internal activities'
texts for the IATI narratives, and the record of each IATI import.

An imported activity keeps what hrtc uses (who, where, what, when, how much) in rows that are mapped to
hrtc's own records where they can be (providers by IATI organisation identifier, States by ISO 3166-1
alpha-2, SDG goals and targets, themes from the DAC sectors) and what is only re-published (results,
document links, related activities, narratives in several languages) as plain data. Exporting an
imported activity writes the same IATI elements that were read: see ``hrtc.opendata.iati``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrtc.assistance.choices import ActivityStatus


class ExternalActivity(models.Model):
    """An activity published by someone else (a UN agency, a donor) in an IATI 2.03 activity file."""

    iati_identifier = models.CharField(_("IATI identifier"), max_length=255, unique=True)
    source = models.ForeignKey("core.ImportRun", on_delete=models.PROTECT, related_name="activities")
    source_file = models.CharField(_("source file"), max_length=500)
    source_line = models.PositiveIntegerField(_("line in the source file"), default=0)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the activity as read: re-imports compare it."
    )
    # reporting-org
    reporting_org_ref = models.CharField(_("reporting organisation identifier"), max_length=255)
    reporting_org_type = models.CharField(max_length=4, blank=True)
    reporting_org_secondary = models.BooleanField(null=True, blank=True)
    reporting_org_narratives = models.JSONField(default=list, blank=True)
    reporting_org_name = models.CharField(_("reporting organisation"), max_length=500, blank=True)
    reporting_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_activities",
        help_text=_("The hrtc organisation with this IATI identifier, if any."),
    )
    # iati-activity attributes
    last_updated = models.DateTimeField(_("last updated (by the publisher)"), null=True, blank=True)
    default_language = models.CharField(max_length=8, blank=True)
    default_currency = models.CharField(max_length=3, blank=True)
    humanitarian = models.BooleanField(null=True, blank=True)
    # narratives: [[lang, text], ...] in document order ("" = the default language)
    titles = models.JSONField(default=list)
    descriptions = models.JSONField(default=list, blank=True, help_text="[{type, narratives}]")
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)
    activity_status = models.PositiveSmallIntegerField(
        _("status"), choices=ActivityStatus.choices, null=True, blank=True
    )
    planned_start = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    activity_dates = models.JSONField(default=list, blank=True, help_text="[[type, iso date], ...] in order")
    state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_activities",
        help_text=_("The first recipient country that is a State known here."),
    )
    gender_marker = models.PositiveSmallIntegerField(
        _("gender equality marker"),
        null=True,
        blank=True,
        help_text=_("OECD DAC policy marker 1 significance."),
    )
    policy_markers = models.JSONField(default=list, blank=True)
    budget_total = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True)
    budgets = models.JSONField(default=list, blank=True)
    results = models.JSONField(default=list, blank=True)
    document_links = models.JSONField(default=list, blank=True)
    related_activities = models.JSONField(default=list, blank=True)
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="external_activities")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "iati_identifier"]
        verbose_name = _("imported activity")
        verbose_name_plural = _("imported activities")

    def __str__(self) -> str:
        return f"{self.iati_identifier}: {self.title[:80]}"

    @property
    def source_label(self) -> str:
        return f"iati:{self.reporting_org_ref}"

    @property
    def status_label(self) -> str:
        return str(ActivityStatus(self.activity_status).label) if self.activity_status else ""


class _Child(models.Model):
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["activity", "position"]


class ExternalParticipatingOrg(_Child):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="participants")
    ref = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=4, blank=True)
    role = models.CharField(max_length=2)
    activity_id_ref = models.CharField(max_length=255, blank=True)
    narratives = models.JSONField(default=list, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(_Child.Meta):
        verbose_name = _("participating organisation")

    def __str__(self) -> str:
        return f"{self.role}: {self.ref or (self.narratives[0][1] if self.narratives else '')}"


class ExternalCountry(_Child):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="countries")
    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2)
    percentage = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    state = models.ForeignKey(
        "reference.State", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(_Child.Meta):
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")

    def __str__(self) -> str:
        return self.code


class ExternalSector(_Child):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(max_length=4, blank=True, help_text="Empty: the default (1, DAC 5-digit).")
    code = models.CharField(max_length=100)
    percentage = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    narratives = models.JSONField(default=list, blank=True)

    class Meta(_Child.Meta):
        verbose_name = _("sector")

    def __str__(self) -> str:
        return f"{self.vocabulary or '1'}:{self.code}"


class ExternalTag(_Child):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="tags")
    vocabulary = models.CharField(max_length=4)
    code = models.CharField(max_length=100)
    vocabulary_uri = models.CharField(max_length=500, blank=True)
    narratives = models.JSONField(default=list, blank=True)
    sdg_goal = models.ForeignKey(
        "reference.SdgGoal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sdg_target = models.ForeignKey(
        "reference.SdgTarget", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(_Child.Meta):
        verbose_name = _("tag")

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class ExternalTransaction(_Child):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="transactions")
    ref = models.CharField(max_length=255, blank=True)
    type = models.CharField(_("IATI transaction type"), max_length=2)
    date = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=2)
    currency = models.CharField(max_length=3, blank=True, help_text="Empty: the activity's default currency.")
    value_date = models.DateField()
    descriptions = models.JSONField(default=list, blank=True)
    provider_org = models.JSONField(
        default=dict, blank=True, help_text="{ref, type, activity_id, narratives}"
    )
    receiver_org = models.JSONField(default=dict, blank=True)
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(_Child.Meta):
        verbose_name = _("transaction")

    def __str__(self) -> str:
        return f"{self.type} {self.date} {self.value} {self.currency}"


class ActivityTranslation(models.Model):
    """An internal activity's title or description in another language, for the IATI narratives."""

    class Field(models.TextChoices):
        TITLE = "title", _("title")
        DESCRIPTION = "description", _("description")

    activity = models.ForeignKey("assistance.Activity", on_delete=models.CASCADE, related_name="translations")
    field = models.CharField(max_length=20, choices=Field.choices)
    language = models.CharField(_("language (ISO 639-1)"), max_length=8)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "field", "language"], name="activity_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.field} [{self.language}]"
