"""A link is seen by whoever may see the record it links (the subject's own visibility): the State and the
lead provider see the SDG links of an activity that is not published; the public, another State and an
unconcerned provider do not, and see them once the activity is public. Recommendations' links stay public."""

from django.contrib.contenttypes.models import ContentType

from hrtc.accounts import policy
from hrtc.assistance import services
from hrtc.assistance.models import Activity
from hrtc.linking.models import Link
from hrtc.reference.models import SdgGoal
from tests.base import ROLES, make_activity, make_recommendation

SEES_UNPUBLISHED = {
    "platform_admin",
    "kenya_focal_point",
    "kenya_viewer",
    "kenya_admin",
    "ohchr_officer",
    "ohchr_admin",
}


def link_to(record) -> Link:
    return Link.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind="goal",
        goal=SdgGoal.objects.get(code="16"),
        source="human",
        status="accepted",
    )


def test_links_follow_their_subject(people):
    activity = make_activity(people)
    on_activity = link_to(activity)
    on_recommendation = link_to(make_recommendation())
    for role in ROLES:
        seen = set(policy.visible(getattr(people, role), Link.objects.all()))
        assert on_recommendation in seen, role
        assert (on_activity in seen) == (role in SEES_UNPUBLISHED), role
    services.activity_consent(activity=activity, by=people.kenya_focal_point)
    services.activity_publish(
        activity=Activity.objects.get(pk=activity.pk), by=people.ohchr_officer, published=True
    )
    for role in ROLES:
        assert on_activity in set(policy.visible(getattr(people, role), Link.objects.all())), role
