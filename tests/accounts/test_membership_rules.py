"""Who changes whose members. A State's government organisation is the State's: only its own administrators
add members or change roles there; platform administrators may only remove (deactivate) a member. Other
organisations: their administrators and platform administrators. A refusal changes nothing and writes nothing."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model

from hrtc.accounts import policy, services
from hrtc.accounts.choices import Role
from hrtc.accounts.models import Membership
from hrtc.assistance import services as assistance
from tests.base import make_request, make_user

ROLES = ("platform_admin", "kenya_admin", "kenya_focal_point", "slovenia_admin", "ohchr_admin")


def slovenia_admin(people):
    user = make_user("slovenia.admin")
    Membership.objects.create(user=user, organisation=people.organisations["gov_svn"], role=Role.ADMIN)
    return user


def add_kenyan_member(people, by):
    return services.membership_set(
        by=by, organisation=people.organisations["gov_ken"], user=people.newcomer, role=Role.VIEWER
    )


def promote_kenyan_member(people, by):
    return services.membership_set(
        by=by, organisation=people.organisations["gov_ken"], user=people.kenya_viewer, role=Role.FOCAL_POINT
    )


def remove_kenyan_member(people, by):
    seat = Membership.objects.get(user=people.kenya_viewer, organisation=people.organisations["gov_ken"])
    return services.membership_remove(by=by, membership=seat)


def add_ohchr_member(people, by):
    return services.membership_set(
        by=by, organisation=people.organisations["ohchr"], user=people.newcomer, role=Role.EDITOR
    )


def remove_ohchr_member(people, by):
    seat = Membership.objects.get(user=people.ohchr_officer, organisation=people.organisations["ohchr"])
    return services.membership_remove(by=by, membership=seat)


# (what, who may do it). Everyone else in ROLES is refused.
MATRIX = [
    (add_kenyan_member, {"kenya_admin"}),
    (promote_kenyan_member, {"kenya_admin"}),
    (remove_kenyan_member, {"platform_admin", "kenya_admin"}),
    (add_ohchr_member, {"platform_admin", "ohchr_admin"}),
    (remove_ohchr_member, {"platform_admin", "ohchr_admin"}),
]
CASES = [(change, role, role in allowed) for change, allowed in MATRIX for role in ROLES]


def seats():
    return set(Membership.objects.values_list("user__username", "organisation__code", "role"))


@pytest.mark.parametrize(
    ("change", "role", "allowed"),
    CASES,
    ids=[f"{c.__name__}-by-{r}-{'allowed' if a else 'refused'}" for c, r, a in CASES],
)
def test_who_may_change_which_memberships(people, change, role, allowed):
    people.users["slovenia_admin"] = slovenia_admin(people)
    people.users["newcomer"] = make_user("newcomer")
    before, log = seats(), LogEntry.objects.count()
    if allowed:
        change(people, by=getattr(people, role))
        assert seats() != before
        assert LogEntry.objects.count() > log
    else:
        with pytest.raises(policy.AccessDenied, match=re.escape("accounts.membership")):
            change(people, by=getattr(people, role))
        assert seats() == before
        assert LogEntry.objects.count() == log


def test_a_platform_admin_cannot_seat_themselves_in_a_government_and_consent_for_the_state(people):
    request = make_request(people, submit=False)
    with pytest.raises(policy.AccessDenied, match="manage_government"):
        services.membership_set(
            by=people.platform_admin,
            organisation=people.organisations["gov_ken"],
            user=people.platform_admin,
            role=Role.FOCAL_POINT,
        )
    assert not Membership.objects.filter(user=people.platform_admin).exists()
    with pytest.raises(policy.AccessDenied):
        assistance.request_set_consent(
            request=request, by=people.platform_admin, publish_summary=True, providers=[]
        )
    request.refresh_from_db()
    assert request.consent_publish_summary is False


def events(organisation, name):
    return list(
        LogEntry.objects.get_for_object(organisation).filter(additional_data__event=name).order_by("id")
    )


def test_every_change_to_a_governments_members_is_logged_for_the_state(people):
    government = people.organisations["gov_ken"]
    newcomer = make_user("new.kenyan")
    services.membership_set(by=people.kenya_admin, organisation=government, user=newcomer, role=Role.VIEWER)
    services.membership_set(by=people.kenya_admin, organisation=government, user=newcomer, role=Role.EDITOR)
    services.membership_set(by=people.kenya_admin, organisation=government, user=newcomer, role=Role.EDITOR)
    seat = Membership.objects.get(user=newcomer, organisation=government)
    services.membership_remove(by=people.platform_admin, membership=seat)

    (added,) = events(government, "membership.add")
    (changed,) = events(government, "membership.change_role")  # setting the same role again is no change
    (removed,) = events(government, "membership.remove")
    assert added.actor == changed.actor == people.kenya_admin
    assert removed.actor == people.platform_admin
    for entry in (added, changed, removed):
        assert entry.additional_data["organisation"] == "gov-ken"
        assert entry.additional_data["notify_state"] == "KEN"
        assert entry.additional_data["user"] == "new.kenyan"
    assert changed.additional_data["previous_role"] == Role.VIEWER
    assert changed.additional_data["role"] == Role.EDITOR


def test_changes_elsewhere_name_no_state(people):
    ohchr = people.organisations["ohchr"]
    services.membership_set(by=people.ohchr_admin, organisation=ohchr, user=make_user("x"), role=Role.EDITOR)
    (added,) = events(ohchr, "membership.add")
    assert added.additional_data["organisation"] == "ohchr"
    assert added.additional_data["notify_state"] is None


def test_a_removed_member_loses_the_states_powers_at_once(people):
    request = make_request(people, submit=False)
    assert policy.can(people.kenya_focal_point, "assistance.request.consent", request)
    seat = Membership.objects.get(user=people.kenya_focal_point, organisation=people.organisations["gov_ken"])
    services.membership_remove(by=people.platform_admin, membership=seat)
    focal_point = get_user_model().objects.get(pk=people.kenya_focal_point.pk)  # their next request
    assert not policy.can(focal_point, "assistance.request.consent", request)
