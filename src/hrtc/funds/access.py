"""The voluntary funds' lines of the access policy: fund officers, donors' and grantees' records."""

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
    in_the_organisation,
    member_of,
    own_tokens,
)

#: Voluntary funds: the fund officers are platform administrators and OHCHR's writers.
FUND_OFFICERS = PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES)


# Voluntary funds: who sees which money movements (the ledger: fund officers only).


def _fund_officer(p: Principal) -> bool:
    return FUND_OFFICERS(p)


def _donor_records(p: Principal, via: str = "") -> Q | bool:
    """Pledges and contributions: fund officers; the donor's organisation; a donor State's government."""
    if _fund_officer(p):
        return True
    return Q(**{f"{via}donor__organisation__in": p.organisation_ids()}) | Q(
        **{f"{via}donor__state__in": p.state_ids()}
    )


def _grant_records(p: Principal, via: str = "") -> Q | bool:
    """Grants and disbursements: fund officers; the grantee State's government; the financed activity's
    lead provider."""
    if _fund_officer(p):
        return True
    states, organisations = p.state_ids(), p.organisation_ids()
    return (
        Q(**{f"{via}state__in": states})
        | Q(**{f"{via}activity__state__in": states})
        | Q(**{f"{via}activity__lead_provider__in": organisations})
    )


def _fund_refunds(p: Principal) -> Q | bool:
    if _fund_officer(p):
        return True
    return (Q(grant__isnull=False) & _grant_records(p, "grant__")) | (
        Q(contribution__isnull=False) & _donor_records(p, "contribution__")
    )


ACTIONS: dict[str, Rule] = {
    # Voluntary funds. Fund officers (platform administrators and OHCHR's writers) record every money
    # movement and read the ledger; a donor's own members (its organisation, or the government of a donor
    # State) see the donor's pledges and contributions. Statements are aggregates and public.
    "funds.manage": FUND_OFFICERS,
    "funds.view_ledger": FUND_OFFICERS,
    "funds.view_donor_records": FUND_OFFICERS | in_the_organisation() | for_the_state(),
}

VISIBILITY: dict[str, Scope] = {
    # Voluntary funds. Everyone sees the funds' statements (aggregates) and the donors and exchange rates
    # behind them; rows of money movements only their parties and fund officers; the ledger fund officers.
    "funds.donor": PUBLIC,
    "funds.exchangerate": PUBLIC,
    "funds.pledge": Scope(_donor_records, "fund officers; the donor's members"),
    "funds.contribution": Scope(_donor_records, "fund officers; the donor's members"),
    "funds.grant": Scope(_grant_records, "fund officers; the grantee State; the activity's lead provider"),
    "funds.disbursement": Scope(
        lambda p: _grant_records(p, "grant__"),
        "fund officers; the grantee State; the activity's lead provider",
    ),
    "funds.refund": Scope(_fund_refunds, "fund officers; the grantee or donor concerned"),
    "funds.ledgertransaction": Scope(_fund_officer, "fund officers (platform administrators, OHCHR writers)"),
    "funds.ledgerentry": Scope(_fund_officer, "fund officers (platform administrators, OHCHR writers)"),
    "funds.idempotencykey": Scope(own_tokens, "the key's owner; administrators"),
}
