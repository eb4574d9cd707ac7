"""Many writers at once, each on its own database connection, never overdraw a fund: the fund's row lock
serialises them on PostgreSQL, and every accepted movement is in the ledger."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from hrtc.accounts.policy import SYSTEM
from hrtc.funds import selectors, services
from hrtc.funds.exceptions import BalanceExceeded, FundOverdrawn
from hrtc.funds.models import Disbursement, Grant
from tests.funds.base import assert_every_transaction_balances, commit, make_books, receive

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers by design (BEGIN IMMEDIATE); row locks are tested on PostgreSQL",
)
THREADS = 16


def race(work) -> tuple[list, list]:
    """Run `work(i)` in THREADS threads released at the same instant; (results, refusals)."""
    start = threading.Barrier(THREADS)
    results, refusals, errors = [], [], []

    def worker(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except (FundOverdrawn, BalanceExceeded) as refused:
            refusals.append(refused)
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's error
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results, refusals


def test_concurrent_disbursements_never_overdraw_a_grant_or_the_fund(transactional_db):
    books = make_books()
    receive(books, "1000.00")
    grant = commit(books, "1000.00")

    results, refusals = race(
        lambda i: services.grant_disburse(
            by=SYSTEM, grant=grant, amount="75.00", currency="USD", value_date=date(2025, 3, 1)
        )
    )
    assert len(results) == 13
    assert len(refusals) == THREADS - 13
    assert Disbursement.objects.filter(grant=grant).count() == 13
    assert {d.posting_id for d in Disbursement.objects.all()} == {r.posting_id for r in results}
    usd = selectors.fund_positions(books.fund)[0][0]
    assert (usd.cash, usd.committed, usd.available) == (Decimal("25.00"), Decimal("25.00"), Decimal("0.00"))
    assert_every_transaction_balances()


def test_concurrent_grants_never_commit_more_than_the_fund_has(transactional_db):
    books = make_books()
    receive(books, "1000.00")

    results, refusals = race(lambda i: commit(books, "100.00"))
    assert len(results) == 10
    assert len(refusals) == THREADS - 10
    assert all(isinstance(r, FundOverdrawn) for r in refusals)
    assert Grant.objects.count() == 10
    usd = selectors.fund_positions(books.fund)[0][0]
    assert (usd.cash, usd.committed, usd.available) == (
        Decimal("1000.00"),
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    assert_every_transaction_balances()
