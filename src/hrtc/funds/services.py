"""Every write in the funds app. Each money movement is one database transaction that locks its fund,
checks the policy and the fund's balances, and posts one balanced ledger transaction; it is audited.

Postings (debit / credit, in the movement's currency):

==========================  ==========================================  =====================================
movement                    debit                                       credit
==========================  ==========================================  =====================================
pledge                      pledges receivable                          contribution income
contribution (on a pledge)  fund cash                                   pledges receivable (up to what is
                                                                        due), contribution income (the rest)
contribution (no pledge)    fund cash                                   contribution income
grant                       grant expense                               grants payable
disbursement                grants payable                              fund cash
grant release               grants payable (what is left undisbursed)   grant expense
return by a grantee         fund cash                                   grant expense
refund to a donor           refunds to donors                           fund cash
reversal                    the original's credits                      the original's debits
==========================  ==========================================  =====================================

US dollars: an entry that adds to an account is converted at the UN operational rate of its value date's
month; an entry that draws on fund cash, a pledge or a grant takes the US-dollar value it is carried at
(proportionally; all of it when it empties it), so nothing is left in dollars when nothing is left in the
currency. The difference, if any, goes to the exchange-differences account (dollars only), and the
transaction balances in its currency and in dollars.

Concurrency: every movement first locks its fund's row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite
serialises writers, as hrtc opens its transactions with BEGIN IMMEDIATE), so two movements of one fund
never read the same balance.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from hrtc.accounts import policy
from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.models import Organisation
from hrtc.assistance.choices import ActivityStatus
from hrtc.assistance.models import Activity
from hrtc.core import audit, money
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.core.models import ImportRun
from hrtc.funds import selectors
from hrtc.funds.choices import (
    DEBIT_ACCOUNTS,
    REPORTING_CURRENCY,
    Account,
    Earmark,
    RefundKind,
    TransactionKind,
)
from hrtc.funds.exceptions import (
    AlreadyReversed,
    BalanceExceeded,
    CurrencyMismatch,
    FundOverdrawn,
    IdempotencyKeyReused,
    LedgerUnbalanced,
    NoExchangeRate,
)
from hrtc.funds.models import (
    Contribution,
    Disbursement,
    Donor,
    ExchangeRate,
    Grant,
    IdempotencyKey,
    LedgerEntry,
    LedgerTransaction,
    Pledge,
    Refund,
)
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Currency, Fund, State, Theme
from hrtc.reference.selectors import currency

CENT = money.CENT
RATE_PLACES = Decimal("0.00000001")
ZERO = Decimal("0.00")
NEW = object()  # in a line's tags: the record the posting creates


# ---------------------------------------------------------------------------------------------------------
# Money


def money_amount(value: Any, field: str = "amount") -> Decimal:
    """A positive amount of money in cents (the one rule: ``core.money``)."""
    return money.amount(value, field)


money_currency = currency  # an ISO 4217 currency (``reference.selectors.currency``)


def money_rate(value: Any, field: str = "units_per_usd") -> Decimal:
    if isinstance(value, float):
        raise InvalidInput("A rate is a decimal number, never a float.", field=field)
    try:
        rate = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError):
        raise InvalidInput(
            f"{value!r} is not a rate (units of the currency per US dollar).", field=field
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise InvalidInput("A rate of exchange is more than zero.", field=field)
    if rate != _rounded(rate, RATE_PLACES) or rate >= Decimal("1e12"):
        raise InvalidInput(f"{value} has more than eight decimals or is too large.", field=field)
    return rate


def show(amount: Decimal, currency) -> str:
    return f"{getattr(currency, 'code', currency)} {amount:,.2f}"


def _same_currency(currency: Currency, record: models.Model, what: str) -> None:
    if currency.code != record.currency_id:
        raise CurrencyMismatch(
            f"{what} is in {currency.code} but {record} is in {record.currency_id}; hrtc does not convert "
            f"between currencies: record it in {record.currency_id}.",
            field="currency",
        )


def _not_before(value_date: date, record: models.Model, what: str) -> None:
    if value_date < record.value_date:
        raise InvalidInput(
            f"{what} cannot be dated {value_date}, before {record} ({record.value_date}).", field="value_date"
        )


def month_rate(currency: Currency, value_date: date) -> Decimal:
    """The UN operational rate (units per US dollar) for the month of `value_date`."""
    if currency.code == REPORTING_CURRENCY:
        return Decimal(1)
    month = value_date.replace(day=1)
    rate = ExchangeRate.objects.filter(currency=currency, month=month).values_list("units_per_usd", flat=True)
    if not rate:
        raise NoExchangeRate(
            f"No UN operational rate of exchange for {currency.code} in {month:%Y-%m}: import the month's "
            f"rates first (hrtc import rates FILE).",
            field="currency",
        )
    return rate[0]


# ---------------------------------------------------------------------------------------------------------
# The posting engine


@dataclass
class Line:
    """One entry to post: a debit or a credit to an account, tagged with the records it concerns."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    tags: dict[str, Any] = field(default_factory=dict)
    usd_debit: Decimal | None = None  # given (a reversal mirrors its original), or measured by `_measure`
    usd_credit: Decimal | None = None
    rate: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        return self.debit or self.credit

    @property
    def draws(self) -> bool:
        """Whether the line takes from a balance carried at a US-dollar value (cash, a pledge, a grant)."""
        if self.account not in CARRIED:
            return False
        return self.credit > 0 if self.account in DEBIT_ACCOUNTS else self.debit > 0

    def growth(self) -> Decimal:
        """What the line adds to its account's balance (negative when it takes from it)."""
        return self.debit - self.credit if self.account in DEBIT_ACCOUNTS else self.credit - self.debit


