"""Search documents per audience (issue 14): a reader who sees a record only through its public fields finds it
only by those fields and reads only them in the snippet; a reader who reads it in full finds it by every
field. One document per record for each reader, totals and facets counted after that choice, and consent
read now (no reindex).

Expectations come from the rules (README, "Technical assistance: who may do what": a request's needs and
priorities are read by the State's government, the providers it consented to and administrators; its
published summary by everyone), never from the code under test."""

from __future__ import annotations

from datetime import date

from hrtc.assistance import services
from hrtc.assistance.choices import RequestStatus as S
from hrtc.reference.models import SdgTarget, State, Theme
from hrtc.search import engine
from hrtc.search.models import Document
from tests.assistance.test_disclosure_rules import browser_session
from tests.assistance.test_lifecycle import request_in
from tests.base import make_recommendation

SEARCH = "/api/v1/search/"
TITLE = "Qztitleword prison monitoring"
NEEDS = "Disaggregated qzneedsword statistics on pre-trial detention"
PRIORITY = "Qzpriorityword oversight of police cells"
SUMMARY_READERS = ("anonymous", "cso_member", "slovenia_focal_point")
FULL_READERS = ("kenya_focal_point", "ohchr_officer", "platform_admin")
PRIVATE_WORDS = ("qzneedsword", "Disaggregated", "Qzpriorityword", "police cells")


def kenyan_request(people, *, publish: bool = True, providers=("ohchr",)):
    """A submitted Kenyan request shared with `providers`, its summary published, with an SDG target (not in
    the summary) and a theme (in it)."""
    req = services.request_create(
        by=people.kenya_focal_point,
        state=State.objects.get(code="KEN"),
        title=TITLE,
        needs=NEEDS,
        priorities=[PRIORITY],
        modality="advisory",
        themes=[Theme.objects.get(vocabulary="uhri", code="D2")],
        sdg_targets=[SdgTarget.objects.get(code="16.3")],
    )
    consent(people, req, publish=publish, providers=providers)
    services.request_transition(request=req, by=people.kenya_focal_point, name="submit")
    return req


def consent(people, req, *, publish: bool, providers=("ohchr",)) -> None:
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=[people.organisations[p] for p in providers],
        publish_summary=publish,
    )


def facets_agree(body: dict) -> None:
    """Every facet counts the results the reader got (one page holds them all here), and nothing else."""
    assert body["total"] == len(body["results"]), body
    for facet in ("kind", "state", "language"):
        counted: dict[str, int] = {}
        for row in body["results"]:
            if row[facet]:
                counted[row[facet]] = counted.get(row[facet], 0) + 1
        assert {row["value"]: row["count"] for row in body["facets"].get(facet, [])} == counted, (facet, body)
    for facet, rows in body["facets"].items():
        assert all(row["count"] <= body["total"] for row in rows), (facet, body)


def search(http, q: str, **filters) -> dict:
    response = http.get(SEARCH, params={"q": q, **filters})
    assert response.status_code == 200, response.text
    body = response.json()
    facets_agree(body)
    return body


def test_a_summary_reader_finds_a_request_only_by_its_summary_and_a_full_reader_by_its_needs(
    api, live_people
):
    people = live_people
    req = kenyan_request(people)
    for role in SUMMARY_READERS:
        who = getattr(people, role)
        with api.client(who) as http, browser_session(api, who) as pages:
            for word, filters in (
                ("qzneedsword", {}),
                ("qzneedsword", {"kind": "request"}),
                ("Qzpriorityword", {}),
                ("disaggregated", {"kind": "request"}),  # a common word: SDG target 17.18 has it
                ("detention", {"kind": "request"}),
            ):
                body = search(http, word, **filters)
                assert body["total"] == 0, (role, word, filters)
                assert body["results"] == [], (role, word, filters)
                assert all(rows == [] for rows in body["facets"].values()), (role, word, body["facets"])
                page = pages.get("/search/", params={"q": word, **filters}, headers={"Accept": "text/html"})
                assert page.status_code == 200, role
                assert TITLE not in page.text, (role, word)
                assert "pre-trial detention" not in page.text, (role, word)
            body = search(http, "qztitleword")
            (hit,) = body["results"]
            assert (hit["kind"], hit["id"], hit["title"]) == ("request", req.pk, TITLE), role
            assert "<mark>Qztitleword</mark>" in hit["snippet"], role
            assert not any(w in hit["snippet"] for w in PRIVATE_WORDS), (role, hit["snippet"])
            assert hit["language"] == "", role  # the working language is not in the summary
            assert body["facets"]["state"] == [{"value": "KEN", "count": 1}], role
            assert body["facets"]["theme"] == [{"value": "D2", "count": 1}], role  # themes are public
            assert body["facets"]["sdg"] == [], role
            assert body["facets"]["language"] == [], role  # SDG targets not
            assert search(http, "qztitleword", sdg="16")["total"] == 0, role
            assert search(http, "qztitleword", language="en")["total"] == 0, role
            page = pages.get("/search/", params={"q": "qztitleword"}, headers={"Accept": "text/html"})
            assert TITLE in page.text, role
            assert not any(w in page.text for w in PRIVATE_WORDS), role
    for role in FULL_READERS:
        who = getattr(people, role)
        with api.client(who) as http, browser_session(api, who) as pages:
            for word in ("qzneedsword", "Qzpriorityword", "qztitleword"):
                body = search(http, word)
                assert [(h["kind"], h["id"]) for h in body["results"]] == [("request", req.pk)], (role, word)
            body = search(http, "qzneedsword")
            assert "<mark>qzneedsword</mark>" in body["results"][0]["snippet"], role
            assert body["facets"]["sdg"] == [{"value": "16", "count": 1}], role
            assert body["facets"]["language"] == [{"value": "en", "count": 1}], role
            page = pages.get("/search/", params={"q": "qzneedsword"}, headers={"Accept": "text/html"})
            assert "<mark>qzneedsword</mark>" in page.text, role


