"""The assistance API over real HTTP: lifecycle with 409 on illegal moves, consent that hides a request at
once, catalogue matches, overlaps and the feed — always through the access policy."""

from datetime import date, timedelta

from hrtc.assistance import services
from hrtc.assistance.models import AssistanceRequest
from hrtc.reference.models import Theme
from tests.base import make_request


def kenyan_request(people, providers=("ohchr",), publish=False, submit=True):
    torture = Theme.objects.get(vocabulary="uhri", code="D2")
    return make_request(people, providers=providers, publish=publish, submit=submit, themes=[torture])


def test_a_focal_point_creates_a_request_and_an_illegal_move_answers_409(api, live_people):
    with api.client(live_people.kenya_focal_point) as focal:
        created = focal.post(
            "/api/v1/assistance/requests/",
            json={
                "state": "KEN",
                "title": "Support to the NMRF",
                "needs": "A tracking tool",
                "modality": "nmirf_support",
                "priorities": ["tool", "training"],
            },
        )
        assert created.status_code == 201, created.text
        pk = created.json()["id"]
        early = focal.post(f"/api/v1/assistance/requests/{pk}/transition/", json={"transition": "submit"})
        assert early.status_code == 409
        assert "consent" in early.json()["detail"]
        focal.put(
            f"/api/v1/assistance/requests/{pk}/consent/",
            json={"providers": ["ohchr"], "publish_summary": False},
        )
        assert (
            focal.post(f"/api/v1/assistance/requests/{pk}/transition/", json={"transition": "submit"}).json()[
                "status"
            ]
            == "submitted"
        )
        illegal = focal.post(f"/api/v1/assistance/requests/{pk}/transition/", json={"transition": "complete"})
    assert illegal.status_code == 403  # completing is the provider's move, whatever the state
    with api.client(live_people.ohchr_officer) as ohchr:
        wrong_state = ohchr.post(
            f"/api/v1/assistance/requests/{pk}/transition/", json={"transition": "complete"}
        )
        assert wrong_state.status_code == 409
        assert wrong_state.json()["error"] == "transition_not_allowed"
        no_reason = ohchr.post(
            f"/api/v1/assistance/requests/{pk}/transition/", json={"transition": "decline"}
        )
        assert no_reason.status_code == 409 or no_reason.status_code == 422
        ohchr.post(f"/api/v1/assistance/requests/{pk}/transition/", json={"transition": "review"})
        declined = ohchr.post(
            f"/api/v1/assistance/requests/{pk}/transition/",
            json={"transition": "decline", "reason": "Outside our mandate this year"},
        )
    assert declined.json()["status"] == "declined"
    events = declined.json()["events"]
    assert [e["to"] for e in events] == ["draft", "submitted", "under_review", "declined"]
    assert events[-1]["organisation"] == "ohchr"
    assert events[-1]["reason"] == "Outside our mandate this year"
    assert AssistanceRequest.objects.get(pk=pk).status == "declined"


def test_withdrawing_consent_hides_the_request_from_the_provider_at_once(api, live_people):
    req = kenyan_request(live_people, providers=("ohchr", "unwomen"))
    with api.client(live_people.unwomen_officer) as unwomen:
        assert unwomen.get(f"/api/v1/assistance/requests/{req.pk}/").json()["needs"]
        with api.client(live_people.kenya_focal_point) as focal:
            narrowed = focal.put(
                f"/api/v1/assistance/requests/{req.pk}/consent/",
                json={"providers": ["ohchr"], "reason": "UN Women not needed"},
            )
            assert narrowed.json()["consent_providers"] == ["ohchr"]
        assert unwomen.get(f"/api/v1/assistance/requests/{req.pk}/").status_code == 404
        assert req.pk not in {r["id"] for r in unwomen.get("/api/v1/assistance/requests/").json()["results"]}
        assert all(e["request"] != req.pk for e in unwomen.get("/api/v1/assistance/feed/").json()["results"])
    with api.client(live_people.ohchr_officer) as ohchr:
        assert ohchr.get(f"/api/v1/assistance/requests/{req.pk}/").status_code == 200


