from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrtc.recommendations.choices import AssessmentSource, ClusterMethod, ImplementationStatus, Response


class ResponsibleEntity(models.Model):
    """A national body responsible for implementing recommendations (a ministry, an agency, ...)."""

    state = models.ForeignKey(
        "reference.State", on_delete=models.PROTECT, related_name="responsible_entities"
    )
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["state", "name"], name="responsible_entity_unique")]

    def __str__(self) -> str:
        return self.acronym or self.name


class Cluster(models.Model):
    """Near-duplicate recommendations to one State (the same ask across cycles, States and mechanisms)."""

    state_under_review = models.ForeignKey(
        "reference.State", on_delete=models.PROTECT, related_name="clusters"
    )
    label = models.CharField(_("label"), max_length=300)
    method = models.CharField(max_length=20, choices=ClusterMethod.choices, default=ClusterMethod.AUTOMATIC)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state_under_review", "label"]

    def __str__(self) -> str:
        return self.label


class Trackable(models.Model):
    """What recommendations and pledges share: text, provenance, themes and a public status."""

    natural_key = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="Stable identity across re-imports (a hash of the source's identity).",
    )
    fingerprint = models.CharField(
        max_length=64,
        editable=False,
        help_text="Hash of the imported content, to tell 'unchanged' from 'updated'.",
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="en")
    cycle = models.PositiveSmallIntegerField(_("UPR cycle"), null=True, blank=True)
    session = models.PositiveSmallIntegerField(_("session"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    public_status = models.CharField(
        _("implementation status"),
        max_length=30,
        blank=True,
        db_index=True,
        choices=ImplementationStatus.choices,
        help_text="The latest public assessment's status, kept by the services.",
    )
    source_format = models.CharField(max_length=40, blank=True)
    import_batch = models.ForeignKey(  # the import that last wrote it
        "core.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Recommendation(Trackable):
    state_under_review = models.ForeignKey(
        "reference.State", on_delete=models.PROTECT, related_name="recommendations_received"
    )
    mechanism = models.ForeignKey(
        "reference.Mechanism", on_delete=models.PROTECT, related_name="recommendations"
    )
    recommending_states = models.ManyToManyField(
        "reference.State", blank=True, related_name="recommendations_made"
    )
    recommending_body = models.CharField(_("recommending body"), max_length=300, blank=True)
    document_symbol = models.CharField(_("document symbol"), max_length=100, blank=True, db_index=True)
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True)
    response = models.CharField(
        _("response"), max_length=20, choices=Response.choices, blank=True, db_index=True
    )
    response_source = models.CharField(_("source of response"), max_length=200, blank=True)
    action_category = models.PositiveSmallIntegerField(_("UPR Info action category"), null=True, blank=True)
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="recommendations")
    affected_groups = models.ManyToManyField(
        "reference.AffectedGroup", blank=True, related_name="recommendations"
    )
    sdg_goals = models.ManyToManyField(
        "reference.SdgGoal",
        blank=True,
        related_name="recommendations",
        help_text="SDG goals given by the source (e.g. OHCHR's matrices).",
    )
    sdg_targets = models.ManyToManyField("reference.SdgTarget", blank=True, related_name="recommendations")
    responsible_entities = models.ManyToManyField(
        ResponsibleEntity, blank=True, related_name="recommendations"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )

    class Meta:
        ordering = ["state_under_review", "-cycle", "paragraph", "id"]
        indexes = [models.Index(fields=["state_under_review", "mechanism", "cycle"])]

    def __str__(self) -> str:
        where = self.document_symbol or (f"session {self.session}" if self.session else "")
        return f"{self.state_under_review_id} {where} {self.paragraph}".strip() + f": {self.text[:80]}"


class Pledge(Trackable):
    """A voluntary pledge or commitment made by a State (e.g. at its UPR)."""

    state = models.ForeignKey("reference.State", on_delete=models.PROTECT, related_name="pledges")
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="pledges")

    class Meta:
        ordering = ["state", "-session", "id"]

    def __str__(self) -> str:
        return f"{self.state_id} pledge: {self.text[:80]}"


class Assessment(models.Model):
    """One entry in the implementation-status history of a recommendation or a pledge."""

    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    status = models.CharField(_("status"), max_length=30, choices=ImplementationStatus.choices)
    as_of = models.DateField(_("as of"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=1000)
    source = models.CharField(_("source"), max_length=20, choices=AssessmentSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    internal = models.BooleanField(
        _("internal to the State"),
        default=False,
        help_text=_(
            "Seen only by the State's government, the author's organisation and platform administrators."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recommendation__isnull=False) & Q(pledge__isnull=True))
                | (Q(recommendation__isnull=True) & Q(pledge__isnull=False)),
                name="assessment_has_one_subject",
            ),
        ]

    @property
    def subject(self) -> Recommendation | Pledge:
        return self.recommendation or self.pledge

    def __str__(self) -> str:
        return f"{self.get_status_display()} as of {self.as_of}"
