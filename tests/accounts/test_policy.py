"""The access policy, walked as a matrix: every action and every visibility line, for every role."""

import pytest
from auditlog.models import LogEntry

from hrtc.accounts import policy
from hrtc.accounts.models import ApiToken, Membership, Organisation
from hrtc.assistance.models import Activity, Offer
from hrtc.funds.models import Donor
from hrtc.practices.models import Practice
from hrtc.recommendations.models import Assessment, Pledge, Recommendation
from hrtc.reference.models import SdgTarget, State
from tests.base import EVERYONE, ROLES, SIGNED_IN, make_request, make_token

ADMIN = {"platform_admin"}
OHCHR_WRITERS = {"ohchr_officer", "ohchr_admin"}
KENYA_WRITERS = {"kenya_focal_point", "kenya_admin"}
STATE_WRITERS = KENYA_WRITERS | {"slovenia_focal_point"}


KENYA_DECIDERS = {"kenya_focal_point", "kenya_admin"}


def submitted_request(people):
    """A Kenyan request, submitted, shared with OHCHR only."""
    return make_request(people, title="Training", needs="Training")


def kenyan(people):
    return Recommendation(state_under_review_id="KEN")


# (action, object built from people or None, roles allowed). Every action in policy.ACTIONS must appear.
ACTION_MATRIX = [
    ("reference.view", None, EVERYONE),
    ("reference.manage", None, ADMIN),
    ("audit.view", None, ADMIN),
    ("accounts.organisation.view", None, EVERYONE),
    ("accounts.organisation.create", None, ADMIN),
    ("accounts.organisation.manage", lambda p: p.organisations["gov_ken"], ADMIN | {"kenya_admin"}),
    ("accounts.organisation.manage", lambda p: p.organisations["ohchr"], ADMIN | {"ohchr_admin"}),
    (
        "accounts.membership.manage",
        lambda p: Membership(organisation=p.organisations["gov_ken"]),
        ADMIN | {"kenya_admin"},
    ),
    ("accounts.membership.manage", lambda p: Membership(organisation=p.organisations["cso"]), ADMIN),
    # A State's government organisation: only its own administrators add members or change roles.
    (
        "accounts.membership.manage_government",
        lambda p: Membership(organisation=p.organisations["gov_ken"]),
        {"kenya_admin"},
    ),
    (
        "accounts.membership.manage_government",
        lambda p: Membership(organisation=p.organisations["gov_svn"]),
        frozenset(),
    ),
    (
        "accounts.membership.deactivate",
        lambda p: Membership(organisation=p.organisations["gov_ken"]),
        ADMIN | {"kenya_admin"},
    ),
    ("accounts.token.create", None, SIGNED_IN),
    ("accounts.token.revoke", lambda p: make_token(p.kenya_focal_point)[0], ADMIN | {"kenya_focal_point"}),
    ("recommendations.import", None, ADMIN | OHCHR_WRITERS | STATE_WRITERS),
    ("recommendations.import_for_state", kenyan, ADMIN | OHCHR_WRITERS | KENYA_WRITERS),
    ("recommendations.edit", kenyan, ADMIN | OHCHR_WRITERS | KENYA_WRITERS),
    (
        "recommendations.edit",
        lambda p: Recommendation(state_under_review_id="SVN"),
        ADMIN | OHCHR_WRITERS | {"slovenia_focal_point"},
    ),
    (
        "recommendations.assess",
        kenyan,
        ADMIN
        | OHCHR_WRITERS
        | KENYA_WRITERS
        | {"unwomen_officer", "unct_officer", "nhri_member", "cso_member"},
    ),
    (
        "recommendations.assess",
        lambda p: Pledge(state_id="SVN"),
        ADMIN
        | OHCHR_WRITERS
        | {"slovenia_focal_point", "unwomen_officer", "unct_officer", "nhri_member", "cso_member"},
    ),
    ("recommendations.assess_internal", kenyan, ADMIN | KENYA_WRITERS),
    (
        "recommendations.assess_internal",
        lambda p: Assessment(recommendation=Recommendation(state_under_review_id="SVN")),
        ADMIN | {"slovenia_focal_point"},
    ),
    ("recommendations.cluster", None, ADMIN | OHCHR_WRITERS),
    ("linking.review", kenyan, ADMIN | OHCHR_WRITERS | KENYA_WRITERS),
    ("linking.manage", None, ADMIN | OHCHR_WRITERS),
    ("assistance.request.create", None, STATE_WRITERS),
    ("assistance.request.edit", lambda p: submitted_request(p), KENYA_WRITERS),
    ("assistance.request.submit", lambda p: submitted_request(p), KENYA_DECIDERS),
    ("assistance.request.consent", lambda p: submitted_request(p), KENYA_DECIDERS),
    ("assistance.request.decide", lambda p: submitted_request(p), OHCHR_WRITERS),
    (
        "assistance.request.view_full",
        lambda p: submitted_request(p),
        ADMIN | KENYA_DECIDERS | {"kenya_viewer"} | OHCHR_WRITERS,
    ),
    ("assistance.offer.create", None, OHCHR_WRITERS | {"unwomen_officer", "unct_officer"}),
    ("assistance.offer.edit", lambda p: Offer(provider=p.organisations["ohchr"]), ADMIN | OHCHR_WRITERS),
    (
        "assistance.activity.create",
        lambda p: Activity(lead_provider=p.organisations["unwomen"]),
        {"unwomen_officer"},
    ),
    (
        "assistance.activity.edit",
        lambda p: Activity(lead_provider=p.organisations["unwomen"]),
        ADMIN | {"unwomen_officer"},
    ),
    ("assistance.activity.consent", lambda p: Activity(state_id="KEN"), KENYA_DECIDERS),
    # A provider's inbox: its own members (every role), and platform administrators.
    (
        "assistance.provider.inbox",
        lambda p: p.organisations["ohchr"],
        ADMIN | {"ohchr_officer", "ohchr_admin"},
    ),
    ("assistance.provider.inbox", lambda p: p.organisations["unwomen"], ADMIN | {"unwomen_officer"}),
    # Good practices: anyone signed in submits; the author (or their organisation's writers) edits; OHCHR moderates.
    ("practices.submit", None, SIGNED_IN),
    (
        "practices.edit",
        lambda p: Practice(submitted_by=p.cso_member, organisation=p.organisations["cso"]),
        ADMIN | {"cso_member"},
    ),
    (
        "practices.edit",
        lambda p: Practice(submitted_by=p.kenya_viewer, organisation=p.organisations["gov_ken"]),
        ADMIN | KENYA_WRITERS | {"kenya_viewer"},
    ),
    ("practices.moderate", None, ADMIN | OHCHR_WRITERS),
    # Voluntary funds: fund officers manage and read the ledger; a donor's own members see its records.
    ("funds.manage", None, ADMIN | OHCHR_WRITERS),
    ("funds.view_ledger", None, ADMIN | OHCHR_WRITERS),
    # Open data: importing other publishers' IATI files.
    ("opendata.import_iati", None, ADMIN | OHCHR_WRITERS),
    # Reports: anyone signed in generates (over what they may see); OHCHR's writers save and publish.
    ("reports.generate", None, SIGNED_IN),
    ("reports.save", None, ADMIN | OHCHR_WRITERS),
    ("reports.publish", None, ADMIN | OHCHR_WRITERS),
    (
        "funds.view_donor_records",
        lambda p: Donor(organisation=p.organisations["donor"]),
        ADMIN | OHCHR_WRITERS | {"donor"},
    ),
    (
        "funds.view_donor_records",
        lambda p: Donor(state_id="KEN"),
        ADMIN | OHCHR_WRITERS | KENYA_DECIDERS | {"kenya_viewer"},
    ),
]


