from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy, selectors, services
from hrtc.accounts.models import ApiToken, Membership
from hrtc.core.exceptions import DomainError


@login_required
def account(request):
    context = {
        "memberships": Membership.objects.filter(user=request.user).select_related("organisation__state"),
        "tokens": ApiToken.objects.filter(user=request.user),
        "policy_rows": policy.table(),
        "allowed": [a for a in sorted(policy.ACTIONS) if policy.can(request.user, a)],
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def token_create(request):
    try:
        token, key = services.token_create(by=request.user, name=request.POST.get("name", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("account")
    messages.success(
        request,
        _("Token “%(name)s” created. Copy the key now; it is not shown again: %(key)s")
        % {"name": token.name, "key": key},
    )
    return redirect("account")


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(policy.visible(request.user, ApiToken.objects.all()), pk=pk)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("account")


def providers(request):
    """The directory of provider organisations (OHCHR, UN agencies and teams, regional bodies), listed
    among the reference pages at /reference/providers/."""
    rows = [
        [org.name, org.acronym, org.get_kind_display(), org.iati_org_ref]
        for org in policy.visible(request.user, selectors.providers())
    ]
    headings = [_("Name"), _("Acronym"), _("Kind"), _("IATI identifier")]
    return render(
        request,
        "reference/list.html",
        {"title": _("Provider organisations"), "headings": headings, "rows": rows},
    )
