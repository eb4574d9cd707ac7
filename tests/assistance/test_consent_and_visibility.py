"""Consent decides who sees a request (resolution 48/24, op. 2: "with the consent of the State concerned").

The requesting State's government and platform administrators see it always; the providers the State consented
to see it in full once it is submitted, never as a draft; everyone, signed in or not, sees its summary when the
State allowed publication and it is neither a draft nor withdrawn. Only the State's government focal points
and administrators give, narrow or withdraw consent; every change is recorded, and visibility follows at once.
"""

import pytest
from auditlog.models import LogEntry

from hrtc.accounts import policy
from hrtc.accounts.policy import AccessDenied
from hrtc.assistance import selectors, services
from hrtc.assistance.choices import FeedKind
from hrtc.assistance.choices import RequestStatus as S
from hrtc.assistance.models import ConsentRecord, FeedEvent, RequestEvent
from hrtc.core.exceptions import InvalidInput
from tests.assistance.test_lifecycle import request_in
from tests.base import EVERYONE, ROLES, make_request

#: Whoever sees every Kenyan request, whatever its status and consent.
KENYA_AND_ADMINS = frozenset({"kenya_focal_point", "kenya_viewer", "kenya_admin", "platform_admin"})
#: The members of OHCHR, the one provider the requests below are shared with.
OHCHR = frozenset({"ohchr_officer", "ohchr_admin"})
CONSENT_GIVERS = frozenset({"kenya_focal_point", "kenya_admin"})


def seeing(people, req) -> tuple[set[str], set[str]]:
    """Who finds the request in their list, and who may read it in full."""
    listed = {r for r in ROLES if selectors.requests_visible(getattr(people, r)).filter(pk=req.pk).exists()}
    full = {r for r in ROLES if policy.can(getattr(people, r), "assistance.request.view_full", req)}
    return listed, full


def consent(people, req, providers, publish=False, by="kenya_focal_point", reason=""):
    return services.request_set_consent(
        request=req,
        by=getattr(people, by),
        providers=[people.organisations[p] for p in providers],
        publish_summary=publish,
        reason=reason,
    )


@pytest.mark.parametrize(
    ("status", "publish"),
    [
        (S.DRAFT, True),
        (S.SUBMITTED, False),
        (S.SUBMITTED, True),
        (S.UNDER_REVIEW, False),
        (S.DECLINED, True),
        (S.COMPLETED, True),
        (S.WITHDRAWN, True),
    ],
)
def test_who_sees_a_request_follows_its_status_and_consent(people, status, publish):
    req = request_in(people, status, providers=("ohchr",), publish=publish)
    full = KENYA_AND_ADMINS | (set() if status == S.DRAFT else OHCHR)
    summary_public = publish and status not in (S.DRAFT, S.WITHDRAWN)
    assert seeing(people, req) == (EVERYONE if summary_public else full, full)


def test_a_draft_is_never_shown_to_a_provider_even_one_the_state_consented_to(people):
    req = make_request(people, providers=("ohchr", "unwomen", "unct_ken"), publish=True, submit=False)
    consent(people, req, ["unwomen"], publish=True)
    assert seeing(people, req) == (KENYA_AND_ADMINS, KENYA_AND_ADMINS)
    assert not selectors.requests_visible(None).filter(pk=req.pk).exists()


def test_narrowing_then_withdrawing_consent_hides_the_request_from_the_provider_at_once(people):
    req = request_in(people, S.UNDER_REVIEW, providers=("ohchr", "unwomen"))
    unwomen, ohchr = people.unwomen_officer, people.ohchr_officer
    assert seeing(people, req)[1] == KENYA_AND_ADMINS | OHCHR | {"unwomen_officer"}

    consent(people, req, ["ohchr"], reason="OHCHR alone for now")
    assert not selectors.requests_visible(unwomen).filter(pk=req.pk).exists()
    assert not policy.can(unwomen, "assistance.request.view_full", req)
    assert not policy.visible(unwomen, RequestEvent.objects.filter(request=req)).exists()  # nor its timeline
    assert seeing(people, req) == (KENYA_AND_ADMINS | OHCHR, KENYA_AND_ADMINS | OHCHR)

    consent(people, req, [], reason="We will do it ourselves")
    assert not selectors.requests_visible(ohchr).filter(pk=req.pk).exists()
    assert not policy.can(ohchr, "assistance.request.view_full", req)
    assert seeing(people, req) == (KENYA_AND_ADMINS, KENYA_AND_ADMINS)


