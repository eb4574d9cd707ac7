"""Practices in search (never leaking unpublished ones, in results, counts or facets), the API over HTTP
and the pages in a real browser: submit, moderate, publish."""

import pytest

from hrtc.practices import services
from hrtc.practices.models import Practice
from hrtc.search import engine
from tests.base import PASSWORD, ROLES
from tests.browser import sign_in
from tests.practices.test_moderation import MODERATORS, submit


def test_an_unpublished_practice_is_never_shown_counted_or_hinted_in_search(people):
    submit(people, title="Ombudsperson outreach in Turkana", summary="Mobile clinics of the ombudsperson.")
    shown = submit(
        people, title="Ombudsperson outreach in Garissa", summary="Mobile clinics of the ombudsperson."
    )
    for step in ("review", "publish"):
        services.practice_transition(practice=shown, by=people.ohchr_officer, name=step)
    for role in ROLES:
        results = engine.search(getattr(people, role), "ombudsperson mobile clinics")
        titles = [h.document.title for h in results.hits]
        insider = role in MODERATORS | {"cso_member"}
        assert results.total == (2 if insider else 1), role
        assert ("Ombudsperson outreach in Turkana" in titles) == insider, role
        kinds = {row["value"]: row["count"] for row in results.facets["kind"]}
        assert kinds == {"practice": 2 if insider else 1}, role
        assert all("Turkana" not in h.snippet for h in results.hits) or insider


def test_publishing_and_unpublishing_moves_the_practice_in_and_out_of_public_search(people):
    practice = submit(people, title="Sign-language interpreters in courts")
    officer = people.ohchr_officer
    assert engine.search(None, "sign language interpreters").total == 0
    for step in ("review", "publish"):
        services.practice_transition(practice=practice, by=officer, name=step)
    found = engine.search(None, "sign language interpreters", {"kind": "practice"})
    assert [h.document.object_key for h in found.hits] == [practice.slug]
    services.practice_transition(
        practice=practice, by=officer, name="unpublish", comment="Consent of the court?"
    )
    assert engine.search(None, "sign language interpreters").total == 0


def test_the_api_submits_sanitises_moderates_and_answers_409(api, live_people):
    with api.client(live_people.nhri_member) as nhri, api.client(live_people.ohchr_officer) as officer:
        created = nhri.post(
            "/api/v1/practices/",
            json={
                "title": "Inquiry into police custody deaths",
                "summary": "A national inquiry with public hearings.",
                "body": '<p>Hearings in four counties.<script>steal()</script></p><img src=x onerror="y()">',
                "language": "en",
                "state": "KEN",
                "sdg_targets": ["16.3"],
                "themes": ["D2"],
            },
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["status"] == "submitted"
        assert "script" not in body["body"]
        assert "onerror" not in body["body"]
        slug = body["slug"]
        with api.client() as anonymous:
            assert anonymous.get(f"/api/v1/practices/{slug}/").status_code == 404
            assert anonymous.get("/api/v1/practices/").json()["count"] == 0
        early = officer.post(f"/api/v1/practices/{slug}/transition/", json={"transition": "publish"})
        assert early.status_code == 409
        not_mine = nhri.post(f"/api/v1/practices/{slug}/transition/", json={"transition": "review"})
        assert not_mine.status_code == 403
        for step in ("review", "publish"):
            moved = officer.post(f"/api/v1/practices/{slug}/transition/", json={"transition": step})
            assert moved.status_code == 200, moved.text
        edit = nhri.patch(f"/api/v1/practices/{slug}/", json={"title": "Changed"})
        assert edit.status_code == 409
        with api.client() as anonymous:
            public = anonymous.get("/api/v1/practices/", params={"sdg": "16"}).json()
            assert [p["slug"] for p in public["results"]] == [slug]
            assert anonymous.get(f"/api/v1/practices/{slug}/history/").json() == []
        assert [e["to_status"] for e in nhri.get(f"/api/v1/practices/{slug}/history/").json()] == [
            "submitted", "in_review", "published",
        ]  # fmt: skip


def test_a_bad_attachment_over_http_names_the_file_and_the_field(api, live_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    practice = submit(live_people)
    with api.client(live_people.cso_member) as author:
        refused = author.post(
            f"/api/v1/practices/{practice.slug}/attachments/",
            files={"file": ("notes.pdf", b"just text, not a pdf", "application/pdf")},
        )
    assert refused.status_code == 422, refused.text
    assert "notes.pdf" in refused.text
    assert "file" in refused.text
    assert list(tmp_path.rglob("*.pdf")) == []


@pytest.mark.browser
def test_a_cso_member_shares_a_practice_and_ohchr_publishes_it(page, live_people):
    sign_in(page, "cso.member", PASSWORD)
    page.goto("/practices/new/")
    page.get_by_label("Title").fill("Community scorecards for health rights")
    page.get_by_label("Summary (one or two sentences)").fill(
        "Patients rate clinics; results go to the county."
    )
    page.get_by_label("What was done, how, with whom").fill(
        "<p>Scorecards in <b>12 clinics</b>.</p><script>x()</script>"
    )
    page.get_by_label("SDG targets (codes such as 5.2 16.10)").fill("3.8 16.7")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("heading", name="Community scorecards for health rights").wait_for()
    assert page.locator("#practice-status").inner_text() == "Submitted"
    assert page.locator(".practice-body b").inner_text() == "12 clinics"
    practice = Practice.objects.get(title="Community scorecards for health rights")
    assert "<script>" not in practice.body

    page.context.clear_cookies()
    sign_in(page, "ohchr.officer", PASSWORD)
    page.goto("/practices/")
    page.get_by_role("link", name="Community scorecards for health rights").click()
    page.get_by_role("button", name="Review").click()
    page.get_by_label("Comments for the author (required to return, reject or unpublish)").fill("")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Done.").wait_for()
    practice.refresh_from_db()
    assert practice.status == "published"

    page.context.clear_cookies()
    page.goto("/practices/?language=en")
    assert page.get_by_role("link", name="Community scorecards for health rights").count() == 1
    assert page.console_errors == []


def test_the_page_shows_only_the_linked_records_the_reader_may_see(client, people):
    from tests.base import make_request

    private = make_request(
        people, title="Confidential witness protection request", needs="Needs", publish=False
    )
    practice = submit(people)
    practice.requests.add(private)
    for step in ("review", "publish"):
        services.practice_transition(practice=practice, by=people.ohchr_officer, name=step)
    public_page = client.get(f"/practices/{practice.slug}/").content.decode()
    assert "Paralegal network for rural women" in public_page
    assert "Confidential witness protection request" not in public_page
    client.force_login(people.kenya_focal_point)
    assert (
        "Confidential witness protection request"
        in client.get(f"/practices/{practice.slug}/").content.decode()
    )


def test_published_practices_appear_in_the_transparency_portal_and_unpublished_ones_never(client, people):
    from hrtc.reference.models import State

    kenya = State.objects.get(code="KEN")
    shown = submit(people, title="County human rights committees", state=kenya)
    submit(people, title="Draft practice still under review", state=kenya)
    for step in ("review", "publish"):
        services.practice_transition(practice=shown, by=people.ohchr_officer, name=step)
    for url in ("/open/", "/open/state/KEN/", "/open/?state=KEN"):
        page = client.get(url).content.decode()
        assert "County human rights committees" in page, url
        assert "Draft practice still under review" not in page, url
    assert "County human rights committees" not in client.get("/open/state/SVN/").content.decode()
