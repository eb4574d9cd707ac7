"""Support available, support provided, and coordination between providers (resolution 48/24, op. 7 and 8).

The catalogue ranks a request's matching offers by fit and says why each matched. An activity counts its
participants by sex and by affected group, carries a gender-equality marker (0, 1, 2) and a budget in Decimal
with an ISO 4217 currency; it follows an accepted request or, provider-initiated, waits for the State's
consent; it is published only as far as the State allows; completing it can record the implementation status
of its recommendations with the activity as evidence. Activities of different providers in one State whose
dates overlap and that share a theme or a recommendation are flagged. The information-exchange feed reports
submissions, decisions and activities to whoever may see them.
"""

from datetime import date
from decimal import Decimal

import pytest

from hrtc.accounts.policy import AccessDenied
from hrtc.assistance import selectors, services
from hrtc.assistance.choices import ActivityStatus, FeedKind
from hrtc.assistance.choices import RequestStatus as S
from hrtc.assistance.models import Activity, FeedEvent, Offer
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.reference.models import State, Theme
from tests.assistance.test_consent_and_visibility import KENYA_AND_ADMINS
from tests.assistance.test_lifecycle import PATH, request_in, undone
from tests.base import ROLES, make_recommendation

#: Who writes for each provider.
WRITER = {"ohchr": "ohchr_officer", "unwomen": "unwomen_officer", "unct_ken": "unct_officer"}
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def kenya() -> State:
    return State.objects.get(code="KEN")


def theme(code: str) -> Theme:
    return Theme.objects.get(vocabulary="uhri", code=code)


def activity(people, lead="ohchr", start=MARCH, end=date(2026, 3, 31), **fields) -> Activity:
    """An activity in Kenya recorded by a writer of its lead provider."""
    fields.setdefault("title", f"{lead}, {start} to {end}")
    fields.setdefault("modality", "training")
    return services.activity_create(
        by=getattr(people, WRITER[lead]),
        lead_provider=people.organisations[lead],
        state=kenya(),
        planned_start=start,
        planned_end=end,
        **fields,
    )


def flagged(people) -> dict[frozenset, selectors.Overlap]:
    return {frozenset((o.first.pk, o.second.pk)): o for o in selectors.overlaps(kenya(), people.kenya_viewer)}


# Overlaps ------------------------------------------------------------------------------------------------


def test_different_providers_overlapping_in_time_and_sharing_themes_are_flagged_with_the_shared_themes(
    people,
):
    torture, justice = theme("D25"), theme("D51")
    a = activity(people, "ohchr", MARCH, date(2026, 3, 31), themes=[torture, justice, theme("A62")])
    b = activity(
        people, "unwomen", date(2026, 3, 20), date(2026, 4, 10), themes=[justice, torture, theme("A5")]
    )
    found = flagged(people)
    assert list(found) == [frozenset((a.pk, b.pk))]
    overlap = found[frozenset((a.pk, b.pk))]
    assert overlap.shared_themes == sorted([torture.name, justice.name])
    assert overlap.shared_recommendations == []
    assert overlap.dates == (date(2026, 3, 20), date(2026, 3, 31))


def test_a_shared_recommendation_alone_is_enough_to_flag_an_overlap(people):
    shared, other = make_recommendation(), make_recommendation(text="Adopt a national action plan")
    a = activity(
        people, "unct_ken", MARCH, date(2026, 3, 10), themes=[theme("A62")], recommendations=[shared]
    )
    b = activity(
        people,
        "ohchr",
        date(2026, 3, 10),
        date(2026, 3, 20),
        themes=[theme("A5")],
        recommendations=[shared, other],
    )
    overlap = flagged(people)[frozenset((a.pk, b.pk))]
    assert (overlap.shared_themes, overlap.shared_recommendations) == ([], [shared.pk])
    assert overlap.dates == (date(2026, 3, 10), date(2026, 3, 10))  # one day in common is an overlap


def test_activities_whose_dates_do_not_overlap_are_not_flagged(people):
    torture = theme("D25")
    activity(people, "ohchr", MARCH, date(2026, 3, 31), themes=[torture])
    activity(people, "unwomen", APRIL, date(2026, 4, 30), themes=[torture])  # starts the day after
    assert flagged(people) == {}


