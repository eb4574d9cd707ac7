"""Pages: the review queue, one-click accept / reject (htmx, and plain forms without JavaScript), adding
a link by hand. The panel on a record's page and the coverage chart are template tags (templatetags)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy
from hrtc.core.exceptions import DomainError
from hrtc.linking import selectors, services
from hrtc.linking.choices import LinkKind
from hrtc.linking.subjects import linkable_by_name
from hrtc.linking.templatetags.linking import panel_context
from hrtc.reference.models import SdgGoal, State, Theme


def _back(request, fallback: str = "linking:review"):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
def review_queue(request):
    mine = sorted(policy.principal(request.user).state_ids(policy.WRITE_ROLES))
    state = request.GET.get("state", mine[0] if len(mine) == 1 else "").strip().upper()
    kind = request.GET.get("kind", "")
    kind = kind if kind in LinkKind.values else ""
    queue = selectors.review_queue(request.user, state=state or None, kind=kind or None)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    links = selectors.annotate_reviewable(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "links": links,
        "state": state,
        "kind": kind,
        "kinds": LinkKind.choices,
        "states": State.objects.only("code", "name"),
        "query": query.urlencode(),
        "model": services.active_model(),
    }
    return render(request, "linking/review.html", context)


@login_required
@require_POST
def link_decide(request, pk: int, decision: str):
    link = get_object_or_404(selectors.links_visible(request.user), pk=pk)
    decide = {"accept": services.link_accept, "reject": services.link_reject}.get(decision)
    if decide is None:
        raise Http404
    try:
        link = decide(link=link, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request)
    if request.htmx:
        link = selectors.annotate_reviewable(request.user, [link])[0]
        template = "linking/_queue_row.html" if request.POST.get("view") == "queue" else "linking/_link.html"
        return render(request, template, {"link": link})
    messages.success(request, _("Link accepted.") if decision == "accept" else _("Link rejected."))
    return _back(request)


@login_required
@require_POST
def link_add(request, subject_type: str, pk: int):
    try:
        linkable = linkable_by_name(subject_type)
    except LookupError:
        raise Http404 from None
    subject = get_object_or_404(policy.visible(request.user, linkable.queryset()), pk=pk)
    value = request.POST.get("label", "")
    goal = theme = None
    if value.startswith("goal:"):
        goal = SdgGoal.objects.filter(code=value[5:]).first()
    elif value.startswith("theme:") and value[6:].isdigit():
        theme = Theme.objects.filter(pk=int(value[6:])).first()
    try:
        services.link_add(subject=subject, by=request.user, goal=goal, theme=theme)
    except DomainError as error:
        messages.error(request, error.message)
    if request.htmx:
        return render(request, "linking/_panel.html", panel_context(request, subject))
    return _back(request)