def test_every_policy_action_is_in_the_matrix():
    assert {row[0] for row in ACTION_MATRIX} == set(policy.ACTIONS)


@pytest.mark.parametrize(
    ("action", "build", "allowed"),
    ACTION_MATRIX,
    ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(ACTION_MATRIX)],
)
def test_action_matrix(people, action, build, allowed):
    obj = build(people) if build else None
    decisions = {role: policy.can(getattr(people, role), action, obj) for role in ROLES}
    assert {role for role, ok in decisions.items() if ok} == set(allowed)


def test_require_names_the_action_and_who_may(people):
    with pytest.raises(policy.AccessDenied, match=r"audit\.view.*platform administrators"):
        policy.require(people.kenya_focal_point, "audit.view")
    with pytest.raises(policy.AccessDenied, match="Signing in"):
        policy.require(None, "accounts.token.create")


def test_an_unknown_action_is_a_programming_error(people):
    with pytest.raises(LookupError, match="no action"):
        policy.can(people.platform_admin, "nonsense.do")


def test_a_model_missing_from_the_visibility_table_is_seen_by_nobody(people):
    from django.contrib.sessions.models import Session

    with pytest.raises(LookupError, match="no visibility"):
        policy.visible(people.platform_admin, Session.objects.all())


def visible_ids(user, queryset):
    return set(policy.visible(user, queryset).values_list("pk", flat=True))


def test_reference_data_and_organisations_are_public(people):
    for role in ROLES:
        user = getattr(people, role)
        assert policy.visible(user, State.objects.all()).count() == 195
        assert policy.visible(user, SdgTarget.objects.all()).count() == 169
        assert visible_ids(user, Organisation.objects.all()) == set(
            Organisation.objects.values_list("pk", flat=True)
        )


def test_memberships_are_seen_by_members_of_the_same_organisation(people):
    everything = set(Membership.objects.values_list("pk", flat=True))
    for role in ROLES:
        user = getattr(people, role)
        seen = visible_ids(user, Membership.objects.all())
        if role == "platform_admin":
            assert seen == everything
        elif user is None:
            assert seen == set()
        else:
            own_orgs = set(Membership.objects.filter(user=user).values_list("organisation", flat=True))
            assert seen == set(
                Membership.objects.filter(organisation__in=own_orgs).values_list("pk", flat=True)
            )
    kenya_seats = visible_ids(people.kenya_viewer, Membership.objects.all())
    assert len(kenya_seats) == 3  # focal point, viewer and admin of the Government of Kenya


def test_tokens_are_seen_by_their_owner_only(people):
    tokens = {role: make_token(getattr(people, role))[0].pk for role in SIGNED_IN}
    for role in ROLES:
        seen = visible_ids(getattr(people, role), ApiToken.objects.all())
        if role == "platform_admin":
            assert seen == set(tokens.values())
        elif role == "anonymous":
            assert seen == set()
        else:
            assert seen == {tokens[role]}


def test_the_audit_log_is_seen_by_platform_admins_only(people):
    assert LogEntry.objects.exists()
    for role in ROLES:
        count = policy.visible(getattr(people, role), LogEntry.objects.all()).count()
        assert (count == LogEntry.objects.count()) if role == "platform_admin" else count == 0


def test_a_deactivated_organisation_gives_its_members_no_rights(people):
    org = people.organisations["gov_ken"]
    org.is_active = False
    org.save()
    admin = people.kenya_admin
    policy.forget(admin)
    assert not policy.can(admin, "accounts.organisation.manage", org)


def test_the_policy_table_describes_every_line():
    rows = dict(policy.table())
    assert rows["audit.view"] == "platform administrators"
    assert "see accounts.apitoken" in rows
    assert all(who for who in rows.values())
