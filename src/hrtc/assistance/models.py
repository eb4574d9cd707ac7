from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrtc.assistance.choices import ActivityStatus, FeedKind, GenderMarker, Modality, RequestStatus
from hrtc.core.append_only import AppendOnly


class AssistanceRequest(models.Model):
    """A State's request for technical assistance, on its own needs and priorities, shared only with consent."""

    requesting_state = models.ForeignKey("reference.State", on_delete=models.PROTECT, related_name="requests")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    needs = models.TextField(_("needs"))
    priorities = models.JSONField(_("priorities, most important first"), default=list, blank=True)
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices)
    language = models.CharField(_("working language"), max_length=8, default="en")
    timeframe_start = models.DateField(_("wanted from"), null=True, blank=True)
    timeframe_end = models.DateField(_("wanted until"), null=True, blank=True)
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="requests")
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="requests"
    )
    pledges = models.ManyToManyField("recommendations.Pledge", blank=True, related_name="requests")
    sdg_targets = models.ManyToManyField(
        "reference.SdgTarget",
        blank=True,
        related_name="requests",
        help_text=_("Targets added directly; those of linked recommendations follow."),
    )
    desired_providers = models.ManyToManyField("accounts.Organisation", blank=True, related_name="desired_in")
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT, db_index=True
    )
    # The consent record (its history is in ConsentRecord): who may see the request, whether its summary is public.
    consent_providers = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="requests_shared"
    )
    consent_publish_summary = models.BooleanField(_("summary may be published"), default=False)
    consent_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timeframe_end__isnull=True)
                | Q(timeframe_start__isnull=True)
                | Q(timeframe_end__gte=models.F("timeframe_start")),
                name="request_timeframe_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requesting_state_id}: {self.title}"


class RequestEvent(AppendOnly):
    """One step of a request's lifecycle, for its timeline (also in the audit log). Append-only."""

    mutable_fields = ("by", "organisation")  # nulled when the account or organisation is deleted

    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '—'} → {self.to_status}"


class ConsentRecord(AppendOnly):
    """A snapshot of the consent each time it is given, narrowed, widened or withdrawn. Append-only: a request
    with a consent history cannot be deleted, and the database refuses to rewrite an entry."""

    mutable_fields = ("by",)  # nulled when the account or organisation is deleted

    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="consent_history")
    providers = models.JSONField(default=list, help_text="Organisation codes that may see the request.")
    publish_summary = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: consent to {', '.join(self.providers) or 'nobody'}"


class Offer(models.Model):
    """Support available: what a provider offers (resolution 48/24, op. 7)."""

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices)
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="offers")
    languages = models.JSONField(_("languages (ISO 639-1)"), default=list, blank=True)
    regional_groups = models.JSONField(_("UN regional groups served (empty: all)"), default=list, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("requests it can take per year"), null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider__name", "title"]

    def __str__(self) -> str:
        return f"{self.provider}: {self.title}"


class Activity(models.Model):
    """Support provided: an activity in a State, led by a provider, with partners."""

    lead_provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="activities_led"
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="activities_partnered"
    )
    state = models.ForeignKey("reference.State", on_delete=models.PROTECT, related_name="activities")
    request = models.ForeignKey(
        AssistanceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    state_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For an activity without a request."),
    )
    state_consent_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    budget_amount = models.DecimalField(
        _("budget"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_currency = models.ForeignKey(
        "reference.Currency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gender_marker = models.PositiveSmallIntegerField(
        _("gender equality marker"), choices=GenderMarker.choices, default=GenderMarker.NOT_TARGETED
    )
    participants_women = models.PositiveIntegerField(_("women participants"), default=0)
    participants_men = models.PositiveIntegerField(_("men participants"), default=0)
    participants_other = models.PositiveIntegerField(_("other / not stated"), default=0)
    outputs = models.TextField(_("outputs"), blank=True)
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="activities")
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="activities"
    )
    sdg_targets = models.ManyToManyField("reference.SdgTarget", blank=True, related_name="activities")
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "-id"]
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="activity_planned_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="activity_actual_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_currency__isnull=False),
                name="activity_budget_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(gender_marker__in=[0, 1, 2]), name="activity_gender_marker_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id}: {self.title}"

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other

    @property
    def has_state_consent(self) -> bool:
        return self.request_id is not None or self.state_consent_at is not None


class ActivityParticipantGroup(models.Model):
    """Participants of an activity who belong to an affected group (e.g. 40 persons with disabilities)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participant_groups")
    group = models.ForeignKey("reference.AffectedGroup", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "group"], name="participant_group_unique")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.count}"


class FeedEvent(models.Model):
    """The information-exchange feed (op. 8): what happened, about which State, by which provider."""

    kind = models.CharField(max_length=30, choices=FeedKind.choices)
    state = models.ForeignKey(
        "reference.State", null=True, blank=True, on_delete=models.CASCADE, related_name="feed_events"
    )
    provider = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="feed_events"
    )
    request = models.ForeignKey(
        AssistanceRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary
