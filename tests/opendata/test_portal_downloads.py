"""Downloads of any portal view in every format, from one column definition; ETag and Last-Modified make a
repeated download a 304; a change to the data (including one that takes a record out) makes a new one."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hrtc.assistance import services
from hrtc.opendata import downloads
from tests.opendata.portal_factories import accepted_request, activity


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def provided(people):
    public_request = accepted_request(people, publish=True, title="Published request on the NMRF")
    return {
        "on_request": activity(people, request=public_request, title='=HYPERLINK("http://evil")'),
        "slovenia": activity(people, state="SVN", title="Slovenian ombudsperson exchange", budget=None),
        "hidden": activity(people, publish=False, title="Unpublished prison visit"),
        "request": public_request,
    }


def get(client, dataset: str, fmt: str, **query):
    response = client.get(reverse("opendata:download", args=[dataset, fmt]), query)
    assert response.status_code == 200, response
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def as_records(dataset: str, fmt: str, content: bytes) -> list[dict]:
    """Read a download back into records of text, whatever the format."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    if fmt == "json":
        return json.loads(content)["data"]
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_every_format_has_the_columns_of_the_dictionary_and_only_published_rows(client, provided, fmt):
    response = get(client, "activities", fmt)
    assert response["Content-Type"].startswith(downloads.FORMATS[fmt][0].split(";")[0])
    assert 'attachment; filename="hrtc_activities.' in response["Content-Disposition"]
    records = as_records("activities", fmt, body(response))
    assert next(list(r) for r in records) == downloads.DATASETS["activities"].names
    titles = {r["title"] for r in records}
    assert "Slovenian ombudsperson exchange" in titles
    assert "Unpublished prison visit" not in titles
    assert len(records) == 2


def test_csv_lists_codes_and_exact_money_and_defuses_formulas(client, provided):
    records = as_records("activities", "csv", body(get(client, "activities", "csv", state="KEN")))
    (row,) = records
    assert row["budget_amount"] == "48500.00"
    assert row["budget_currency"] == "USD"
    assert row["title"] == '\'=HYPERLINK("http://evil")'  # shown as text in a spreadsheet, never run
    assert row["themes"] == "uhri:A2"
    assert row["sdg_targets"] == "16.3"
    assert row["sdg_goals"] == "16"
    assert row["request"] == str(provided["request"].pk)
    assert row["source"] == "hrtc"


def test_json_keeps_types_and_says_which_view_it_is(client, provided):
    document = json.loads(body(get(client, "activities", "json", state="KEN", year="2025")))
    assert document["filters"] == {"state": "KEN", "year": "2025"}
    assert document["columns"] == downloads.DATASETS["activities"].names
    (row,) = document["data"]
    assert row["budget_amount"] == "48500.00"  # a string: exact, never a float
    assert row["themes"] == ["uhri:A2"]
    assert row["gender_marker"] == 1
    assert row["planned_start"] == "2025-03-01"


def test_xlsx_writes_text_that_looks_like_a_formula_as_text(client, provided):
    content = body(get(client, "activities", "xlsx", state="KEN"))
    sheet = load_workbook(io.BytesIO(content)).active
    title_cell = sheet.cell(row=2, column=downloads.DATASETS["activities"].names.index("title") + 1)
    assert title_cell.value == '\'=HYPERLINK("http://evil")'
    assert title_cell.data_type == "s"


def test_requests_and_offers_download_their_public_fields_only(client, provided, people):
    make_request_hidden = accepted_request(people, publish=False, title="Unpublished request")
    services.offer_create(
        by=people.ohchr_officer,
        provider=people.organisations["ohchr"],
        title="Treaty reporting",
        modality="training",
        contact="secret-contact@example.org",
        capacity=3,
    )
    requests_csv = body(get(client, "requests", "csv")).decode()
    assert "Published request on the NMRF" in requests_csv
    assert make_request_hidden.title not in requests_csv
    assert "Nelson Mandela" not in requests_csv  # needs stay internal
    offers_json = json.loads(body(get(client, "offers", "json")))
    assert [o["title"] for o in offers_json["data"]] == ["Treaty reporting"]
    assert "secret-contact" not in json.dumps(offers_json)
    assert "capacity" not in offers_json["columns"]


def test_iati_is_offered_for_activities_only(client, provided):
    assert client.get(reverse("opendata:download", args=["requests", "iati"])).status_code == 404
    assert client.get(reverse("opendata:download", args=["activities", "pdf"])).status_code == 404
    assert (
        client.get(reverse("opendata:download", args=["activities", "csv"]), {"sdg": "99"}).status_code == 400
    )


def test_a_repeated_download_is_a_304_until_the_data_changes(client, provided, people):
    url = reverse("opendata:download", args=["activities", "csv"])
    first = client.get(url, {"state": "KEN"})
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"')
    assert modified
    assert client.get(url, {"state": "KEN"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, {"state": "KEN"}, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # another filter or another format is another download
    assert client.get(url, {"state": "SVN"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    json_url = reverse("opendata:download", args=["activities", "json"])
    assert client.get(json_url, {"state": "KEN"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    # the State withdraws consent to publication: the data changed, so the old copy is stale
    services.request_set_consent(
        request=provided["request"],
        by=people.kenya_focal_point,
        providers=[people.organisations["ohchr"]],
        publish_summary=False,
    )
    fresh = client.get(url, {"state": "KEN"}, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert as_records("activities", "csv", body(fresh)) == []


def test_the_same_view_gives_the_same_etag_whatever_the_order_of_the_filters(client, provided):
    url = reverse("opendata:download", args=["activities", "json"])
    one = client.get(url + "?state=KEN&year=2025")["ETag"]
    other = client.get(url + "?year=2025&state=ken")["ETag"]
    assert one == other


def test_iati_xml_of_a_view_holds_its_published_activities_only(client, provided):
    from lxml import etree

    from hrtc.opendata import publication

    response = get(client, "activities", "iati")
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].endswith('.xml"')
    document = body(response)
    root = etree.fromstring(document)
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    identifiers = [e.text for e in root.iter("iati-identifier")]
    assert sorted(identifiers) == sorted(
        publication.iati_identifier(provided[key]) for key in ("on_request", "slovenia")
    )
    assert b"Unpublished prison visit" not in document
    kenya_only = etree.fromstring(body(get(client, "activities", "iati", state="KEN")))
    assert [e.text for e in kenya_only.iter("iati-identifier")] == [
        publication.iati_identifier(provided["on_request"])
    ]
    # the same data gives the same file, so its ETag can stand for it
    assert body(get(client, "activities", "iati")) == document
