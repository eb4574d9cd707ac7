from django.db import models
from django.utils.translation import gettext_lazy as _


class Response(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOTED = "noted", _("Noted")
    PENDING = "pending", _("Pending")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (treaty bodies, special procedures)")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PARTIALLY = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")


class AssessmentSource(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    NHRI = "nhri", _("National human rights institution")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    UN = "un", _("United Nations")


class ClusterMethod(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic (text similarity)")
    MANUAL = "manual", _("Edited by hand")
