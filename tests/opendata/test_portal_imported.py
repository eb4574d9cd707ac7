"""Activities imported from other publishers' IATI files (`hrtc import iati`) sit in the portal beside the
ones recorded here: in the pages, the charts, every download and the API, under the same filters."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from hrtc.opendata.iati.importer import import_file
from tests.opendata.portal_factories import activity

UNFPA_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">{activities}</iati-activities>
"""
UNFPA_ACTIVITY = """
  <iati-activity xml:lang="en" default-currency="USD" last-updated-datetime="2024-05-01T10:00:00Z">
    <iati-identifier>XM-DAC-41119-{n}</iati-identifier>
    <reporting-org ref="XM-DAC-41119" type="40"><narrative>United Nations Population Fund</narrative></reporting-org>
    <title><narrative>UNFPA programme {n} on violence against women</narrative></title>
    <description><narrative>Shelters and helplines, phase {n}.</narrative></description>
    <participating-org ref="XM-DAC-41119" role="4" type="40"/>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2023-01-01"/>
    <activity-date type="3" iso-date="2023-12-31"/>
    <recipient-country code="{country}"/>
    <sector vocabulary="1" code="15180"/>
    <tag vocabulary="3" code="5.2"/>
    <policy-marker vocabulary="1" code="1" significance="2"/>
  </iati-activity>"""


def import_unfpa(people, tmp_path):
    """Four UNFPA activities (three in Kenya, one in Slovenia, 2023) imported, and one recorded here."""
    path = tmp_path / "unfpa.xml"
    activities = "".join(UNFPA_ACTIVITY.format(n=n, country="KE" if n < 3 else "SI") for n in range(4))
    path.write_text(UNFPA_FILE.format(activities=activities), encoding="utf-8")
    report = import_file(path=path, by=people.ohchr_officer)
    assert report.kept == 4
    activity(people, title="Tracking database for Kenya")  # recorded here, OHCHR, 2025
    return path


@pytest.fixture
def imported(people, tmp_path):
    return import_unfpa(people, tmp_path)


@pytest.fixture
def imported_live(live_people, tmp_path):
    return import_unfpa(live_people, tmp_path)


def test_pages_count_and_list_imported_activities_beside_recorded_ones(imported):
    client = Client()
    body = client.get(reverse("opendata:portal")).content.decode()
    assert 'id="total-activities">1<' in body
    assert 'id="total-imported">4<' in body
    assert "UNFPA programme 0 on violence against women" in body
    assert "Tracking database for Kenya" in body
    kenya = client.get(reverse("opendata:state", args=["KEN"])).content.decode()
    assert 'id="total-imported">3<' in kenya
    assert "UNFPA programme 3" not in kenya


@pytest.mark.parametrize(
    ("query", "recorded", "imported_count"),
    [
        ({"provider": "unfpa"}, 0, 4),
        ({"sdg": "5.2"}, 0, 4),
        ({"sdg": "5"}, 0, 4),
        ({"gender_marker": "2"}, 0, 4),
        ({"state": "SVN"}, 0, 1),
        ({"year": "2023"}, 0, 4),
        ({"year": "2025"}, 1, 0),
        ({"modality": "nmirf_support"}, 1, 0),  # IATI carries no modality: an imported activity has none
    ],
)
def test_the_filters_apply_to_imported_activities(imported, query, recorded, imported_count):
    document = json.loads(
        b"".join(
            Client().get(reverse("opendata:download", args=["activities", "json"]), query).streaming_content
        )
    )
    sources = [row["source"] for row in document["data"]]
    assert sources.count("hrtc") == recorded
    assert sources.count("iati:XM-DAC-41119") == imported_count


def test_downloads_and_the_api_carry_imported_activities_after_recorded_ones(imported_live, api):
    client = Client()
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(reverse("opendata:download", args=["activities", "csv"])).streaming_content
                ).decode()
            )
        )
    )
    assert [r["source"] for r in rows] == ["hrtc"] + ["iati:XM-DAC-41119"] * 4
    assert rows[1]["iati_identifier"].startswith("XM-DAC-41119-")
    assert rows[1]["lead_provider"] == "unfpa"
    iati = b"".join(client.get(reverse("opendata:download", args=["activities", "iati"])).streaming_content)
    assert iati.count(b"<iati-activity ") == 5
    assert b"XM-DAC-41119-3" in iati

    with api.client() as anonymous:
        first = anonymous.get("/api/v1/open/activities/", params={"page_size": 2}).json()
        second = anonymous.get(first["next"]).json()
        third = anonymous.get(second["next"]).json()
    assert first["count"] == 5
    assert third["next"] is None
    titles = [r["title"] for r in first["results"] + second["results"] + third["results"]]
    assert titles[0] == "Tracking database for Kenya"
    assert len(set(titles)) == 5
