"""`hrtc import iati FILE...`: real files written to disk, read by the streaming importer into the real
database. Round trip: export → import (into empty imported-activity tables) → export again gives the same
canonicalised document."""

from __future__ import annotations

import io
import re
import tracemalloc
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from hrtc.accounts.models import Organisation
from hrtc.accounts.policy import AccessDenied
from hrtc.core.exceptions import ImportRefused
from hrtc.core.models import ImportRun
from hrtc.opendata import publication, services
from hrtc.opendata.iati.export import activities_document
from hrtc.opendata.iati.importer import import_file, read_activities
from hrtc.opendata.models import ExternalActivity
from tests.opendata.iati_helpers import IATI, accepted_request, assert_valid, fund_it, make_activity

pytestmark = pytest.mark.django_db
GENERATED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def activity_xml(
    identifier: str,
    *,
    sector: str = "15160",
    marker: str | None = None,
    extra: str = "",
    ref: str = "XM-DAC-41119",
) -> str:
    marker_xml = (
        f'<policy-marker vocabulary="1" code="1" significance="{marker}"/>' if marker is not None else ""
    )
    return f"""
  <iati-activity xml:lang="en" default-currency="USD" last-updated-datetime="2024-05-01T10:00:00Z">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="{ref}" type="40"><narrative>United Nations Population Fund</narrative></reporting-org>
    <title><narrative>Activity {identifier}</narrative><narrative xml:lang="fr">Activité {identifier}</narrative></title>
    <description><narrative>About {identifier}</narrative></description>
    <participating-org ref="{ref}" role="4" type="40"/>
    <participating-org ref="XM-DAC-41146" role="1" type="40"><narrative>UN Women</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2023-01-01"/>
    <activity-date type="3" iso-date="2024-12-31"/>
    <recipient-country code="KE" percentage="60"/>
    <recipient-country code="SI" percentage="40"/>
    <sector vocabulary="1" code="{sector}"/>
    <tag vocabulary="2" code="5"/>
    <tag vocabulary="3" code="5.2"/>
    {marker_xml}
    <budget type="1" status="1"><period-start iso-date="2023-01-01"/><period-end iso-date="2023-12-31"/>
      <value currency="USD" value-date="2023-01-01">1000</value></budget>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2023-05-01"/>
      <value currency="USD" value-date="2023-05-01">250.5</value>
      <provider-org ref="XM-DAC-41146"><narrative>UN Women</narrative></provider-org></transaction>
    {extra}
  </iati-activity>"""


def iati_file(path, *activities: str, version: str = "2.03"):
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">{"".join(activities)}\n</iati-activities>\n',
        encoding="utf-8",
    )
    return path


def canonical(document: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(document, parser), method="c14n2", strip_text=True)


