"""The fund pages in a real browser: the public statement of the demo money with its chart; a fund
officer posting through the forms; a donor seeing its own records only. And a fixed number of queries."""

import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from hrtc.funds.models import Contribution, Grant
from hrtc.funds.statements import fund_statement
from hrtc.reference.models import Fund, State
from tests.browser import sign_in
from tests.funds.base import commit, make_books, receive


def number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.-]", "", text))


@pytest.mark.browser
def test_hrtc_demo_gives_the_fund_page_a_real_statement_and_an_accessible_chart(page, transactional_db):
    call_command("demo", stdout=StringIO())
    fund = Fund.objects.get(code="VFTC")
    statement = fund_statement(fund, date.today().year)
    assert statement.reconciles
    assert statement.received > 0
    assert statement.paid > 0
    assert statement.committed > 0

    page.goto("/funds/")
    page.get_by_role("link", name=re.compile("Voluntary Fund for Technical Cooperation")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Technical Cooperation")
    opening, closing = (
        number(page.locator("#opening").inner_text()),
        number(page.locator("#closing").inner_text()),
    )
    assert (opening, closing) == (statement.opening, statement.closing)
    assert closing > 0
    chart = page.get_by_role("figure", name=re.compile("Contributions received and disbursements paid"))
    expect(chart.get_by_role("row")).to_have_count(13)  # a header and twelve months: the chart is a table
    expect(page.get_by_role("table", name="Contributions received, by donor")).to_contain_text("Norway")
    expect(page.get_by_role("table", name=re.compile("by gender equality marker"))).to_contain_text(
        "Significant"
    )
    expect(page.locator("#fulfilment")).to_contain_text("%")
    expect(page.get_by_role("link", name="Ledger")).to_have_count(0)
    assert page.goto(f"/funds/{fund.code}/ledger/").url.endswith(f"/login/?next=/funds/{fund.code}/ledger/")
    download = page.request.get(f"/funds/VFTC/{statement.year}.csv")
    assert download.ok
    assert "closing_balance" in download.text()
    assert not page.console_errors


@pytest.mark.browser
def test_a_fund_officer_posts_through_the_forms_and_an_overdraft_is_refused(page, live_people, password):
    books = make_books(live_people.organisations["donor"])
    sign_in(page, "ohchr.officer", password)
    page.goto("/funds/VFTC/record/")
    form = page.locator("form", has=page.get_by_role("button", name="Record the contribution"))
    form.get_by_label("Donor").select_option(label="Norway")
    form.get_by_label("Amount").fill("1500.00")
    form.get_by_label("Value date").fill("2025-03-01")
    form.get_by_role("button", name="Record the contribution").click()
    expect(page.locator(".messages")).to_contain_text("Posted to the ledger")
    assert Contribution.objects.get(fund=books.fund).amount == Decimal("1500.00")

    page.goto("/funds/VFTC/record/")
    form = page.locator("form", has=page.get_by_role("button", name="Commit the grant"))
    form.get_by_label("Purpose").fill("Delegation travel")
    form.get_by_label("or the State whose delegation it supports").select_option("TUV")
    form.get_by_label("Amount").fill("1500.01")
    form.get_by_label("Value date").fill("2025-03-02")
    form.get_by_role("button", name="Commit the grant").click()
    expect(page.locator("#error")).to_contain_text("would overdraw it by USD 0.01")
    assert not Grant.objects.exists()

    page.goto("/funds/VFTC/ledger/")
    expect(page.locator("#ledger")).to_contain_text("Fund cash")
    page.get_by_label("Why reverse it").fill("Recorded in the wrong fund")
    page.get_by_role("button", name="Reverse").click()
    expect(page.locator(".messages")).to_contain_text("Reversed")
    expect(page.locator("#ledger")).to_contain_text("Reversal")


@pytest.mark.browser
def test_a_donor_sees_its_own_records_and_a_grantee_its_grant(browser, live_server, live_people, password):
    books = make_books(live_people.organisations["donor"])
    receive(books, "800.00")
    receive(books, "700.00", donor=books.germany)
    grant = commit(books, "300.00")

    donor_context = browser.new_context(base_url=live_server.url)
    donor = donor_context.new_page()
    sign_in(donor, "donor", password)
    donor.goto("/funds/")
    donor.get_by_role("link", name="Norway").click()
    expect(donor.locator("#contributions tbody tr")).to_have_count(1)
    expect(donor.locator("#contributions")).to_contain_text("800.00")
    assert donor.goto("/funds/donors/germany/").status == 403
    assert donor.goto(f"/funds/grants/{grant.pk}/").status == 404
    donor_context.close()

    grantee_context = browser.new_context(base_url=live_server.url)
    grantee = grantee_context.new_page()
    sign_in(grantee, "kenya.focal.point", password)
    grantee.goto(f"/funds/grants/{grant.pk}/")
    expect(grantee.locator("#undisbursed")).to_contain_text("300.00 USD")
    expect(grantee.get_by_role("button", name="Post")).to_have_count(0)
    grantee_context.close()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_fund_pages_make_a_fixed_number_of_queries(client, people):
    books = make_books(people.organisations["donor"])
    client.force_login(people.ohchr_officer)
    urls = [
        "/funds/",
        "/funds/VFTC/?year=2025",
        "/funds/VFTC/ledger/",
        "/funds/donors/norway/",
        "/funds/rates/?currency=EUR",
        "/api/v1/funds/transactions/?fund=VFTC",
        "/api/v1/funds/grants/",
        "/api/v1/funds/contributions/",
    ]

    def add(count: int) -> None:
        for i in range(count):
            receive(books, "100.00", when=date(2025, 1 + i % 12, 3))
            commit(books, "10.00", when=date(2025, 12, 1), state=State.objects.get(code="FJI"))

    add(2)
    few = [queries_for(client, url) for url in urls]
    add(20)
    assert [queries_for(client, url) for url in urls] == few
