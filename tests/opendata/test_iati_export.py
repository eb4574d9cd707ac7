"""IATI 2.03 export: every document is validated against the official XSD in ../shared/data (lxml) and
hrtc's rules; the derivations (sectors, marker, budget periods, transactions, results) are checked on the
elements written; `hrtc export iati --validate` refuses an invalid export, naming the activity and the rule."""

from __future__ import annotations

import filecmp
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from hrtc.assistance.models import Activity
from hrtc.funds import services as funds
from hrtc.opendata import publication, services
from hrtc.opendata.iati import codelists, validate
from hrtc.opendata.iati.export import activities_document
from hrtc.opendata.iati.importer import read_activities
from hrtc.opendata.iati.mapping import budget_periods
from tests.opendata.iati_helpers import IATI, accepted_request, assert_valid, fund_it, make_activity

pytestmark = pytest.mark.django_db
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def export(queryset=None) -> etree._ElementTree:
    document = activities_document(
        Activity.objects.filter(pk__in=(queryset or publication.published_activities()).values("pk"))
    )
    return assert_valid(document)


def rules_problems(document: bytes, tmp_path) -> list:
    path = tmp_path / "doc.xml"
    path.write_bytes(document)
    rules = validate.Rules()
    return [p for record in read_activities(path) for p in rules.check(record)]


def only(tree, identifier):
    found = tree.xpath(f"/iati-activities/iati-activity[iati-identifier='{identifier}']")
    assert len(found) == 1
    return found[0]


def test_the_shipped_schemas_and_codelists_are_the_official_files():
    data = codelists.DATA
    for name in ("iati-activities-schema.xsd", "iati-organisations-schema.xsd", "iati-common.xsd", "xml.xsd"):
        assert filecmp.cmp(data / name, IATI / "schemas" / name, shallow=False), name
    for name in codelists.NAMES:
        assert filecmp.cmp(data / f"{name}.xml", IATI / "codelists" / f"{name}.xml", shallow=False), name


def test_demo_data_exports_valid_iati(tmp_path):
    call_command("demo", stdout=io.StringIO())
    published = publication.published_activities()
    assert published.exists()
    document = activities_document(published)
    tree = assert_valid(document)
    assert len(tree.getroot()) == published.count()
    assert rules_problems(document, tmp_path) == []


