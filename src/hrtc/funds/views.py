"""Pages: the funds and their statements (public totals), donors' own records, grants for their grantees,
and the fund officers' forms and ledger. Thin: services write, selectors and statements read."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy
from hrtc.core.exceptions import DomainError, InvalidInput
from hrtc.funds import selectors, services
from hrtc.funds.choices import Earmark
from hrtc.funds.models import Donor, Pledge
from hrtc.funds.statements import FIRST_YEAR, LAST_YEAR, fund_statement, statement_years
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Currency, Fund, State, Theme


def home(request):
    user = request.user
    donors = [d for d in selectors.donors_visible(user) if policy.can(user, "funds.view_donor_records", d)]
    context = {
        "funds": selectors.funds_overview(),
        "my_donors": donors,
        "grants": selectors.with_activity_shown(
            user, selectors.grant_balances(selectors.grants_visible(user))[:50]
        ),
        "can_manage": policy.can(user, "funds.manage"),
    }
    return render(request, "funds/home.html", context)


def rates(request):
    """The UN operational rates of exchange recorded, newest month first (public)."""
    found = selectors.rates()
    currency = (request.GET.get("currency") or "").strip().upper()
    if currency:
        found = found.filter(currency=currency)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    query = f"currency={currency}" if currency else ""
    return render(request, "funds/rates.html", {"page": page, "currency": currency, "query": query})


def _year(request, fund: Fund) -> tuple[int, list[int]]:
    """The year asked for, else the latest year with movements up to this one."""
    years, latest = statement_years(fund)
    try:
        asked = int(request.GET.get("year") or 0)
    except ValueError:
        asked = 0
    return (asked if FIRST_YEAR <= asked <= LAST_YEAR else latest), years


def fund_detail(request, code: str):
    fund = get_object_or_404(Fund, code=code.upper())
    year, years = _year(request, fund)
    context = {
        "fund": fund,
        "year": year,
        "years": years,
        "statement": fund_statement(fund, year),
        "can_manage": policy.can(request.user, "funds.manage"),
        "can_view_ledger": policy.can(request.user, "funds.view_ledger"),
    }
    return render(request, "funds/fund.html", context)


def statement_download(request, code: str, year: int, extension: str):
    fund = get_object_or_404(Fund, code=code.upper())
    if extension not in ("csv", "json") or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    statement = fund_statement(fund, year)
    name = f"{fund.code}-{year}-statement.{extension}"
    if extension == "json":
        response = JsonResponse(statement.as_dict(), json_dumps_params={"indent": 1, "ensure_ascii": False})
    else:
        response = HttpResponse(statement.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def donor_detail(request, code: str):
    donor = get_object_or_404(Donor.objects.select_related("organisation", "state"), code=code)
    if not policy.can(request.user, "funds.view_donor_records", donor):
        raise PermissionDenied(_("A donor's records are for its own members and the fund officers."))
    context = {
        "donor": donor,
        "pledges": selectors.pledge_balances(selectors.pledges_visible(request.user).filter(donor=donor)),
        "contributions": selectors.contribution_balances(
            selectors.contributions_visible(request.user).filter(donor=donor)
        ),
    }
    return render(request, "funds/donor.html", context)


def grant_detail(request, pk: int):
    grant = get_object_or_404(selectors.grant_balances(selectors.grants_visible(request.user)), pk=pk)
    selectors.with_activity_shown(request.user, [grant])
    context = {
        "grant": grant,
        "disbursements": selectors.disbursements_visible(request.user).filter(grant=grant),
        "returns": selectors.refunds_visible(request.user).filter(grant=grant),
        "can_manage": policy.can(request.user, "funds.manage"),
        "today": date.today(),
    }
    return render(request, "funds/grant.html", context)


def _form_date(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput(_("Give the value date as YYYY-MM-DD."), field="value_date") from None


@login_required
@require_POST
def grant_move(request, pk: int):
    grant = get_object_or_404(selectors.grants_visible(request.user), pk=pk)
    data = request.POST
    try:
        movement = data.get("movement")
        when = _form_date(data.get("value_date"))
        if movement == "disburse":
            services.grant_disburse(
                by=request.user,
                grant=grant,
                amount=data.get("amount", ""),
                currency=grant.currency,
                value_date=when,
                memo=data.get("memo", ""),
            )
            messages.success(request, _("Disbursement posted."))
        elif movement == "return":
            services.grant_return(
                by=request.user,
                grant=grant,
                amount=data.get("amount", ""),
                currency=grant.currency,
                value_date=when,
                memo=data.get("memo", ""),
            )
            messages.success(request, _("Return of unspent funds posted."))
        elif movement == "release":
            services.grant_release(by=request.user, grant=grant, value_date=when, memo=data.get("memo", ""))
            messages.success(request, _("The undisbursed balance was released."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("funds:grant", pk=grant.pk)


@login_required
def record(request, code: str):
    """The fund officer's forms: a pledge, a contribution, a grant."""
    fund = get_object_or_404(Fund, code=code.upper())
    if not policy.can(request.user, "funds.manage"):
        raise PermissionDenied(_("Money movements are recorded by fund officers."))
    context = {
        "fund": fund,
        "donors": Donor.objects.all(),
        "pledges": Pledge.objects.filter(fund=fund).select_related("donor").order_by("-value_date")[:100],
        "currencies": Currency.objects.all(),
        "activities": selectors.activities_to_finance(request.user)[:200],
        "states": State.objects.all(),
        "themes": Theme.objects.filter(vocabulary="uhri", level__gte=2),
        "regions": RegionalGroup.choices,
        "earmarks": Earmark.choices,
        "today": date.today(),
        "year": date.today().year,
    }
    if request.method == "POST":
        data = request.POST
        try:
            movement = data.get("movement")
            when = _form_date(data.get("value_date"))
            common = {
                "by": request.user,
                "fund": fund,
                "amount": data.get("amount", ""),
                "currency": data.get("currency", ""),
                "value_date": when,
                "memo": data.get("memo", ""),
            }
            if movement in ("pledge", "contribution"):
                donor = get_object_or_404(Donor, pk=data.get("donor") or 0)
                earmark = {
                    "earmark": data.get("earmark") or Earmark.NONE,
                    "earmark_theme": Theme.objects.filter(pk=data.get("earmark_theme") or 0).first(),
                    "earmark_region": data.get("earmark_region", ""),
                }
                if movement == "pledge":
                    services.pledge_record(donor=donor, year=int(data.get("year") or 0), **earmark, **common)
                else:
                    pledge = Pledge.objects.filter(pk=data.get("pledge") or 0, fund=fund).first()
                    services.contribution_record(
                        donor=donor,
                        pledge=pledge,
                        reference=data.get("reference", ""),
                        **({} if pledge else earmark),
                        **common,
                    )
            elif movement == "grant":
                services.grant_commit(
                    purpose=data.get("purpose", ""),
                    activity=selectors.activities_to_finance(request.user)
                    .filter(pk=data.get("activity") or 0)
                    .first(),
                    state=State.objects.filter(code=data.get("state") or "").first(),
                    **common,
                )
            else:
                raise Http404
            messages.success(request, _("Posted to the ledger."))
            return redirect("funds:fund", code=fund.code)
        except (DomainError, ValueError) as error:
            context["error"] = getattr(error, "message", str(error))
    return render(request, "funds/record.html", context, status=422 if "error" in context else 200)


@login_required
def ledger(request, code: str):
    fund = get_object_or_404(Fund, code=code.upper())
    if not policy.can(request.user, "funds.view_ledger"):
        raise PermissionDenied(_("The ledger is for fund officers."))
    transactions = selectors.transactions_visible(request.user).filter(fund=fund)
    page = Paginator(transactions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/ledger.html",
        {"fund": fund, "page": page, "can_manage": policy.can(request.user, "funds.manage")},
    )


@login_required
@require_POST
def reverse(request, pk: int):
    posted = get_object_or_404(selectors.transactions_visible(request.user), pk=pk)
    try:
        services.transaction_reverse(by=request.user, posted=posted, reason=request.POST.get("reason", ""))
        messages.success(request, _("Reversed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("funds:ledger", code=posted.fund_id)