#: Accounts carried at their historical US-dollar value, and the tag that splits them into sub-ledgers.
CARRIED = {Account.CASH: None, Account.PLEDGES_RECEIVABLE: "pledge", Account.GRANTS_PAYABLE: "grant"}


def _rounded(value: Decimal, step: Decimal = CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_EVEN)


def _measure(line: Line, *, fund: Fund, currency: Currency, value_date: date) -> None:
    """Give `line` its US-dollar value and the rate used."""
    if line.draws:
        tag = CARRIED[line.account]
        balance, balance_usd = selectors.pot(
            fund=fund, currency=currency, account=line.account, **({tag: line.tags[tag]} if tag else {})
        )
        if balance > 0 and balance_usd > 0:
            with localcontext() as exact:
                exact.prec = 60
                usd = balance_usd if line.amount == balance else _rounded(balance_usd * line.amount / balance)
                rate = _rounded(balance / balance_usd, RATE_PLACES)
        else:  # nothing to draw on: the checks refuse the posting; measure it meanwhile
            rate = line.rate or month_rate(currency, value_date)
            usd = _rounded(line.amount / rate)
    elif line.usd_debit is not None:
        return
    else:
        rate = month_rate(currency, value_date)
        with localcontext() as exact:
            exact.prec = 60
            usd = _rounded(line.amount / rate)
    line.rate = rate
    line.usd_debit, line.usd_credit = (usd, ZERO) if line.debit else (ZERO, usd)


def _balance_in_dollars(lines: list[Line]) -> None:
    difference = sum(line.usd_debit for line in lines) - sum(line.usd_credit for line in lines)
    if difference:
        lines.append(
            Line(
                Account.EXCHANGE_DIFFERENCES,
                usd_debit=max(-difference, ZERO),
                usd_credit=max(difference, ZERO),
            )
        )


def _assert_balanced(lines: list[Line]) -> None:
    if sum(x.debit for x in lines) != sum(x.credit for x in lines) or sum(x.usd_debit for x in lines) != sum(
        x.usd_credit for x in lines
    ):
        raise LedgerUnbalanced(f"Debits differ from credits: {lines!r}")


#: Sub-ledgers that must never go below zero: (account, tag, what the balance means, a hint for reversals).
SUBLEDGERS = (
    (Account.PLEDGES_RECEIVABLE, "pledge", "still due on", "reverse the contributions received on it first"),
    (Account.GRANTS_PAYABLE, "grant", "left to disburse on", "reverse its disbursements first"),
    (Account.CASH, "grant", "disbursed, net of returns, on", "reverse the returns of unspent funds first"),
    (Account.CASH, "contribution", "kept by the fund of", "reverse the refunds first"),
)


