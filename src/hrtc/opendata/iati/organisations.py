"""IATI organisation files: one ``iati-organisation`` per provider and per voluntary fund.

* A **provider** (OHCHR, a UN agency, a country team, a regional organisation): its total budget per
  calendar year is the budgets of the published activities it leads, each spread over the calendar years
  it runs in proportion to days (status 1, indicative); its total expenditure per year is what the funds
  disbursed to those activities. Only published activities count (``publication``).
* A **fund**: total budget per year = the grants it committed (status 2, committed), total expenditure =
  the disbursements it paid; reversed postings are left out. These are the aggregates of the funds'
  public statements. The reporting organisation is OHCHR, which administers the voluntary funds.

Amounts in different currencies are never added: each (year, currency) has its own element.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal

from hrtc.opendata import publication
from hrtc.opendata.iati import codelists
from hrtc.opendata.iati.mapping import DEFAULT_LANGUAGE, Mapper, iso_datetime, organisation_type
from hrtc.opendata.iati.model import Org, money_text
from hrtc.opendata.iati.validate import Problem, element_xsd_problems

INDICATIVE = codelists.by_name("BudgetStatus", "Indicative")
COMMITTED = codelists.by_name("BudgetStatus", "Committed")


@dataclass
class Row:
    status: str
    start: str
    end: str
    value: str
    currency: str
    value_date: str


@dataclass
class IatiOrganisation:
    identifier: str
    names: list[list[str]]
    reporting: Org
    language: str = DEFAULT_LANGUAGE
    currency: str = ""
    last_updated: str = ""
    total_budgets: list[Row] = field(default_factory=list)
    total_expenditures: list[Row] = field(default_factory=list)


def calendar_split(start: date, end: date, amount: Decimal) -> dict[int, Decimal]:
    """``amount`` over the calendar years of [start, end], in proportion to days; exact total."""
    total_days = (end - start).days + 1
    years = list(range(start.year, end.year + 1))
    out, allotted = {}, Decimal(0)
    for year in years:
        if year == years[-1]:
            out[year] = amount - allotted
            break
        a, b = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        share = (amount * ((b - a).days + 1) / total_days).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        out[year] = share
        allotted += share
    return out


def _rows(sums: dict[tuple[int, str], Decimal], status: str) -> list[Row]:
    return [
        Row(status, f"{year}-01-01", f"{year}-12-31", money_text(value), currency, f"{year}-01-01")
        for (year, currency), value in sorted(sums.items())
    ]


def _main_currency(sums: dict[tuple[int, str], Decimal]) -> str:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_y, currency), value in sums.items():
        totals[currency] += value
    return max(sorted(totals), key=lambda c: totals[c]) if totals else ""


def provider_records(codes: list[str] | None = None) -> Iterator[IatiOrganisation]:
    from hrtc.accounts.choices import PROVIDER_KINDS
    from hrtc.accounts.models import Organisation
    from hrtc.funds.models import Disbursement

    mapper = Mapper()
    providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS, is_active=True).order_by("code")
    if codes:
        providers = providers.filter(code__in=codes)
    now = datetime.now(UTC)
    for provider in providers:
        budgets: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        led = publication.published_activities().filter(lead_provider=provider)
        for start, end, amount, currency in led.exclude(budget_amount=None).values_list(
            "planned_start", "planned_end", "budget_amount", "budget_currency"
        ):
            for year, share in calendar_split(start, end, amount).items():
                budgets[(year, currency)] += share
        spent: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        paid = Disbursement.objects.filter(
            grant__activity__in=led.values("pk"), posting__reversed_by__isnull=True
        )
        for value_date, amount, currency in paid.values_list("value_date", "amount", "currency"):
            if value_date <= now.date():
                spent[(value_date.year, currency)] += amount
        yield IatiOrganisation(
            identifier=publication.organisation_ref(provider),
            names=[["", provider.name]],
            reporting=mapper.org(provider),
            currency=_main_currency(budgets) or _main_currency(spent),
            last_updated=iso_datetime(min(provider.updated_at, now)),
            total_budgets=_rows(budgets, INDICATIVE),
            total_expenditures=_rows(spent, ""),
        )


def fund_records(codes: list[str] | None = None) -> Iterator[IatiOrganisation]:
    from hrtc.accounts.models import Organisation
    from hrtc.funds.models import Disbursement, Grant
    from hrtc.reference.models import Fund

    mapper = Mapper()
    ohchr = Organisation.objects.filter(kind="ohchr", is_active=True).order_by("pk").first()
    funds = Fund.objects.order_by("code")
    if codes:
        funds = funds.filter(code__in=codes)
    now = datetime.now(UTC)
    for fund in funds:
        committed: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        for value_date, amount, currency in Grant.objects.filter(
            fund=fund, posting__reversed_by__isnull=True
        ).values_list("value_date", "amount", "currency"):
            committed[(value_date.year, currency)] += amount
        spent: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        for value_date, amount, currency in Disbursement.objects.filter(
            grant__fund=fund, posting__reversed_by__isnull=True
        ).values_list("value_date", "amount", "currency"):
            if value_date <= now.date():
                spent[(value_date.year, currency)] += amount
        own = Org(
            ref=publication.fund_ref(fund), type=organisation_type("ohchr"), narratives=[["", fund.name]]
        )
        yield IatiOrganisation(
            identifier=publication.fund_ref(fund),
            names=[["", fund.name]] + [[lang, name] for lang, name in sorted(fund.names.items()) if name],
            reporting=mapper.org(ohchr) if ohchr is not None else own,
            currency=_main_currency(committed) or _main_currency(spent),
            last_updated=iso_datetime(now),
            total_budgets=_rows(committed, COMMITTED),
            total_expenditures=_rows(spent, ""),
        )


def check(o: IatiOrganisation, element) -> list[Problem]:
    """The rules for an organisation record (codes, periods), then the XSD on its element."""
    problems = []
    if not codelists.check("OrganisationType", o.reporting.type):
        problems.append(
            Problem(o.identifier, "9.112.1", f"The organisation type {o.reporting.type!r} is invalid.")
        )
    if o.currency and not codelists.check("Currency", o.currency):
        problems.append(Problem(o.identifier, "9.96.1", f"The currency {o.currency!r} is invalid."))
    for row in o.total_budgets + o.total_expenditures:
        if not codelists.check("Currency", row.currency):
            problems.append(Problem(o.identifier, "9.114.1", f"The currency {row.currency!r} is invalid."))
        start, end = date.fromisoformat(row.start), date.fromisoformat(row.end)
        if start > end:
            problems.append(
                Problem(o.identifier, "8.6.3", f"The period start {start} is after its end {end}.")
            )
        elif (end - start).days > 366:
            problems.append(
                Problem(o.identifier, "7.5.3", f"The period {start} – {end} is longer than one year.")
            )
    return problems + element_xsd_problems(element, o.identifier, kind="organisations")
