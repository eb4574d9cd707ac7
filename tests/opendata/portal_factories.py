"""Small factories for the portal tests: requests and activities made through the real services, so consent
and publication are what the platform really records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hrtc.assistance import services
from hrtc.reference.models import SdgTarget, State, Theme
from tests.base import make_request


def theme(code: str) -> Theme:
    return Theme.objects.get(vocabulary="uhri", code=code)


def accepted_request(people, *, publish: bool, title: str = "Prison staff training", **extra):
    """A Kenyan request shared with OHCHR, accepted by OHCHR."""
    req = make_request(people, providers=("ohchr", "unct_ken"), publish=publish, title=title, **extra)
    for step in ("review", "accept"):
        services.request_transition(request=req, by=people.ohchr_officer, name=step)
    return req


def activity(
    people,
    *,
    publish: bool = True,
    request=None,
    state: str = "KEN",
    title: str = "Workshop on the national mechanism",
    description: str = "Three days with the inter-ministerial committee.",
    modality: str = "nmirf_support",
    gender_marker: int = 1,
    start: date = date(2025, 3, 1),
    end: date = date(2025, 6, 30),
    themes=("A2",),
    sdg_targets=("16.3",),
    budget: str | None = "48500.00",
    partners=(),
    lead: str = "ohchr",
):
    """An activity led by OHCHR (or UN Women); without a request, the State's focal point consents to it."""
    by = {"ohchr": people.ohchr_officer, "unwomen": people.unwomen_officer}[lead]
    created = services.activity_create(
        by=by,
        lead_provider=people.organisations[lead],
        state=State.objects.get(code=state),
        request=request,
        partners=[people.organisations[p] for p in partners],
        title=title,
        description=description,
        modality=modality,
        planned_start=start,
        planned_end=end,
        budget_amount=Decimal(budget) if budget else None,
        budget_currency="USD" if budget else None,
        gender_marker=gender_marker,
        themes=[theme(code) for code in themes],
        sdg_targets=list(SdgTarget.objects.filter(code__in=sdg_targets)),
    )
    if request is None:
        focal = {"KEN": people.kenya_focal_point, "SVN": people.slovenia_focal_point}[state]
        services.activity_consent(activity=created, by=focal)
    if publish:
        services.activity_publish(activity=created, by=by)
    return created
