"""Reads: the funds' records a user may see, and every balance, derived from the ledger by a query.

Balances are never stored. A fund's position in a currency is the sum of its entries in that currency:
cash, pledges receivable (pledged, not yet received), grants payable (committed, not yet disbursed), and
available = cash − grants payable. The same sums over one pledge's, grant's or contribution's entries
give what is still due on it, left to disburse, or left to refund.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from hrtc.accounts import policy
from hrtc.funds.choices import DEBIT_ACCOUNTS, REPORTING_CURRENCY, Account, TransactionKind
from hrtc.funds.models import (
    Contribution,
    Disbursement,
    Donor,
    ExchangeRate,
    Grant,
    LedgerEntry,
    LedgerTransaction,
    Pledge,
    Refund,
)
from hrtc.reference.models import Fund

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = models.DecimalField(max_digits=18, decimal_places=2)


def cents(value: Decimal | None) -> Decimal:
    """A sum read from the database, in cents. SQLite sums decimals as floating point (exact to 15
    significant digits), so every sum is rounded back to cents before it is compared or shown."""
    return (value or ZERO).quantize(CENT)


def total(field: str, **where) -> Coalesce:
    """SUM(field) over the rows matching `where` (0 when none), as money."""
    summed = Sum(field, filter=Q(**where)) if where else Sum(field)
    return Coalesce(summed, Value(ZERO), output_field=MONEY)


def signed(account: str, *, usd: bool = False, prefix: str = "") -> Case:
    """An entry's amount with the sign that grows `account`'s balance (debit accounts: debit − credit)."""
    debit, credit = (
        (f"{prefix}usd_debit", f"{prefix}usd_credit") if usd else (f"{prefix}debit", f"{prefix}credit")
    )
    grow, shrink = (debit, credit) if account in DEBIT_ACCOUNTS else (credit, debit)
    return Case(
        When(**{f"{prefix}account": account}, then=F(grow) - F(shrink)),
        default=Value(ZERO),
        output_field=MONEY,
    )


# ---------------------------------------------------------------------------------------------------------
# What a user may see


def donors_visible(user) -> QuerySet[Donor]:
    return policy.visible(user, Donor.objects.select_related("organisation", "state"))


def pledges_visible(user) -> QuerySet[Pledge]:
    return policy.visible(
        user,
        Pledge.objects.select_related("donor", "fund", "currency", "earmark_theme", "posting__reversed_by"),
    )


def contributions_visible(user) -> QuerySet[Contribution]:
    return policy.visible(
        user,
        Contribution.objects.select_related(
            "donor", "fund", "currency", "pledge", "earmark_theme", "posting__reversed_by"
        ),
    )


def grants_visible(user) -> QuerySet[Grant]:
    return policy.visible(
        user,
        Grant.objects.select_related(
            "fund", "currency", "state", "activity__state", "activity__lead_provider", "posting__reversed_by"
        ),
    )


def with_activity_shown(user, grants) -> list[Grant]:
    """The grants, each with `activity_shown`: whether the reader may see the activity it finances. A fund
    officer sees every grant (the money is theirs to account for) but an activity only as its own
    disclosure allows: a grant to an activity the State has not published names no title to them."""
    from hrtc.assistance.models import Activity  # funds finance activities; assistance does not import funds

    grants = list(grants)
    ids = {g.activity_id for g in grants if g.activity_id}
    shown = set(policy.visible(user, Activity.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    for grant in grants:
        grant.activity_shown = grant.activity_id in shown
    return grants


def activities_to_finance(user):
    """The activities a fund officer may choose to finance: those they may see, newest first."""
    from hrtc.assistance.models import Activity

    return policy.visible(user, Activity.objects.select_related("state")).order_by("-planned_start")


def disbursements_visible(user) -> QuerySet[Disbursement]:
    return policy.visible(
        user, Disbursement.objects.select_related("grant__fund", "currency", "posting__reversed_by")
    )


def refunds_visible(user) -> QuerySet[Refund]:
    return policy.visible(
        user,
        Refund.objects.select_related(
            "grant__fund", "contribution__fund", "currency", "posting__reversed_by"
        ),
    )


def transactions_visible(user) -> QuerySet[LedgerTransaction]:
    return policy.visible(
        user,
        LedgerTransaction.objects.select_related(
            "fund", "created_by", "reverses", "reversed_by"
        ).prefetch_related("entries"),
    )


def rates() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.select_related("currency")


# ---------------------------------------------------------------------------------------------------------
# Balances


def pot(*, fund: Fund, currency, account: str, **tag) -> tuple[Decimal, Decimal]:
    """The balance (amount, US dollars) of one account of a fund in one currency, perhaps of one record's
    sub-ledger (`pledge=`, `grant=`, `contribution=`), in the account's natural direction."""
    sums = LedgerEntry.objects.filter(fund=fund, currency=currency, account=account, **tag).aggregate(
        amount=Sum(signed(account)), usd=Sum(signed(account, usd=True))
    )
    return cents(sums["amount"]), cents(sums["usd"])