def test_anonymous_sees_only_published_summaries(api, live_people):
    private = kenyan_request(live_people)
    public = kenyan_request(live_people, publish=True)
    with api.client() as anonymous:
        listed = anonymous.get("/api/v1/assistance/requests/").json()["results"]
        summary = anonymous.get(f"/api/v1/assistance/requests/{public.pk}/").json()
        hidden = anonymous.get(f"/api/v1/assistance/requests/{private.pk}/")
    assert [r["id"] for r in listed] == [public.pk]
    assert "needs" not in summary
    assert summary["title"] == "Prison staff training"
    assert hidden.status_code == 404


def test_matches_overlaps_and_activities(api, live_people):
    req = kenyan_request(live_people, providers=("ohchr", "unwomen"))
    for step in ("review", "accept"):
        services.request_transition(request=req, by=live_people.ohchr_officer, name=step)
    torture = Theme.objects.get(vocabulary="uhri", code="D2")
    services.offer_create(
        by=live_people.ohchr_officer,
        provider=live_people.organisations["ohchr"],
        title="Torture prevention training",
        modality="training",
        themes=[torture],
    )
    services.offer_create(
        by=live_people.unwomen_officer,
        provider=live_people.organisations["unwomen"],
        title="Gender statistics",
        modality="data_indicators",
    )
    start = date.today()
    with api.client(live_people.ohchr_officer) as ohchr:
        matches = ohchr.get(f"/api/v1/assistance/requests/{req.pk}/matches/").json()
        assert next(m["title"] for m in matches) == "Torture prevention training"
        assert any(r.startswith("themes:") for r in matches[0]["reasons"])
        made = ohchr.post(
            "/api/v1/assistance/activities/",
            json={
                "lead_provider": "ohchr",
                "state": "KEN",
                "request": req.pk,
                "title": "Training of trainers",
                "modality": "training",
                "planned_start": str(start),
                "planned_end": str(start + timedelta(days=30)),
                "budget_amount": "12000.50",
                "budget_currency": "USD",
                "gender_marker": 1,
                "themes": [torture.pk],
            },
        )
        assert made.status_code == 201, made.text
        assert made.json()["budget_amount"] == "12000.50"
        bad_marker = ohchr.post(
            "/api/v1/assistance/activities/",
            json={
                "lead_provider": "ohchr",
                "state": "KEN",
                "request": req.pk,
                "title": "x",
                "modality": "training",
                "planned_start": str(start),
                "planned_end": str(start),
                "gender_marker": 3,
            },
        )
        assert bad_marker.status_code == 400
    with api.client(live_people.unwomen_officer) as unwomen:
        other = unwomen.post(
            "/api/v1/assistance/activities/",
            json={
                "lead_provider": "unwomen",
                "state": "KEN",
                "request": req.pk,
                "title": "Prison visits",
                "modality": "advisory",
                "planned_start": str(start + timedelta(days=10)),
                "planned_end": str(start + timedelta(days=60)),
                "themes": [torture.pk],
            },
        )
        assert other.status_code == 201, other.text
        participants = unwomen.put(
            f"/api/v1/assistance/activities/{other.json()['id']}/participants/",
            json={"women": 12, "men": 9, "other": 1, "groups": {"women": 12}},
        )
        assert participants.json()["participants_total"] == 22
    with api.client(live_people.kenya_viewer) as kenya:
        overlaps = kenya.get("/api/v1/assistance/states/KEN/overlaps/").json()
    assert len(overlaps) == 1
    assert set(overlaps[0]["providers"]) == {"ohchr", "unwomen"}
    assert overlaps[0]["shared_themes"] == [torture.name]
    with api.client(live_people.cso_member) as outsider:
        assert outsider.get("/api/v1/assistance/states/KEN/overlaps/").json() == []


def test_the_public_atom_feed_carries_only_public_items(api, live_people):
    kenyan_request(live_people, publish=True)
    make_request(
        live_people,
        title="Confidential review of the counter-terrorism law",
        needs="x",
        modality="legislative_review",
    )
    with api.client() as anonymous:
        feed = anonymous.get("/assistance/state/KEN/feed.atom")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "Prison staff training" in feed.text
    assert "counter-terrorism" not in feed.text
