from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy, services
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
