"""The open-data app's lines of the access policy."""

from __future__ import annotations

from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.policy import (
    PLATFORM_ADMIN,
    PUBLIC,
    WRITE_ROLES,
    Rule,
    Scope,
    member_of,
)

ACTIONS: dict[str, Rule] = {
    # Open data: importing other publishers' IATI activity files (public data) is an editorial act.
    "opendata.import_iati": PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES),
}

VISIBILITY: dict[str, Scope] = {
    # Open data: activities imported from other publishers' IATI files are public; translations of a
    # published activity's texts follow the activity; the import records are whoever ran them.
    "opendata.externalactivity": PUBLIC,
    "opendata.externalparticipatingorg": PUBLIC,
    "opendata.externalcountry": PUBLIC,
    "opendata.externalsector": PUBLIC,
    "opendata.externaltag": PUBLIC,
    "opendata.externaltransaction": PUBLIC,
}