def _check(
    *, fund: Fund, currency: Currency, value_date: date, lines: list[Line], what: str, reversal: bool
) -> None:
    """Refuse a posting that would take the fund's available balance (on its value date or any later day),
    or the balance of a pledge, grant or contribution it concerns, below zero."""
    growth: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        growth[line.account] += line.growth()
    cash_change = growth[Account.CASH]
    available_change = cash_change - growth[Account.GRANTS_PAYABLE]
    if cash_change < 0 or available_change < 0:
        lowest_cash, lowest_available = selectors.lowest_from(fund=fund, currency=currency, since=value_date)
        short = max(-(lowest_cash + cash_change), -(lowest_available + available_change))
        if short > 0:
            raise FundOverdrawn(
                f"{fund.acronym or fund.code} has {show(lowest_available, currency)} available on "
                f"{value_date} (cash less grants committed and not yet disbursed, counting every later "
                f"movement); {what} would overdraw it by {show(short, currency)}.",
                field="amount",
            )
    for account, tag, meaning, hint in SUBLEDGERS:
        changes: dict[Any, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            subject = line.tags.get(tag)
            if line.account == account and subject is not None and subject is not NEW:
                # fund cash tagged with a grant is what was paid out on it: it grows with credits
                changes[subject] += (
                    -line.growth() if (account, tag) == (Account.CASH, "grant") else line.growth()
                )
        for subject, change in changes.items():
            if change >= 0:
                continue
            balance, _ = selectors.pot(fund=fund, currency=currency, account=account, **{tag: subject})
            if account == Account.CASH and tag == "grant":
                balance = -balance
            if balance + change < 0:
                advice = f"; {hint}" if reversal else ""
                raise BalanceExceeded(
                    f"{show(balance, currency)} is {meaning} {subject}; {what} exceeds it{advice}.",
                    field="amount",
                )


def _lock(fund: Fund) -> Fund:
    """One movement of a fund at a time (a row lock on PostgreSQL; SQLite serialises every writer)."""
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _post(
    *,
    fund: Fund,
    kind: str,
    currency: Currency,
    value_date: date,
    by,
    lines: list[Line],
    what: str,
    memo: str = "",
    reverses: LedgerTransaction | None = None,
    idempotency_key: str = "",
    create: Callable[[LedgerTransaction], models.Model] | None = None,
) -> tuple[LedgerTransaction, models.Model | None]:
    """Measure, balance, check and write one ledger transaction (and the record `create` makes for it).
    The caller holds the fund's lock."""
    for line in lines:
        _measure(line, fund=fund, currency=currency, value_date=value_date)
    _balance_in_dollars(lines)
    _assert_balanced(lines)
    _check(
        fund=fund,
        currency=currency,
        value_date=value_date,
        lines=lines,
        what=what,
        reversal=kind == TransactionKind.REVERSAL,
    )
    with audit.acting_as(by):
        posted = LedgerTransaction.objects.create(
            fund=fund,
            kind=kind,
            memo=memo[:500],
            value_date=value_date,
            created_by=audit._real_user(by),
            reverses=reverses,
            idempotency_key=idempotency_key[:200],
        )
        record = create(posted) if create is not None else None
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                transaction=posted,
                fund=fund,
                account=line.account,
                currency=currency,
                value_date=value_date,
                debit=line.debit,
                credit=line.credit,
                usd_debit=line.usd_debit,
                usd_credit=line.usd_credit,
                rate=line.rate,
                **{tag: record if subject is NEW else subject for tag, subject in line.tags.items()},
            )
            for line in lines
        )
        audit.record(
            actor=by,
            action=f"funds.{kind}",
            target=record if record is not None else posted,
            reason=memo,
            data={
                "transaction": posted.pk,
                "fund": fund.code,
                "currency": currency.code,
                "amount": str(sum(line.debit for line in lines)),
                **({"reverses": reverses.pk} if reverses is not None else {}),
            },
        )
    return posted, record


def _begin(fund: Fund, amount, currency, by) -> tuple[Fund, Decimal, Currency]:
    """The start of every movement: the policy, the fund's lock, the money checked."""
    policy.require(by, "funds.manage")
    return _lock(fund), money_amount(amount), money_currency(currency)


def _not_reversed(record: Pledge | Contribution | Grant, what: str) -> None:
    if LedgerTransaction.objects.filter(reverses=record.posting_id).exists():
        raise Conflict(f"{record} was reversed; {what} cannot refer to it.")


# ---------------------------------------------------------------------------------------------------------
# Donors and exchange rates


