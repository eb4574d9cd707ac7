from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy
from hrtc.accounts import selectors as account_selectors
from hrtc.accounts.choices import PROVIDER_KINDS, OrganisationKind
from hrtc.accounts.models import Organisation
from hrtc.assistance import selectors, services
from hrtc.assistance.choices import Modality
from hrtc.assistance.lifecycle import available_from
from hrtc.assistance.models import Activity
from hrtc.core import disclosure
from hrtc.core.exceptions import DomainError
from hrtc.recommendations.models import Recommendation
from hrtc.reference.models import State, Theme


def home(request):
    who = policy.principal(request.user)
    states = State.objects.filter(code__in=who.state_ids())
    providers = Organisation.objects.filter(
        pk__in=[s.organisation_id for s in who.seats if s.kind in PROVIDER_KINDS]
    )
    context = {
        "my_states": states,
        "my_providers": providers,
        "can_create": policy.can(request.user, "assistance.request.create"),
        "requests": selectors.requests_visible(request.user).distinct()[:20],
        "activities": selectors.activities_visible(request.user).distinct()[:20],
        "offers_count": selectors.offers_visible(request.user).filter(is_active=True).count(),
    }
    return render(request, "assistance/home.html", context)


def state_dashboard(request, code: str):
    state = get_object_or_404(State, code=code.upper())
    requests = selectors.requests_visible(request.user).filter(requesting_state=state).distinct()
    activities = selectors.activities_visible(request.user).filter(state=state).distinct()
    context = {
        "state": state,
        "requests": requests,
        "activities": activities,
        "request_counts": selectors.request_counts(requests),
        "activity_counts": selectors.activity_counts(activities),
        "overlaps": selectors.overlaps(state, request.user),
        "feed": disclosure.with_levels(request.user, selectors.feed_visible(request.user, state=state)[:30]),
    }
    return render(request, "assistance/state.html", context)


@login_required
def provider_inbox(request, code: str):
    provider = get_object_or_404(account_selectors.providers(), code=code)
    if not policy.can(request.user, "assistance.provider.inbox", provider):
        raise PermissionDenied(_("This inbox is for the provider's own members."))
    context = {
        "provider": provider,
        "requests": selectors.requests_visible(request.user)
        .filter(consent_providers=provider)
        .exclude(status="draft")
        .distinct(),
        "offers": selectors.offers_visible(request.user).filter(provider=provider),
        "activities": selectors.activities_visible(request.user).filter(lead_provider=provider),
        "feed": disclosure.with_levels(
            request.user, selectors.feed_visible(request.user, provider=provider)[:30]
        ),
    }
    return render(request, "assistance/provider.html", context)


def request_detail(request, pk: int):
    req = get_object_or_404(selectors.requests_visible(request.user).distinct(), pk=pk)
    full = policy.can(request.user, "assistance.request.view_full", req)
    transitions = [t for t in available_from(req.status) if policy.can(request.user, t.action, req)]
    context = {
        "req": req,
        "full": full,
        "transitions": transitions,
        "can_consent": policy.can(request.user, "assistance.request.consent", req),
        "providers": account_selectors.providers().filter(
            ~Q(kind=OrganisationKind.UNCT) | Q(state=req.requesting_state)
        ),
        "consented": set(req.consent_providers.values_list("pk", flat=True)),
        "matches": selectors.offers_for_request(req, request.user) if full else [],
        "events": req.events.select_related("by", "organisation") if full else [],
        "activities": selectors.activities_visible(request.user).filter(request=req),
    }
    return render(request, "assistance/request.html", context)


