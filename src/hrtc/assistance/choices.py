from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Modality(models.TextChoices):
    ADVISORY = "advisory", _("Advisory services")
    TRAINING = "training", _("Training")
    LEGISLATIVE_REVIEW = "legislative_review", _("Legislative review")
    DATA = "data_indicators", _("Data and indicators")
    INSTITUTION_BUILDING = "institution_building", _("Institution-building")
    NMIRF = (
        "nmirf_support",
        _("Support to the national mechanism for implementation, reporting and follow-up"),
    )
    OTHER = "other", _("Other")


class ActivityStatus(models.IntegerChoices):
    """IATI ActivityStatus codelist."""

    PIPELINE = 1, _("Pipeline/identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


class GenderMarker(models.IntegerChoices):
    """OECD-DAC gender equality policy marker (IATI PolicySignificance 0-2)."""

    NOT_TARGETED = 0, _("Not targeted")
    SIGNIFICANT = 1, _("Significant objective")
    PRINCIPAL = 2, _("Principal objective")


class FeedKind(models.TextChoices):
    REQUEST_SUBMITTED = "request.submitted", _("Request submitted")
    REQUEST_DECISION = "request.decision", _("Decision on a request")
    REQUEST_STATUS = "request.status", _("Request status changed")
    CONSENT_CHANGED = "request.consent", _("Consent changed")
    ACTIVITY_CREATED = "activity.created", _("Activity created")
    ACTIVITY_STATUS = "activity.status", _("Activity status changed")
    OFFER_PUBLISHED = "offer.published", _("Support offered")
