"""A small world for the report tests: activities in three regions by three providers with different gender
markers and participants, requests with different outcomes, Kenyan recommendations with an implementation
status that changed while an activity addressed them, and money on the funds' books. All in `YEAR` (this
year, because a request is received on the day it is submitted), plus an activity outside the period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from hrtc.accounts.models import Organisation
from hrtc.accounts.policy import SYSTEM
from hrtc.assistance import services as assistance
from hrtc.assistance.choices import ActivityStatus, GenderMarker, Modality
from hrtc.assistance.models import Activity
from hrtc.funds import services as funds
from hrtc.recommendations.choices import AssessmentSource, ImplementationStatus, Response
from hrtc.recommendations.models import Assessment
from hrtc.reference.models import Fund, SdgTarget, State, Theme
from tests.base import make_recommendation, make_request
from tests.funds.base import add_rates

YEAR = date.today().year
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


@dataclass
class World:
    activities: list[Activity]
    outside: Activity
    requests: list
    recommendations: list


def activity(
    state: str,
    provider: str,
    *,
    title: str,
    marker: int,
    women: int,
    men: int,
    other: int = 0,
    start: date = date(YEAR, 3, 1),
    published: bool = True,
    modality: str = Modality.TRAINING,
    themes=(),
    sdgs=(),
) -> Activity:
    created = Activity.objects.create(
        lead_provider=Organisation.objects.get(code=provider),
        state=State.objects.get(code=state),
        title=title,
        modality=modality,
        planned_start=start,
        planned_end=date(start.year, 11, 30),
        status=ActivityStatus.IMPLEMENTATION,
        gender_marker=marker,
        participants_women=women,
        participants_men=men,
        participants_other=other,
        state_consent_at=timezone.now(),
        is_published=published,
    )
    created.themes.set([Theme.objects.get(vocabulary="uhri", code=c) for c in themes])
    created.sdg_targets.set(SdgTarget.objects.filter(code__in=sdgs))
    return created


def assess(recommendation, status: str, as_of: date) -> Assessment:
    recommendation.public_status = status
    recommendation.save(update_fields=["public_status"])
    return Assessment.objects.create(
        recommendation=recommendation, status=status, as_of=as_of, source=AssessmentSource.GOVERNMENT
    )


def make_world(people) -> World:
    kenya_training = activity(
        "KEN", "unwomen", title="Gender-responsive budgeting", marker=GenderMarker.PRINCIPAL,
        women=20, men=10, other=1, themes=["A2"], sdgs=["5.1", "5.5"],
    )  # fmt: skip
    slovenia = activity(
        "SVN", "ohchr", title="Roma inclusion dialogue", marker=GenderMarker.NOT_TARGETED, women=5, men=15,
        modality=Modality.ADVISORY, sdgs=["10.2"],
    )  # fmt: skip
    brazil = activity(
        "BRA", "ohchr", title="Police accountability", marker=GenderMarker.SIGNIFICANT, women=7, men=8,
        start=date(YEAR, 6, 1), themes=["A2"], sdgs=["16.3"],
    )  # fmt: skip
    kenya_internal = activity(
        "KEN", "ohchr", title="Prison monitoring (not published)", marker=GenderMarker.SIGNIFICANT,
        women=3, men=4, published=False, sdgs=["16.3"],
    )  # fmt: skip
    outside = activity(
        "KEN", "ohchr", title="Long ago", marker=GenderMarker.PRINCIPAL, women=100, men=0,
        start=date(YEAR - 3, 2, 1),
    )  # fmt: skip

    public = make_request(people, title="Prison staff training", publish=True)
    shared_only = make_request(people, title="NHRI support", modality=Modality.INSTITUTION_BUILDING)
    make_request(people, title="Still a draft", submit=False)
    assistance.request_transition(request=public, by=people.ohchr_officer, name="review")
    assistance.request_transition(request=public, by=people.ohchr_officer, name="accept")

    torture = make_recommendation(
        "KEN", "Ratify the Optional Protocol to the Convention against Torture", paragraph="142.1",
        response=Response.SUPPORTED, date=date(YEAR, 1, 20), document_symbol="A/HRC/99/1",
    )  # fmt: skip
    budget = make_recommendation(
        "KEN", "Adopt gender-responsive budgeting", paragraph="142.2", response=Response.SUPPORTED,
        date=date(YEAR, 1, 20), document_symbol="A/HRC/99/1",
    )  # fmt: skip
    noted = make_recommendation(
        "KEN", "Abolish the death penalty", paragraph="142.3", response=Response.NOTED, date=date(YEAR, 1, 20),
        mechanism="CCPR",
    )  # fmt: skip
    kenya_training.recommendations.add(budget)
    kenya_internal.recommendations.add(torture)
    assess(budget, ImplementationStatus.NOT_STARTED, date(YEAR - 1, 6, 1))
    assess(budget, ImplementationStatus.PARTIALLY, date(YEAR, 9, 1))  # changed, while the training ran
    assess(torture, ImplementationStatus.PARTIALLY, date(YEAR, 10, 1))  # only an unpublished activity
    assess(noted, ImplementationStatus.NOT_IMPLEMENTED, date(YEAR, 5, 1))  # no assistance

    add_rates(years=(YEAR - 1, YEAR))
    vftc, ldc = Fund.objects.get(code="VFTC"), Fund.objects.get(code="LDC-SIDS-TF")
    norway = funds.donor_create(by=SYSTEM, name="Norway", state=State.objects.get(code="NOR"))
    germany = funds.donor_create(by=SYSTEM, name="Germany", state=State.objects.get(code="DEU"))
    pledge = funds.pledge_record(
        by=SYSTEM, donor=norway, fund=vftc, amount=Decimal("500000"), currency="NOK", year=YEAR,
        value_date=date(YEAR, 1, 10),
    )  # fmt: skip
    funds.contribution_record(
        by=SYSTEM, donor=norway, fund=vftc, amount=Decimal("300000"), currency="NOK", value_date=date(YEAR, 2, 5),
        pledge=pledge,
    )  # fmt: skip
    funds.contribution_record(
        by=SYSTEM,
        donor=germany,
        fund=vftc,
        amount=Decimal("100000"),
        currency="EUR",
        value_date=date(YEAR, 3, 5),
    )
    funds.contribution_record(
        by=SYSTEM,
        donor=germany,
        fund=ldc,
        amount=Decimal("40000"),
        currency="USD",
        value_date=date(YEAR, 3, 9),
    )
    grant = funds.grant_commit(
        by=SYSTEM, fund=vftc, amount=Decimal("30000"), currency="EUR", value_date=date(YEAR, 4, 1),
        purpose="Budgeting workshop", activity=kenya_training,
    )  # fmt: skip
    funds.grant_disburse(
        by=SYSTEM, grant=grant, amount=Decimal("20000"), currency="EUR", value_date=date(YEAR, 4, 15)
    )
    funds.grant_commit(
        by=SYSTEM, fund=ldc, amount=Decimal("12000.50"), currency="USD", value_date=date(YEAR, 5, 1),
        purpose="Delegation to the UPR", state=State.objects.get(code="BRA"),
    )  # fmt: skip
    return World(
        activities=[kenya_training, slovenia, brazil, kenya_internal],
        outside=outside,
        requests=[public, shared_only],
        recommendations=[torture, budget, noted],
    )
