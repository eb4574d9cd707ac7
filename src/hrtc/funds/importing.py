"""Import exchange rates and contributions from CSV or XLSX files: `hrtc import rates FILE`,
`hrtc import contributions FILE`.

* The file type is detected from its content (an XLSX workbook is a zip archive; anything else is read as
  UTF-8 CSV); `--format csv|xlsx` overrides the detection. The first non-empty row is the header; column
  names are matched without regard to case.
* All-or-nothing: a file is imported in one transaction, and the first bad row refuses the whole file
  (`ImportRefused` naming the file, the row — the header is row 1 — and the field): nothing is written.
* Re-runnable: a rate already recorded with the same value is unchanged (a new value updates it; entries
  already posted keep the rate they used); a contribution whose receipt reference is recorded already is
  skipped when it matches, and refused when it differs (a posted contribution is corrected by a reversal).

Rates columns: currency (ISO 4217), month (YYYY-MM or a date in the month), units_per_usd (units of the
currency one US dollar buys, as the UN operational rates of exchange are published); optional: source.

Contributions columns: reference (the treasury's receipt reference), donor (code or name), fund (code or
acronym), amount (a point for decimals, no thousands separators), currency, value_date (YYYY-MM-DD);
optional: pledge (its number), earmark (none, theme or region), earmark_theme (e.g. uhri:A2),
earmark_region (a UN regional group, e.g. AFRICAN), memo.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from hrtc.accounts import policy
from hrtc.core import audit, money
from hrtc.core.exceptions import DomainError, ImportRefused, ImportRowError, InvalidInput
from hrtc.core.models import ImportRun
from hrtc.core.tabular import TABULAR, Row, clean, kind_of, parse_date, raw_rows
from hrtc.funds import services
from hrtc.funds.choices import Earmark, ImportKind
from hrtc.funds.models import Contribution, Donor, Pledge
from hrtc.reference.models import Fund, Theme

FORMATS = TABULAR

RATE_COLUMNS = ("currency", "month", "units_per_usd")
CONTRIBUTION_COLUMNS = ("reference", "donor", "fund", "amount", "currency", "value_date")


@dataclass
class ImportReport:
    file: str
    kind: str
    format: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    batch_id: int | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.file} ({self.format}): {self.rows_read} rows; {self.kind} {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged; {self.seconds:.1f} s"
        )


def read_rows(path: Path, fmt: str, name: str, required: tuple[str, ...]) -> Iterator[Row]:
    """The data rows of a CSV or XLSX file, keyed by lower-case header names; checks required columns."""
    header: list[str] | None = None
    for number, values in enumerate(raw_rows(path, fmt, name), start=1):
        if not any(clean(value) for value in values):
            continue
        if header is None:
            header = [clean(value).lstrip("\ufeff").casefold() for value in values]
            for column in required:
                if column not in header:
                    raise ImportRowError(name, number, column, "required column is missing from the header")
            continue
        if len(values) > len(header) and any(clean(v) for v in values[len(header) :]):
            raise ImportRowError(
                name, number, None, f"the row has {len(values)} cells but the header {len(header)}"
            )
        yield Row(name, number, dict(zip(header, values, strict=False)))
    if header is None:
        raise ImportRowError(name, None, None, "the file is empty (no header row)")


def _decimal(row: Row, column: str) -> str:
    """The cell as decimal text (a rate): digits and a point; a thousands separator or a decimal comma is
    refused rather than guessed."""
    value = row.required(column).replace(" ", "")
    if "," in value:
        raise row.error(
            column, f"{value!r}: write numbers with a point for decimals and no thousands separators"
        )
    try:
        Decimal(value)
    except ArithmeticError:
        raise row.error(column, f"{value!r} is not a number") from None
    return value


def _amount(row: Row, column: str) -> Decimal:
    """The cell as an amount of money, by the one money rule (``core.money``), pinned to the row."""
    try:
        return money.amount(row.required(column).replace(" ", ""), column)
    except InvalidInput as error:
        raise row.error(column, error.message) from None


def _month(row: Row) -> date:
    value = row.required("month")
    if len(value) == 7 and value[4] == "-":
        value += "-01"
    found = parse_date(value, row, "month")
    return found.replace(day=1)


def _import(
    *,
    kind: str,
    path: Path,
    by,
    format: str | None,
    display_name: str | None,
    progress: Callable[[int], None] | None,
    required: tuple[str, ...],
    each_row: Callable[[Row, ImportRun, ImportReport], None],
) -> ImportReport:
    policy.require(by, "funds.manage")
    path = Path(path)
    name = display_name or path.name
    started = time.perf_counter()
    if format is not None and format not in FORMATS:
        raise ImportRefused(f"{name}: unknown format {format!r}; use one of {', '.join(FORMATS)}.")
    fmt = format or kind_of(path)
    report = ImportReport(file=name, kind=kind, format=fmt)
    try:
        with transaction.atomic():
            batch = ImportRun.objects.create(
                kind=kind,
                format=fmt,
                file_name=name,
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                by=audit._real_user(by),
            )
            for row in read_rows(path, fmt, name, required):
                report.rows_read += 1
                try:
                    each_row(row, batch, report)
                except DomainError as error:  # the services' refusals, pinned to the row
                    raise row.error(error.field or required[0], error.message) from error
                if progress is not None and report.rows_read % 100 == 0:
                    progress(report.rows_read)
            ImportRun.objects.filter(pk=batch.pk).update(
                rows_read=report.rows_read,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
            )
            report.batch_id = batch.pk
            report.seconds = time.perf_counter() - started
            audit.record(
                actor=by,
                action=f"funds.import_{kind}",
                target=batch,
                data={"file": name, "format": fmt, "sha256": batch.sha256, "summary": report.summary()},
            )
    except ImportRowError as error:
        raise ImportRefused(f"{error} — nothing was imported.") from error
    if progress is not None:
        progress(report.rows_read)
    return report


def rates_import(
    *,
    path: Path,
    by,
    format: str | None = None,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import monthly UN operational rates of exchange (see the module docstring for the columns)."""
    seen: dict[tuple[str, date], int] = {}

    def each_row(row: Row, batch: ImportRun, report: ImportReport) -> None:
        currency = row.required("currency").upper()
        month = _month(row)
        if (currency, month) in seen:
            raise row.error("month", f"{currency} {month:%Y-%m} is also on row {seen[currency, month]}")
        seen[currency, month] = row.number
        _, outcome = services.exchange_rate_set(
            by=by,
            currency=currency,
            month=month,
            units_per_usd=_decimal(row, "units_per_usd"),
            source=row.get("source")[:200],
            import_batch=batch,
        )
        setattr(report, outcome, getattr(report, outcome) + 1)

    return _import(
        kind=ImportKind.RATES,
        path=path,
        by=by,
        format=format,
        display_name=display_name,
        progress=progress,
        required=RATE_COLUMNS,
        each_row=each_row,
    )


