"""The recommendations app's lines of the access policy (hrtc.accounts.policy): who may act on
recommendations and pledges, and who sees which rows."""

from __future__ import annotations

from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.policy import (
    PLATFORM_ADMIN,
    PUBLIC,
    WRITE_ROLES,
    Rule,
    Scope,
    for_the_state,
    member_of,
    subject_state,
)

ACTIONS: dict[str, Rule] = {
    # Recommendations registry. Recommendations are public documents; assessments may be internal.
    "recommendations.import": PLATFORM_ADMIN
    | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES)
    | member_of(OrganisationKind.STATE, roles=WRITE_ROLES),
    "recommendations.import_for_state": PLATFORM_ADMIN
    | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES)
    | for_the_state(WRITE_ROLES, subject_state),
    "recommendations.edit": PLATFORM_ADMIN
    | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES)
    | for_the_state(WRITE_ROLES, subject_state),
    "recommendations.assess": PLATFORM_ADMIN
    | member_of(OrganisationKind.OHCHR, OrganisationKind.UN_AGENCY, OrganisationKind.UNCT, roles=WRITE_ROLES)
    | member_of(OrganisationKind.NHRI, OrganisationKind.CSO, roles=WRITE_ROLES)
    | for_the_state(WRITE_ROLES, subject_state),
    "recommendations.assess_internal": PLATFORM_ADMIN | for_the_state(WRITE_ROLES, subject_state),
    "recommendations.cluster": PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES),
}

VISIBILITY: dict[str, Scope] = {
    "recommendations.recommendation": PUBLIC,
    "recommendations.pledge": PUBLIC,
    "recommendations.cluster": PUBLIC,
    "recommendations.responsibleentity": PUBLIC,
}
