from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    STATE = "state", _("State (government)")
    OHCHR = "ohchr", _("OHCHR")
    UN_AGENCY = "un_agency", _("UN agency, fund or programme")
    UNCT = "unct", _("UN country team")
    REGIONAL = "regional_org", _("Regional organisation")
    NHRI = "nhri", _("National human rights institution")
    CSO = "cso", _("Civil-society organisation")
    DONOR = "donor", _("Donor")


#: Organisations that provide technical assistance (resolution 48/24, op. 7).
PROVIDER_KINDS = frozenset(
    {OrganisationKind.OHCHR, OrganisationKind.UN_AGENCY, OrganisationKind.UNCT, OrganisationKind.REGIONAL}
)
#: UN bodies: OHCHR, the agencies, funds and programmes, and the country teams.
UN_KINDS = frozenset({OrganisationKind.OHCHR, OrganisationKind.UN_AGENCY, OrganisationKind.UNCT})


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    FOCAL_POINT = "focal_point", _("Focal point")
    ADMIN = "admin", _("Administrator")
