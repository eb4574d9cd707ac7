"""The funds API: who sees which rows and who may post, for every role; idempotent writes over real HTTP;
refusals answered with a status and a message a person can act on."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from hrtc.accounts.policy import SYSTEM
from hrtc.funds import services
from hrtc.funds.models import Contribution, IdempotencyKey, LedgerTransaction
from hrtc.reference.models import State
from tests.base import ROLES
from tests.funds.base import FUND_OFFICERS, commit, make_books, receive

KENYA_GOVERNMENT = {"kenya_focal_point", "kenya_viewer", "kenya_admin"}


@pytest.fixture
def world(people):
    """Norway (a donor with members) and Germany give; one grant finances UN Women's activity in Kenya,
    another Fiji's delegation."""
    books = make_books(people.organisations["donor"])
    services.pledge_record(
        by=SYSTEM,
        donor=books.norway,
        fund=books.fund,
        amount="5000.00",
        currency="USD",
        year=2025,
        value_date=date(2025, 1, 2),
    )
    receive(books, "3000.00")
    receive(books, "2000.00", donor=books.germany)
    kenyan = commit(books, "1000.00")
    services.grant_disburse(
        by=SYSTEM, grant=kenyan, amount="400.00", currency="USD", value_date=date(2025, 2, 2)
    )
    commit(books, "500.00", state=State.objects.get(code="FJI"))
    return books, kenyan


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


READS = [
    # (path, roles → how many rows they see; everyone else sees none)
    ("/api/v1/funds/pledges/", {**dict.fromkeys(FUND_OFFICERS, 1), "donor": 1}),
    ("/api/v1/funds/contributions/", {**dict.fromkeys(FUND_OFFICERS, 2), "donor": 1}),
    (
        "/api/v1/funds/grants/",
        {**dict.fromkeys(FUND_OFFICERS, 2), **dict.fromkeys(KENYA_GOVERNMENT, 1), "unwomen_officer": 1},
    ),
    (
        "/api/v1/funds/disbursements/",
        {**dict.fromkeys(FUND_OFFICERS, 1), **dict.fromkeys(KENYA_GOVERNMENT, 1), "unwomen_officer": 1},
    ),
    ("/api/v1/funds/transactions/", dict.fromkeys(FUND_OFFICERS, 6)),
    ("/api/v1/funds/donors/", dict.fromkeys(ROLES, 2)),
]


@pytest.mark.parametrize(("path", "seen"), READS, ids=[p for p, _ in READS])
def test_who_sees_which_rows(world, people, path, seen):
    for role in ROLES:
        response = client_for(getattr(people, role)).get(path)
        assert response.status_code == 200, (role, response.content)
        assert response.json()["count"] == seen.get(role, 0), role


def test_everyone_sees_the_published_totals(world, people):
    for role in ROLES:
        client = client_for(getattr(people, role))
        funds = {f["code"]: f for f in client.get("/api/v1/funds/").json()}
        assert funds["VFTC"]["cash_usd"] == "4600.00"
        assert funds["VFTC"]["available_usd"] == "3500.00"
        statement = client.get("/api/v1/funds/VFTC/statement/?year=2025").json()
        assert statement["closing_balance"] == "4600.00"
        assert statement["reconciles"] is True


def writes(world):
    _books, kenyan = world
    movement = {"amount": "1.00", "currency": "USD", "value_date": "2025-03-01"}
    return [
        ("/api/v1/funds/contributions/", {**movement, "donor": "germany", "fund": "VFTC"}),
        ("/api/v1/funds/pledges/", {**movement, "donor": "norway", "fund": "VFTC", "year": 2026}),
        ("/api/v1/funds/grants/", {**movement, "fund": "VFTC", "purpose": "Travel", "state": "TUV"}),
        (f"/api/v1/funds/grants/{kenyan.pk}/disburse/", movement),
        (f"/api/v1/funds/grants/{kenyan.pk}/return/", movement),
        (f"/api/v1/funds/contributions/{Contribution.objects.first().pk}/refund/", movement),
        ("/api/v1/funds/rates/", {"currency": "CHF", "month": "2025-03-01", "units_per_usd": "0.91"}),
    ]


def test_only_fund_officers_post(world, people):
    for path, body in writes(world):
        for role in ROLES:
            response = client_for(getattr(people, role)).post(path, body, format="json")
            if role in FUND_OFFICERS:
                assert response.status_code == 201, (path, role, response.content)
            else:
                assert response.status_code in (401, 403), (path, role, response.status_code)
                assert response.status_code == 401 or "funds.manage" in response.json()["detail"]


