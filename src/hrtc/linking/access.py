"""The linking app's lines of the access policy: who reviews and manages links, who sees them."""

from __future__ import annotations

from django.db.models import Q

from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.policy import (
    PLATFORM_ADMIN,
    PUBLIC,
    WRITE_ROLES,
    Principal,
    Rule,
    Scope,
    for_the_state,
    member_of,
    scope_for,
    subject_state,
)


def _links_of_visible_subjects(p: Principal) -> Q | bool:
    """A link is seen by whoever sees its subject: the subject's own visibility, asked per linkable model."""
    from hrtc.linking.subjects import LINKABLE

    if p.is_platform_admin:
        return True
    condition = Q(pk__in=[])
    for linkable in LINKABLE.values():
        model = linkable.model
        seen = scope_for(model).apply(p, model._default_manager.all()).values("pk")
        condition |= Q(
            content_type__app_label=linkable.app_label,
            content_type__model=linkable.model_name,
            object_id__in=seen,
        )
    return condition


ACTIONS: dict[str, Rule] = {
    # Linking: SDG and theme links, classifier suggestions and their review.
    "linking.review": PLATFORM_ADMIN
    | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES)
    | for_the_state(WRITE_ROLES, subject_state),
    "linking.manage": PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES),
}

VISIBILITY: dict[str, Scope] = {
    "linking.link": Scope(
        lambda p: _links_of_visible_subjects(p),
        "whoever may see the linked record (its own visibility: a State sees its activities' links)",
    ),
    "linking.classifiermodel": PUBLIC,
}
