"""The reports app's lines of the access policy: generating, saving and publishing reports; runs and
saved reports."""

from __future__ import annotations

from django.db.models import Q

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


def _saved_reports(p: Principal, via: str = "") -> Q | bool:
    """Published report versions: everyone; the others: OHCHR's members, whoever saved them, administrators."""
    if p.is_platform_admin or p.seats_where(kinds={OrganisationKind.OHCHR}):
        return True
    condition = Q(**{f"{via}is_published": True})
    return condition | Q(**{f"{via}created_by_id": p.user_id}) if p.user_id is not None else condition


def _report_runs(p: Principal) -> Q | bool:
    if p.is_platform_admin:
        return True
    return Q(requested_by_id=p.user_id) if p.user_id is not None else False


ACTIONS: dict[str, Rule] = {
    # Reports: anyone signed in generates reports over the data they may see (or public data only); saving a
    # report as a document with a symbol and publishing it to the portal is OHCHR's editorial act.
    "reports.generate": SIGNED_IN,
    "reports.save": PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES),
    "reports.publish": PLATFORM_ADMIN | member_of(OrganisationKind.OHCHR, roles=WRITE_ROLES),
}

VISIBILITY: dict[str, Scope] = {
    # Reports: a run (one generation) is its requester's; saved reports are public once published.
    "reports.reportrun": Scope(_report_runs, "whoever asked for it; administrators"),
    "reports.savedreport": Scope(
        _saved_reports, "published: everyone; otherwise OHCHR's members, whoever saved it, administrators"
    ),
    "reports.reportfile": Scope(lambda p: _saved_reports(p, "report__"), "whoever sees the saved report"),
}