def test_a_fund_officer_reverses_a_transaction_once_and_nobody_else_can(world, people):
    books, _ = world
    mistake = receive(books, "10.00")
    path = f"/api/v1/funds/transactions/{mistake.posting_id}/reverse/"
    for role in sorted(set(ROLES) - FUND_OFFICERS):
        assert client_for(getattr(people, role)).post(
            path, {"reason": "typo"}, format="json"
        ).status_code in (401, 403)
    reversed_ = client_for(people.ohchr_officer).post(path, {"reason": "typo"}, format="json")
    assert reversed_.status_code == 201
    assert reversed_.json()["reverses"] == mistake.posting_id
    again = client_for(people.ohchr_admin).post(path, {"reason": "typo"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"] == "already_reversed"


def test_the_same_idempotency_key_twice_posts_once_over_http(api, live_people):
    books = make_books(live_people.organisations["donor"])
    body = {
        "donor": "norway",
        "fund": "VFTC",
        "amount": "2500.00",
        "currency": "USD",
        "value_date": "2025-04-01",
    }
    with api.client(live_people.ohchr_officer) as officer:
        headers = {"Idempotency-Key": "treasury-receipt-77"}
        first = officer.post("/api/v1/funds/contributions/", json=body, headers=headers)
        again = officer.post("/api/v1/funds/contributions/", json=body, headers=headers)
        other = officer.post("/api/v1/funds/contributions/", json={**body, "amount": "9.00"}, headers=headers)
        fresh = officer.post(
            "/api/v1/funds/contributions/", json=body, headers={"Idempotency-Key": "receipt-78"}
        )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    assert fresh.status_code == 201
    assert fresh.json()["id"] != first.json()["id"]
    assert Contribution.objects.filter(fund=books.fund).count() == 2
    stored = IdempotencyKey.objects.get(key="treasury-receipt-77")
    assert (
        stored.transaction_id
        == first.json()["transaction"]
        == Contribution.objects.get(pk=first.json()["id"]).posting_id
    )
    assert LedgerTransaction.objects.get(pk=stored.transaction_id).idempotency_key == "treasury-receipt-77"


def test_refusals_answer_with_a_status_and_a_message_over_http(api, live_people):
    make_books(live_people.organisations["donor"])
    with api.client(live_people.ohchr_officer) as officer:
        money = {"donor": "norway", "fund": "VFTC", "currency": "USD", "value_date": "2025-04-01"}
        exact = officer.post(
            "/api/v1/funds/contributions/",
            content=b'{"donor": "norway", "fund": "VFTC", '
            b'"currency": "USD", "value_date": "2025-04-01", "amount": 0.1}',
            headers={"Content-Type": "application/json"},
        )
        cents = officer.post("/api/v1/funds/contributions/", json={**money, "amount": "0.001"})
        grant = {
            "fund": "VFTC",
            "purpose": "Travel",
            "state": "TUV",
            "currency": "USD",
            "value_date": "2025-05-01",
        }
        overdrawn = officer.post(
            "/api/v1/funds/grants/", json={**grant, "amount": "0.11"}, headers={"Idempotency-Key": "g-1"}
        )
        retried = officer.post(
            "/api/v1/funds/grants/", json={**grant, "amount": "0.10"}, headers={"Idempotency-Key": "g-1"}
        )
        mismatch = officer.post(
            f"/api/v1/funds/grants/{retried.json()['id']}/disburse/",
            json={"amount": "0.05", "currency": "EUR", "value_date": "2025-05-02"},
        )
    assert exact.status_code == 201
    assert exact.json()["amount"] == "0.10"
    assert cents.status_code == 400
    assert "two decimals" in cents.json()["amount"][0]
    assert overdrawn.status_code == 409
    assert overdrawn.json()["error"] == "fund_overdrawn"
    assert "USD 0.10 available" in overdrawn.json()["detail"]
    assert retried.status_code == 201  # a refused request stores no key: it can be retried with the same key
    assert mismatch.status_code == 422
    assert mismatch.json()["error"] == "currency_mismatch"


def test_a_statement_for_an_impossible_year_is_refused_not_crashed(client, db):
    assert client.get("/api/v1/funds/VFTC/statement/?year=99999").status_code == 422
    assert client.get("/api/v1/funds/VFTC/statement/?year=abc").status_code == 422
    assert client.get("/funds/VFTC/99999.csv").status_code == 404
    assert client.get("/funds/VFTC/2025.xml").status_code == 404
    assert client.get("/funds/VFTC/?year=0").status_code == 200
    assert client.get("/funds/NOPE/").status_code == 404