@transaction.atomic
def donor_create(
    *, by, name: str, code: str = "", organisation: Organisation | None = None, state: State | None = None
) -> Donor:
    """A donor: a State (through its government's organisation) or another organisation."""
    policy.require(by, "funds.manage")
    if not name.strip():
        raise InvalidInput("A donor needs a name.", field="name")
    if organisation is not None:
        if organisation.kind not in (OrganisationKind.DONOR, OrganisationKind.STATE):
            raise InvalidInput(
                f"{organisation} is not a donor or a State's government; link the donor to one of those.",
                field="organisation",
            )
        state = state or (organisation.state if organisation.kind == OrganisationKind.STATE else None)
    code = slugify(code or name)[:80]
    if not code:
        raise InvalidInput("A donor needs a code (letters, digits, hyphens).", field="code")
    if Donor.objects.filter(code=code).exists():
        raise Conflict(f"A donor with the code {code!r} exists already.")
    with audit.acting_as(by):
        return Donor.objects.create(code=code, name=name.strip(), organisation=organisation, state=state)


@transaction.atomic
def exchange_rate_set(
    *,
    by,
    currency,
    month: date,
    units_per_usd,
    source: str = "",
    import_batch: ImportRun | None = None,
) -> tuple[ExchangeRate, str]:
    """Record a month's UN operational rate. Returns the rate and "created", "updated" or "unchanged".
    Entries already posted keep the rate they used."""
    policy.require(by, "funds.manage")
    currency = money_currency(currency)
    if currency.code == REPORTING_CURRENCY:
        raise InvalidInput("The US dollar is the reporting currency: its rate is 1.", field="currency")
    rate = money_rate(units_per_usd)
    month = month.replace(day=1)
    with audit.acting_as(by):
        existing = ExchangeRate.objects.filter(currency=currency, month=month).first()
        if existing is None:
            created = ExchangeRate.objects.create(
                currency=currency, month=month, units_per_usd=rate, source=source, import_batch=import_batch
            )
            return created, "created"
        if existing.units_per_usd == rate:
            return existing, "unchanged"
        existing.units_per_usd, existing.source, existing.import_batch = rate, source, import_batch
        existing.save()
        return existing, "updated"


# ---------------------------------------------------------------------------------------------------------
# Pledges and contributions


def _earmark(
    earmark: str, theme: Theme | None, region: str
) -> tuple[str, Theme | None, str]:  # validated (earmark, theme, region)
    if earmark not in Earmark.values:
        raise InvalidInput(
            f"Unknown earmark {earmark!r}; use one of {', '.join(Earmark.values)}.", field="earmark"
        )
    if earmark == Earmark.THEME and theme is None:
        raise InvalidInput("Name the theme the money is earmarked for.", field="earmark_theme")
    if earmark == Earmark.REGION and region not in RegionalGroup.values:
        raise InvalidInput(
            f"Name the region (UN regional group: {', '.join(RegionalGroup.values)}).", field="earmark_region"
        )
    return (
        earmark,
        theme if earmark == Earmark.THEME else None,
        region if earmark == Earmark.REGION else "",
    )


@transaction.atomic
def pledge_record(
    *,
    by,
    donor: Donor,
    fund: Fund,
    amount,
    currency,
    year: int,
    value_date: date,
    earmark: str = Earmark.NONE,
    earmark_theme: Theme | None = None,
    earmark_region: str = "",
    memo: str = "",
    idempotency_key: str = "",
) -> Pledge:
    fund, amount, currency = _begin(fund, amount, currency, by)
    earmark, earmark_theme, earmark_region = _earmark(earmark, earmark_theme, earmark_region)
    if not 1945 <= year <= 2200:
        raise InvalidInput(f"{year} is not a plausible year for a pledge.", field="year")
    _, pledge = _post(
        fund=fund,
        kind=TransactionKind.PLEDGE,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=f"a pledge of {show(amount, currency)}",
        lines=[
            Line(Account.PLEDGES_RECEIVABLE, debit=amount, tags={"pledge": NEW}),
            Line(Account.CONTRIBUTION_INCOME, credit=amount, tags={"pledge": NEW}),
        ],
        create=lambda posting: Pledge.objects.create(
            donor=donor,
            fund=fund,
            year=year,
            amount=amount,
            currency=currency,
            value_date=value_date,
            earmark=earmark,
            earmark_theme=earmark_theme,
            earmark_region=earmark_region,
            memo=memo[:500],
            posting=posting,
        ),
    )
    return pledge