def test_round_trip_export_import_export_gives_the_same_document(people, tmp_path):
    req = accepted_request(people, publish=True)
    one = make_activity(people, request=req, themes=("uhri:A2", "uhri:F1"), gender_marker=2)
    make_activity(people, request=req, lead="unwomen", budget=None, title="No budget", description="")
    make_activity(
        people, state="SVN", title="Slovenian", sdg_targets=(), start=date(2023, 1, 1), end=date(2025, 12, 31)
    )
    services.activity_translation_set(
        by=people.ohchr_officer, activity=one, field="title", language="es", text="Taller"
    )
    _grant, _paid = fund_it(one)
    one.participants_women, one.participants_men, one.participants_other, one.outputs = 5, 4, 1, "Report"
    one.save()
    first = activities_document(publication.published_activities(), generated=GENERATED)
    assert_valid(first)
    path = tmp_path / "hrtc.xml"
    path.write_bytes(first)

    assert not ExternalActivity.objects.exists()
    report = import_file(path=path, by=people.ohchr_officer)
    assert (report.activities_read, report.kept, report.created) == (3, 3, 3)
    second = activities_document(ExternalActivity.objects.all(), generated=GENERATED)
    assert canonical(second) == canonical(first)

    # idempotent: the same file again changes nothing
    again = import_file(path=path, by=people.ohchr_officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert ExternalActivity.objects.count() == 3


def test_import_keeps_human_rights_sectors_and_gender_marked_and_maps_them(people, tmp_path):
    path = iati_file(
        tmp_path / "unfpa.xml",
        activity_xml("XM-DAC-41119-HR", sector="15160"),
        activity_xml("XM-DAC-41119-VAW", sector="15180"),
        activity_xml("XM-DAC-41119-HEALTH-GENDER", sector="12220", marker="1"),
        activity_xml("XM-DAC-41119-HEALTH", sector="12220", marker="0"),
        activity_xml("XM-DAC-41119-ROADS", sector="21010"),
    )
    stdout = io.StringIO()
    call_command("import", "iati", str(path), "--as", "ohchr.officer", stdout=stdout)
    assert "5 activities read, 3 in human-rights sectors or gender-marked; 3 created" in stdout.getvalue()
    kept = set(ExternalActivity.objects.values_list("iati_identifier", flat=True))
    assert kept == {"XM-DAC-41119-HR", "XM-DAC-41119-VAW", "XM-DAC-41119-HEALTH-GENDER"}
    vaw = ExternalActivity.objects.get(iati_identifier="XM-DAC-41119-VAW")
    assert vaw.reporting_organisation == Organisation.objects.get(code="unfpa")
    assert vaw.state_id == "KEN"
    assert [(c.code, c.state_id) for c in vaw.countries.all()] == [("KE", "KEN"), ("SI", "SVN")]
    assert [t.key for t in vaw.themes.all()] == ["uhri:F13"]
    assert [(t.sdg_goal_id, t.sdg_target_id) for t in vaw.tags.all()] == [("5", None), (None, "5.2")]
    funding = vaw.participants.get(role="1")
    assert funding.organisation == Organisation.objects.get(code="unwomen")
    tx = vaw.transactions.get()
    assert (tx.type, str(tx.value), tx.currency, tx.provider_organisation.code) == (
        "3",
        "250.50",
        "USD",
        "unwomen",
    )
    assert vaw.titles == [["", "Activity XM-DAC-41119-VAW"], ["fr", "Activité XM-DAC-41119-VAW"]]
    assert ExternalActivity.objects.get(iati_identifier="XM-DAC-41119-HEALTH-GENDER").gender_marker == 1
    # the portal's filters see them
    rows = list(
        publication.external_activity_rows(
            ExternalActivity.objects.filter(iati_identifier="XM-DAC-41119-VAW")
        )
    )
    assert rows[0]["sdg_targets"] == ["5.2"]
    assert rows[0]["lead_provider"] == "unfpa"
    # an imported activity exports as valid IATI
    assert_valid(activities_document(ExternalActivity.objects.all()))


def test_a_changed_activity_is_updated_not_duplicated(people, tmp_path):
    path = iati_file(tmp_path / "a.xml", activity_xml("XM-DAC-41119-1"))
    import_file(path=path, by=people.ohchr_officer)
    iati_file(path, activity_xml("XM-DAC-41119-1", sector="15170"))
    report = import_file(path=path, by=people.ohchr_officer)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    activity = ExternalActivity.objects.get()
    assert [s.code for s in activity.sectors.all()] == ["15170"]
    assert activity.source_id == report.import_id


def test_a_bad_element_refuses_the_whole_file_with_its_line(people, tmp_path):
    bad = activity_xml("XM-DAC-41119-3").replace(
        '<activity-date type="3" iso-date="2024-12-31"/>', '<activity-date type="3" iso-date="31/12/2024"/>'
    )
    path = iati_file(
        tmp_path / "bad.xml", activity_xml("XM-DAC-41119-1"), activity_xml("XM-DAC-41119-2"), bad
    )
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "31/12/2024" in text)
    with pytest.raises(ImportRefused) as refused:
        import_file(path=path, by=people.ohchr_officer)
    message = refused.value.message
    assert f"bad.xml, line {line}, activity XM-DAC-41119-3" in message
    assert "31/12/2024" in message
    assert "nothing was imported" in message
    assert not ExternalActivity.objects.exists()
    assert not ImportRun.objects.exists()


def test_malformed_xml_duplicates_and_old_versions_are_refused(people, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text('<iati-activities version="2.03">\n<iati-activity>\n<title></iati-activity>\n')
    with pytest.raises(ImportRefused, match=r"broken.xml, line 3: not well-formed"):
        import_file(path=broken, by=people.ohchr_officer)
    twice = iati_file(tmp_path / "twice.xml", activity_xml("X-1"), activity_xml("X-1"))
    with pytest.raises(ImportRefused, match="also on line"):
        import_file(path=twice, by=people.ohchr_officer)
    old = iati_file(tmp_path / "old.xml", activity_xml("X-1"), version="1.05")
    with pytest.raises(ImportRefused, match=re.escape("version 1.05 is not supported")):
        import_file(path=old, by=people.ohchr_officer)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="not an IATI activity file"):
        call_command("import", "iati", str(tmp_path / "x.csv"))
    assert not ExternalActivity.objects.exists()


def test_only_ohchr_writers_and_administrators_import(people, tmp_path):
    path = iati_file(tmp_path / "a.xml", activity_xml("XM-DAC-41119-1"))
    with pytest.raises(AccessDenied):
        import_file(path=path, by=people.kenya_focal_point)
    assert not ExternalActivity.objects.exists()


def test_the_official_example_file_is_read(people):
    example = IATI / "examples" / "activity-standard-example-annotated.xml"
    records = list(read_activities(example))
    assert [r.identifier for r in records] == ["AA-AAA-123456789-ABC123"]
    report = import_file(path=example, by=people.ohchr_officer)
    # its sectors are DAC 3-digit 111/112 and its markers are not gender: not a human-rights activity
    assert (report.activities_read, report.kept) == (1, 0)


def _peak_reading(path) -> int:
    tracemalloc.start()
    count = sum(1 for _ in read_activities(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count > 0
    return peak


def test_reading_streams_memory_does_not_grow_with_the_file(tmp_path):
    small = iati_file(tmp_path / "small.xml", *(activity_xml(f"X-{i}") for i in range(500)))
    large = iati_file(tmp_path / "large.xml", *(activity_xml(f"X-{i}") for i in range(5000)))
    assert large.stat().st_size > 9 * small.stat().st_size
    small_peak, large_peak = _peak_reading(small), _peak_reading(large)
    # ten times the activities, about the same memory (a tree of the whole file would need ten times more)
    assert large_peak < 2 * small_peak, (small_peak, large_peak)
