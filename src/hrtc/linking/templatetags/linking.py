"""`{% linking_panel record %}`: a record's SDG and theme links with the suggestions to review;
`{% sdg_coverage state %}`: which SDG goals a State's records touch, as an accessible bar table."""

from django import template
from django.db.models import Model

from hrtc.accounts import policy
from hrtc.linking import selectors, services
from hrtc.linking.choices import LinkKind, LinkSource, LinkStatus
from hrtc.linking.subjects import linkable_for
from hrtc.reference.models import SdgGoal, Theme

register = template.Library()


def panel_context(request, subject: Model) -> dict:
    user = getattr(request, "user", None)
    links = list(selectors.links_of(user, subject))
    can_review = policy.can(user, "linking.review", subject)
    for link in links:
        link.can_review = can_review
    linked_goals = {
        lk.goal_id for lk in links if lk.kind == LinkKind.GOAL and lk.status != LinkStatus.REJECTED
    }
    return {
        "request": request,
        "subject": subject,
        "subject_type": linkable_for(subject).model_name,
        "accepted": [lk for lk in links if lk.status == LinkStatus.ACCEPTED],
        "suggested": sorted(
            (lk for lk in links if lk.status == LinkStatus.SUGGESTED), key=lambda lk: -(lk.confidence or 0)
        ),
        "rejected": [lk for lk in links if lk.status == LinkStatus.REJECTED],
        "can_review": can_review,
        "model": services.active_model(),
        "goals": [g for g in SdgGoal.objects.all() if g.code not in linked_goals] if can_review else [],
        "themes": Theme.objects.filter(vocabulary="uprinfo") if can_review else [],
        "IMPORT": LinkSource.IMPORT,
    }


@register.inclusion_tag("linking/_panel.html", takes_context=True)
def linking_panel(context, subject: Model) -> dict:
    return panel_context(context.get("request"), subject)


@register.inclusion_tag("linking/_coverage.html", takes_context=True)
def sdg_coverage(context, state) -> dict:
    request = context.get("request")
    return {"state": state, "coverage": selectors.sdg_coverage(getattr(request, "user", None), state)}
