"""One decision per kind of record, asked by every API surface (issue 14): fields per reader, filters and
orderings that are not oracles, consent read now, writes that do not tell what exists.

Expectations are written here from the rules (README, "Technical assistance: who may do what"), never read
from the code under test."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from django.conf import settings
from django.test import Client

from hrtc.assistance import services
from hrtc.assistance.choices import RequestStatus as S
from hrtc.assistance.models import Activity
from hrtc.reference.models import AffectedGroup, State
from tests.assistance.test_lifecycle import request_in

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = "/api/v1/assistance/requests/"


def browser_session(api, user) -> httpx.Client:
    """A signed-in session for the pages (they do not take API tokens), over real HTTP."""
    if user is None:
        return httpx.Client(base_url=api.base_url, timeout=30)
    django_client = Client()
    django_client.force_login(user)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    return httpx.Client(base_url=api.base_url, cookies={settings.SESSION_COOKIE_NAME: cookie}, timeout=30)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["results"]]


def refused(response, parameter: str) -> bool:
    return response.status_code == 422 and response.json().get("field") == parameter


@pytest.fixture
def world(live_people):
    """Kenyan requests with published summaries: two shared with OHCHR, one with UN Women; a Slovenian one."""
    people = live_people
    shared = [
        request_in(people, S.SUBMITTED, providers=("ohchr",), publish=True, title=t, needs=n)
        for t, n in (("Alpha training", "zz needs"), ("Beta training", "aa needs"))
    ]
    other = request_in(people, S.SUBMITTED, providers=("unwomen",), publish=True, title="Gamma training")
    slovenian = services.request_create(
        by=people.slovenia_focal_point,
        state=State.objects.get(code="SVN"),
        title="Delta training",
        needs="Slovenian needs",
        modality="training",
    )
    services.request_set_consent(
        request=slovenian,
        by=people.slovenia_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=True,
    )
    services.request_transition(request=slovenian, by=people.slovenia_focal_point, name="submit")
    return people, shared, other, slovenian


def test_a_summary_reader_gets_the_summary_fields_only_and_a_full_reader_gets_every_field(api, world):
    people, shared, _other, _slovenian = world
    summary = {"id", "requesting_state", "title", "modality", "status", "themes", "created_at", "updated_at"}
    for who, full in [
        (None, False),
        (people.cso_member, False),
        (people.unwomen_officer, False),
        (people.slovenia_focal_point, False),
        (people.kenya_viewer, True),
        (people.ohchr_officer, True),
        (people.platform_admin, True),
    ]:
        body = api.client(who).get(f"{REQUESTS}{shared[0].pk}/").json()
        if full:
            assert {"needs", "consent_providers", "events"} <= set(body), who
        else:
            assert set(body) == summary, who


def test_a_filter_on_consented_providers_is_refused_unless_every_listed_request_is_read_in_full(api, world):
    people, shared, other, slovenian = world
    for who in (None, people.cso_member, people.unwomen_officer, people.slovenia_focal_point):
        assert refused(api.client(who).get(REQUESTS, params={"provider": "ohchr"}), "provider"), who
        # nor narrowed to Kenya, whose requests they read only in summary
        assert refused(
            api.client(who).get(REQUESTS, params={"provider": "ohchr", "state": "KEN"}), "provider"
        )
    kenya = api.client(people.kenya_focal_point)
    # Kenya's focal point sees the Slovenian summary too: the whole list is not theirs to filter so...
    assert refused(kenya.get(REQUESTS, params={"provider": "ohchr"}), "provider")
    # ... but narrowed to its own State every row is read in full, and the filter works.
    assert sorted(ids(kenya.get(REQUESTS, params={"provider": "ohchr", "state": "KEN"}))) == sorted(
        r.pk for r in shared
    )
    assert ids(kenya.get(REQUESTS, params={"provider": "unwomen", "state": "KEN"})) == [other.pk]
    # Public filters stay open to everyone.
    assert ids(api.client().get(REQUESTS, params={"state": "SVN"})) == [slovenian.pk]


def test_ordering_by_a_private_field_is_refused_and_public_orderings_still_order(api, world):
    people, shared, _other, _slovenian = world
    anonymous = api.client()
    for term in ("needs", "-needs", "priorities", "consent_publish_summary"):
        assert refused(anonymous.get(REQUESTS, params={"ordering": term}), "ordering"), term
    ascending = ids(anonymous.get(REQUESTS, params={"ordering": "title"}))
    descending = ids(anonymous.get(REQUESTS, params={"ordering": "-title"}))
    assert len(ascending) == 4
    assert ascending == list(reversed(descending))

    kenya = api.client(people.kenya_focal_point)
    by_needs = ids(kenya.get(REQUESTS, params={"ordering": "needs", "state": "KEN", "provider": "ohchr"}))
    assert by_needs == [shared[1].pk, shared[0].pk]  # "aa needs" before "zz needs"
    assert refused(kenya.get(REQUESTS, params={"ordering": "needs"}), "ordering")


def test_searching_a_private_field_through_the_list_is_not_possible(api, world):
    _people, shared, _other, _slovenian = world
    found = ids(api.client().get(REQUESTS, params={"search": "zz needs"}))
    assert shared[0].pk not in found  # search covers the title only


def published_activity(people, *, groups: bool = True) -> Activity:
    req = request_in(people, S.ACCEPTED, providers=("ohchr",), publish=True, title="Shared summary")
    act = services.activity_create(
        by=people.ohchr_officer,
        lead_provider=people.organisations["ohchr"],
        state=State.objects.get(code="KEN"),
        request=req,
        title="Workshop for prison staff",
        modality="training",
        planned_start=date(2026, 3, 1),
        planned_end=date(2026, 3, 31),
    )
    if groups:
        group = AffectedGroup.objects.first()
        services.activity_set_participants(
            activity=act, by=people.ohchr_officer, women=10, men=9, other=0, groups={group.pk: 3}
        )
    return services.activity_publish(activity=Activity.objects.get(pk=act.pk), by=people.ohchr_officer)


def test_participants_by_affected_group_are_read_only_by_the_state_and_the_providers(api, live_people):
    people = live_people
    act = published_activity(people)
    for who, full in [
        (None, False),
        (people.cso_member, False),
        (people.unwomen_officer, False),
        (people.kenya_viewer, True),
        (people.ohchr_officer, True),
        (people.platform_admin, True),
    ]:
        body = api.client(who).get(f"/api/v1/assistance/activities/{act.pk}/").json()
        assert body["title"] == act.title
        assert body["participants_women"] == 10
        assert ("participants_by_group" in body) is full, who
        page = browser_session(api, who).get(f"/assistance/activities/{act.pk}/").text
        group = AffectedGroup.objects.first()
        assert (f"{group.name}: 3" in page) is full, who


def test_a_withdrawn_consent_takes_a_published_activity_off_every_live_surface_at_once(api, live_people):
    people = live_people
    act = published_activity(people, groups=False)
    anonymous = api.client()
    surfaces = [
        "/api/v1/assistance/activities/",
        f"/api/v1/assistance/activities/{act.pk}/",
        f"/assistance/activities/{act.pk}/",
        "/assistance/state/KEN/",
        "/assistance/state/KEN/feed.atom",
        "/api/v1/assistance/feed/",
        "/api/v1/assistance/states/KEN/overlaps/",
    ]

    def shown() -> set[str]:
        return {url for url in surfaces if act.title in anonymous.get(url).text}

    assert shown() >= {"/api/v1/assistance/activities/", f"/assistance/activities/{act.pk}/"}
    services.request_set_consent(
        request=act.request,
        by=people.kenya_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=False,
    )
    assert shown() == set()
    assert anonymous.get(f"/api/v1/assistance/activities/{act.pk}/").status_code == 404
    # The State and the provider still read it in full.
    assert api.client(people.kenya_viewer).get(f"/api/v1/assistance/activities/{act.pk}/").status_code == 200


def test_an_offers_contact_and_capacity_are_read_only_by_the_provider(api, live_people):
    people = live_people
    offer = services.offer_create(
        by=people.unwomen_officer,
        provider=people.organisations["unwomen"],
        title="Gender statistics",
        modality="advisory",
        contact="desk@example.org",
        capacity=7,
    )
    for who, full in [
        (None, False),
        (people.kenya_focal_point, False),
        (people.ohchr_officer, False),
        (people.unwomen_officer, True),
        (people.platform_admin, True),
    ]:
        body = api.client(who).get(f"/api/v1/assistance/offers/{offer.pk}/").json()
        assert body["title"] == "Gender statistics"
        assert ({"contact", "capacity"} <= set(body)) is full, who
        assert ("desk@example.org" in browser_session(api, who).get("/assistance/offers/").text) is full, who
    assert refused(
        api.client().get("/api/v1/assistance/offers/", params={"ordering": "capacity"}), "ordering"
    )


def test_the_feed_names_the_deciding_provider_only_to_those_who_read_the_request_in_full(api, world):
    people, shared, _other, _slovenian = world
    services.request_transition(request=shared[0], by=people.ohchr_officer, name="review")
    feed = "/api/v1/assistance/feed/"
    for who, full in [
        (None, False),
        (people.cso_member, False),
        (people.unwomen_officer, False),
        (people.kenya_viewer, True),
        (people.ohchr_officer, True),
    ]:
        rows = [e for e in api.client(who).get(feed).json()["results"] if e["request"] == shared[0].pk]
        assert rows, who
        assert any(e.get("provider") == "ohchr" for e in rows) is full, who
        if not full:
            assert all("provider" not in e for e in rows)
            assert refused(api.client(who).get(feed, params={"provider__code": "ohchr"}), "provider__code")
    page = api.client().get("/assistance/state/KEN/").text
    assert ">ohchr<" not in page.lower().replace(" ", "")


def test_a_write_on_a_record_the_reader_may_not_see_answers_like_a_missing_one(api, live_people):
    people = live_people
    hidden = request_in(people, S.SUBMITTED, providers=("ohchr",), publish=False)
    missing = hidden.pk + 10_000
    for who in (people.cso_member, people.unwomen_officer, people.slovenia_focal_point):
        client = api.client(who)
        for method, suffix, body in (
            ("post", "transition/", {"transition": "review"}),
            ("put", "consent/", {"providers": ["unwomen"], "publish_summary": True}),
        ):
            seen = getattr(client, method)(f"{REQUESTS}{hidden.pk}/{suffix}", json=body)
            unknown = getattr(client, method)(f"{REQUESTS}{missing}/{suffix}", json=body)
            assert seen.status_code == unknown.status_code == 404, (who, suffix)
            assert seen.json() == unknown.json()