def test_widening_consent_shows_the_request_to_the_new_provider_at_once(people):
    req = request_in(people, S.SUBMITTED, providers=("ohchr",))
    assert not policy.can(people.unct_officer, "assistance.request.view_full", req)
    consent(people, req, ["ohchr", "unct_ken"])
    assert policy.can(people.unct_officer, "assistance.request.view_full", req)
    assert selectors.requests_visible(people.unct_officer).filter(pk=req.pk).exists()


def test_a_provider_that_loses_consent_keeps_only_what_the_public_sees(people):
    req = request_in(people, S.SUBMITTED, providers=("ohchr", "unwomen"), publish=True)
    consent(people, req, ["ohchr"], publish=True)
    assert selectors.requests_visible(people.unwomen_officer).filter(pk=req.pk).exists()  # the summary
    assert not policy.can(people.unwomen_officer, "assistance.request.view_full", req)
    consent(people, req, ["ohchr"], publish=False)
    assert not selectors.requests_visible(people.unwomen_officer).filter(pk=req.pk).exists()
    assert not selectors.requests_visible(None).filter(pk=req.pk).exists()


def test_every_consent_change_is_recorded_with_who_why_and_what_changed(people):
    req = request_in(people, S.SUBMITTED, providers=("unwomen", "ohchr"))
    consent(people, req, ["ohchr"], publish=True, by="kenya_admin", reason="Narrowed to OHCHR")
    consent(people, req, [], reason="Withdrawn")
    assert [(r.providers, r.publish_summary, r.by, r.reason) for r in req.consent_history.all()] == [
        (["ohchr", "unwomen"], False, people.kenya_focal_point, ""),
        (["ohchr"], True, people.kenya_admin, "Narrowed to OHCHR"),
        ([], False, people.kenya_focal_point, "Withdrawn"),
    ]
    req.refresh_from_db()
    assert (req.consent_given_by, req.consent_publish_summary) == (people.kenya_focal_point, False)
    changes = LogEntry.objects.filter(object_pk=str(req.pk), additional_data__event="request.consent")
    assert [(e.additional_data["added"], e.additional_data["removed"]) for e in changes.order_by("pk")] == [
        (["ohchr", "unwomen"], []),
        ([], ["unwomen"]),
        ([], ["ohchr"]),
    ]
    # Once submitted, each change is news for the providers: it goes to the feed.
    assert FeedEvent.objects.filter(request=req, kind=FeedKind.CONSENT_CHANGED).count() == 2


def test_only_the_states_focal_points_and_administrators_give_consent(people):
    req = request_in(people, S.SUBMITTED, providers=("ohchr",))

    def current():
        req.refresh_from_db()
        codes = sorted(req.consent_providers.values_list("code", flat=True))
        return codes, req.consent_publish_summary, req.consent_history.count()

    for role in ROLES:
        before = current()
        if role in CONSENT_GIVERS:
            consent(people, req, ["ohchr", "unwomen"], by=role)
            assert current() == (["ohchr", "unwomen"], False, before[2] + 1)
            continue
        with pytest.raises(AccessDenied):  # platform administrators too: consent is the State's own
            consent(people, req, ["ohchr", "unwomen", "unct_ken"], publish=True, by=role)
        assert current() == before, role


def test_consent_goes_to_providers_only(people):
    req = make_request(people, providers=("ohchr",), submit=False)
    for other in ("gov_svn", "nhri", "cso", "donor"):
        with pytest.raises(InvalidInput) as refused:
            consent(people, req, ["ohchr", other])
        assert refused.value.field == "providers"
    assert list(req.consent_providers.values_list("code", flat=True)) == ["ohchr"]
    assert req.consent_history.count() == 1


def test_the_consent_history_is_seen_by_the_state_and_platform_administrators_only(people):
    req = request_in(people, S.SUBMITTED, providers=("ohchr",), publish=True)
    consent(people, req, ["ohchr", "unwomen"], publish=True)
    for role in ROLES:
        sees = policy.visible(getattr(people, role), ConsentRecord.objects.filter(request=req)).count()
        assert sees == (2 if role in KENYA_AND_ADMINS else 0), role
