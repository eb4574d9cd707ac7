"""The ledger's rules, one movement at a time: what each posts, what is refused and why, how a mistake is
corrected, and how dollar values keep the rate used."""

import re
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from hrtc.accounts.policy import SYSTEM, AccessDenied
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.funds import selectors, services
from hrtc.funds.exceptions import (
    AlreadyReversed,
    BalanceExceeded,
    CurrencyMismatch,
    FundOverdrawn,
    IdempotencyKeyReused,
    LedgerIsAppendOnly,
    NoExchangeRate,
)
from hrtc.funds.models import Contribution, Grant, LedgerEntry, LedgerTransaction
from hrtc.reference.models import State
from tests.funds.base import assert_every_transaction_balances, commit, make_books, postings, receive

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def books(people):
    return make_books(people.organisations["donor"])


def position(fund, currency="USD"):
    found = {p.currency: p for p in selectors.fund_positions(fund)[0]}
    return found.get(currency, selectors.Position(currency))


def test_each_movement_posts_one_balanced_transaction(books):
    pledge = services.pledge_record(
        by=SYSTEM,
        donor=books.norway,
        fund=books.fund,
        amount="1000.00",
        currency="USD",
        year=2025,
        value_date=date(2025, 1, 2),
    )
    assert postings(pledge.posting) == [
        ("pledges_receivable", "Dr", D("1000.00")),
        ("contribution_income", "Cr", D("1000.00")),
    ]
    paid = receive(
        books, "1200.00", pledge=pledge
    )  # 200 more than pledged: income, not a negative receivable
    assert postings(paid.posting) == [
        ("cash", "Dr", D("1200.00")),
        ("pledges_receivable", "Cr", D("1000.00")),
        ("contribution_income", "Cr", D("200.00")),
    ]
    grant = commit(books, "700.00")
    assert postings(grant.posting) == [
        ("grant_expense", "Dr", D("700.00")),
        ("grants_payable", "Cr", D("700.00")),
    ]
    disbursed = services.grant_disburse(
        by=SYSTEM, grant=grant, amount="500.00", currency="USD", value_date=date(2025, 2, 10)
    )
    assert postings(disbursed.posting) == [("grants_payable", "Dr", D("500.00")), ("cash", "Cr", D("500.00"))]
    returned = services.grant_return(
        by=SYSTEM, grant=grant, amount="50.00", currency="USD", value_date=date(2025, 3, 1)
    )
    assert postings(returned.posting) == [("cash", "Dr", D("50.00")), ("grant_expense", "Cr", D("50.00"))]
    released = services.grant_release(by=SYSTEM, grant=grant, value_date=date(2025, 3, 2))
    assert postings(released) == [("grants_payable", "Dr", D("200.00")), ("grant_expense", "Cr", D("200.00"))]
    refund = services.contribution_refund(
        by=SYSTEM, contribution=paid, amount="100.00", currency="USD", value_date=date(2025, 3, 3)
    )
    assert postings(refund.posting) == [("donor_refunds", "Dr", D("100.00")), ("cash", "Cr", D("100.00"))]
    assert LedgerTransaction.objects.count() == 7
    assert_every_transaction_balances()
    usd = position(books.fund)
    assert (usd.cash, usd.committed, usd.available, usd.receivable) == (
        D("650.00"),
        D("0.00"),
        D("650.00"),
        D("0.00"),
    )


def test_a_grant_that_would_overdraw_the_fund_is_refused_and_posts_nothing(books):
    receive(books, "1000.00")
    commit(books, "600.00")
    before = LedgerEntry.objects.count(), Grant.objects.count()
    with pytest.raises(
        FundOverdrawn, match=r"USD 400\.00 available.*would overdraw it by USD 100\.00"
    ) as refused:
        commit(books, "500.00")
    assert refused.value.status == 409
    assert refused.value.code == "fund_overdrawn"
    assert (LedgerEntry.objects.count(), Grant.objects.count()) == before
    assert position(books.fund).available == D("400.00")


def test_money_received_later_cannot_pay_a_grant_dated_earlier(books):
    receive(books, "1000.00", when=date(2025, 3, 1))
    with pytest.raises(FundOverdrawn, match=re.escape("USD 0.00 available on 2025-02-01")):
        commit(books, "100.00", when=date(2025, 2, 1))
    commit(books, "100.00", when=date(2025, 3, 1))


def test_a_disbursement_cannot_exceed_what_is_left_on_its_grant(books):
    receive(books, "1000.00")
    grant = commit(books, "300.00")
    services.grant_disburse(
        by=SYSTEM, grant=grant, amount="200.00", currency="USD", value_date=date(2025, 2, 2)
    )
    with pytest.raises(BalanceExceeded, match=r"USD 100\.00 is left to disburse on Grant"):
        services.grant_disburse(
            by=SYSTEM, grant=grant, amount="100.01", currency="USD", value_date=date(2025, 2, 3)
        )
    with pytest.raises(BalanceExceeded, match="disbursed, net of returns"):
        services.grant_return(
            by=SYSTEM, grant=grant, amount="200.01", currency="USD", value_date=date(2025, 2, 4)
        )


