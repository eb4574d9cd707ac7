"""The registry's rules: status history with evidence, internal assessments, filters and facets,
bulk assignment, clusters that humans can correct."""

from datetime import date, timedelta

import pytest

from hrtc.accounts.policy import SYSTEM, AccessDenied
from hrtc.core.exceptions import InvalidInput
from hrtc.recommendations import selectors, services
from hrtc.recommendations.clustering import recommendations_cluster, similar_groups
from hrtc.recommendations.models import Cluster, Recommendation
from hrtc.reference.models import Theme
from tests.base import KENYA_ASSESSORS, ROLES, make_recommendation


def test_status_history_keeps_every_assessment_and_the_latest_public_one_is_the_status(people):
    rec = make_recommendation()
    services.assessment_record(
        subject=rec,
        by=people.kenya_focal_point,
        status="partially_implemented",
        as_of=date(2024, 3, 1),
        evidence="Bill tabled in Parliament",
    )
    services.assessment_record(
        subject=rec,
        by=people.nhri_member,
        status="not_implemented",
        as_of=date(2024, 6, 1),
        evidence="The bill lapsed",
    )
    rec.refresh_from_db()
    assert rec.public_status == "not_implemented"
    history = list(rec.assessments.values_list("status", "source"))
    assert history == [("not_implemented", "nhri"), ("partially_implemented", "government")]


def test_an_assessment_needs_evidence_and_a_past_date(people):
    rec = make_recommendation()
    with pytest.raises(InvalidInput, match="evidence"):
        services.assessment_record(subject=rec, by=people.kenya_focal_point, status="implemented")
    with pytest.raises(InvalidInput, match="future"):
        services.assessment_record(
            subject=rec,
            by=people.kenya_focal_point,
            status="implemented",
            evidence="Act",
            as_of=date.today() + timedelta(days=2),
        )
    assert not rec.assessments.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_assess_a_kenyan_recommendation(people, role):
    rec = make_recommendation()
    user = getattr(people, role)
    if role in KENYA_ASSESSORS:
        services.assessment_record(subject=rec, by=user, status="not_started")
        assert rec.assessments.count() == 1
    else:
        with pytest.raises(AccessDenied):
            services.assessment_record(subject=rec, by=user, status="not_started")


def test_internal_assessments_are_seen_only_by_the_state_the_author_org_and_admins(people):
    rec = make_recommendation()
    internal = services.assessment_record(
        subject=rec,
        by=people.kenya_focal_point,
        status="partially_implemented",
        evidence="Draft law with the Attorney General",
        internal=True,
    )
    public = services.assessment_record(
        subject=rec, by=people.nhri_member, status="not_implemented", evidence="No law yet"
    )
    rec.refresh_from_db()
    assert rec.public_status == "not_implemented"  # the internal one never leaks into the public status
    sees_internal = {"platform_admin", "kenya_focal_point", "kenya_viewer", "kenya_admin"}
    for role in ROLES:
        seen = set(selectors.assessments_visible(getattr(people, role), rec).values_list("pk", flat=True))
        expected = {public.pk, internal.pk} if role in sees_internal else {public.pk}
        assert seen == expected, role
    with pytest.raises(AccessDenied):
        services.assessment_record(
            subject=rec, by=people.nhri_member, status="implemented", evidence="x", internal=True
        )