@transaction.atomic
def contribution_record(
    *,
    by,
    donor: Donor,
    fund: Fund,
    amount,
    currency,
    value_date: date,
    pledge: Pledge | None = None,
    earmark: str | None = None,
    earmark_theme: Theme | None = None,
    earmark_region: str = "",
    reference: str = "",
    memo: str = "",
    import_batch: ImportRun | None = None,
    idempotency_key: str = "",
) -> Contribution:
    """Money received. Against a pledge, it settles what is still due on it (and any excess is income);
    it takes the pledge's earmark and must be in the pledge's currency."""
    fund, amount, currency = _begin(fund, amount, currency, by)
    reference = reference.strip()
    if reference and Contribution.objects.filter(fund=fund, reference=reference).exists():
        raise Conflict(f"A contribution with the receipt reference {reference!r} is recorded already.")
    lines = [Line(Account.CASH, debit=amount, tags={"contribution": NEW})]
    what = f"a contribution of {show(amount, currency)}"
    if pledge is not None:
        if pledge.donor_id != donor.pk or pledge.fund_id != fund.pk:
            raise InvalidInput(
                f"{pledge} is not {donor}'s pledge to {fund.acronym or fund.code}.", field="pledge"
            )
        _same_currency(currency, pledge, "The contribution")
        _not_reversed(pledge, "a contribution")
        _not_before(value_date, pledge, "A contribution against it")
        if earmark is not None and (earmark, earmark_theme, earmark_region or "") != (
            pledge.earmark,
            pledge.earmark_theme,
            pledge.earmark_region,
        ):
            raise InvalidInput("A contribution against a pledge takes the pledge's earmark.", field="earmark")
        earmark, earmark_theme, earmark_region = pledge.earmark, pledge.earmark_theme, pledge.earmark_region
        due, _ = selectors.pot(
            fund=fund, currency=currency, account=Account.PLEDGES_RECEIVABLE, pledge=pledge
        )
        settled = min(amount, max(due, ZERO))
        lines[0].tags["pledge"] = pledge
        if settled:
            lines.append(
                Line(Account.PLEDGES_RECEIVABLE, credit=settled, tags={"pledge": pledge, "contribution": NEW})
            )
        if amount > settled:
            lines.append(
                Line(
                    Account.CONTRIBUTION_INCOME,
                    credit=amount - settled,
                    tags={"pledge": pledge, "contribution": NEW},
                )
            )
    else:
        earmark, earmark_theme, earmark_region = _earmark(
            earmark or Earmark.NONE, earmark_theme, earmark_region
        )
        lines.append(Line(Account.CONTRIBUTION_INCOME, credit=amount, tags={"contribution": NEW}))
    _, contribution = _post(
        fund=fund,
        kind=TransactionKind.CONTRIBUTION,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=what,
        lines=lines,
        create=lambda posting: Contribution.objects.create(
            donor=donor,
            fund=fund,
            pledge=pledge,
            amount=amount,
            currency=currency,
            value_date=value_date,
            earmark=earmark,
            earmark_theme=earmark_theme,
            earmark_region=earmark_region,
            reference=reference,
            import_batch=import_batch,
            memo=memo[:500],
            posting=posting,
        ),
    )
    return contribution


@transaction.atomic
def contribution_refund(
    *,
    by,
    contribution: Contribution,
    amount,
    currency,
    value_date: date,
    memo: str = "",
    idempotency_key: str = "",
) -> Refund:
    """Return money to a donor (e.g. unused earmarked funds). Cannot overdraw the fund."""
    fund, amount, currency = _begin(contribution.fund, amount, currency, by)
    _same_currency(currency, contribution, "The refund")
    _not_reversed(contribution, "a refund")
    _not_before(value_date, contribution, "A refund of it")
    tags = {"contribution": contribution, "pledge": contribution.pledge}
    _, refund = _post(
        fund=fund,
        kind=TransactionKind.DONOR_REFUND,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=f"a refund of {show(amount, currency)} to {contribution.donor}",
        lines=[
            Line(Account.DONOR_REFUNDS, debit=amount, tags=tags),
            Line(Account.CASH, credit=amount, tags=tags),
        ],
        create=lambda posting: Refund.objects.create(
            kind=RefundKind.TO_DONOR,
            contribution=contribution,
            amount=amount,
            currency=currency,
            value_date=value_date,
            memo=memo[:500],
            posting=posting,
        ),
    )
    return refund


