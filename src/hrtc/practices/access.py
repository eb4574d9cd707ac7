"""The good-practices app's actions in the access policy (who sees what: practices/disclosure.py)."""

from __future__ import annotations

from typing import Any

from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.policy import (
    PLATFORM_ADMIN,
    SIGNED_IN,
    WRITE_ROLES,
    Principal,
    Rule,
    Scope,
    member_of,
)


def _practice_author(p: Principal, practice: Any) -> bool:
    if practice is None:
        return False
    if p.user_id is not None and getattr(practice, "submitted_by_id", None) == p.user_id:
        return True
    org_id = getattr(practice, "organisation_id", None)
    return org_id is not None and org_id in p.organisation_ids(WRITE_ROLES)


PRACTICE_AUTHOR = Rule(_practice_author, "the author, or writers of the organisation they submitted for")
#: Good practices: OHCHR's writers moderate (with platform administrators).
PRACTICE_MODERATORS = PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES)


ACTIONS: dict[str, Rule] = {
    # Good practices: any signed-in stakeholder submits; the author edits until it is taken up; moderators decide.
    "practices.submit": SIGNED_IN,
    "practices.edit": PRACTICE_AUTHOR | PLATFORM_ADMIN,
    "practices.moderate": PRACTICE_MODERATORS,
}

VISIBILITY: dict[str, Scope] = {}