def test_withdrawing_publication_takes_the_summary_out_of_search_at_once(api, live_people):
    people = live_people
    req = kenyan_request(people)
    with api.client() as anonymous, api.client(people.ohchr_officer) as ohchr:
        assert search(anonymous, "qztitleword")["total"] == 1
        consent(people, req, publish=False)
        body = search(anonymous, "qztitleword")
        assert body["total"] == 0
        assert all(rows == [] for rows in body["facets"].values())
        assert search(ohchr, "qzneedsword")["total"] == 1  # still consented
    with browser_session(api, None) as pages:
        page = pages.get("/search/", params={"q": "qztitleword"}, headers={"Accept": "text/html"})
        assert TITLE not in page.text


def test_a_provider_no_longer_consented_reads_only_the_summary(people):
    req = kenyan_request(people)
    assert engine.search(people.ohchr_officer, "qzneedsword").total == 1
    consent(people, req, publish=True, providers=("unwomen",))
    assert engine.search(people.ohchr_officer, "qzneedsword").total == 0
    (hit,) = engine.search(people.ohchr_officer, "qztitleword").hits
    assert "qzneedsword" not in hit.snippet
    assert hit.document.audience == "public"
    assert engine.search(people.unwomen_officer, "qzneedsword").total == 1


def test_a_draft_is_found_by_its_state_only(people):
    draft = services.request_create(
        by=people.kenya_focal_point,
        state=State.objects.get(code="KEN"),
        title=TITLE,
        needs=NEEDS,
        modality="advisory",
    )
    consent(people, draft, publish=True)  # a draft's summary is never public, whatever the consent
    for role in ("anonymous", "cso_member", "ohchr_officer"):
        assert engine.search(getattr(people, role), "qztitleword").total == 0, role
    assert engine.search(people.kenya_viewer, "qzneedsword").total == 1


def test_an_offers_contact_is_found_only_by_the_providers_own(api, live_people):
    people = live_people
    offer = services.offer_create(
        by=people.ohchr_officer,
        provider=people.organisations["ohchr"],
        title="Qzoffertitle treaty reporting clinic",
        description="Drafting support for State party reports",
        modality="training",
        contact="Ask Qzcontactname Wanjiru at the regional office",
        capacity=3,
    )
    for who in (None, people.cso_member, people.kenya_focal_point):
        with api.client(who) as http:
            assert search(http, "qzcontactname")["total"] == 0
            (hit,) = search(http, "qzoffertitle")["results"]
            assert hit["id"] == offer.pk
            assert "Qzcontactname" not in hit["snippet"]
    with api.client(people.ohchr_officer) as http:
        assert [h["id"] for h in search(http, "qzcontactname")["results"]] == [offer.pk]


def test_an_activity_is_one_result_for_each_reader_and_leaves_search_with_the_states_consent(people):
    req = request_in(people, S.ACCEPTED, providers=("ohchr",), publish=True, title="Support request")
    activity = services.activity_create(
        by=people.ohchr_officer,
        lead_provider=people.organisations["ohchr"],
        state=State.objects.get(code="KEN"),
        request=req,
        title="Qzactivityword workshop for magistrates",
        description="Two days on bail hearings",
        modality="training",
        planned_start=date(2025, 3, 1),
        planned_end=date(2025, 3, 2),
    )
    services.activity_publish(activity=activity, by=people.ohchr_officer)
    for role in ("anonymous", "cso_member", "kenya_focal_point", "ohchr_officer", "platform_admin"):
        found = engine.search(getattr(people, role), "qzactivityword")
        assert [h.document.object_id for h in found.hits] == [activity.pk], role
        assert found.total == 1, role
        assert found.facets["kind"] == [{"value": "activity", "count": 1}], role
    consent(people, req, publish=False)
    assert engine.search(None, "qzactivityword").total == 0
    assert engine.search(people.kenya_focal_point, "qzactivityword").total == 1


def test_records_indexed_before_audiences_get_their_public_document_after_migrating(people):
    from django.core.management import call_command

    req = kenyan_request(people)
    Document.objects.filter(kind="request", object_id=req.pk, audience="public").delete()
    assert engine.search(None, "qztitleword").total == 0  # fails closed: the full document is not theirs
    call_command("migrate", verbosity=0)
    assert engine.search(None, "qztitleword").total == 1
    assert audiences("request", req.pk) == ["full", "public"]


def audiences(kind: str, object_id: int) -> list[str]:
    return sorted(Document.objects.filter(kind=kind, object_id=object_id).values_list("audience", flat=True))


def test_a_record_has_two_documents_only_when_some_readers_see_less_of_it(people):
    req = kenyan_request(people)
    rec = make_recommendation(text="Qztitleword in a recommendation")
    with_contact, without = (
        services.offer_create(
            by=people.ohchr_officer,
            provider=people.organisations["ohchr"],
            title=f"Clinic {n}",
            modality="training",
            contact=contact,
        )
        for n, contact in ((1, "Ask Qzcontactname"), (2, ""))
    )
    for _ in range(2):  # as the signals left them, then rebuilt by `hrtc reindex`
        assert audiences("request", req.pk) == ["full", "public"]
        assert audiences("offer", with_contact.pk) == ["full", "public"]
        assert audiences("offer", without.pk) == ["all"]
        assert audiences("recommendation", rec.pk) == ["all"]
        engine.reindex(only=["request", "offer", "recommendation"])
