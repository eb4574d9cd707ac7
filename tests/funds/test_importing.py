"""Importing exchange rates and contributions from real CSV and XLSX files: all-or-nothing, re-runnable,
errors naming file, row and field; the file type detected from the content, `--format` overriding."""

import re
import shutil
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from hrtc.accounts.policy import SYSTEM, AccessDenied
from hrtc.core.exceptions import ImportRefused
from hrtc.core.models import ImportRun
from hrtc.core.tabular import kind_of
from hrtc.funds import services
from hrtc.funds.importing import contributions_import, rates_import
from hrtc.funds.models import Contribution, ExchangeRate, LedgerEntry
from hrtc.reference.models import Fund, State
from tests.funds.base import assert_every_transaction_balances

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "funds"
EXAMPLES = Path(services.__file__).resolve().parent / "data"


def snapshot():
    return (
        ExchangeRate.objects.count(),
        Contribution.objects.count(),
        LedgerEntry.objects.count(),
        ImportRun.objects.count(),
        LogEntry.objects.count(),
    )


@pytest.fixture
def donors(db):
    for name, state in (
        ("Norway", "NOR"),
        ("Germany", "DEU"),
        ("Switzerland", "CHE"),
        ("European Union", None),
    ):
        services.donor_create(by=SYSTEM, name=name, state=State.objects.get(code=state) if state else None)


@pytest.mark.parametrize("name", ["rates.csv", "rates.xlsx"])
def test_rates_import_from_csv_and_xlsx_alike_and_reimport_changes_nothing(name):
    report = rates_import(path=FIXTURES / name, by=SYSTEM)
    assert (report.rows_read, report.created, report.format) == (6, 6, name.rsplit(".", 1)[1])
    rate = ExchangeRate.objects.get(currency="NOK", month=date(2025, 3, 1))
    assert rate.units_per_usd == Decimal("10.88")
    assert rate.source == "test fixture"
    again = rates_import(path=FIXTURES / name, by=SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_a_malformed_rates_file_changes_nothing_and_names_row_and_field():
    before = snapshot()
    with pytest.raises(
        ImportRefused, match=r"rates_malformed\.csv, row 4, field 'units_per_usd'.*more than zero"
    ):
        rates_import(path=FIXTURES / "rates_malformed.csv", by=SYSTEM)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["contributions.csv", "contributions.xlsx"])
def test_contributions_import_posts_each_row_and_reimport_posts_nothing(donors, name):
    rates_import(path=FIXTURES / "rates.csv", by=SYSTEM)
    report = contributions_import(path=FIXTURES / name, by=SYSTEM)
    assert (report.rows_read, report.created) == (3, 3)
    euros = Contribution.objects.get(reference="R-0002")
    assert (euros.donor.code, euros.fund_id, euros.amount, euros.currency_id) == (
        "germany",
        "VFTC",
        Decimal("300000.50"),
        "EUR",
    )
    assert euros.earmark == "theme"
    assert euros.earmark_theme.key == "uhri:A2"
    assert Contribution.objects.get(reference="R-0003").earmark_region == "AFRICAN"
    assert_every_transaction_balances()
    before = snapshot()[:3]
    again = contributions_import(path=FIXTURES / name, by=SYSTEM)
    assert (again.created, again.unchanged) == (0, 3)
    assert snapshot()[:3] == before


def test_a_malformed_contributions_file_changes_nothing_and_names_row_and_field(donors):
    rates_import(path=FIXTURES / "rates.csv", by=SYSTEM)
    before = snapshot()
    with pytest.raises(
        ImportRefused,
        match=r"contributions_malformed\.csv, row 4, field 'amount'.*'12,500\.00'.*nothing was imported",
    ):
        contributions_import(path=FIXTURES / "contributions_malformed.csv", by=SYSTEM)
    assert snapshot() == before


def test_a_refusal_by_the_ledger_names_the_row_too(donors, tmp_path):
    no_rates = tmp_path / "chf.csv"
    no_rates.write_text(
        "reference,donor,fund,amount,currency,value_date\n"
        "A-1,norway,VFTC,10.00,USD,2025-01-02\n"
        "A-2,Switzerland,VFTC,10.00,CHF,2025-01-02\n"
    )
    with pytest.raises(
        ImportRefused, match=r"chf\.csv, row 3, field 'currency'.*No UN operational rate of exchange for CHF"
    ):
        contributions_import(path=no_rates, by=SYSTEM)
    assert not Contribution.objects.exists()


def test_a_recorded_reference_with_other_values_is_refused(donors, tmp_path):
    rates_import(path=FIXTURES / "rates.csv", by=SYSTEM)
    contributions_import(path=FIXTURES / "contributions.csv", by=SYSTEM)
    changed = tmp_path / "changed.csv"
    changed.write_text((FIXTURES / "contributions.csv").read_text().replace("2500000.00", "2600000.00"))
    with pytest.raises(ImportRefused, match=r"row 2, field 'reference'.*corrected by a reversal"):
        contributions_import(path=changed, by=SYSTEM)


def test_the_file_type_is_detected_from_the_content_and_format_overrides(tmp_path):
    misnamed = tmp_path / "rates-export.txt"
    shutil.copy(FIXTURES / "rates.xlsx", misnamed)
    assert kind_of(misnamed) == "xlsx"
    assert rates_import(path=misnamed, by=SYSTEM).created == 6
    as_text = tmp_path / "rates.dat"
    shutil.copy(FIXTURES / "rates.csv", as_text)
    assert rates_import(path=as_text, by=SYSTEM, format="csv").unchanged == 6
    with pytest.raises(ImportRefused, match="unreadable XLSX"):
        rates_import(path=as_text, by=SYSTEM, format="xlsx")


def test_the_shipped_examples_import(donors):
    assert rates_import(path=EXAMPLES / "example_rates.csv", by=SYSTEM).created == 18
    report = contributions_import(path=EXAMPLES / "example_contributions.csv", by=SYSTEM)
    assert report.created == 5
    assert Contribution.objects.filter(fund=Fund.objects.get(code="LDC-SIDS-TF")).count() == 1


def test_hrtc_import_rates_and_contributions_from_the_command_line(donors):
    out = StringIO()
    call_command("import", "rates", str(FIXTURES / "rates.csv"), stdout=out)
    call_command("import", "contributions", str(FIXTURES / "contributions.xlsx"), stdout=out)
    assert "6 created" in out.getvalue()
    assert "3 created" in out.getvalue()
    with pytest.raises(CommandError, match=r"row 4, field 'amount'"):
        call_command("import", "contributions", str(FIXTURES / "contributions_malformed.csv"), stdout=out)
    with pytest.raises(CommandError, match="Unknown format 'ods'"):
        call_command("import", "rates", str(FIXTURES / "rates.csv"), "--format", "ods")


def test_only_fund_officers_import(people):
    with pytest.raises(AccessDenied, match=re.escape("funds.manage")):
        rates_import(path=FIXTURES / "rates.csv", by=people.kenya_focal_point)
    assert rates_import(path=FIXTURES / "rates.csv", by=people.ohchr_officer).created == 6


def test_the_imported_rates_are_public(client):
    rates_import(path=FIXTURES / "rates.csv", by=SYSTEM)
    page = client.get("/funds/rates/?currency=nok").content.decode()
    assert "10.88" in page
    assert "0.96" not in page
    assert client.get("/api/v1/funds/rates/?currency=EUR").json()["count"] == 3