class _Lookups:
    """Donors, funds, pledges and themes named in a file, looked up once each."""

    def __init__(self):
        self.donors: dict[str, Donor] = {}
        for donor in Donor.objects.all():
            self.donors[donor.code.casefold()] = donor
            self.donors.setdefault(donor.name.casefold(), donor)
        self.funds: dict[str, Fund] = {}
        for fund in Fund.objects.all():
            self.funds[fund.code.casefold()] = fund
            if fund.acronym:
                self.funds.setdefault(fund.acronym.casefold(), fund)

    def donor(self, row: Row) -> Donor:
        name = row.required("donor")
        try:
            return self.donors[name.casefold()]
        except KeyError:
            raise row.error("donor", f"unknown donor {name!r} (use a donor's code or name)") from None

    def fund(self, row: Row) -> Fund:
        name = row.required("fund")
        try:
            return self.funds[name.casefold()]
        except KeyError:
            raise row.error(
                "fund",
                f"unknown fund {name!r}; use one of {', '.join(sorted(f.code for f in set(self.funds.values())))}",
            ) from None

    def pledge(self, row: Row) -> Pledge | None:
        number = row.int("pledge", low=1)
        if number is None:
            return None
        try:
            return Pledge.objects.select_related("earmark_theme").get(pk=number)
        except Pledge.DoesNotExist:
            raise row.error("pledge", f"no pledge number {number}") from None

    def theme(self, row: Row) -> Theme | None:
        key = row.get("earmark_theme")
        if not key:
            return None
        vocabulary, _, code = key.partition(":")
        try:
            return Theme.objects.get(vocabulary=vocabulary, code=code)
        except Theme.DoesNotExist:
            raise row.error("earmark_theme", f"unknown theme {key!r}; use a key such as uhri:A2") from None


def contributions_import(
    *,
    path: Path,
    by,
    format: str | None = None,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import contributions received (see the module docstring for the columns); each row is posted to
    the ledger like a contribution recorded by hand."""
    lookups = _Lookups()
    seen: dict[tuple[int, str], int] = {}

    def each_row(row: Row, batch: ImportRun, report: ImportReport) -> None:
        reference = row.required("reference")
        donor, fund = lookups.donor(row), lookups.fund(row)
        if (fund.pk, reference) in seen:
            raise row.error("reference", f"{reference!r} is also on row {seen[fund.pk, reference]}")
        seen[fund.pk, reference] = row.number
        amount = _amount(row, "amount")
        currency = row.required("currency").upper()
        value_date = row.date("value_date", required=True)
        recorded = Contribution.objects.filter(fund=fund, reference=reference).first()
        if recorded is not None:
            same = (recorded.donor_id, recorded.amount, recorded.currency_id, recorded.value_date) == (
                donor.pk,
                amount,
                currency,
                value_date,
            )
            if not same:
                raise row.error(
                    "reference",
                    f"{reference!r} is recorded already ({recorded}, {recorded.value_date}) with other values; "
                    f"a posted contribution is corrected by a reversal, not by a new import",
                )
            report.unchanged += 1
            return
        pledge = lookups.pledge(row)
        earmark = row.get("earmark").casefold() or None
        if earmark is not None and earmark not in Earmark.values:
            raise row.error("earmark", f"{earmark!r}: use one of {', '.join(Earmark.values)}")
        services.contribution_record(
            by=by,
            donor=donor,
            fund=fund,
            amount=amount,
            currency=currency,
            value_date=value_date,
            pledge=pledge,
            earmark=earmark if pledge is None or earmark else None,
            earmark_theme=lookups.theme(row),
            earmark_region=row.get("earmark_region").upper(),
            reference=reference,
            memo=row.get("memo"),
            import_batch=batch,
        )
        report.created += 1

    return _import(
        kind=ImportKind.CONTRIBUTIONS,
        path=path,
        by=by,
        format=format,
        display_name=display_name,
        progress=progress,
        required=CONTRIBUTION_COLUMNS,
        each_row=each_row,
    )
