"""Property-based: for random sequences of pledges, contributions, grants, disbursements, returns, releases,
refunds and reversals, in two currencies at changing rates, over two years:

* every transaction balances (debits = credits, in its currency and in US dollars);
* no fund goes negative, on any day: cash and available (cash − committed) stay ≥ 0, and an account
  emptied in its currency is empty in dollars too;
* each movement is accepted exactly when an independent model of the balances says it fits, and refused
  (with a domain error, posting nothing) otherwise;
* statements reconcile: opening + receipts − payments = closing, and one year's closing is the next
  year's opening.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from hrtc.accounts.policy import SYSTEM
from hrtc.core.exceptions import DomainError
from hrtc.funds import selectors, services
from hrtc.funds.exceptions import FundOverdrawn
from hrtc.funds.models import LedgerEntry, LedgerTransaction
from hrtc.funds.statements import fund_statement
from tests.funds.base import assert_every_transaction_balances, make_books

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")
AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))
LATER_DAYS = st.dates(min_value=date(2024, 7, 1), max_value=date(2025, 12, 31))
#: A movement against a balance takes a share of it: some, all of it (the account empties), or too much.
SHARES = st.sampled_from([Decimal("0.3"), Decimal("0.5"), Decimal("1"), Decimal("1.2")])
CURRENCIES = st.sampled_from(["USD", "EUR"])
YEARS = (2024, 2025)


class FundBooks(RuleBasedStateMachine):
    """A fund driven by random movements, beside a model of what its balances must be."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.books = make_books()
        self.fund = self.books.fund
        # The model: every accepted posting's effect, by transaction id.
        self.effects: dict[int, dict] = {}
        self.reversed: set[int] = set()
        self.pledges, self.contributions, self.grants = [], [], []

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # -- the model ------------------------------------------------------------------------------------------

    def total(self, name: str, key=None) -> Decimal:
        """A sub-ledger's balance in the model: sum of every live effect on it."""
        return sum((e.get(name, {}).get(key, ZERO) for e in self.effects.values()), ZERO)

    def lowest(self, currency: str, since: date) -> tuple[Decimal, Decimal]:
        """The lowest (cash, available) on any day from `since` on, from the model's flows."""
        flows = [
            (e["date"], e["cash"], e["payable"]) for e in self.effects.values() if e["currency"] == currency
        ]
        days = sorted({since} | {d for d, _, _ in flows if d > since})
        balances = [
            (
                sum((c for d, c, _ in flows if d <= day), ZERO),
                sum((c - p for d, c, p in flows if d <= day), ZERO),
            )
            for day in days
        ]
        return min(b[0] for b in balances), min(b[1] for b in balances)

    def fits(self, effect: dict) -> bool:
        if effect["cash"] < 0 or effect["cash"] - effect["payable"] < 0:
            cash, available = self.lowest(effect["currency"], effect["date"])
            if cash + effect["cash"] < 0 or available + effect["cash"] - effect["payable"] < 0:
                return False
        for name in ("due", "left", "paid", "kept"):
            for key, change in effect.get(name, {}).items():
                if change < 0 and self.total(name, key) + change < 0:
                    return False
        return True

    def attempt(self, effect: dict, post, refused_as=DomainError):
        """Post if the model says it fits, and check the service agrees either way."""
        expected = self.fits(effect)
        count = LedgerTransaction.objects.count()
        try:
            posted = post()
        except refused_as:
            assert not expected, f"refused, but the model says it fits: {effect}"
            assert LedgerTransaction.objects.count() == count
            return None
        assert expected, f"accepted, but the model says it does not fit: {effect}"
        tx = posted if isinstance(posted, LedgerTransaction) else posted.posting
        self.effects[tx.pk] = effect
        return posted

    @staticmethod
    def portion(share: Decimal, balance: Decimal) -> Decimal:
        return max((share * balance).quantize(Decimal("0.01")), Decimal("0.01"))

    @staticmethod
    def effect(currency, day, cash=ZERO, payable=ZERO, **subledgers) -> dict:
        return {"currency": currency, "date": day, "cash": cash, "payable": payable, **subledgers}

    # -- movements ------------------------------------------------------------------------------------------

    @initialize(amount=AMOUNTS, currency=CURRENCIES, day=DAYS, share=SHARES)
    def first_money_and_grant(self, amount, currency, day, share):
        self.receive(amount, currency, day, pledged=False, data=None)
        self.grant(share, currency, max(day, date(2024, 7, 1)))

    @rule(amount=AMOUNTS, currency=CURRENCIES, day=DAYS)
    def pledge(self, amount, currency, day):
        pledge = services.pledge_record(
            by=SYSTEM,
            donor=self.books.norway,
            fund=self.fund,
            amount=amount,
            currency=currency,
            year=day.year,
            value_date=day,
        )
        self.effects[pledge.posting_id] = self.effect(currency, day, due={pledge.pk: amount})
        self.pledges.append(pledge)

    @rule(amount=AMOUNTS, currency=CURRENCIES, day=DAYS, pledged=st.booleans(), data=st.data())
    def receive(self, amount, currency, day, pledged, data):
        pledge = data.draw(st.sampled_from(self.pledges)) if pledged and self.pledges and data else None
        if pledge is not None:
            currency, day = pledge.currency_id, max(day, pledge.value_date)
            if pledge.posting_id in self.reversed:
                with pytest.raises(DomainError, match="was reversed"):
                    self.contribute(amount, currency, day, pledge)
                return
            settled = min(amount, self.total("due", pledge.pk))
            due = {pledge.pk: -settled}
        else:
            due = {}
        contribution = self.contribute(amount, currency, day, pledge)
        self.effects[contribution.posting_id] = self.effect(
            currency, day, cash=amount, due=due, kept={contribution.pk: amount}
        )
        self.contributions.append(contribution)

    def contribute(self, amount, currency, day, pledge):
        return services.contribution_record(
            by=SYSTEM,
            donor=self.books.norway,
            fund=self.fund,
            amount=amount,
            currency=currency,
            value_date=day,
            pledge=pledge,
        )

    @rule(share=SHARES, currency=CURRENCIES, day=LATER_DAYS)
    def grant(self, share, currency, day):
        if self.lowest(currency, day)[1] <= 0:  # mostly ask for money the fund has, in a currency it holds
            currency = {"USD": "EUR", "EUR": "USD"}[currency]
        amount = self.portion(share, self.lowest(currency, day)[1])
        effect = self.effect(currency, day, payable=amount)  # refused exactly when it would overdraw the fund
        grant = self.attempt(
            effect,
            lambda: services.grant_commit(
                by=SYSTEM,
                fund=self.fund,
                amount=amount,
                currency=currency,
                value_date=day,
                purpose="p",
                activity=self.books.activity,
            ),
            refused_as=FundOverdrawn,
        )
        if grant is not None:
            effect["left"] = {grant.pk: amount}
            self.grants.append(grant)

    @precondition(lambda self: self.grants)
    @rule(share=SHARES, day=DAYS, data=st.data())
    def disburse(self, share, day, data):
        grant = data.draw(st.sampled_from(self.grants))
        day, amount = max(day, grant.value_date), self.portion(share, self.total("left", grant.pk))
        effect = self.effect(
            grant.currency_id,
            day,
            cash=-amount,
            payable=-amount,
            left={grant.pk: -amount},
            paid={grant.pk: amount},
        )  # a reversed grant has nothing left, so the model refuses it too
        self.attempt(
            effect,
            lambda: services.grant_disburse(
                by=SYSTEM, grant=grant, amount=amount, currency=grant.currency, value_date=day
            ),
        )

    @precondition(lambda self: self.grants)
    @rule(share=SHARES, day=DAYS, data=st.data())
    def give_back(self, share, day, data):
        grant = data.draw(st.sampled_from(self.grants))
        day, amount = max(day, grant.value_date), self.portion(share, self.total("paid", grant.pk))
        self.attempt(
            self.effect(grant.currency_id, day, cash=amount, paid={grant.pk: -amount}),
            lambda: services.grant_return(
                by=SYSTEM, grant=grant, amount=amount, currency=grant.currency, value_date=day
            ),
        )

    @precondition(lambda self: self.grants)
    @rule(day=DAYS, data=st.data())
    def release(self, day, data):
        grant = data.draw(st.sampled_from(self.grants))
        day = max(day, grant.value_date)
        left = self.total("left", grant.pk)
        if left <= 0 or grant.posting_id in self.reversed:
            with pytest.raises(DomainError):
                services.grant_release(by=SYSTEM, grant=grant, value_date=day)
            return
        self.attempt(
            self.effect(grant.currency_id, day, payable=-left, left={grant.pk: -left}),
            lambda: services.grant_release(by=SYSTEM, grant=grant, value_date=day),
        )

    @precondition(lambda self: self.contributions)
    @rule(share=SHARES, day=DAYS, data=st.data())
    def refund(self, share, day, data):
        contribution = data.draw(st.sampled_from(self.contributions))
        day, amount = (
            max(day, contribution.value_date),
            self.portion(share, self.total("kept", contribution.pk)),
        )
        effect = self.effect(contribution.currency_id, day, cash=-amount, kept={contribution.pk: -amount})
        self.attempt(
            effect,
            lambda: services.contribution_refund(
                by=SYSTEM,
                contribution=contribution,
                amount=amount,
                currency=contribution.currency,
                value_date=day,
            ),
        )

    @precondition(lambda self: self.effects)
    @rule(data=st.data())
    def reverse(self, data):
        pk = data.draw(st.sampled_from(sorted(self.effects)))
        original = LedgerTransaction.objects.get(pk=pk)
        if pk in self.reversed or original.kind == "reversal":
            with pytest.raises(DomainError):
                services.transaction_reverse(by=SYSTEM, posted=original, reason="test")
            return
        was = self.effects[pk]
        mirror = {
            key: ({k: -v for k, v in value.items()} if isinstance(value, dict) else -value)
            if key not in ("currency", "date")
            else value
            for key, value in was.items()
        }
        if self.attempt(
            mirror, lambda: services.transaction_reverse(by=SYSTEM, posted=original, reason="test")
        ):
            self.reversed.add(pk)

    # -- what must always hold ------------------------------------------------------------------------------

    @invariant()
    def the_ledger_balances(self):
        assert_every_transaction_balances()

    @invariant()
    def the_books_agree_with_the_model_and_nothing_is_negative(self):
        positions = {p.currency: p for p in selectors.fund_positions(self.fund)[0]}
        for currency in ("USD", "EUR"):
            p = positions.get(currency, selectors.Position(currency))
            flows = [e for e in self.effects.values() if e["currency"] == currency]
            assert p.cash == sum((e["cash"] for e in flows), ZERO)
            assert p.committed == sum((e["payable"] for e in flows), ZERO)
            assert p.receivable == sum((v for e in flows for v in e.get("due", {}).values()), ZERO)
            assert min(p.cash, p.committed, p.available, p.receivable, p.cash_usd, p.committed_usd) >= 0
            if p.cash == 0:
                assert p.cash_usd == 0
            if p.committed == 0:
                assert p.committed_usd == 0
            cash, available = selectors.lowest_from(fund=self.fund, currency=currency, since=date(2000, 1, 1))
            assert cash >= 0, f"{currency} goes negative on some day"
            assert available >= 0, f"{currency} goes negative on some day"

    @invariant()
    def statements_reconcile(self):
        closing = None
        for year in YEARS:
            statement = fund_statement(self.fund, year)
            assert statement.reconciles, statement.as_dict()
            assert closing is None or statement.opening == closing
            closing = statement.closing
        cash = LedgerEntry.objects.filter(fund=self.fund, account="cash")
        assert closing == selectors.cents(sum((e.usd_debit - e.usd_credit for e in cash), ZERO)), (
            "the last statement's closing balance is the fund's cash in dollars"
        )

    @invariant()
    def every_accepted_movement_is_in_the_ledger(self):
        assert LedgerTransaction.objects.filter(fund=self.fund).count() == len(self.effects)


def test_random_sequences_of_movements_keep_the_books_right(db):
    run_state_machine_as_test(
        FundBooks,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