def lowest_from(*, fund: Fund, currency, since: date) -> tuple[Decimal, Decimal]:
    """The lowest (cash, available) of a fund in a currency on any day from `since` on, by value date.

    A movement dated `since` changes every later day's balance too, so it must fit under the lowest of them:
    money received next month cannot pay a grant dated today."""
    days = (
        LedgerEntry.objects.filter(
            fund=fund, currency=currency, account__in=[Account.CASH, Account.GRANTS_PAYABLE]
        )
        .values("value_date")
        .annotate(cash=Sum(signed(Account.CASH)), payable=Sum(signed(Account.GRANTS_PAYABLE)))
        .order_by("value_date")
    )
    cash = available = ZERO
    lowest: tuple[Decimal, Decimal] | None = None
    for day in days:
        if lowest is None and day["value_date"] > since:
            lowest = (cash, available)
        cash += cents(day["cash"])
        available += cents(day["cash"]) - cents(day["payable"])
        if lowest is not None:
            lowest = (min(lowest[0], cash), min(lowest[1], available))
    return lowest if lowest is not None else (cash, available)


@dataclass
class Position:
    """A fund's balances in one currency (or in US dollars for all currencies, `currency="USD (all)"`)."""

    currency: str
    cash: Decimal = ZERO
    committed: Decimal = ZERO
    receivable: Decimal = ZERO
    cash_usd: Decimal = ZERO
    committed_usd: Decimal = ZERO
    receivable_usd: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.cash - self.committed

    @property
    def available_usd(self) -> Decimal:
        return self.cash_usd - self.committed_usd

    def as_dict(self) -> dict[str, str]:
        return {
            "currency": self.currency,
            "cash": str(self.cash),
            "committed_not_disbursed": str(self.committed),
            "available": str(self.available),
            "pledged_not_received": str(self.receivable),
            "cash_usd": str(self.cash_usd),
            "committed_not_disbursed_usd": str(self.committed_usd),
            "available_usd": str(self.available_usd),
            "pledged_not_received_usd": str(self.receivable_usd),
        }


POSITION_ACCOUNTS = {
    Account.CASH: ("cash", "cash_usd"),
    Account.GRANTS_PAYABLE: ("committed", "committed_usd"),
    Account.PLEDGES_RECEIVABLE: ("receivable", "receivable_usd"),
}


def _position_sums(entries: QuerySet[LedgerEntry], *group: str):
    return (
        entries.filter(account__in=list(POSITION_ACCOUNTS))
        .values(*group, "account")
        .annotate(d=total("debit"), c=total("credit"), ud=total("usd_debit"), uc=total("usd_credit"))
        .order_by()
    )


def _add(position: Position, row: dict) -> None:
    account = row["account"]
    name, usd_name = POSITION_ACCOUNTS[account]
    sign = 1 if account in DEBIT_ACCOUNTS else -1
    setattr(position, name, getattr(position, name) + sign * (cents(row["d"]) - cents(row["c"])))
    setattr(position, usd_name, getattr(position, usd_name) + sign * (cents(row["ud"]) - cents(row["uc"])))


def fund_positions(fund: Fund, *, as_of: date | None = None) -> tuple[list[Position], Position]:
    """The fund's position per currency and, in US dollars, over all currencies (one query)."""
    entries = LedgerEntry.objects.filter(fund=fund)
    if as_of is not None:
        entries = entries.filter(value_date__lte=as_of)
    by_currency: dict[str, Position] = {}
    overall = Position(currency=f"{REPORTING_CURRENCY} (all)")
    for row in _position_sums(entries, "currency"):
        _add(by_currency.setdefault(row["currency"], Position(currency=row["currency"])), row)
        _add(overall, {**row, "d": ZERO, "c": ZERO})
    return [by_currency[code] for code in sorted(by_currency)], overall


def funds_overview(as_of: date | None = None) -> list[tuple[Fund, Position]]:
    """Every fund with its position in US dollars: the published totals (one query for all funds)."""
    entries = (
        LedgerEntry.objects.all() if as_of is None else LedgerEntry.objects.filter(value_date__lte=as_of)
    )
    positions: dict[str, Position] = {}
    for row in _position_sums(entries, "fund"):
        _add(
            positions.setdefault(row["fund"], Position(currency=REPORTING_CURRENCY)),
            {**row, "d": ZERO, "c": ZERO},
        )
    return [
        (fund, positions.get(fund.pk, Position(currency=REPORTING_CURRENCY))) for fund in Fund.objects.all()
    ]


def pledge_balances(pledges: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """Annotate each pledge with `outstanding` (still due) and `received` against it, in its currency."""
    where, contribution = (
        {"ledger_entries__account": Account.PLEDGES_RECEIVABLE},
        TransactionKind.CONTRIBUTION,
    )
    return pledges.annotate(
        outstanding=total("ledger_entries__debit", **where) - total("ledger_entries__credit", **where),
        received=total("ledger_entries__credit", **where, ledger_entries__transaction__kind=contribution)
        - total("ledger_entries__debit", **where, ledger_entries__transaction__reverses__kind=contribution),
    ).order_by("-value_date", "-id")


def grant_balances(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    """Annotate each grant with `undisbursed` (committed, not yet paid) and `paid` (disbursed, net of
    returns and reversals), in its currency."""
    payable, cash = (
        {"ledger_entries__account": Account.GRANTS_PAYABLE},
        {"ledger_entries__account": Account.CASH},
    )
    return grants.annotate(
        undisbursed=total("ledger_entries__credit", **payable) - total("ledger_entries__debit", **payable),
        paid=total("ledger_entries__credit", **cash) - total("ledger_entries__debit", **cash),
    ).order_by("-value_date", "-id")


def contribution_balances(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Annotate each contribution with `kept`: what the fund holds of it (received, net of refunds)."""
    cash = {"ledger_entries__account": Account.CASH}
    return contributions.annotate(
        kept=total("ledger_entries__debit", **cash) - total("ledger_entries__credit", **cash)
    ).order_by("-value_date", "-id")
