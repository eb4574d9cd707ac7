from django.db import models
from django.utils.translation import gettext_lazy as _


class UnStatus(models.TextChoices):
    MEMBER = "member", _("Member State")
    OBSERVER = "observer", _("Non-member observer State")


class RegionalGroup(models.TextChoices):
    """The UN regional groups used for elections to the Human Rights Council."""

    AFRICAN = "AFRICAN", _("African Group")
    ASIA_PACIFIC = "ASIA_PACIFIC", _("Asia-Pacific Group")
    EASTERN_EUROPEAN = "EASTERN_EUROPEAN", _("Eastern European Group")
    GRULAC = "GRULAC", _("Latin American and Caribbean Group")
    WEOG = "WEOG", _("Western European and others Group")


class MechanismKind(models.TextChoices):
    UPR = "upr", _("Universal Periodic Review")
    TREATY_BODY = "treaty_body", _("Treaty body")
    SPECIAL_PROCEDURES = "special_procedures", _("Special procedures")


class ThemeVocabulary(models.TextChoices):
    UHRI = "uhri", _("Universal Human Rights Index (OHCHR)")
    UPRINFO = "uprinfo", _("UPR Info issues")