def test_currencies_are_never_converted_silently(books):
    receive(books, "1000.00", currency="USD")
    grant = commit(books, "500.00", currency="USD")
    with pytest.raises(CurrencyMismatch, match="is in EUR but Grant"):
        services.grant_disburse(
            by=SYSTEM, grant=grant, amount="100.00", currency="EUR", value_date=date(2025, 2, 2)
        )
    with pytest.raises(
        FundOverdrawn, match=re.escape("EUR 0.00 available")
    ):  # the fund's dollars do not pay euros
        commit(books, "1.00", currency="EUR")
    pledge = services.pledge_record(
        by=SYSTEM,
        donor=books.norway,
        fund=books.fund,
        amount="5000",
        currency="NOK",
        year=2025,
        value_date=date(2025, 1, 2),
    )
    with pytest.raises(CurrencyMismatch):
        receive(books, "100.00", currency="EUR", pledge=pledge)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0.1, "never a float"),
        ("0.001", "more than two decimals"),
        ("-5", "more than zero"),
        ("0", "more than zero"),
        ("NaN", "not an amount"),
        ("ten", "not an amount"),
        ("1,250.00", "no thousands separators"),
        ("1e13", "too large"),
    ],
)
def test_money_is_a_positive_decimal_in_cents_never_a_float(books, amount, message):
    with pytest.raises(InvalidInput, match=message):
        receive(books, amount)
    assert not Contribution.objects.exists()


def test_a_month_without_a_rate_is_refused_with_what_to_do(books):
    with pytest.raises(NoExchangeRate, match=r"CHF in 2025-01.*hrtc import rates"):
        receive(books, "100.00", currency="CHF")


def test_a_mistake_is_corrected_by_a_reversal_never_by_editing(books):
    mistake = receive(books, "1000.00")
    reversal = services.transaction_reverse(by=SYSTEM, posted=mistake.posting, reason="Recorded twice")
    assert reversal.reverses == mistake.posting
    assert reversal.value_date == mistake.value_date
    assert postings(reversal) == [("cash", "Cr", D("1000.00")), ("contribution_income", "Dr", D("1000.00"))]
    assert position(books.fund).cash == D("0.00")
    assert mistake.posting.entries.count() == 2  # the original stays as it was
    with pytest.raises(AlreadyReversed):
        services.transaction_reverse(by=SYSTEM, posted=mistake.posting, reason="again")
    with pytest.raises(Conflict, match="is a reversal"):
        services.transaction_reverse(by=SYSTEM, posted=reversal, reason="undo")
    with pytest.raises(InvalidInput, match="why"):
        services.transaction_reverse(by=SYSTEM, posted=receive(books, "5.00").posting, reason=" ")
    assert_every_transaction_balances()


def test_the_ledger_refuses_changes_in_the_orm_and_in_the_database(books):
    entry = receive(books, "1000.00").posting.entries.first()
    entry.debit = D("1.00")
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(debit=0)
    with pytest.raises(LedgerIsAppendOnly):
        Contribution.objects.all().delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE funds_ledgerentry SET debit = 1 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).debit == D("1000.00")


def test_what_depends_on_a_movement_is_reversed_first(books):
    receive(books, "1000.00")
    grant = commit(books, "800.00")
    paid = services.grant_disburse(
        by=SYSTEM, grant=grant, amount="300.00", currency="USD", value_date=date(2025, 2, 2)
    )
    with pytest.raises(BalanceExceeded, match="reverse its disbursements first"):
        services.transaction_reverse(by=SYSTEM, posted=grant.posting, reason="wrong fund")
    services.transaction_reverse(by=SYSTEM, posted=paid.posting, reason="bank returned it")
    services.transaction_reverse(by=SYSTEM, posted=grant.posting, reason="wrong fund")
    assert position(books.fund).available == D("1000.00")
    with pytest.raises(Conflict, match="was reversed"):
        services.grant_disburse(
            by=SYSTEM, grant=grant, amount="1.00", currency="USD", value_date=date(2025, 2, 3)
        )


def test_reversing_money_already_committed_would_overdraw_and_is_refused(books):
    money = receive(books, "1000.00")
    commit(books, "800.00")
    with pytest.raises(FundOverdrawn, match=re.escape("overdraw it by USD 800.00")):
        services.transaction_reverse(by=SYSTEM, posted=money.posting, reason="returned by the bank")