def test_filters_and_facets(people):
    torture = Theme.objects.get(vocabulary="uprinfo", code="Torture and other CID treatment")
    a = make_recommendation(text="Ratify OPCAT", response="supported")
    a.themes.add(torture)
    a.recommending_states.add("FRA", "DEU")
    make_recommendation(text="Abolish the death penalty", response="noted", cycle=2)
    make_recommendation(state="SVN", text="Combat hate speech", response="supported")
    by_state = selectors.recommendations_filtered(None, {"state": "ken"})
    assert by_state.count() == 2
    assert list(selectors.recommendations_filtered(None, {"recommending_state": "FRA"})) == [a]
    assert list(selectors.recommendations_filtered(None, {"theme": torture.pk})) == [a]
    assert list(selectors.recommendations_filtered(None, {"theme_key": torture.key})) == [a]
    assert selectors.recommendations_filtered(None, {"q": "death penalty"}).count() == 1
    assert selectors.recommendations_filtered(None, {"response": "nonsense"}).count() == 0
    facets = selectors.facets(by_state)
    assert {r["value"]: r["count"] for r in facets["response"]} == {"supported": 1, "noted": 1}
    assert {r["value"]: r["count"] for r in facets["cycle"]} == {3: 1, 2: 1}
    assert facets["theme"] == [{"value": torture.pk, "count": 1, "label": torture.name}]


def test_bulk_assign_entities_and_themes_is_limited_to_the_states_own_entities(people):
    recs = [make_recommendation(text=f"Recommendation {i}") for i in range(3)]
    ministry = services.responsible_entity_create(
        state=recs[0].state_under_review, name="Ministry of Justice", by=people.kenya_focal_point
    )
    theme = Theme.objects.filter(vocabulary="uhri").first()
    changed = services.recommendations_bulk_assign(
        recommendations=recs, by=people.kenya_focal_point, entities=[ministry], themes=[theme]
    )
    assert changed == 3
    assert all(r.responsible_entities.get() == ministry for r in recs)
    slovene = services.responsible_entity_create(
        state=people.organisations["gov_svn"].state, name="Ministry", by=people.slovenia_focal_point
    )
    with pytest.raises(InvalidInput, match="entity of SVN"):
        services.recommendations_bulk_assign(
            recommendations=recs, by=people.platform_admin, entities=[slovene]
        )
    with pytest.raises(AccessDenied):
        services.recommendations_bulk_assign(
            recommendations=recs, by=people.slovenia_focal_point, themes=[theme]
        )


def test_similar_texts_group_and_different_ones_do_not():
    texts = [
        "Ratify the Optional Protocol to the Convention against Torture",
        "Ratify the Optional Protocol to the Convention against Torture (OPCAT)",
        "Consider ratifying the Optional Protocol to the Convention against Torture",
        "Abolish the death penalty",
        "Establish a moratorium on executions with a view to abolishing the death penalty",
        "Improve access to education for girls in rural areas",
    ]
    groups = similar_groups(texts, threshold=0.55)
    assert sorted(sorted(g) for g in groups) == [[0, 1, 2]]


def test_clusters_are_recomputed_but_hand_edits_survive(people):
    same = [
        make_recommendation(text=t, cycle=c)
        for t, c in (
            ("Ratify the Optional Protocol to the Convention against Torture", 1),
            ("Ratify the Optional Protocol to the Convention against Torture", 2),
            ("Ratify the Optional Protocol to the Convention against Torture (OPCAT)", 3),
        )
    ]
    other = make_recommendation(text="Guarantee the independence of the judiciary", cycle=3)
    report = recommendations_cluster(by=SYSTEM, states=["KEN"])
    assert report.clusters == 1
    assert report.clustered == 3
    cluster = Recommendation.objects.get(pk=same[0].pk).cluster
    assert {r.pk for r in cluster.recommendations.all()} == {r.pk for r in same}
    services.cluster_move(recommendation=other, cluster=cluster, by=people.kenya_focal_point)
    services.cluster_rename(cluster=cluster, label="OPCAT ratification", by=people.kenya_focal_point)
    recommendations_cluster(by=SYSTEM, states=["KEN"])
    cluster.refresh_from_db()
    assert cluster.method == "manual"
    assert cluster.label == "OPCAT ratification"
    assert Recommendation.objects.get(pk=other.pk).cluster == cluster
    assert Cluster.objects.filter(state_under_review="KEN").count() == 1
    with pytest.raises(AccessDenied):
        recommendations_cluster(by=people.kenya_focal_point, states=["KEN"])