def test_activities_that_share_no_theme_and_no_recommendation_are_not_flagged(people):
    activity(people, "ohchr", themes=[theme("D25")], recommendations=[make_recommendation()])
    activity(people, "unwomen", themes=[theme("D51")], recommendations=[make_recommendation(text="Other")])
    assert flagged(people) == {}


def test_activities_of_the_same_provider_are_not_flagged(people):
    rec, torture = make_recommendation(), theme("D25")
    activity(people, "ohchr", themes=[torture], recommendations=[rec], title="Workshop")
    activity(people, "ohchr", themes=[torture], recommendations=[rec], title="Follow-up workshop")
    assert flagged(people) == {}


def test_once_known_the_actual_dates_count_and_a_cancelled_activity_overlaps_nothing(people):
    torture = theme("D25")
    a = activity(people, "ohchr", MARCH, date(2026, 3, 31), themes=[torture])
    b = activity(people, "unwomen", date(2026, 3, 15), date(2026, 4, 15), themes=[torture])
    c = activity(people, "unct_ken", date(2026, 3, 15), date(2026, 4, 15), themes=[torture])
    assert set(flagged(people)) == {frozenset(p) for p in ((a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk))}
    for late in (b, c):
        services.activity_consent(activity=late, by=people.kenya_focal_point)
    services.activity_set_status(activity=b, by=people.unwomen_officer, status=2, actual_start=APRIL)
    services.activity_set_status(activity=c, by=people.unct_officer, status=ActivityStatus.CANCELLED)
    assert set(flagged(people)) == set()


# The catalogue --------------------------------------------------------------------------------------------


def test_offers_are_ranked_by_fit_and_each_match_says_why(people):
    torture, justice, statistics, education = theme("D25"), theme("D51"), theme("A62"), theme("A5")
    req = services.request_create(
        by=people.kenya_focal_point,
        state=kenya(),
        title="Training for prison staff",
        needs="Training on the prohibition of torture and on fair trial",
        modality="training",
        language="fr",
        themes=[torture, justice],
        desired_providers=[people.organisations["unwomen"]],
    )

    def offer(org, title, modality, themes=(), languages=(), regions=()):
        return services.offer_create(
            by=getattr(people, WRITER[org]),
            provider=people.organisations[org],
            title=title,
            modality=modality,
            themes=themes,
            languages=list(languages),
            regional_groups=list(regions),
        )

    # Published in an order unlike the ranking.
    offer("ohchr", "Region only", "advisory", [statistics], ["en"])
    offer("unct_ken", "Training elsewhere", "training", [education], ["en"], ["WEOG"])
    offer(
        "ohchr",
        "Related advice",
        "advisory",
        [torture, statistics],
        ["fr", "en"],
        ["AFRICAN", "ASIA_PACIFIC"],
    )
    closed = offer("ohchr", "Closed full fit", "training", [torture, justice], ["fr"], ["AFRICAN"])
    Offer.objects.filter(pk=closed.pk).update(is_active=False)
    offer("ohchr", "Another training elsewhere", "training", [], [], ["WEOG"])
    offer("unwomen", "Wished-for provider", "training", [torture], ["en"])
    offer("unct_ken", "French, wrong region", "advisory", [statistics], ["fr"], ["WEOG"])
    offer("ohchr", "Full fit", "training", [justice, torture], ["fr"], ["AFRICAN"])

    matches = selectors.offers_for_request(req, people.kenya_focal_point)
    both = "themes: " + ", ".join(sorted([torture.name, justice.name]))
    assert [(m.offer.title, m.score, m.reasons) for m in matches] == [
        ("Full fit", 7, [both, "modality: Training", "works in fr", "serves the region"]),
        (
            "Wished-for provider",
            5.5,
            [
                f"themes: {torture.name}",
                "modality: Training",
                "serves all regions",
                "a provider the State asked for",
            ],
        ),
        ("Related advice", 3, [f"themes: {torture.name}", "works in fr", "serves the region"]),
        ("Training elsewhere", 2, ["modality: Training"]),  # equally good: the first published comes first
        ("Another training elsewhere", 2, ["modality: Training"]),
    ]