def test_dollar_values_keep_the_rate_used_and_nothing_is_left_in_dollars_when_nothing_is_left(books):
    pledge = services.pledge_record(
        by=SYSTEM,
        donor=books.norway,
        fund=books.fund,
        amount="1000000.00",
        currency="NOK",
        year=2025,
        value_date=date(2025, 1, 10),
    )  # NOK 10.60 per USD in January
    first = receive(
        books, "400000.00", currency="NOK", pledge=pledge, when=date(2025, 3, 5)
    )  # 10.80 in March
    receive(books, "600000.00", currency="NOK", pledge=pledge, when=date(2025, 4, 5))  # 10.90 in April
    pledged = pledge.posting.entries.get(account="pledges_receivable")
    assert (pledged.rate, pledged.usd_debit) == (D("10.6"), D("94339.62"))
    cash = first.posting.entries.get(account="cash")
    assert (cash.rate, cash.usd_debit) == (D("10.8"), D("37037.04"))
    assert first.posting.entries.filter(account="exchange_differences").exists()  # received at a weaker krone
    assert selectors.pot(fund=books.fund, currency="NOK", account="pledges_receivable", pledge=pledge) == (
        D("0.00"),
        D("0.00"),
    )
    grant = commit(books, "1000000.00", currency="NOK", when=date(2025, 5, 2))
    services.grant_disburse(
        by=SYSTEM, grant=grant, amount="1000000.00", currency="NOK", value_date=date(2025, 5, 3)
    )
    nok = position(books.fund, "NOK")
    assert (nok.cash, nok.cash_usd, nok.committed, nok.committed_usd) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )
    assert_every_transaction_balances()


def test_only_fund_officers_move_money(books, people):
    for user in (people.kenya_focal_point, people.donor, people.unwomen_officer, None):
        with pytest.raises(AccessDenied, match=re.escape("funds.manage")):
            services.contribution_record(
                by=user,
                donor=books.norway,
                fund=books.fund,
                amount="1.00",
                currency="USD",
                value_date=date(2025, 1, 1),
            )
    officer = services.contribution_record(
        by=people.ohchr_officer,
        donor=books.norway,
        fund=books.fund,
        amount="10.00",
        currency="USD",
        value_date=date(2025, 1, 1),
    )
    assert officer.posting.created_by == people.ohchr_officer


def test_a_grant_finances_an_activity_the_state_consented_to_or_a_delegation(books):
    receive(books, "1000.00")
    with pytest.raises(Conflict, match="has not consented"):
        commit(books, "100.00", activity=books.unconsented)
    with pytest.raises(InvalidInput, match="either an activity or a State's delegation"):
        services.grant_commit(
            by=SYSTEM,
            fund=books.fund,
            amount="1.00",
            currency="USD",
            value_date=date(2025, 2, 1),
            purpose="x",
            activity=books.activity,
            state=State.objects.get(code="FJI"),
        )
    delegation = commit(books, "100.00", state=State.objects.get(code="FJI"))
    assert delegation.grantee_state_id == "FJI"


def test_every_posting_is_audited_with_its_actor(books, people):
    paid = services.contribution_record(
        by=people.ohchr_officer,
        donor=books.norway,
        fund=books.fund,
        amount="10.00",
        currency="USD",
        value_date=date(2025, 1, 1),
        memo="first",
    )
    event = LogEntry.objects.get(additional_data__event="funds.contribution")
    assert event.actor == people.ohchr_officer
    assert event.object_pk == str(paid.pk)
    assert event.additional_data["transaction"] == paid.posting_id
    assert event.additional_data["amount"] == "10.00"


def test_the_same_idempotency_key_runs_once(books, people):
    runs = []

    def run():
        runs.append(receive(books, "10.00"))
        return 201, {"id": runs[-1].pk}, runs[-1].posting

    def post(fingerprint="a"):
        return services.idempotent_post(
            by=people.ohchr_officer, key="k-1", scope="POST /x", fingerprint=fingerprint, run=run
        )

    assert post() == (201, {"id": runs[0].pk}, False)
    assert post() == (201, {"id": runs[0].pk}, True)
    assert len(runs) == 1
    assert Contribution.objects.count() == 1
    with pytest.raises(IdempotencyKeyReused):
        post(fingerprint="b")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0.5, "never a float"),
        ("12.345", "more than two decimals"),
        ("-1", "cannot be negative"),
        ("NaN", "not an amount"),
    ],
)
def test_an_activity_budget_follows_the_same_money_rule(people, amount, message):
    """One rule for money: an activity's budget is refused for the same reasons a contribution is."""
    from hrtc.assistance.models import Activity
    from tests.base import make_activity

    with pytest.raises(InvalidInput, match=message):
        make_activity(people, title="Budgeted workshop", budget_amount=amount, budget_currency="USD")
    assert not Activity.objects.exists()
