"""The portal's pages, anonymous: support available and provided, filtered along every dimension, with charts
whose numbers are the data; a per-State page; nothing unpublished, whatever the filter."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from hrtc.assistance import services
from hrtc.opendata import downloads
from tests.opendata.portal_factories import accepted_request, activity


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def provided(people):
    """Published: two Kenyan activities (one on a published request) and one Slovenian; unpublished: one."""
    public_request = accepted_request(people, publish=True, title="Published request on the NMRF")
    return {
        "on_request": activity(people, request=public_request, title="Tracking database for Kenya"),
        "kenya": activity(
            people,
            title="Gender statistics course",
            modality="training",
            gender_marker=2,
            themes=("F1",),
            sdg_targets=("5.2",),
            start=date(2024, 2, 1),
            end=date(2024, 3, 1),
            lead="unwomen",
        ),
        "slovenia": activity(people, state="SVN", title="Slovenian ombudsperson exchange", budget=None),
        "hidden": activity(people, publish=False, title="Unpublished prison visit"),
        "request": public_request,
    }


def text(response) -> str:
    return response.content.decode()


def test_the_portal_shows_published_activities_and_none_other(client, provided):
    page = client.get(reverse("opendata:portal"))
    assert page.status_code == 200
    body = text(page)
    for key in ("on_request", "kenya", "slovenia"):
        assert provided[key].title in body
    assert "Unpublished prison visit" not in body
    assert 'id="total-activities">3<' in body
    assert "Published request on the NMRF" not in body  # requests are counted here, listed on their page
    assert 'id="total-requests">1<' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "SVN"}, {"slovenia"}),
        ({"region": "AFRICAN"}, {"on_request", "kenya"}),
        ({"region": "Europe"}, {"slovenia"}),
        ({"provider": "unwomen"}, {"kenya"}),
        ({"theme": "uhri:F1"}, {"kenya"}),
        ({"sdg": "5"}, {"kenya"}),
        ({"sdg": "16.3"}, {"on_request", "slovenia"}),
        ({"gender_marker": "2"}, {"kenya"}),
        ({"modality": "training"}, {"kenya"}),
        ({"year": "2024"}, {"kenya"}),
        ({"year": "2025", "state": "KEN"}, {"on_request"}),
    ],
)
def test_every_filter_narrows_the_activities(client, provided, query, expected):
    body = text(client.get(reverse("opendata:portal"), query))
    shown = {key for key in ("on_request", "kenya", "slovenia") if provided[key].title in body}
    assert shown == expected
    assert "Unpublished prison visit" not in body


def chart_rows(body: str, key: str) -> dict[str, int]:
    """The rows of one chart's table, as label → count (what a screen reader reads)."""
    figure = body.split(f'id="chart-{key}"', 1)[1].split("</figure>", 1)[0]
    rows = re.findall(
        r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>.*?<span class="count">(\d+)</span>', figure, re.S
    )
    return {label: int(count) for label, count in rows}


def test_each_chart_is_a_table_of_counts_whose_links_narrow_the_view(client, provided):
    body = text(client.get(reverse("opendata:portal")))
    assert chart_rows(body, "gender_marker") == {"Significant objective": 2, "Principal objective": 1}
    assert chart_rows(body, "state") == {"Kenya": 2, "Slovenia": 1}
    assert chart_rows(body, "year") == {"2024": 1, "2025": 2}
    assert chart_rows(body, "provider") == {"OHCHR": 2, "UN Women": 1}
    assert '<a href="/open/?gender_marker=1">' in body
    narrower = text(client.get(reverse("opendata:portal"), {"gender_marker": "1"}))
    assert 'id="total-activities">2<' in narrower
    assert chart_rows(narrower, "gender_marker") == {"Significant objective": 2}


def test_a_bad_filter_is_refused_with_a_message_naming_it(client, provided):
    response = client.get(reverse("opendata:portal"), {"year": "last"})
    assert response.status_code == 400
    assert "&#x27;last&#x27; is not a year" in text(response)
    assert client.get(reverse("opendata:portal"), {"state": "XXX"}).status_code == 400


def test_the_state_page_shows_requested_provided_and_available_support(client, provided, people):
    services.offer_create(
        by=people.ohchr_officer,
        provider=people.organisations["ohchr"],
        title="Treaty reporting training",
        modality="training",
        regional_groups=["AFRICAN"],
        contact="secret-contact@example.org",
        capacity=4,
    )
    services.offer_create(
        by=people.unwomen_officer,
        provider=people.organisations["unwomen"],
        title="Only for Latin America",
        modality="training",
        regional_groups=["GRULAC"],
    )
    body = text(client.get(reverse("opendata:state", args=["ken"])))
    assert "Published request on the NMRF" in body
    assert "Tracking database for Kenya" in body
    assert "Gender statistics course" in body
    assert "Slovenian ombudsperson exchange" not in body
    assert "Unpublished prison visit" not in body
    assert "Treaty reporting training" in body
    assert "Only for Latin America" not in body
    assert "secret-contact@example.org" not in body
    assert "Training on the Nelson Mandela Rules" not in body  # the request's needs stay internal
    assert client.get(reverse("opendata:state", args=["ZZZ"])).status_code == 404


def test_an_unpublished_activity_is_not_found_and_a_published_one_shows_public_fields_only(
    client, provided, people
):
    services.activity_set_participants(
        activity=provided["kenya"],
        by=people.unwomen_officer,
        women=12,
        men=3,
        groups={"persons-with-disabilities": 2},
    )
    assert client.get(reverse("opendata:activity", args=[provided["hidden"].pk])).status_code == 404
    body = text(client.get(reverse("opendata:activity", args=[provided["kenya"].pk])))
    assert "Gender statistics course" in body
    assert "12 women, 3 men" in body
    assert "disabilities" not in body.lower()


def test_withdrawing_consent_to_publication_takes_the_activities_of_the_request_off_at_once(
    client, provided, people
):
    services.request_set_consent(
        request=provided["request"],
        by=people.kenya_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=False,
    )
    body = text(client.get(reverse("opendata:portal")))
    assert "Tracking database for Kenya" not in body
    assert 'id="total-requests">0<' in body
    assert client.get(reverse("opendata:activity", args=[provided["on_request"].pk])).status_code == 404


def test_offers_and_requests_pages_list_the_catalogue_and_published_summaries(client, provided, people):
    services.offer_create(
        by=people.ohchr_officer,
        provider=people.organisations["ohchr"],
        title="Review of the penal code",
        modality="legislative_review",
    )
    assert "Review of the penal code" in text(client.get(reverse("opendata:offers")))
    assert "Review of the penal code" not in text(
        client.get(reverse("opendata:offers"), {"modality": "training"})
    )
    assert "Review of the penal code" not in text(client.get(reverse("opendata:offers"), {"sdg": "5"}))
    requests_page = text(client.get(reverse("opendata:requests")))
    assert "Published request on the NMRF" in requests_page
    assert "Published request on the NMRF" not in text(
        client.get(reverse("opendata:requests"), {"state": "SVN"})
    )


def test_the_data_dictionary_lists_every_column_of_every_dataset(client, db):
    body = text(client.get(reverse("opendata:dictionary")))
    for dataset in downloads.DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in body


def test_the_portal_makes_a_fixed_number_of_queries_whatever_its_length(
    client, people, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    activity(people, title="First")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("opendata:portal"))
    for n in range(5):
        activity(people, title=f"More {n}", partners=("unct_ken",), themes=("A2", "F1"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("opendata:portal"))
    assert len(many.captured_queries) == len(few.captured_queries)
