"""Every write to organisations, memberships and tokens. Each one checks the policy and is audited."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hrtc.accounts import policy
from hrtc.accounts.choices import OrganisationKind, Role
from hrtc.accounts.models import ApiToken, Membership, Organisation, hash_token
from hrtc.core import audit
from hrtc.core.exceptions import InvalidInput

User = get_user_model()


@transaction.atomic
def organisation_create(
    *, by, code: str, name: str, kind: str, state=None, acronym: str = "", iati_org_ref: str = ""
) -> Organisation:
    policy.require(by, "accounts.organisation.create")
    if kind not in OrganisationKind.values:
        raise InvalidInput(f"Unknown organisation kind {kind!r}.", field="kind")
    if kind in (OrganisationKind.STATE, OrganisationKind.UNCT) and state is None:
        raise InvalidInput("A government or country-team organisation needs its State.", field="state")
    if Organisation.objects.filter(code=code).exists():
        raise InvalidInput(f"An organisation with code {code!r} already exists.", field="code")
    with audit.acting_as(by):
        return Organisation.objects.create(
            code=code, name=name, kind=kind, state=state, acronym=acronym, iati_org_ref=iati_org_ref
        )


def _membership_event(*, by, action: str, membership: Membership, **data) -> None:
    """Name the organisation (and, for a government, its State) in the audit log. A State is to be told of
    every change to its government's members; until hrtc sends notifications, this entry is the record the
    notification will be sent from."""
    organisation = membership.organisation
    audit.record(
        actor=by,
        action=action,
        target=organisation,
        data={
            "organisation": organisation.code,
            "user": membership.user.get_username(),
            "role": membership.role,
            **data,
            "notify_state": organisation.state_id if organisation.kind == OrganisationKind.STATE else None,
        },
    )


@transaction.atomic
def membership_set(*, by, organisation: Organisation, user, role: str) -> Membership:
    """Give `user` `role` in `organisation` (creating or changing the membership). A State's government is the
    State's: only its own administrators add members or change roles there, not platform administrators."""
    action = (
        "accounts.membership.manage_government"
        if organisation.kind == OrganisationKind.STATE
        else "accounts.membership.manage"
    )
    policy.require(by, action, Membership(organisation=organisation))
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; use one of {', '.join(Role.values)}.", field="role")
    with audit.acting_as(by):
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        previous = membership.role
        if not created and previous != role:
            membership.role = role
            membership.save(update_fields=["role"])
    if created:
        _membership_event(by=by, action="membership.add", membership=membership)
    elif previous != role:
        _membership_event(
            by=by, action="membership.change_role", membership=membership, previous_role=previous
        )
    policy.forget(user)
    return membership


@transaction.atomic
def membership_remove(*, by, membership: Membership) -> None:
    """Deactivate a member: their organisation's administrators, or platform administrators (also in a State's
    government, where they may not add anyone)."""
    policy.require(by, "accounts.membership.deactivate", membership)
    with audit.acting_as(by):
        membership.delete()
    _membership_event(by=by, action="membership.remove", membership=membership)
    policy.forget(membership.user)


@transaction.atomic
def token_create(*, by, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token for `by`. Returns the token and its key, which is shown only once."""
    policy.require(by, "accounts.token.create")
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name, e.g. the script that will use it.", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput("The expiry date must be in the future.", field="expires_at")
    key = ApiToken.generate_key()
    with audit.acting_as(by):
        token = ApiToken.objects.create(
            user=by,
            name=name,
            prefix=key[5 : 5 + ApiToken.PREFIX_LENGTH],
            key_hash=hash_token(key),
            expires_at=expires_at,
        )
    return token, key


@transaction.atomic
def token_revoke(*, by, token: ApiToken) -> ApiToken:
    policy.require(by, "accounts.token.revoke", token)
    if token.revoked_at is None:
        with audit.acting_as(by):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