@login_required
def request_new(request):
    if not policy.can(request.user, "assistance.request.create"):
        raise PermissionDenied(_("Requests are made by a State's focal point or editor."))
    states = State.objects.filter(code__in=policy.principal(request.user).state_ids(policy.WRITE_ROLES))
    context = {
        "states": states,
        "modalities": Modality.choices,
        "providers": account_selectors.providers(),
        "themes": Theme.objects.filter(vocabulary="uhri", level__gte=2),
    }
    if request.method == "POST":
        data = request.POST
        try:
            state = states.get(code=data.get("state"))
            rec_ids = [
                int(x) for x in data.get("recommendations", "").replace(",", " ").split() if x.isdigit()
            ]
            created = services.request_create(
                by=request.user,
                state=state,
                title=data.get("title", ""),
                needs=data.get("needs", ""),
                modality=data.get("modality", ""),
                priorities=data.get("priorities", "").splitlines(),
                language=data.get("language") or "en",
                timeframe_start=date.fromisoformat(data["timeframe_start"])
                if data.get("timeframe_start")
                else None,
                timeframe_end=date.fromisoformat(data["timeframe_end"])
                if data.get("timeframe_end")
                else None,
                themes=Theme.objects.filter(pk__in=data.getlist("themes")),
                recommendations=Recommendation.objects.filter(pk__in=rec_ids),
            )
            services.request_set_consent(
                request=created,
                by=request.user,
                providers=list(
                    account_selectors.providers().filter(pk__in=data.getlist("consent_providers"))
                ),
                publish_summary=data.get("publish_summary") == "on",
            )
            messages.success(request, _("Request saved as a draft. Submit it when it is ready."))
            return redirect("assistance:request", pk=created.pk)
        except (DomainError, ValueError, State.DoesNotExist) as error:
            context["error"] = getattr(error, "message", str(error))
    return render(request, "assistance/request_new.html", context, status=422 if "error" in context else 200)


@login_required
@require_POST
def request_transition(request, pk: int):
    req = get_object_or_404(selectors.requests_visible(request.user).distinct(), pk=pk)
    try:
        services.request_transition(
            request=req,
            by=request.user,
            name=request.POST.get("transition", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Done."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assistance:request", pk=pk)


@login_required
@require_POST
def request_consent(request, pk: int):
    req = get_object_or_404(selectors.requests_visible(request.user).distinct(), pk=pk)
    try:
        services.request_set_consent(
            request=req,
            by=request.user,
            reason=request.POST.get("reason", ""),
            providers=list(
                account_selectors.providers().filter(pk__in=request.POST.getlist("consent_providers"))
            ),
            publish_summary=request.POST.get("publish_summary") == "on",
        )
        messages.success(request, _("Consent updated."))
    except DomainError as error:
        messages.error(request, error.message)
    if selectors.requests_visible(request.user).filter(pk=pk).exists():
        return redirect("assistance:request", pk=pk)
    return redirect("assistance:home")


def activity_detail(request, pk: int):
    activity = get_object_or_404(
        selectors.activities_visible(request.user)
        .distinct()
        .prefetch_related(
            "partners", "themes", "recommendations", "sdg_targets", "participant_groups__group"
        ),
        pk=pk,
    )
    return render(
        request,
        "assistance/activity.html",
        {
            "activity": activity,
            "full": disclosure.of(Activity).level(request.user, activity) == disclosure.Level.FULL,
            "request_visible": activity.request_id is not None
            and selectors.requests_visible(request.user).filter(pk=activity.request_id).exists(),
            "can_edit": policy.can(request.user, "assistance.activity.edit", activity),
        },
    )


def offers(request):
    return render(
        request,
        "assistance/offers.html",
        {
            "offers": disclosure.with_levels(
                request.user, selectors.offers_visible(request.user).filter(is_active=True)
            )
        },
    )


class StateFeed(Feed):
    """Public information-exchange feed of a State (Atom): only what anonymous visitors may see."""

    feed_type = Atom1Feed

    def get_object(self, request, code: str):
        return get_object_or_404(State, code=code.upper())

    def title(self, state):
        return _("Technical cooperation with %(state)s") % {"state": state.name}

    def link(self, state):
        return reverse("assistance:state", args=[state.code])

    def items(self, state):
        return selectors.feed_visible(None, state=state)[:50]

    def item_title(self, event):
        return event.summary

    def item_description(self, event):
        return event.get_kind_display()

    def item_link(self, event):
        if event.activity_id:
            return reverse("assistance:activity", args=[event.activity_id])
        if event.request_id:
            return reverse("assistance:request", args=[event.request_id])
        return reverse("assistance:offers")

    def item_pubdate(self, event):
        return event.at
