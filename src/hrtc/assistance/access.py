"""The assistance app's actions in the access policy. Who sees requests, activities, offers and their
histories is their disclosure decisions (assistance/disclosure.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrtc.accounts.choices import PROVIDER_KINDS, OrganisationKind
from hrtc.accounts.policy import (
    ALL_ROLES,
    PLATFORM_ADMIN,
    STATE_DECIDERS,
    WRITE_ROLES,
    Principal,
    Rule,
    Scope,
    for_the_state,
    in_the_organisation,
    member_of,
    reads_in_full,
    roles_text,
)
from hrtc.assistance.choices import RequestStatus


def request_state(obj: Any) -> str | None:
    return getattr(obj, "requesting_state_id", None)


def _consented(roles: frozenset[str]) -> Callable[[Principal, Any], bool]:
    def test(p: Principal, request: Any) -> bool:
        if request is None or getattr(request, "pk", None) is None or request.status == RequestStatus.DRAFT:
            return False
        mine = p.organisation_ids(roles)
        return bool(mine) and request.consent_providers.filter(pk__in=mine).exists()

    return test


CONSENTED_PROVIDER = Rule(_consented(ALL_ROLES), "members of a provider the State consented to")
CONSENTED_PROVIDER_WRITER = Rule(
    _consented(WRITE_ROLES), f"members of a provider the State consented to ({roles_text(WRITE_ROLES)})"
)


ACTIONS: dict[str, Rule] = {
    # Assistance. A request is the State's: only its government drafts, submits, withdraws it and gives consent
    # (platform administrators cannot consent on a State's behalf); only providers it consented to decide on it.
    "assistance.request.create": member_of(OrganisationKind.STATE, roles=WRITE_ROLES),
    "assistance.request.edit": for_the_state(WRITE_ROLES, request_state),
    "assistance.request.submit": for_the_state(STATE_DECIDERS, request_state),
    "assistance.request.consent": for_the_state(STATE_DECIDERS, request_state),
    "assistance.request.decide": CONSENTED_PROVIDER_WRITER,
    "assistance.request.view_full": Rule(
        lambda p, o: reads_in_full(p, o), "whoever reads the request in full (its disclosure decision)"
    ),
    "assistance.offer.create": member_of(*PROVIDER_KINDS, roles=WRITE_ROLES),
    "assistance.offer.edit": PLATFORM_ADMIN | in_the_organisation(WRITE_ROLES, attr="provider_id"),
    "assistance.activity.create": in_the_organisation(WRITE_ROLES, attr="lead_provider_id"),
    "assistance.activity.edit": PLATFORM_ADMIN | in_the_organisation(WRITE_ROLES, attr="lead_provider_id"),
    "assistance.activity.consent": for_the_state(STATE_DECIDERS),
    # A provider's inbox (requests shared with it, its offers and activities): its own members.
    "assistance.provider.inbox": PLATFORM_ADMIN | in_the_organisation(attr="pk"),
}

VISIBILITY: dict[str, Scope] = {}
