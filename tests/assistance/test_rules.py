"""Rules of technical assistance beyond the request lifecycle (which tests/assistance/test_lifecycle.py walks
against its own table): consent narrowing, overlaps, catalogue matches, activities and their money."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from hrtc.accounts.policy import AccessDenied
from hrtc.assistance import selectors, services
from hrtc.assistance.choices import RequestStatus as S
from hrtc.assistance.models import AssistanceRequest
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.reference.models import State, Theme
from tests.base import ROLES, make_activity, make_recommendation, make_request

# How to bring a fresh request to a status: (transition, who) steps from draft. The lifecycle itself (every
# move from every status for every role, against a hand-written table) is tests/assistance/test_lifecycle.py.
PATH = {
    S.SUBMITTED: [("submit", "kenya_focal_point")],
}


def request_in(people, status: str) -> AssistanceRequest:
    req = make_request(people, submit=False, title="Support", needs="Support", modality="advisory")
    for name, who in PATH[status]:
        services.request_transition(request=req, by=getattr(people, who), name=name, reason="because")
    assert req.status == status
    return req


def test_narrowing_consent_hides_the_request_from_the_provider_at_once(people):
    req = request_in(people, S.SUBMITTED)
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        publish_summary=False,
        providers=[people.organisations["ohchr"], people.organisations["unwomen"]],
    )
    assert selectors.requests_visible(people.unwomen_officer).filter(pk=req.pk).exists()
    services.request_set_consent(
        request=req, by=people.kenya_focal_point, providers=[], publish_summary=False, reason="withdrawn"
    )
    for role in ROLES:
        sees = selectors.requests_visible(getattr(people, role)).filter(pk=req.pk).exists()
        assert sees == (role in {"platform_admin", "kenya_focal_point", "kenya_viewer", "kenya_admin"}), role
    assert [r.providers for r in req.consent_history.all()] == [["ohchr"], ["ohchr", "unwomen"], []]
    with pytest.raises(AccessDenied):
        services.request_set_consent(
            request=req, by=people.platform_admin, providers=[], publish_summary=True
        )


def test_overlaps_need_other_providers_overlapping_dates_and_something_shared(people):
    kenya, start = State.objects.get(code="KEN"), date(2026, 1, 1)
    torture, women = (Theme.objects.get(vocabulary="uhri", code=c) for c in ("D2", "F1"))
    rec = make_recommendation()

    def activity(org, who, begin, days, themes=(), recs=()):
        made = services.activity_create(
            by=getattr(people, who),
            lead_provider=people.organisations[org],
            state=kenya,
            title=f"{org} {begin}",
            modality="training",
            planned_start=begin,
            planned_end=begin + timedelta(days=days),
            themes=themes,
            recommendations=recs,
        )
        services.activity_consent(activity=made, by=people.kenya_focal_point)
        return made

    a = activity("ohchr", "ohchr_officer", start, 30, themes=[torture])
    b = activity("unwomen", "unwomen_officer", start + timedelta(days=20), 30, themes=[torture, women])
    activity(
        "unwomen", "unwomen_officer", start + timedelta(days=100), 10, themes=[torture]
    )  # later: no overlap
    activity("unct_ken", "unct_officer", start, 30, themes=[women])  # overlaps b in time and theme
    activity("ohchr", "ohchr_officer", start + timedelta(days=5), 5, themes=[torture])  # same provider as a
    c = activity("unct_ken", "unct_officer", start + timedelta(days=200), 5, recs=[rec])
    d = activity("ohchr", "ohchr_officer", start + timedelta(days=201), 5, recs=[rec])
    found = {(o.first.title, o.second.title): o for o in selectors.overlaps(kenya, people.kenya_viewer)}
    pairs = {tuple(sorted(k)) for k in found}
    assert tuple(sorted((a.title, b.title))) in pairs
    assert tuple(sorted((c.title, d.title))) in pairs
    shared = next(o for k, o in found.items() if set(k) == {a.title, b.title})
    assert shared.shared_themes == [torture.name]
    assert shared.dates == (
        start + timedelta(days=20),
        start + timedelta(days=30),
    )
    assert next(o for k, o in found.items() if set(k) == {c.title, d.title}).shared_recommendations == [
        rec.pk
    ]
    assert all("2026-04-11" not in " ".join(k) for k in found)  # the later activity overlaps nothing
    # a–b (torture), b–unct (women), c–d (a recommendation). Not: a–unct (nothing shared), a–a' (same provider),
    # b–a' (dates apart).
    assert len(pairs) == 3


def test_catalogue_matches_are_ranked_by_fit_with_reasons(people):
    torture, women = (Theme.objects.get(vocabulary="uhri", code=c) for c in ("D2", "F1"))
    req = services.request_create(
        by=people.kenya_focal_point,
        state=State.objects.get(code="KEN"),
        title="Training",
        needs="Training",
        modality="training",
        language="fr",
        themes=[torture],
        desired_providers=[people.organisations["unwomen"]],
    )
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=False,
    )

    def offer(org, who, title, **fields):
        return services.offer_create(
            by=getattr(people, who), provider=people.organisations[org], title=title, **fields
        )

    offer("ohchr", "ohchr_officer", "best", modality="training", themes=[torture], languages=["fr"])
    offer("unwomen", "unwomen_officer", "wished-for", modality="training", themes=[women])
    offer(
        "ohchr",
        "ohchr_officer",
        "theme only",
        modality="advisory",
        themes=[torture],
        regional_groups=["WEOG"],
    )
    offer("ohchr", "ohchr_officer", "nothing", modality="advisory", themes=[women], regional_groups=["WEOG"])
    matches = selectors.offers_for_request(req, people.kenya_focal_point)
    assert [m.offer.title for m in matches] == ["best", "wished-for", "theme only"]
    assert matches[0].reasons[:2] == [f"themes: {torture.name}", "modality: Training"]
    assert "a provider the State asked for" in matches[1].reasons


def test_activities_check_money_markers_participants_and_consent(people):
    kenya, today = State.objects.get(code="KEN"), date.today()
    base = {
        "by": people.ohchr_officer,
        "lead_provider": people.organisations["ohchr"],
        "state": kenya,
        "title": "Workshop",
        "modality": "training",
        "planned_start": today,
        "planned_end": today,
    }
    for bad, field in (
        ({"gender_marker": 3}, "gender_marker"),
        ({"budget_amount": 10.5, "budget_currency": "USD"}, "budget_amount"),
        ({"budget_amount": Decimal("1"), "budget_currency": "XXQ"}, "budget_currency"),
        ({"budget_amount": Decimal("-1"), "budget_currency": "USD"}, "budget_amount"),
        ({"budget_amount": Decimal("5")}, "budget_currency"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.activity_create(**base, **bad)
        assert refused.value.field == field
    activity = services.activity_create(
        **base, budget_amount=Decimal("1000.10"), budget_currency="eur", gender_marker=2
    )
    assert activity.budget_currency_id == "EUR"
    assert activity.budget_amount == Decimal("1000.10")
    with pytest.raises(Conflict, match="consented"):
        services.activity_set_status(activity=activity, by=people.ohchr_officer, status=2)
    with pytest.raises(Conflict, match="consented"):
        services.activity_publish(activity=activity, by=people.ohchr_officer)
    services.activity_consent(activity=activity, by=people.kenya_focal_point)
    services.activity_set_status(activity=activity, by=people.ohchr_officer, status=2, actual_start=today)
    services.activity_set_participants(
        activity=activity,
        by=people.ohchr_officer,
        women=7,
        men=5,
        other=1,
        groups={"women": 7, "persons-with-disabilities": 2},
    )
    assert activity.participants_total == 13
    with pytest.raises(InvalidInput, match="14 participants"):
        services.activity_set_participants(
            activity=activity, by=people.ohchr_officer, women=7, men=5, other=1, groups={"women": 14}
        )
    req = request_in(people, S.SUBMITTED)
    with pytest.raises(Conflict, match="accepted request"):
        services.activity_create(**base, request=req)


def test_completing_an_activity_updates_its_recommendations_with_the_activity_as_evidence(people):
    rec = make_recommendation()
    activity = make_activity(
        people,
        title="OPCAT workshop",
        modality="advisory",
        planned_start=date(2026, 1, 1),
        planned_end=date(2026, 2, 1),
        recommendations=[rec],
    )
    services.activity_consent(activity=activity, by=people.kenya_focal_point)
    services.activity_complete(
        activity=activity,
        by=people.ohchr_officer,
        actual_end=date(2026, 2, 1),
        outputs="Draft bill",
        recommendation_status="partially_implemented",
    )
    rec.refresh_from_db()
    assert rec.public_status == "partially_implemented"
    assessment = rec.assessments.get()
    assert f"hrtc activity {activity.pk}" in assessment.evidence
    assert assessment.source == "un"
    assert activity.status == 3


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "ten", Decimal("1.001")])
def test_a_budget_must_be_a_finite_amount_in_cents(people, amount):
    with pytest.raises(InvalidInput) as refused:
        services.activity_create(
            by=people.ohchr_officer,
            lead_provider=people.organisations["ohchr"],
            state=State.objects.get(code="KEN"),
            title="x",
            modality="training",
            planned_start=date(2026, 1, 1),
            planned_end=date(2026, 1, 2),
            budget_amount=amount
            if isinstance(amount, Decimal)
            else Decimal(amount)
            if amount != "ten"
            else amount,
            budget_currency="USD",
        )
    assert refused.value.field == "budget_amount"