# ---------------------------------------------------------------------------------------------------------
# Grants


@transaction.atomic
def grant_commit(
    *,
    by,
    fund: Fund,
    amount,
    currency,
    value_date: date,
    purpose: str,
    activity: Activity | None = None,
    state: State | None = None,
    memo: str = "",
    idempotency_key: str = "",
) -> Grant:
    """Commit money of a fund to an activity, or to a State's delegation. Refused (FundOverdrawn) beyond
    what the fund has available in that currency."""
    fund, amount, currency = _begin(fund, amount, currency, by)
    if (activity is None) == (state is None):
        raise InvalidInput(
            "A grant finances either an activity or a State's delegation, not both.", field="activity"
        )
    if activity is not None:
        if not activity.has_state_consent:
            raise Conflict(
                f"{activity.state} has not consented to “{activity.title}”; a fund cannot finance it."
            )
        if activity.status == ActivityStatus.CANCELLED:
            raise Conflict(f"“{activity.title}” is cancelled.")
    if not purpose.strip():
        raise InvalidInput("Say what the grant is for.", field="purpose")
    _, grant = _post(
        fund=fund,
        kind=TransactionKind.GRANT,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=f"a grant of {show(amount, currency)}",
        lines=[
            Line(Account.GRANT_EXPENSE, debit=amount, tags={"grant": NEW}),
            Line(Account.GRANTS_PAYABLE, credit=amount, tags={"grant": NEW}),
        ],
        create=lambda posting: Grant.objects.create(
            fund=fund,
            activity=activity,
            state=state,
            purpose=purpose.strip()[:300],
            amount=amount,
            currency=currency,
            value_date=value_date,
            memo=memo[:500],
            posting=posting,
        ),
    )
    return grant


@transaction.atomic
def grant_disburse(
    *, by, grant: Grant, amount, currency, value_date: date, memo: str = "", idempotency_key: str = ""
) -> Disbursement:
    """Pay out (part of) a grant: at most what is left to disburse on it, in its currency."""
    fund, amount, currency = _begin(grant.fund, amount, currency, by)
    _same_currency(currency, grant, "The disbursement")
    _not_reversed(grant, "a disbursement")
    _not_before(value_date, grant, "A disbursement of it")
    tags = {"grant": grant}
    _, disbursement = _post(
        fund=fund,
        kind=TransactionKind.DISBURSEMENT,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=f"a disbursement of {show(amount, currency)}",
        lines=[
            Line(Account.GRANTS_PAYABLE, debit=amount, tags=tags),
            Line(Account.CASH, credit=amount, tags=tags),
        ],
        create=lambda posting: Disbursement.objects.create(
            grant=grant,
            amount=amount,
            currency=currency,
            value_date=value_date,
            memo=memo[:500],
            posting=posting,
        ),
    )
    return disbursement


@transaction.atomic
def grant_release(
    *, by, grant: Grant, value_date: date, memo: str = "", idempotency_key: str = ""
) -> LedgerTransaction:
    """Close a grant: what is left undisbursed goes back to the fund's available balance."""
    policy.require(by, "funds.manage")
    fund = _lock(grant.fund)
    _not_reversed(grant, "a release")
    _not_before(value_date, grant, "Releasing it")
    left, _ = selectors.pot(
        fund=fund, currency=grant.currency_id, account=Account.GRANTS_PAYABLE, grant=grant
    )
    if left <= 0:
        raise Conflict(f"Nothing is left to disburse on {grant}.")
    tags = {"grant": grant}
    posted, _ = _post(
        fund=fund,
        kind=TransactionKind.GRANT_RELEASE,
        currency=grant.currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=f"releasing {show(left, grant.currency_id)} of {grant}",
        lines=[
            Line(Account.GRANTS_PAYABLE, debit=left, tags=tags),
            Line(Account.GRANT_EXPENSE, credit=left, tags=tags),
        ],
    )
    return posted


