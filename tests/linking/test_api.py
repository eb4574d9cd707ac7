"""The linking API over real HTTP: filters, one-click decisions by role, adding links, classifier info."""

from django.contrib.contenttypes.models import ContentType

from hrtc.linking.choices import LinkSource, LinkStatus
from hrtc.linking.models import ClassifierModel, Link
from tests.base import ROLES, make_recommendation
from tests.linking.test_services import REVIEWERS_OF_KENYA, suggestion


def test_accept_and_reject_over_http_follow_the_policy(api, live_people):
    rec = make_recommendation(state="KEN")
    for role in ROLES:
        for decision, goal in (("accept", "5"), ("reject", "16")):
            link = suggestion(rec, goal=goal)
            with api.client(getattr(live_people, role)) as http:
                response = http.post(f"/api/v1/linking/links/{link.pk}/{decision}/", json={"reason": role})
            expected = 200 if role in REVIEWERS_OF_KENYA else 401 if role == "anonymous" else 403
            assert response.status_code == expected, (role, decision, response.text)
            link.refresh_from_db()
            if expected == 200:
                assert response.json()["status"] == link.status == f"{decision}ed".replace("ee", "e")
            else:
                assert link.status == LinkStatus.SUGGESTED
            link.delete()


def test_links_are_listed_with_filters_and_suggestions_stay_suggestions(api, live_people):
    kenya = make_recommendation(state="KEN", text="Combat violence against women")
    slovenia = make_recommendation(state="SVN", text="Provide drinking water")
    suggestion(kenya, goal="5", confidence=0.9)
    suggestion(kenya, goal="16", confidence=0.45)
    suggestion(slovenia, goal="6", confidence=0.8)
    with api.client(live_people.ohchr_officer) as http:
        added = http.post(
            "/api/v1/linking/links/add/",
            json={"subject_type": "recommendation", "object_id": kenya.pk, "theme": "uprinfo:Women's rights"},
        )
        assert added.status_code == 201
        assert added.json()["source"] == "human"
        refused = http.post(
            "/api/v1/linking/links/add/", json={"subject_type": "recommendation", "object_id": kenya.pk}
        )
        assert refused.status_code == 422
    with api.client() as http:
        everything = http.get("/api/v1/linking/links/").json()
        of_kenya = http.get("/api/v1/linking/links/", params={"state": "KEN", "status": "suggested"}).json()
        by_uncertainty = http.get(
            "/api/v1/linking/links/", params={"status": "suggested", "ordering": "margin"}
        ).json()
        goal_6 = http.get(
            "/api/v1/linking/links/", params={"goal": "6", "subject_type": "recommendation"}
        ).json()
        themes = http.get("/api/v1/linking/links/", params={"theme_key": "uprinfo:Women's rights"}).json()
    assert everything["count"] == 4
    assert {r["goal"] for r in of_kenya["results"]} == {"5", "16"}
    assert all(r["source"] == "model" and r["confidence"] for r in of_kenya["results"])
    assert [r["goal"] for r in by_uncertainty["results"]] == ["16", "6", "5"]
    assert goal_6["count"] == 1
    assert goal_6["results"][0]["object_id"] == slovenia.pk
    assert themes["count"] == 1
    assert themes["results"][0]["status"] == "accepted"


def test_links_of_non_public_records_are_for_administrators(api, live_people):
    rec = make_recommendation()
    Link.objects.create(
        content_type=ContentType.objects.get(app_label="assistance", model="activity"),
        object_id=rec.pk,
        kind="goal",
        goal_id="4",
        source=LinkSource.HUMAN,
        status=LinkStatus.ACCEPTED,
    )
    with api.client() as http:
        assert http.get("/api/v1/linking/links/").json()["count"] == 0
    with api.client(live_people.platform_admin) as http:
        assert http.get("/api/v1/linking/links/").json()["count"] == 1


def test_classifier_information(api, live_people):
    with api.client() as http:
        assert http.get("/api/v1/linking/classifiers/active/").json() == {"active": None}
    ClassifierModel.objects.create(
        version="v1",
        file_name="linker-v1.npz",
        sha256="0" * 64,
        seed=1,
        is_active=True,
        metrics={"tasks": {"goals": {"model": {"macro_f1": 0.7}}}},
    )
    with api.client() as http:
        active = http.get("/api/v1/linking/classifiers/active/").json()["active"]
        listed = http.get("/api/v1/linking/classifiers/").json()
    assert active["version"] == "v1"
    assert active["metrics"]["tasks"]["goals"]["model"]["macro_f1"] == 0.7
    assert listed["count"] == 1
