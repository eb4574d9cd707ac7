"""Reads: what a user may see of requests, activities, offers and the feed; catalogue matching; overlaps."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from hrtc.accounts import policy
from hrtc.assistance.choices import ActivityStatus, RequestStatus
from hrtc.assistance.models import Activity, AssistanceRequest, FeedEvent, Offer
from hrtc.core import disclosure
from hrtc.reference.models import State


def requests_visible(user) -> QuerySet[AssistanceRequest]:
    return policy.visible(user, AssistanceRequest.objects.select_related("requesting_state"))


def activities_visible(user) -> QuerySet[Activity]:
    return policy.visible(user, Activity.objects.select_related("state", "lead_provider", "budget_currency"))


def offers_visible(user) -> QuerySet[Offer]:
    return policy.visible(user, Offer.objects.select_related("provider").prefetch_related("themes"))


def feed_visible(user, *, state: State | None = None, provider=None) -> QuerySet[FeedEvent]:
    events = policy.visible(user, FeedEvent.objects.select_related("state", "provider"))
    if state is not None:
        events = events.filter(state=state)
    if provider is not None:
        # Which provider decided on a request is the State's consent: by provider, only events whose provider
        # the reader may read (the feed event's disclosure decision).
        events = disclosure.of(FeedEvent).in_full(user, events).filter(provider=provider)
    return events


@dataclass
class Match:
    offer: Offer
    score: float
    reasons: list[str] = field(default_factory=list)


def offers_for_request(request: AssistanceRequest, user) -> list[Match]:
    """Active offers ranked by fit: shared themes, modality, language, region, and the State's own wishes."""
    themes = set(request.themes.values_list("pk", flat=True))
    desired = set(request.desired_providers.values_list("pk", flat=True))
    state = request.requesting_state
    matches = []
    for offer in offers_visible(user).filter(is_active=True):
        score, reasons = 0.0, []
        shared = themes & {t.pk for t in offer.themes.all()}
        if shared:
            score += 3 * len(shared) / len(themes | {t.pk for t in offer.themes.all()})
            names = sorted(t.name for t in offer.themes.all() if t.pk in shared)
            reasons.append("themes: " + ", ".join(names))
        if offer.modality == request.modality:
            score += 2
            reasons.append(f"modality: {offer.get_modality_display()}")
        if request.language in offer.languages:
            score += 1
            reasons.append(f"works in {request.language}")
        if not offer.regional_groups or state.regional_group in offer.regional_groups:
            score += 1
            reasons.append("serves the region" if offer.regional_groups else "serves all regions")
        if offer.provider_id in desired:
            score += 1
            reasons.append("a provider the State asked for")
        if score > 1:  # serving the region alone is no match
            matches.append(Match(offer, round(score, 3), reasons))
    return sorted(matches, key=lambda m: (-m.score, m.offer.pk))


@dataclass
class Overlap:
    first: Activity
    second: Activity
    shared_themes: list[str]
    shared_recommendations: list[int]
    dates: tuple


def _span(activity: Activity):
    return (activity.actual_start or activity.planned_start, activity.actual_end or activity.planned_end)


def overlaps(state: State, user) -> list[Overlap]:
    """Activities of different providers in `state` whose dates overlap and that share themes or recommendations."""
    activities = list(
        activities_visible(user)
        .filter(state=state)
        .exclude(status__in=[ActivityStatus.CANCELLED])
        .prefetch_related("themes", "recommendations")
    )
    found = []
    for i, a in enumerate(activities):
        a_start, a_end = _span(a)
        a_themes = {t.pk: t.name for t in a.themes.all()}
        a_recs = {r.pk for r in a.recommendations.all()}
        for b in activities[i + 1 :]:
            if b.lead_provider_id == a.lead_provider_id:
                continue
            b_start, b_end = _span(b)
            if b_start > a_end or a_start > b_end:
                continue
            themes = sorted(a_themes[t.pk] for t in b.themes.all() if t.pk in a_themes)
            recs = sorted(a_recs & {r.pk for r in b.recommendations.all()})
            if themes or recs:
                found.append(Overlap(a, b, themes, recs, (max(a_start, b_start), min(a_end, b_end))))
    return found


def request_counts(requests: QuerySet[AssistanceRequest]) -> dict[str, int]:
    counts = dict(requests.order_by().values_list("status").annotate(n=Count("pk")))
    return {label: counts.get(value, 0) for value, label in RequestStatus.choices}


def activity_counts(activities: QuerySet[Activity]) -> dict[str, int]:
    counts = dict(activities.order_by().values_list("status").annotate(n=Count("pk")))
    return {label: counts.get(value, 0) for value, label in ActivityStatus.choices}
