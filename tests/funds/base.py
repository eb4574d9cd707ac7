"""Small factories for the funds tests: donors, monthly rates, an activity a fund may finance, and checks
every test can ask of the ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from hrtc.accounts.models import Organisation
from hrtc.accounts.policy import SYSTEM
from hrtc.assistance.choices import GenderMarker, Modality
from hrtc.assistance.models import Activity
from hrtc.funds import services
from hrtc.funds.models import Donor, ExchangeRate, LedgerEntry, LedgerTransaction
from hrtc.reference.models import Fund, State, Theme

FUND_OFFICERS = frozenset({"platform_admin", "ohchr_officer", "ohchr_admin"})
#: Illustrative monthly rates (units per US dollar), different each month so conversions differ.
EUR_RATES = {month: Decimal("0.90") + Decimal(month) / 100 for month in range(1, 13)}
NOK_RATES = {month: Decimal("10.50") + Decimal(month) / 10 for month in range(1, 13)}
TODAY = date(2025, 6, 30)


@dataclass
class Books:
    fund: Fund
    other_fund: Fund
    norway: Donor
    germany: Donor
    activity: Activity  # Kenyan, led by UN Women, with the State's consent
    unconsented: Activity


def add_rates(years=(2024, 2025, 2026)) -> None:
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency_id=code, month=date(year, month, 1), units_per_usd=rates[month], source="test")
        for year in years
        for code, rates in (("EUR", EUR_RATES), ("NOK", NOK_RATES))
        for month in range(1, 13)
    )


def make_activity(*, consent: bool = True, title: str = "Gender-responsive budgeting workshop") -> Activity:
    activity = Activity.objects.create(
        lead_provider=Organisation.objects.get(code="unwomen"),
        state=State.objects.get(code="KEN"),
        title=title,
        modality=Modality.TRAINING,
        planned_start=date(2025, 1, 1),
        planned_end=date(2025, 12, 31),
        gender_marker=GenderMarker.PRINCIPAL,
        state_consent_at=timezone.now() if consent else None,
    )
    activity.themes.add(Theme.objects.get(vocabulary="uhri", code="A2"))
    return activity


def make_books(donor_organisation: Organisation | None = None) -> Books:
    add_rates()
    norway = services.donor_create(
        by=SYSTEM,
        name="Norway",
        organisation=donor_organisation or Organisation.objects.filter(code="donor-nor").first(),
        state=State.objects.get(code="NOR"),
    )
    return Books(
        fund=Fund.objects.get(code="VFTC"),
        other_fund=Fund.objects.get(code="LDC-SIDS-TF"),
        norway=norway,
        germany=services.donor_create(by=SYSTEM, name="Germany", state=State.objects.get(code="DEU")),
        activity=make_activity(),
        unconsented=make_activity(consent=False, title="Without consent"),
    )


def receive(books: Books, amount: str, currency: str = "USD", when: date = date(2025, 1, 15), **extra):
    return services.contribution_record(
        by=SYSTEM,
        donor=extra.pop("donor", books.norway),
        fund=extra.pop("fund", books.fund),
        amount=amount,
        currency=currency,
        value_date=when,
        **extra,
    )


def commit(books: Books, amount: str, currency: str = "USD", when: date = date(2025, 2, 1), **extra):
    target = (
        {"state": extra.pop("state")}
        if "state" in extra
        else {"activity": extra.pop("activity", books.activity)}
    )
    return services.grant_commit(
        by=SYSTEM,
        fund=extra.pop("fund", books.fund),
        amount=amount,
        currency=currency,
        value_date=when,
        purpose="Workshop",
        **target,
        **extra,
    )


def postings(posted: LedgerTransaction) -> list[tuple[str, str, Decimal]]:
    """The transaction's entries as (account, "Dr"/"Cr", amount), exchange differences left out."""
    return [
        (e.account, "Dr" if e.debit else "Cr", e.debit or e.credit)
        for e in posted.entries.all()
        if e.account != "exchange_differences"
    ]


def assert_every_transaction_balances() -> None:
    """Debits equal credits in every transaction, in its currency and in US dollars."""
    totals = defaultdict(lambda: [Decimal(0)] * 4)
    for row in LedgerEntry.objects.values("transaction").annotate(
        d=Sum("debit"), c=Sum("credit"), ud=Sum("usd_debit"), uc=Sum("usd_credit")
    ):
        totals[row["transaction"]] = [
            Decimal(row[k] or 0).quantize(Decimal("0.01")) for k in ("d", "c", "ud", "uc")
        ]
    assert set(totals) == set(LedgerTransaction.objects.values_list("pk", flat=True)), (
        "a transaction without entries"
    )
    for pk, (d, c, ud, uc) in totals.items():
        assert d == c, f"transaction {pk}: debits {d} ≠ credits {c}"
        assert ud == uc, f"transaction {pk}: USD debits {ud} ≠ USD credits {uc}"