def test_an_activity_maps_to_the_iati_elements(people, tmp_path):
    activity = make_activity(
        people,
        themes=("uhri:A2", "uhri:F13"),
        sdg_targets=("5.2", "16.3"),
        gender_marker=2,
        partners=("unct_ken",),
        start=date(2024, 3, 1),
        end=date(2025, 6, 30),
        budget="10000.00",
    )
    _grant, paid = fund_it(activity)
    funds.transaction_reverse(by=people.platform_admin, posted=paid[1].posting, reason="Paid twice")
    activity.participants_women, activity.participants_men, activity.outputs = 12, 9, "A manual adopted."
    activity.save()
    tree = export()
    el = only(tree, publication.iati_identifier(activity))
    assert el.findtext("iati-identifier") == f"XX-HRTC-ohchr-HRTC-{activity.pk}"
    assert el.find("reporting-org").get("ref") == "XX-HRTC-ohchr"
    roles = [(p.get("ref"), p.get("role")) for p in el.findall("participating-org")]
    assert roles == [
        ("XX-HRTC-FUND-VFTC", "1"),
        ("XX-HRTC-ohchr", "2"),
        ("XX-HRTC-ohchr", "3"),
        ("XX-HRTC-ohchr", "4"),
        (publication.organisation_ref(people.organisations["unct_ken"]), "4"),
    ]
    assert [(s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in el.findall("sector")] == [
        ("1", "15160", "50"),
        ("1", "15180", "50"),
    ]
    assert [(t.get("vocabulary"), t.get("code")) for t in el.findall("tag")] == [
        ("2", "5"),
        ("2", "16"),
        ("3", "5.2"),
        ("3", "16.3"),
    ]
    marker = el.find("policy-marker")
    assert (marker.get("vocabulary"), marker.get("code"), marker.get("significance")) == ("1", "1", "2")
    assert el.find("recipient-country").get("code") == "KE"
    budgets = el.findall("budget")
    assert [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")) for b in budgets
    ] == [
        ("2024-03-01", "2025-02-28"),
        ("2025-03-01", "2025-06-30"),
    ]
    assert sum(Decimal(b.findtext("value")) for b in budgets) == Decimal("10000.00")
    transactions = [
        (t.find("transaction-type").get("code"), t.findtext("value"), t.find("value").get("currency"))
        for t in el.findall("transaction")
    ]
    assert transactions == [("2", "20000.00", "USD"), ("3", "5000.00", "USD")]  # the reversed payment is out
    assert b"Internal purpose text" not in etree.tostring(tree)
    assert b"internal memo" not in etree.tostring(tree)
    actuals = el.findall("result/indicator/period/actual")
    assert [(a.get("value"), a.find("dimension").get("value")) for a in actuals] == [
        ("12", "female"),
        ("9", "male"),
    ]
    assert el.findtext("result/description/narrative") == "A manual adopted."
    assert el.find("document-link/category").get("code") == "A12"


def test_multilingual_narratives_several_providers_no_budget_and_siblings(people, tmp_path):
    req = accepted_request(people, publish=True)
    first = make_activity(people, request=req, title="Training of trainers", budget=None)
    second = make_activity(people, request=req, lead="unwomen", title="Gender budgeting", description="")
    hidden = make_activity(people, request=req, lead="unwomen", title="Not published", publish=False)
    services.activity_translation_set(
        by=people.ohchr_officer, activity=first, field="title", language="fr", text="Formation de formateurs"
    )
    services.activity_translation_set(
        by=people.ohchr_officer, activity=first, field="title", language="ar", text="تدريب المدربين"
    )
    services.activity_translation_set(
        by=people.ohchr_officer, activity=first, field="description", language="zh", text="培训培训员"
    )
    document = activities_document(publication.published_activities())
    tree = assert_valid(document)
    assert rules_problems(document, tmp_path) == []
    el = only(tree, publication.iati_identifier(first))
    titles = [(n.get(XML_LANG), n.text) for n in el.findall("title/narrative")]
    assert titles == [
        (None, "Training of trainers"),
        ("ar", "تدريب المدربين"),
        ("fr", "Formation de formateurs"),
    ]
    assert [n.get(XML_LANG) for n in el.findall("description/narrative")] == [None, "zh"]
    assert el.find("budget") is None  # no budget: no budget element, still valid
    # two providers report their own activities; siblings of the same request, published ones only
    other = only(tree, publication.iati_identifier(second))
    assert other.find("reporting-org").get("ref") == "XM-DAC-41146"
    assert other.findtext("iati-identifier").startswith("XM-DAC-41146-")
    assert other.findtext("description/narrative")  # a blank description gets a summary (IATI requires one)
    assert [r.get("ref") for r in el.findall("related-activity")] == [publication.iati_identifier(second)]
    assert publication.iati_identifier(hidden) not in document.decode()


def test_the_rules_catch_what_the_schema_cannot(people, tmp_path):
    activity = make_activity(people)
    tree = export()
    el = only(tree, publication.iati_identifier(activity))
    sector = el.find("sector")
    sector.set("percentage", "60")
    etree.SubElement(el, "sector", vocabulary="1", code="15170", percentage="30")
    el.find("activity-date[@type='1']").set("iso-date", "2026-01-01")  # after the planned end
    el.find("policy-marker").set("significance", "7")
    el.find("tag[@vocabulary='3']").set("code", "5.99")
    etree.SubElement(
        el, "activity-date", {"type": "4", "iso-date": (date.today() + timedelta(days=3)).isoformat()}
    )
    document = etree.tostring(tree)
    # the schema lets all of this through (the new elements aside, which are appended out of order) ...
    found = {p.rule for p in rules_problems(document, tmp_path)}
    assert {"2.1.1", "11.1.2", "9.48.1", "9.126.1", "11.1.5"} <= found


def test_export_command_validates_and_publishes(people, tmp_path):
    make_activity(people)
    out = tmp_path / "iati.xml"
    stdout = io.StringIO()
    call_command("export", "iati", "-o", str(out), "--validate", stdout=stdout)
    assert "valid: IATI 2.03 XSD" in stdout.getvalue()
    assert "official rules checked" in stdout.getvalue()  # coverage against the IATI Validator's list
    assert_valid(out.read_bytes())


def test_an_invalid_export_is_not_published(people, tmp_path):
    good = make_activity(people, title="Fine")
    bad = make_activity(people, title="Reported ahead of time")
    Activity.objects.filter(pk=bad.pk).update(actual_start=date.today() + timedelta(days=10))
    out = tmp_path / "iati.xml"
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("export", "iati", "-o", str(out), "--validate", stderr=stderr)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    message = stderr.getvalue()
    assert publication.iati_identifier(bad) in message
    assert "[11.1.4]" in message
    assert publication.iati_identifier(good) not in message


def test_organisation_file_per_provider_and_per_fund(people, tmp_path):
    activity = make_activity(people, start=date(2024, 7, 1), end=date(2025, 6, 30), budget="36500.00")
    make_activity(people, publish=False, title="Unpublished", budget="99999.00")
    fund_it(activity, commit="20000.00", pay=("5000.00",))
    out = tmp_path / "org.xml"
    call_command("export", "iati-org", "-o", str(out), "--validate", stdout=io.StringIO())
    tree = assert_valid(out.read_bytes(), "organisations")
    orgs = {o.findtext("organisation-identifier"): o for o in tree.getroot()}
    assert "XX-HRTC-FUND-VFTC" in orgs
    assert "XM-DAC-41146" in orgs
    assert "XX-HRTC-ohchr" in orgs
    ohchr = orgs["XX-HRTC-ohchr"]
    budget = {
        b.find("period-start").get("iso-date")[:4]: Decimal(b.findtext("value"))
        for b in ohchr.findall("total-budget")
    }
    assert budget == {"2024": Decimal("18400.00"), "2025": Decimal("18100.00")}  # 184 and 181 days of 365
    assert [Decimal(e.findtext("value")) for e in ohchr.findall("total-expenditure")] == [Decimal("5000.00")]
    vftc = orgs["XX-HRTC-FUND-VFTC"]
    assert [Decimal(b.findtext("value")) for b in vftc.findall("total-budget")] == [Decimal("20000.00")]
    assert vftc.find("reporting-org").get("ref") == "XX-HRTC-ohchr"


def test_budget_periods_are_at_most_a_year_and_add_up():
    periods = budget_periods(date(2024, 2, 29), date(2027, 3, 1), Decimal("1000.00"))
    assert sum(v for _a, _b, v in periods) == Decimal("1000.00")
    for start, end, _v in periods:
        assert (end - start).days <= 365
    assert next((a.isoformat(), b.isoformat()) for a, b, _v in periods) == ("2024-02-29", "2025-02-27")
