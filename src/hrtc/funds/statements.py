"""A fund's statement for a year, in US dollars, computed from the ledger (a fixed number of queries).

Cash: opening balance + receipts − payments = closing balance. Every cash entry is counted under the kind
of movement that made it (a reversal under the kind it reverses, with the opposite sign), so the
statement reconciles by construction; `reconciles` checks it against the closing balance read directly.
Grants are analysed by the State, region, theme and gender marker of what they finance; pledges by donor
(fulfilment); contributions by donor and earmark. Public: it holds totals, not records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, ExtractMonth
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from hrtc.assistance.choices import GenderMarker
from hrtc.core.exceptions import InvalidInput
from hrtc.core.exports import csv_rows
from hrtc.funds.choices import REPORTING_CURRENCY, Account, Earmark, TransactionKind
from hrtc.funds.models import LedgerEntry
from hrtc.funds.selectors import ZERO, Position, cents, fund_positions, total
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Fund

#: The kind of movement an entry belongs to: its transaction's kind, or for a reversal the reversed kind.
CATEGORY = Case(
    When(transaction__kind=TransactionKind.REVERSAL, then=F("transaction__reverses__kind")),
    default=F("transaction__kind"),
    output_field=CharField(),
)
RECEIPTS = (TransactionKind.CONTRIBUTION, TransactionKind.RETURN)
FIRST_YEAR, LAST_YEAR = 1945, 2200  # statements can be asked for these years
BAR = Decimal(100)  # the widest bar of the chart, in percent of its cell (the figure is above the bar)
PAYMENTS = (TransactionKind.DISBURSEMENT, TransactionKind.DONOR_REFUND)


@dataclass
class Row:
    key: str
    label: str
    usd: Decimal
    share: Decimal | None = None  # of the section's total, in percent


@dataclass
class Fulfilment:
    key: str
    label: str
    pledged: Decimal
    received: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.pledged - self.received

    @property
    def percent(self) -> Decimal | None:
        return (100 * self.received / self.pledged).quantize(Decimal("0.1")) if self.pledged else None


@dataclass
class Month:
    number: int
    label: str
    contributions: Decimal = ZERO
    disbursements: Decimal = ZERO
    contributions_width: Decimal = ZERO  # bar widths for the chart, in percent of the cell
    disbursements_width: Decimal = ZERO


@dataclass
class Statement:
    fund: Fund
    year: int
    opening: Decimal
    closing: Decimal
    receipts: list[Row]
    payments: list[Row]
    contributions_by_donor: list[Row]
    earmarking: list[Row]
    fulfilment: list[Fulfilment]
    grants_by_state: list[Row]
    grants_by_region: list[Row]
    grants_by_theme: list[Row]
    grants_by_gender_marker: list[Row]
    released: Decimal
    disbursements_by_state: list[Row]
    positions: list[Position]
    overall: Position
    months: list[Month] = field(default_factory=list)
    currency: str = REPORTING_CURRENCY

    @property
    def received(self) -> Decimal:
        return sum((row.usd for row in self.receipts), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((row.usd for row in self.payments), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((row.usd for row in self.grants_by_state), ZERO)

    @property
    def reconciles(self) -> bool:
        return self.opening + self.received - self.paid == self.closing

    def as_dict(self) -> dict:
        def rows(items: list[Row]) -> list[dict]:
            return [
                {"key": r.key, "label": r.label, "usd": str(r.usd)}
                | ({"share_percent": str(r.share)} if r.share is not None else {})
                for r in items
            ]

        return {
            "fund": self.fund.code,
            "fund_name": self.fund.name,
            "year": self.year,
            "currency": self.currency,
            "opening_balance": str(self.opening),
            "receipts": rows(self.receipts),
            "payments": rows(self.payments),
            "closing_balance": str(self.closing),
            "reconciles": self.reconciles,
            "contributions_by_donor": rows(self.contributions_by_donor),
            "earmarked_vs_unearmarked": rows(self.earmarking),
            "pledge_fulfilment": [
                {
                    "donor": f.key,
                    "label": f.label,
                    "pledged_usd": str(f.pledged),
                    "received_usd": str(f.received),
                    "outstanding_usd": str(f.outstanding),
                    "fulfilled_percent": None if f.percent is None else str(f.percent),
                }
                for f in self.fulfilment
            ],
            "grants_committed": str(self.committed),
            "grants_by_state": rows(self.grants_by_state),
            "grants_by_region": rows(self.grants_by_region),
            "grants_by_theme": rows(self.grants_by_theme),
            "grants_by_gender_marker": rows(self.grants_by_gender_marker),
            "grants_released": str(self.released),
            "disbursements_by_state": rows(self.disbursements_by_state),
            "position_at_year_end": [p.as_dict() for p in self.positions],
            "position_at_year_end_usd": self.overall.as_dict(),
            "months": [
                {
                    "month": m.number,
                    "contributions_usd": str(m.contributions),
                    "disbursements_usd": str(m.disbursements),
                }
                for m in self.months
            ],
        }

    CSV_HEADER = (
        "fund",
        "year",
        "section",
        "key",
        "label",
        "amount_usd",
        "pledged_usd",
        "received_usd",
        "outstanding_usd",
        "fulfilled_percent",
    )

    def as_csv(self) -> str:
        rows: list[list] = []

        def line(section: str, key: str, label: str, usd: Decimal | str = "", *fulfilment) -> None:
            rows.append([self.fund.code, self.year, section, key, label, usd, *fulfilment])

        line("cash", "opening_balance", _("Opening balance"), self.opening)
        for section, items in (("receipts", self.receipts), ("payments", self.payments)):
            for row in items:
                line(section, row.key, row.label, row.usd)
        line("cash", "closing_balance", _("Closing balance"), self.closing)
        for section, items in (
            ("contributions_by_donor", self.contributions_by_donor),
            ("earmarked_vs_unearmarked", self.earmarking),
            ("grants_by_state", self.grants_by_state),
            ("grants_by_region", self.grants_by_region),
            ("grants_by_theme", self.grants_by_theme),
            ("grants_by_gender_marker", self.grants_by_gender_marker),
            ("disbursements_by_state", self.disbursements_by_state),
        ):
            for row in items:
                line(section, row.key, row.label, row.usd)
        line("grants", "released", _("Undisbursed grant balances released"), self.released)
        for f in self.fulfilment:
            line(
                "pledge_fulfilment", f.key, f.label, "", f.pledged, f.received, f.outstanding, f.percent or ""
            )
        return "".join(csv_rows(self.CSV_HEADER, rows, lineterminator="\n"))


def _shares(rows: list[Row]) -> list[Row]:
    whole = sum((row.usd for row in rows), ZERO)
    for row in rows:
        row.share = (100 * row.usd / whole).quantize(Decimal("0.1")) if whole else None
    return rows


def _grouped(entries: QuerySet, key: str, label: str, amount) -> list[tuple[object, str, Decimal]]:
    key, label = (F(x) if isinstance(x, str) else x for x in (key, label))
    rows = entries.values(k=key, name=label).annotate(usd=Sum(amount)).order_by()
    found = [(row["k"], row["name"], cents(row["usd"])) for row in rows]
    return sorted((r for r in found if r[2]), key=lambda r: (-r[2], str(r[1])))


def fund_statement(fund: Fund, year: int) -> Statement:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"A statement's year is between {FIRST_YEAR} and {LAST_YEAR}.", field="year")
    start, end = date(year, 1, 1), date(year, 12, 31)
    entries = LedgerEntry.objects.filter(fund=fund).annotate(category=CATEGORY)
    in_year = entries.filter(value_date__gte=start, value_date__lte=end)
    cash = entries.filter(account=Account.CASH)
    cash_in = F("usd_debit") - F("usd_credit")
    cash_out = F("usd_credit") - F("usd_debit")

    balances = cash.aggregate(
        opening=total("usd_debit", value_date__lt=start) - total("usd_credit", value_date__lt=start),
        closing=total("usd_debit", value_date__lte=end) - total("usd_credit", value_date__lte=end),
    )
    flows = {
        row["category"]: cents(row["usd"])
        for row in in_year.filter(account=Account.CASH)
        .values("category")
        .annotate(usd=Sum(cash_in))
        .order_by()
    }
    labels = dict(TransactionKind.choices)
    receipts = [Row(kind, str(labels[kind]), flows.get(kind, ZERO)) for kind in RECEIPTS]
    payments = [Row(kind, str(labels[kind]), -flows.get(kind, ZERO)) for kind in PAYMENTS]

    received = in_year.filter(account=Account.CASH, category=TransactionKind.CONTRIBUTION)
    by_donor = _grouped(received, "contribution__donor__code", "contribution__donor__name", cash_in)
    earmarks = dict(Earmark.choices)
    by_earmark = _grouped(received, "contribution__earmark", "contribution__earmark", cash_in)

    commitments = in_year.filter(account=Account.GRANTS_PAYABLE, category=TransactionKind.GRANT)
    committed = F("usd_credit") - F("usd_debit")
    state_code = Coalesce("grant__state", "grant__activity__state")
    state_name = Coalesce("grant__state__name", "grant__activity__state__name")
    region = Coalesce("grant__state__regional_group", "grant__activity__state__regional_group")
    regions = dict(RegionalGroup.choices)
    markers = dict(GenderMarker.choices)
    released = in_year.filter(
        account=Account.GRANTS_PAYABLE, category=TransactionKind.GRANT_RELEASE
    ).aggregate(usd=Sum(F("usd_debit") - F("usd_credit")))["usd"]
    disbursed = in_year.filter(account=Account.CASH, category=TransactionKind.DISBURSEMENT)

    pledged = entries.filter(account=Account.PLEDGES_RECEIVABLE, pledge__year=year)
    fulfilment: dict[str, Fulfilment] = {}
    for row in (
        pledged.values("pledge__donor__code", "pledge__donor__name")
        .annotate(
            pledged=Sum(F("usd_debit") - F("usd_credit"), filter=Q(category=TransactionKind.PLEDGE)),
            received=Sum(F("usd_credit") - F("usd_debit"), filter=Q(category=TransactionKind.CONTRIBUTION)),
        )
        .order_by()
    ):
        if cents(row["pledged"]):
            code = row["pledge__donor__code"]
            fulfilment[code] = Fulfilment(
                code, row["pledge__donor__name"], cents(row["pledged"]), cents(row["received"])
            )

    positions, overall = fund_positions(fund, as_of=end)
    return Statement(
        fund=fund,
        year=year,
        opening=cents(balances["opening"]),
        closing=cents(balances["closing"]),
        receipts=receipts,
        payments=payments,
        contributions_by_donor=_shares([Row(k, n, usd) for k, n, usd in by_donor]),
        earmarking=_shares([Row(k, str(earmarks.get(k, k)), usd) for k, _n, usd in by_earmark]),
        fulfilment=sorted(fulfilment.values(), key=lambda f: (-f.pledged, f.label)),
        grants_by_state=_shares(
            [Row(k, n, usd) for k, n, usd in _grouped(commitments, state_code, state_name, committed)]
        ),
        grants_by_region=_shares(
            [
                Row(k or "", str(regions.get(k, _("No region"))), usd)
                for k, _n, usd in _grouped(commitments, region, region, committed)
            ]
        ),
        grants_by_theme=[
            Row(str(k or ""), n or _("No theme (participation support, or none recorded)"), usd)
            for k, n, usd in _grouped(
                commitments,
                Concat("grant__activity__themes__vocabulary", Value(":"), "grant__activity__themes__code"),
                "grant__activity__themes__name",
                committed,
            )
        ],
        grants_by_gender_marker=_shares(
            [
                Row(
                    "" if k is None else str(k),
                    str(markers[k]) if k is not None else _("Not applicable (participation support)"),
                    usd,
                )
                for k, _n, usd in _grouped(
                    commitments, "grant__activity__gender_marker", "grant__activity__gender_marker", committed
                )
            ]
        ),
        released=cents(released),
        disbursements_by_state=_shares(
            [Row(k, n, usd) for k, n, usd in _grouped(disbursed, state_code, state_name, cash_out)]
        ),
        positions=positions,
        overall=overall,
        months=_months(in_year.filter(account=Account.CASH)),
    )


def _months(cash: QuerySet) -> list[Month]:
    """Contributions received and disbursements paid, month by month, with bar widths for the chart."""
    months = {n: Month(n, str(MONTHS_3[n]).title()) for n in range(1, 13)}
    rows = (
        cash.filter(category__in=[TransactionKind.CONTRIBUTION, TransactionKind.DISBURSEMENT])
        .values("category", month=ExtractMonth("value_date"))
        .annotate(usd=Sum(F("usd_debit") - F("usd_credit")))
        .order_by()
    )
    for row in rows:
        if row["category"] == TransactionKind.CONTRIBUTION:
            months[row["month"]].contributions = cents(row["usd"])
        else:
            months[row["month"]].disbursements = -cents(row["usd"])
    largest = max(
        [m.contributions for m in months.values()] + [m.disbursements for m in months.values()] + [ZERO]
    )
    for month in months.values():
        if largest > 0:
            month.contributions_width = (100 * max(month.contributions, ZERO) / largest).quantize(
                Decimal("0.1")
            )
            month.disbursements_width = (100 * max(month.disbursements, ZERO) / largest).quantize(
                Decimal("0.1")
            )
    return list(months.values())


def statement_years(fund: Fund) -> tuple[list[int], int]:
    """The years with movements on the fund and this year, newest first; and the year to show first: the
    latest with movements up to this year."""
    this = date.today().year
    dated = {d.year for d in LedgerEntry.objects.filter(fund=fund).dates("value_date", "year")}
    return sorted(dated | {this}, reverse=True), max((y for y in dated if y <= this), default=this)