# Activities ----------------------------------------------------------------------------------------------


def test_participants_are_counted_by_sex_and_by_affected_group_and_the_total_is_their_sum(people):
    act = activity(people)
    services.activity_set_participants(
        activity=act, by=people.ohchr_officer, women=12, men=9, other=2, groups={"women": 12, "girls": 3}
    )
    act = Activity.objects.get(pk=act.pk)
    assert (act.participants_women, act.participants_men, act.participants_other) == (12, 9, 2)
    assert act.participants_total == 23
    assert {g.group_id: g.count for g in act.participant_groups.all()} == {"women": 12, "girls": 3}

    services.activity_set_participants(
        activity=act, by=people.ohchr_officer, women=4, men=0, groups={"women": 4}
    )
    act = Activity.objects.get(pk=act.pk)
    assert act.participants_total == 4  # a group may be everyone, and groups not given again are gone
    assert {g.group_id: g.count for g in act.participant_groups.all()} == {"women": 4}


def test_a_group_larger_than_all_participants_and_other_bad_counts_are_refused(people):
    act = activity(people)
    services.activity_set_participants(
        activity=act, by=people.ohchr_officer, women=10, men=10, groups={"girls": 5}
    )
    for bad, field in (
        ({"women": 10, "men": 10, "other": 1, "groups": {"girls": 22}}, "groups"),
        ({"women": 10, "men": 10, "groups": {"girls": -1}}, "groups"),
        ({"women": 10, "men": 10, "groups": {"no-such-group": 1}}, "groups"),
        ({"women": -1, "men": 10}, "participants"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.activity_set_participants(activity=act, by=people.ohchr_officer, **bad)
        assert refused.value.field == field, bad
    act = Activity.objects.get(pk=act.pk)
    assert (act.participants_total, {g.group_id: g.count for g in act.participant_groups.all()}) == (
        20,
        {"girls": 5},
    )


def test_the_gender_marker_is_0_1_or_2(people):
    for marker in (0, 1, 2):
        assert activity(people, gender_marker=marker).gender_marker == marker
    for marker in (3, -1):
        with pytest.raises(InvalidInput) as refused:
            activity(people, gender_marker=marker)
        assert refused.value.field == "gender_marker"
    assert Activity.objects.count() == 3


def test_a_budget_is_a_non_negative_decimal_in_a_known_currency(people):
    for bad, field in (
        ({"budget_amount": 1000.5, "budget_currency": "USD"}, "budget_amount"),  # a float
        ({"budget_amount": Decimal("1000.50"), "budget_currency": "ZZZ"}, "budget_currency"),
        ({"budget_amount": Decimal("-0.01"), "budget_currency": "USD"}, "budget_amount"),
        ({"budget_amount": Decimal("1000.50")}, "budget_currency"),
        ({"budget_currency": "USD"}, "budget_amount"),
    ):
        with pytest.raises(InvalidInput) as refused:
            activity(people, **bad)
        assert refused.value.field == field, bad
    assert not Activity.objects.exists()
    act = activity(people, budget_amount=Decimal("25000.75"), budget_currency="kes")
    act = Activity.objects.get(pk=act.pk)
    assert (act.budget_amount, act.budget_currency_id) == (Decimal("25000.75"), "KES")


def work_led_by(people, organisation: str) -> dict:
    return {
        "lead_provider": people.organisations[organisation],
        "state": kenya(),
        "title": "Support we provide",
        "modality": "advisory",
        "planned_start": MARCH,
        "planned_end": MARCH,
    }


def test_only_writers_of_the_lead_provider_record_its_activities(people):
    for role in ROLES:
        if role in {"ohchr_officer", "ohchr_admin"}:
            services.activity_create(by=getattr(people, role), **work_led_by(people, "ohchr"))
            continue
        with pytest.raises(AccessDenied):  # platform administrators too: the provider speaks for itself
            services.activity_create(by=getattr(people, role), **work_led_by(people, "ohchr"))
    assert Activity.objects.count() == 2


def test_only_a_provider_leads_an_activity(people):
    for who, organisation in (
        ("kenya_focal_point", "gov_ken"),
        ("cso_member", "cso"),
        ("nhri_member", "nhri"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.activity_create(by=getattr(people, who), **work_led_by(people, organisation))
        assert refused.value.field == "lead_provider", who
    assert not Activity.objects.exists()


def test_an_activity_follows_an_accepted_request_that_the_state_shared_with_its_lead_provider(people):
    for status in PATH:
        req = request_in(people, status, providers=("ohchr",))
        if status in (S.ACCEPTED, S.IN_PROGRESS):
            assert activity(people, "ohchr", request=req).request == req
            continue
        with pytest.raises(Conflict, match="accepted request"):
            activity(people, "ohchr", request=req)
    accepted, slovenia = request_in(people, S.ACCEPTED, providers=("ohchr",)), State.objects.get(code="SVN")
    with pytest.raises(Conflict, match="consented"):
        activity(people, "unwomen", request=accepted)
    with pytest.raises(InvalidInput) as refused:
        services.activity_create(
            by=people.ohchr_officer, request=accepted, **{**work_led_by(people, "ohchr"), "state": slovenia}
        )
    assert refused.value.field == "state"
    assert Activity.objects.count() == 2


def test_a_provider_initiated_activity_stays_in_the_pipeline_until_the_state_consents(people):
    act = activity(people, "unwomen")
    for status in (2, 3, 4, 5, 6):
        with pytest.raises(Conflict, match="consented"):
            services.activity_set_status(activity=act, by=people.unwomen_officer, status=status)
    with pytest.raises(Conflict, match="consented"):
        services.activity_complete(activity=act, by=people.unwomen_officer, actual_end=APRIL)
    assert Activity.objects.get(pk=act.pk).status == ActivityStatus.PIPELINE

    for role in ROLES:
        with undone():
            if role in {"kenya_focal_point", "kenya_admin"}:
                services.activity_consent(activity=act, by=getattr(people, role))
                assert Activity.objects.get(pk=act.pk).state_consent_by == getattr(people, role)
                continue
            with pytest.raises(AccessDenied):  # the State's own: not its viewers, not platform administrators
                services.activity_consent(activity=act, by=getattr(people, role))
            assert Activity.objects.get(pk=act.pk).state_consent_at is None, role

    act = Activity.objects.get(pk=act.pk)
    services.activity_consent(activity=act, by=people.kenya_admin)
    services.activity_set_status(activity=act, by=people.unwomen_officer, status=2, actual_start=MARCH)
    assert Activity.objects.get(pk=act.pk).status == ActivityStatus.IMPLEMENTATION


def test_an_activity_for_an_accepted_request_already_has_the_states_consent(people):
    act = activity(people, "ohchr", request=request_in(people, S.ACCEPTED, providers=("ohchr",)))
    services.activity_set_status(activity=act, by=people.ohchr_officer, status=2)
    assert Activity.objects.get(pk=act.pk).status == ActivityStatus.IMPLEMENTATION


def test_an_activity_is_published_only_as_far_as_the_state_consented(people):
    def public(act) -> bool:
        return selectors.activities_visible(None).filter(pk=act.pk).exists()

    own = activity(people, "unwomen")
    with pytest.raises(Conflict, match="publishing"):
        services.activity_publish(activity=own, by=people.unwomen_officer)
    assert not public(own)
    services.activity_consent(activity=own, by=people.kenya_focal_point)
    services.activity_publish(activity=own, by=people.unwomen_officer)
    assert public(own)

    req = request_in(people, S.ACCEPTED, providers=("ohchr",), publish=False)
    answered = activity(people, "ohchr", request=req)
    with pytest.raises(Conflict, match="publishing"):
        services.activity_publish(activity=answered, by=people.ohchr_officer)
    assert not public(answered)
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=True,
    )
    answered = Activity.objects.get(pk=answered.pk)
    services.activity_publish(activity=answered, by=people.ohchr_officer)
    assert public(answered)


def test_completing_an_activity_records_its_recommendations_progress_with_the_activity_as_evidence(people):
    opcat, plan = (
        make_recommendation(),
        make_recommendation(text="Adopt a national action plan on human rights"),
    )
    act = activity(
        people, "ohchr", MARCH, date(2026, 3, 31), title="OPCAT workshop", recommendations=[opcat, plan]
    )
    services.activity_consent(activity=act, by=people.kenya_focal_point)
    services.activity_complete(
        activity=act,
        by=people.ohchr_officer,
        actual_end=APRIL,
        outputs="A draft bill",
        recommendation_status="partially_implemented",
    )
    act = Activity.objects.get(pk=act.pk)
    assert (act.status, act.actual_start, act.actual_end, act.outputs) == (
        ActivityStatus.FINALISATION,
        MARCH,
        APRIL,
        "A draft bill",
    )
    for rec in (opcat, plan):
        rec.refresh_from_db()
        assessment = rec.assessments.get()
        assert (rec.public_status, assessment.status, assessment.as_of) == (
            "partially_implemented",
            "partially_implemented",
            APRIL,
        )
        assert (assessment.author, assessment.organisation) == (
            people.ohchr_officer,
            people.organisations["ohchr"],
        )
        assert "OPCAT workshop" in assessment.evidence
        assert f"hrtc activity {act.pk}" in assessment.evidence

    quiet = activity(people, "ohchr", title="No status given", recommendations=[opcat])
    services.activity_consent(activity=quiet, by=people.kenya_focal_point)
    services.activity_complete(activity=quiet, by=people.ohchr_officer, actual_end=APRIL)
    assert opcat.assessments.count() == 1


# The information-exchange feed ------------------------------------------------------------------------------


def test_the_feed_reports_submissions_decisions_and_activities(people):
    ohchr = people.organisations["ohchr"]
    req = request_in(people, S.ACCEPTED, providers=("ohchr",))
    act = activity(people, "ohchr", request=req)
    services.activity_set_status(activity=act, by=people.ohchr_officer, status=2)
    declined = request_in(people, S.DECLINED, providers=("ohchr",), title="Declined request")
    offer = services.offer_create(
        by=people.ohchr_officer, provider=ohchr, title="Advice", modality="advisory"
    )

    events = selectors.feed_visible(people.kenya_viewer, state=kenya()).order_by("id")
    assert [(e.kind, e.provider, e.request_id, e.activity_id) for e in events] == [
        (FeedKind.REQUEST_SUBMITTED, None, req.pk, None),
        (FeedKind.REQUEST_STATUS, ohchr, req.pk, None),  # under review
        (FeedKind.REQUEST_DECISION, ohchr, req.pk, None),  # accepted
        (FeedKind.ACTIVITY_CREATED, ohchr, None, act.pk),
        (FeedKind.ACTIVITY_STATUS, ohchr, None, act.pk),
        (FeedKind.REQUEST_SUBMITTED, None, declined.pk, None),
        (FeedKind.REQUEST_STATUS, ohchr, declined.pk, None),
        (FeedKind.REQUEST_DECISION, ohchr, declined.pk, None),
    ]
    by_ohchr = selectors.feed_visible(people.ohchr_officer, provider=ohchr)
    assert by_ohchr.filter(offer=offer, kind=FeedKind.OFFER_PUBLISHED).exists()
    assert by_ohchr.count() == 7  # six decisions and activity steps, one offer


def test_a_draft_and_its_consent_are_not_news(people):
    req = request_in(people, S.DRAFT, providers=("ohchr",), publish=True)
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=[people.organisations["unwomen"]],
        publish_summary=True,
    )
    assert not FeedEvent.objects.filter(request=req).exists()


def test_a_provider_that_loses_consent_no_longer_sees_the_requests_feed(people):
    req = request_in(people, S.UNDER_REVIEW, providers=("ohchr", "unwomen"))
    about = FeedEvent.objects.filter(request=req)
    assert selectors.feed_visible(people.unwomen_officer).filter(request=req).count() == about.count() == 2
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=False,
    )
    assert not selectors.feed_visible(people.unwomen_officer).filter(request=req).exists()
    assert not selectors.feed_visible(people.unwomen_officer, state=kenya()).exists()
    assert selectors.feed_visible(people.ohchr_officer).filter(request=req).count() == about.count() == 3
    for role in ROLES:
        sees = selectors.feed_visible(getattr(people, role)).filter(request=req).exists()
        assert sees == (role in KENYA_AND_ADMINS | {"ohchr_officer", "ohchr_admin"}), role