@transaction.atomic
def grant_return(
    *, by, grant: Grant, amount, currency, value_date: date, memo: str = "", idempotency_key: str = ""
) -> Refund:
    """Unspent funds a grantee returns: at most what was disbursed on the grant, in its currency."""
    fund, amount, currency = _begin(grant.fund, amount, currency, by)
    _same_currency(currency, grant, "The return")
    _not_before(value_date, grant, "A return on it")
    tags = {"grant": grant}
    _, refund = _post(
        fund=fund,
        kind=TransactionKind.RETURN,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=memo,
        idempotency_key=idempotency_key,
        what=f"a return of {show(amount, currency)}",
        lines=[
            Line(Account.CASH, debit=amount, tags=tags),
            Line(Account.GRANT_EXPENSE, credit=amount, tags=tags),
        ],
        create=lambda posting: Refund.objects.create(
            kind=RefundKind.RETURN,
            grant=grant,
            amount=amount,
            currency=currency,
            value_date=value_date,
            memo=memo[:500],
            posting=posting,
        ),
    )
    return refund


# ---------------------------------------------------------------------------------------------------------
# Reversals


@transaction.atomic
def transaction_reverse(
    *,
    by,
    posted: LedgerTransaction,
    reason: str,
    value_date: date | None = None,
    idempotency_key: str = "",
) -> LedgerTransaction:
    """Correct a mistake: post the mirror of a transaction (its debits as credits and its credits as
    debits), dated the original's value date unless another is given. Refused when it would overdraw the
    fund or take a pledge, grant or contribution below zero (reverse what depends on it first)."""
    policy.require(by, "funds.manage")
    if not reason.strip():
        raise InvalidInput("Say why the transaction is reversed.", field="reason")
    fund = _lock(posted.fund)
    posted = LedgerTransaction.objects.select_related("reverses").get(pk=posted.pk)
    if posted.kind == TransactionKind.REVERSAL:
        raise Conflict(
            f"{posted} is a reversal; record the movement again instead of reversing the reversal."
        )
    if LedgerTransaction.objects.filter(reverses=posted).exists():
        raise AlreadyReversed(f"{posted} is reversed already.")
    value_date = value_date or posted.value_date
    if value_date < posted.value_date:
        raise InvalidInput(f"A reversal cannot be dated before {posted.value_date}.", field="value_date")
    entries = list(posted.entries.all())
    tag_names = ("pledge", "contribution", "grant")
    lines = [
        Line(
            entry.account,
            debit=entry.credit,
            credit=entry.debit,
            usd_debit=entry.usd_credit,
            usd_credit=entry.usd_debit,
            rate=entry.rate,
            tags={name: getattr(entry, name) for name in tag_names if getattr(entry, f"{name}_id")},
        )
        for entry in entries
        if entry.account != Account.EXCHANGE_DIFFERENCES
    ]
    currency = entries[0].currency
    reversal, _ = _post(
        fund=fund,
        kind=TransactionKind.REVERSAL,
        currency=currency,
        value_date=value_date,
        by=by,
        memo=reason.strip(),
        reverses=posted,
        idempotency_key=idempotency_key,
        what=f"reversing {posted} ({show(sum(e.debit for e in entries), currency)})",
        lines=lines,
    )
    return reversal


# ---------------------------------------------------------------------------------------------------------
# Idempotent API writes


def request_fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def idempotent_post(
    *,
    by,
    key: str,
    scope: str,
    fingerprint: str,
    run: Callable[[], tuple[int, dict, LedgerTransaction | None]],
) -> tuple[int, dict, bool]:
    """Run `run` once per (user, key): a retry with the same key returns the first response, and posts
    nothing. Returns (status, body, replayed). The key is stored in the same transaction as the posting,
    so either both are saved or neither (a refused request can be retried with its key)."""
    if not getattr(by, "is_authenticated", False) or by.pk is None:
        status, body, _ = run()  # the policy refuses anonymous writes
        return status, body, False
    key = key.strip()[:200]
    if not key:
        raise InvalidInput("The Idempotency-Key header is empty.", field="Idempotency-Key")
    first = IdempotencyKey.objects.filter(user=by, key=key).first()
    if first is None:
        try:
            with transaction.atomic():
                first = IdempotencyKey.objects.create(user=by, key=key, scope=scope, fingerprint=fingerprint)
        except IntegrityError:  # the same key, sent at the same time, was saved first by another request
            first = IdempotencyKey.objects.get(user=by, key=key)
        else:
            status, body, posted = run()
            first.status_code, first.response, first.transaction = status, body, posted
            first.save(update_fields=["status_code", "response", "transaction"])
            return status, body, False
    if first.scope != scope or first.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            f"The Idempotency-Key {key!r} was used for another request ({first.scope}); use a new key for a "
            f"new request.",
            field="Idempotency-Key",
        )
    return first.status_code, first.response, True
