"""Helpers for the IATI tests: activities made through the real services (so consent and publication are
what the platform records), money from the real funds services, the official 2.03 XSD from ../shared/data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from hrtc.accounts.policy import SYSTEM
from hrtc.assistance import services
from hrtc.funds import services as funds
from hrtc.reference.models import Fund, SdgTarget, State, Theme
from tests.base import SHARED_DATA, make_request

IATI = Path(SHARED_DATA) / "iati-2.03"
SCHEMAS = IATI / "schemas"


def official_schema(kind: str = "activities") -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"iati-{kind}-schema.xsd")))


def assert_valid(document: bytes, kind: str = "activities") -> etree._ElementTree:
    """The whole document against the official XSD in ../shared/data."""
    tree = etree.ElementTree(etree.fromstring(document))
    schema = official_schema(kind)
    assert schema.validate(tree), "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
    return tree


def theme(key: str) -> Theme:
    vocabulary, _sep, code = key.partition(":")
    return Theme.objects.get(vocabulary=vocabulary, code=code)


def accepted_request(
    people, *, publish: bool, title: str = "Prison staff training", providers=("ohchr", "unwomen"), **extra
):
    """A Kenyan request shared with `providers`, accepted by OHCHR."""
    req = make_request(people, providers=providers, publish=publish, title=title, **extra)
    for step in ("review", "accept"):
        services.request_transition(request=req, by=people.ohchr_officer, name=step)
    return req


def make_activity(
    people,
    *,
    publish: bool = True,
    consent: bool = True,
    request=None,
    lead: str = "ohchr",
    state: str = "KEN",
    title: str = "Workshop on the national mechanism",
    description: str = "Three days with the inter-ministerial committee.",
    modality: str = "nmirf_support",
    gender_marker: int = 1,
    start: date = date(2024, 3, 1),
    end: date = date(2025, 6, 30),
    themes=("uhri:A2",),
    sdg_targets=("16.3", "5.1"),
    budget: str | None = "48500.00",
    currency: str = "USD",
    partners=(),
):
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
        budget_currency=currency if budget else None,
        gender_marker=gender_marker,
        themes=[theme(k) for k in themes],
        sdg_targets=list(SdgTarget.objects.filter(code__in=sdg_targets)),
    )
    if request is None and consent:
        focal = {"KEN": people.kenya_focal_point, "SVN": people.slovenia_focal_point}[state]
        services.activity_consent(activity=created, by=focal)
    if publish:
        services.activity_publish(activity=created, by=by)
    return created


def fund_it(activity, *, commit: str = "20000.00", pay=("5000.00", "7000.00"), currency: str = "USD"):
    """A donor's contribution to the VFTC, a grant of it to the activity, and disbursements of the grant."""
    vftc = Fund.objects.get(code="VFTC")
    donor = funds.donor_create(
        by=SYSTEM, name=f"Donor for {activity.pk}", state=State.objects.get(code="NOR")
    )
    funds.contribution_record(
        by=SYSTEM, donor=donor, fund=vftc, amount="100000.00", currency=currency, value_date=date(2024, 1, 10)
    )
    grant = funds.grant_commit(
        by=SYSTEM,
        fund=vftc,
        amount=commit,
        currency=currency,
        value_date=date(2024, 2, 1),
        purpose="Internal purpose text",
        activity=activity,
        memo="internal memo",
    )
    paid = [
        funds.grant_disburse(
            by=SYSTEM, grant=grant, amount=amount, currency=currency, value_date=date(2024, 3 + i, 1)
        )
        for i, amount in enumerate(pay)
    ]
    return grant, paid
