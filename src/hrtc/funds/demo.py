"""Demo money for the funds, last year and this year, so the fund pages show real statements: donors,
pledges, contributions (one of them corrected by a reversal), grants to the demo activity and to States'
delegations, disbursements, a return of unspent funds and a release. The exchange rates are illustrative,
not official UN rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from hrtc.accounts.models import Organisation
from hrtc.assistance.models import Activity
from hrtc.funds import services
from hrtc.funds.models import Pledge
from hrtc.reference.models import Fund, State, Theme

DEMO = "[demo]"
RATES = {"EUR": Decimal("0.92"), "NOK": Decimal("10.60"), "CHF": Decimal("0.88")}


@transaction.atomic
def load_demo() -> None:
    if Pledge.objects.filter(memo__startswith=DEMO).exists():
        return  # re-runnable: the demo money is there
    officer = get_user_model().objects.get(username="ohchr.officer")
    today = date.today()
    last, this = today.year - 1, today.year

    def on(year: int, month: int, day: int = 15) -> date:
        """A date this year is never later than this month, so the demo is in the past whenever it runs."""
        return date(year, min(month, today.month), min(day, 28)) if year == this else date(year, month, day)

    for year in (last, this):
        for month in range(1, 13):
            for code, base in RATES.items():
                services.exchange_rate_set(
                    by=officer,
                    currency=code,
                    month=date(year, month, 1),
                    units_per_usd=(base * (1 + Decimal((month * 7) % 5 - 2) / 100)).quantize(
                        Decimal("0.0001")
                    ),
                    source="hrtc demo: illustrative, not an official UN rate",
                )

    def donor(name: str, **links):
        return services.donor_create(by=officer, name=name, **links)

    norway = donor(
        "Norway", organisation=Organisation.objects.get(code="donor-nor"), state=State.objects.get(code="NOR")
    )
    germany = donor("Germany", state=State.objects.get(code="DEU"))
    eu = donor("European Union")
    switzerland = donor("Switzerland", state=State.objects.get(code="CHE"))
    vftc, upr, ldc, implementation = (
        Fund.objects.get(code=c)
        for c in ("VFTC", "UPR-VF-PARTICIPATION", "LDC-SIDS-TF", "UPR-VF-IMPLEMENTATION")
    )
    money = {"by": officer}

    def pledge(who, fund, amount, currency, year, when, **earmark):
        return services.pledge_record(
            **money,
            donor=who,
            fund=fund,
            amount=amount,
            currency=currency,
            year=year,
            value_date=when,
            memo=f"{DEMO} pledge",
            **earmark,
        )

    def receive(who, fund, amount, currency, when, pledge=None, **earmark):
        return services.contribution_record(
            **money,
            donor=who,
            fund=fund,
            amount=amount,
            currency=currency,
            value_date=when,
            pledge=pledge,
            memo=f"{DEMO} contribution",
            **earmark,
        )

    # VFTC: pledges and contributions over two years, an earmarked pledge, a correction
    mechanisms = Theme.objects.get(vocabulary="uhri", code="A2")
    norway_last = pledge(norway, vftc, "20000000.00", "NOK", last, on(last, 2, 10))
    germany_last = pledge(germany, vftc, "1500000.00", "EUR", last, on(last, 2, 20))
    eu_last = pledge(
        eu, vftc, "2000000.00", "EUR", last, on(last, 4, 2), earmark="theme", earmark_theme=mechanisms
    )
    receive(norway, vftc, "20000000.00", "NOK", on(last, 6, 12), norway_last)
    receive(germany, vftc, "1500000.00", "EUR", on(last, 5, 6), germany_last)
    receive(eu, vftc, "1000000.00", "EUR", on(last, 9, 30), eu_last)
    receive(switzerland, vftc, "500000.00", "USD", on(last, 7, 1))
    norway_this = pledge(norway, vftc, "22000000.00", "NOK", this, on(this, 1, 20))
    germany_this = pledge(germany, vftc, "1600000.00", "EUR", this, on(this, 1, 25))
    receive(eu, vftc, "1000000.00", "EUR", on(this, 2, 14), eu_last)
    receive(norway, vftc, "11000000.00", "NOK", on(this, 3, 18), norway_this)
    receive(germany, vftc, "1600000.00", "EUR", on(this, 4, 8), germany_this)
    duplicate = receive(germany, vftc, "1600000.00", "EUR", on(this, 4, 8), germany_this)
    services.transaction_reverse(**money, posted=duplicate.posting, reason=f"{DEMO} recorded twice")
    receive(switzerland, vftc, "750000.00", "USD", on(this, 7, 3), earmark="region", earmark_region="AFRICAN")

    # VFTC grants: the demo activity in Kenya (gender marker: significant)
    workshop = Activity.objects.filter(title__startswith="[demo] National mechanism workshop").first()
    if workshop is not None:
        grant = services.grant_commit(
            **money,
            fund=vftc,
            amount="400000.00",
            currency="EUR",
            value_date=on(last, 10, 1),
            purpose="National mechanism for implementation, reporting and follow-up (Kenya)",
            activity=workshop,
        )
        services.grant_disburse(
            **money, grant=grant, amount="250000.00", currency="EUR", value_date=on(last, 11, 3)
        )
        services.grant_disburse(
            **money, grant=grant, amount="100000.00", currency="EUR", value_date=on(this, 2, 2)
        )
        services.grant_return(
            **money,
            grant=grant,
            amount="12500.00",
            currency="EUR",
            value_date=on(this, 6, 30),
            memo=f"{DEMO} workshop cost less than planned",
        )
        second = services.grant_commit(
            **money,
            fund=vftc,
            amount="300000.00",
            currency="USD",
            value_date=on(this, 8, 1),
            purpose="Follow-up training of focal points (Kenya)",
            activity=workshop,
        )
        services.grant_disburse(
            **money, grant=second, amount="120000.00", currency="USD", value_date=on(this, 9, 1)
        )
        # The UPR implementation fund: the European Union's contribution finances the workshop's follow-up
        receive(eu, implementation, "500000.00", "EUR", on(this, 3, 2))
        follow_up = services.grant_commit(
            **money,
            fund=implementation,
            amount="80000.00",
            currency="EUR",
            value_date=on(this, 4, 1),
            purpose="Tracking database for the national mechanism (Kenya)",
            activity=workshop,
        )
        services.grant_disburse(
            **money, grant=follow_up, amount="60000.00", currency="EUR", value_date=on(this, 5, 4)
        )

    # The UPR participation fund and the LDC/SIDS trust fund: grants to States' delegations
    receive(germany, upr, "300000.00", "EUR", on(last, 3, 1))
    receive(norway, upr, "2000000.00", "NOK", on(this, 2, 1))
    receive(switzerland, ldc, "400000.00", "USD", on(last, 1, 20))
    receive(switzerland, ldc, "350000.00", "USD", on(this, 1, 20))
    for fund, code, amount, currency, year, month in (
        (upr, "FJI", "45000.00", "EUR", last, 4),
        (upr, "HTI", "40000.00", "EUR", last, 10),
        (upr, "KEN", "30000.00", "EUR", this, 1),
        (ldc, "TUV", "60000.00", "USD", last, 6),
        (ldc, "NPL", "50000.00", "USD", this, 3),
        (ldc, "SLB", "55000.00", "USD", this, 5),
    ):
        state = State.objects.get(code=code)
        grant = services.grant_commit(
            **money,
            fund=fund,
            amount=amount,
            currency=currency,
            value_date=on(year, month, 1),
            purpose=f"Participation of {state.name}'s delegation",
            state=state,
        )
        paid = (Decimal(amount) * Decimal("0.8")).quantize(Decimal("0.01"))
        services.grant_disburse(
            **money, grant=grant, amount=paid, currency=currency, value_date=on(year, month, 10)
        )
        if year == last:
            services.grant_release(
                **money, grant=grant, value_date=on(year, month, 28), memo=f"{DEMO} travel closed"
            )
