"""The public read API over real HTTP: no sign-in needed, the same published data for everyone, filters that
match the portal's, pagination across recorded and imported activities, and an OpenAPI schema."""

from hrtc.assistance import services
from hrtc.opendata import downloads
from tests.opendata.portal_factories import accepted_request, activity


def provide(people):
    public_request = accepted_request(people, publish=True, title="Published request on the NMRF")
    return {
        "on_request": activity(people, request=public_request, title="Tracking database for Kenya"),
        "slovenia": activity(people, state="SVN", title="Slovenian ombudsperson exchange", gender_marker=2),
        "hidden": activity(people, publish=False, title="Unpublished prison visit"),
        "request": public_request,
    }


def test_anyone_reads_published_activities_and_a_signed_in_provider_reads_no_more(api, live_people):
    made = provide(live_people)
    with api.client() as anonymous:
        listed = anonymous.get("/api/v1/open/activities/").json()
    assert listed["count"] == 2
    assert {row["title"] for row in listed["results"]} == {
        "Tracking database for Kenya",
        "Slovenian ombudsperson exchange",
    }
    assert set(listed["results"][0]) == set(downloads.DATASETS["activities"].names)
    with api.client(
        live_people.ohchr_officer
    ) as provider:  # the provider sees the hidden one elsewhere, not here
        assert provider.get("/api/v1/open/activities/").json() == listed
        assert provider.get(f"/api/v1/open/activities/{made['hidden'].pk}/").status_code == 404
    with api.client() as anonymous:
        one = anonymous.get(f"/api/v1/open/activities/{made['on_request'].pk}/").json()
    assert one["budget_amount"] == "48500.00"
    assert one["request"] == str(made["request"].pk)


def test_filters_are_the_portals_and_a_bad_one_answers_422_naming_it(api, live_people):
    provide(live_people)
    with api.client() as anonymous:
        by_marker = anonymous.get("/api/v1/open/activities/", params={"gender_marker": "2"}).json()
        assert [row["state"] for row in by_marker["results"]] == ["SVN"]
        by_region = anonymous.get("/api/v1/open/activities/", params={"region": "AFRICAN"}).json()
        assert [row["state"] for row in by_region["results"]] == ["KEN"]
        bad = anonymous.get("/api/v1/open/activities/", params={"region": "Atlantis"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "region"


def test_pages_walk_every_activity_once(api, live_people):
    for n in range(7):
        activity(live_people, title=f"Activity {n}")
    seen = []
    with api.client() as anonymous:
        url = "/api/v1/open/activities/?page_size=3"
        while url:
            page = anonymous.get(url).json()
            seen += [row["title"] for row in page["results"]]
            url = page["next"]
    assert sorted(seen) == [f"Activity {n}" for n in range(7)]


def test_requests_offers_aggregates_and_datasets(api, live_people):
    made = provide(live_people)
    services.offer_create(
        by=live_people.ohchr_officer,
        provider=live_people.organisations["ohchr"],
        title="Treaty reporting",
        modality="training",
        contact="secret-contact@example.org",
        capacity=3,
    )
    with api.client() as anonymous:
        requests = anonymous.get("/api/v1/open/requests/").json()
        offers = anonymous.get("/api/v1/open/offers/").json()
        aggregates = anonymous.get("/api/v1/open/aggregates/", params={"state": "KEN"}).json()
        datasets = anonymous.get("/api/v1/open/datasets/").json()
    assert [r["id"] for r in requests["results"]] == [str(made["request"].pk)]
    assert "needs" not in requests["results"][0]
    assert offers["results"][0]["title"] == "Treaty reporting"
    assert "contact" not in offers["results"][0]
    assert aggregates["activities"] == 1
    assert aggregates["filters"] == {"state": "KEN"}
    by_state = next(c for c in aggregates["charts"] if c["key"] == "state")
    assert by_state["bars"] == [{"value": "KEN", "label": "Kenya", "count": 1}]
    assert {d["key"] for d in datasets} == set(downloads.DATASETS)
    assert datasets[0]["downloads"]["csv"].endswith("/open/download/activities.csv")


def test_the_schema_documents_the_public_api_with_typed_fields(api, live_people):
    with api.client() as anonymous:
        schema = anonymous.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    for path in ("activities/", "activities/{id}/", "requests/", "offers/", "aggregates/", "datasets/"):
        assert f"/api/v1/open/{path}" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/open/activities/"]["get"]["parameters"]}
    assert {
        "state",
        "region",
        "provider",
        "theme",
        "sdg",
        "gender_marker",
        "modality",
        "year",
        "page",
    } <= parameters
    fields = schema["components"]["schemas"]["PublicActivity"]["properties"]
    assert fields["budget_amount"]["format"] == "decimal"
    assert fields["planned_start"]["format"] == "date"
    assert fields["themes"]["type"] == "array"
