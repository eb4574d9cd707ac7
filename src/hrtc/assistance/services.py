"""Every write in the assistance app: requests and their lifecycle and consent, offers, activities.
Policy-checked, audited, one transaction each; every move also goes to the information-exchange feed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hrtc.accounts import policy
from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation
from hrtc.assistance.choices import ActivityStatus, FeedKind, GenderMarker, Modality, RequestStatus
from hrtc.assistance.lifecycle import WORKFLOW
from hrtc.assistance.models import (
    Activity,
    ActivityParticipantGroup,
    AssistanceRequest,
    ConsentRecord,
    FeedEvent,
    Offer,
    RequestEvent,
)
from hrtc.core import audit, money
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.core.workflow import apply_transition
from hrtc.recommendations.services import assessment_record
from hrtc.reference import selectors as reference
from hrtc.reference.models import AffectedGroup, Currency


def _check_modality(modality: str) -> None:
    if modality not in Modality.values:
        raise InvalidInput(
            f"Unknown modality {modality!r}; use one of {', '.join(Modality.values)}.", field="modality"
        )


def _check_dates(start: date | None, end: date | None, field: str) -> None:
    if start and end and end < start:
        raise InvalidInput("The end date is before the start date.", field=field)


def _actor_org(by, request: AssistanceRequest | None = None, kinds=None) -> Organisation | None:
    """The organisation `by` acts for: a consented provider for a request, else their first writer seat."""
    seats = policy.principal(by).seats_where(kinds=kinds, roles=policy.WRITE_ROLES)
    ids = [s.organisation_id for s in seats]
    if request is not None:
        shared = set(request.consent_providers.filter(pk__in=ids).values_list("pk", flat=True))
        ids = [i for i in ids if i in shared] or ids
    return Organisation.objects.filter(pk__in=ids[:1]).first()


@transaction.atomic
def request_create(
    *,
    by,
    state,
    title: str,
    needs: str,
    modality: str,
    priorities: list[str] = (),
    language: str = "en",
    timeframe_start: date | None = None,
    timeframe_end: date | None = None,
    themes=(),
    recommendations=(),
    pledges=(),
    sdg_targets=(),
    desired_providers=(),
) -> AssistanceRequest:
    """A State's focal point or editor drafts a request for their own State."""
    policy.require(by, "assistance.request.create")
    probe = AssistanceRequest(requesting_state=state)
    policy.require(by, "assistance.request.edit", probe)
    if not title.strip() or not needs.strip():
        raise InvalidInput("A request needs a title and a description of the needs.", field="needs")
    _check_modality(modality)
    _check_dates(timeframe_start, timeframe_end, "timeframe_end")
    for rec in recommendations:
        if rec.state_under_review_id != state.code:
            raise InvalidInput(
                f"Recommendation {rec.pk} is addressed to {rec.state_under_review_id}, not {state.code}.",
                field="recommendations",
            )
    for pledge in pledges:
        if pledge.state_id != state.code:
            raise InvalidInput(
                f"Pledge {pledge.pk} is {pledge.state_id}'s, not {state.code}'s.", field="pledges"
            )
    for org in desired_providers:
        if org.kind not in PROVIDER_KINDS:
            raise InvalidInput(f"{org} does not provide technical assistance.", field="desired_providers")
    with audit.acting_as(by):
        request = AssistanceRequest.objects.create(
            requesting_state=state,
            submitted_by=audit._real_user(by),
            title=title.strip(),
            needs=needs.strip(),
            priorities=[p.strip() for p in priorities if p.strip()],
            modality=modality,
            language=language,
            timeframe_start=timeframe_start,
            timeframe_end=timeframe_end,
        )
        request.themes.set(themes)
        request.recommendations.set(recommendations)
        request.pledges.set(pledges)
        request.sdg_targets.set(sdg_targets)
        request.desired_providers.set(desired_providers)
        RequestEvent.objects.create(request=request, to_status=RequestStatus.DRAFT, by=audit._real_user(by))
    return request


@transaction.atomic
def request_set_consent(
    *, request: AssistanceRequest, by, providers: list[Organisation], publish_summary: bool, reason: str = ""
) -> AssistanceRequest:
    """Give, widen, narrow or withdraw consent. Visibility follows at once: it is computed from this record."""
    policy.require(by, "assistance.request.consent", request)
    for org in providers:
        if org.kind not in PROVIDER_KINDS:
            raise InvalidInput(f"{org} does not provide technical assistance.", field="providers")
    before = set(request.consent_providers.values_list("code", flat=True))
    after = {org.code for org in providers}
    with audit.acting_as(by):
        request.consent_providers.set(providers)
        request.consent_publish_summary = publish_summary
        request.consent_given_by, request.consent_given_at = audit._real_user(by), timezone.now()
        request.save(
            update_fields=["consent_publish_summary", "consent_given_by", "consent_given_at", "updated_at"]
        )
        ConsentRecord.objects.create(
            request=request,
            providers=sorted(after),
            publish_summary=publish_summary,
            by=audit._real_user(by),
            reason=reason,
        )
        audit.record(
            actor=by,
            action="request.consent",
            target=request,
            reason=reason,
            data={
                "added": sorted(after - before),
                "removed": sorted(before - after),
                "publish_summary": publish_summary,
            },
        )
    if request.status != RequestStatus.DRAFT:
        _feed(FeedKind.CONSENT_CHANGED, request=request, summary=f"Consent updated for “{request.title}”")
    return request


@transaction.atomic
def request_transition(*, request: AssistanceRequest, by, name: str, reason: str = "") -> AssistanceRequest:
    """Move a request along its lifecycle (``core.workflow``): refuses (409) a move the state machine does
    not allow, (403) one the policy does not, (422) a missing reason."""
    given = request
    organisation = None

    def check(locked: AssistanceRequest, transition) -> None:
        if transition.name == "submit" and not locked.consent_providers.exists():
            raise Conflict("Choose which providers may see the request (consent) before submitting it.")

    def event(locked: AssistanceRequest, transition, source: str, why: str) -> None:
        nonlocal organisation
        if transition.action == "assistance.request.decide":
            organisation = _actor_org(by, locked)
        RequestEvent.objects.create(
            request=locked,
            from_status=source,
            to_status=transition.target,
            by=audit._real_user(by),
            organisation=organisation,
            reason=why,
        )

    request, _transition, _source = apply_transition(
        WORKFLOW, request, by=by, name=name, reason=reason, check=check, event=event
    )
    kind = {
        "submit": FeedKind.REQUEST_SUBMITTED,
        "accept": FeedKind.REQUEST_DECISION,
        "decline": FeedKind.REQUEST_DECISION,
    }.get(name, FeedKind.REQUEST_STATUS)
    _feed(
        kind,
        request=request,
        provider=organisation,
        summary=f"“{request.title}”: {request.get_status_display().lower()}",
    )
    given.status, given.updated_at = request.status, request.updated_at  # the caller's copy is current too
    return given


@transaction.atomic
def offer_create(
    *,
    by,
    provider: Organisation,
    title: str,
    modality: str,
    description: str = "",
    themes=(),
    languages: list[str] = (),
    regional_groups: list[str] = (),
    contact: str = "",
    capacity: int | None = None,
) -> Offer:
    policy.require(by, "assistance.offer.edit", Offer(provider=provider))
    if provider.kind not in PROVIDER_KINDS:
        raise InvalidInput(f"{provider} does not provide technical assistance.", field="provider")
    _check_modality(modality)
    if not title.strip():
        raise InvalidInput("An offer needs a title.", field="title")
    with audit.acting_as(by):
        offer = Offer.objects.create(
            provider=provider,
            title=title.strip(),
            modality=modality,
            description=description,
            languages=list(languages),
            regional_groups=list(regional_groups),
            contact=contact,
            capacity=capacity,
        )
        offer.themes.set(themes)
    _feed(
        FeedKind.OFFER_PUBLISHED, offer=offer, provider=provider, summary=f"{provider} offers “{offer.title}”"
    )
    return offer


@transaction.atomic
def activity_create(
    *,
    by,
    lead_provider: Organisation,
    state,
    title: str,
    modality: str,
    planned_start: date,
    planned_end: date,
    request: AssistanceRequest | None = None,
    partners=(),
    description: str = "",
    budget_amount: Decimal | None = None,
    budget_currency: str | None = None,
    gender_marker: int = GenderMarker.NOT_TARGETED,
    themes=(),
    recommendations=(),
    sdg_targets=(),
) -> Activity:
    """A provider records support it provides. Linked to a request, the State must have consented to the
    lead provider; without a request, the State's consent is asked for (`activity_consent`)."""
    policy.require(by, "assistance.activity.create", Activity(lead_provider=lead_provider))
    if lead_provider.kind not in PROVIDER_KINDS:
        raise InvalidInput(f"{lead_provider} does not provide technical assistance.", field="lead_provider")
    _check_modality(modality)
    _check_dates(planned_start, planned_end, "planned_end")
    if isinstance(gender_marker, bool) or gender_marker not in GenderMarker.values:
        raise InvalidInput(
            "The gender equality marker is 0 (not targeted), 1 (significant) or 2 (principal).",
            field="gender_marker",
        )
    currency = _money(budget_amount, budget_currency)
    if request is not None:
        if request.requesting_state_id != state.code:
            raise InvalidInput("The activity's State is not the requesting State.", field="state")
        if request.status not in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS):
            raise Conflict(
                f"Activities follow an accepted request; this one is {request.get_status_display()}."
            )
        if not request.consent_providers.filter(pk=lead_provider.pk).exists():
            raise Conflict(f"{state.name} has not consented to {lead_provider} working on this request.")
    for rec in recommendations:
        if rec.state_under_review_id != state.code:
            raise InvalidInput(
                f"Recommendation {rec.pk} is addressed to another State.", field="recommendations"
            )
    with audit.acting_as(by):
        activity = Activity.objects.create(
            lead_provider=lead_provider,
            state=state,
            request=request,
            title=title.strip(),
            modality=modality,
            description=description,
            planned_start=planned_start,
            planned_end=planned_end,
            budget_amount=budget_amount,
            budget_currency=currency,
            gender_marker=gender_marker,
        )
        activity.partners.set(partners)
        activity.themes.set(themes)
        activity.recommendations.set(recommendations)
        activity.sdg_targets.set(sdg_targets)
    _feed(
        FeedKind.ACTIVITY_CREATED,
        activity=activity,
        provider=lead_provider,
        summary=f"{lead_provider}: new activity “{activity.title}”",
    )
    return activity


def _money(amount: Decimal | None, currency: str | None) -> Currency | None:
    """An activity's budget: none, or an amount of zero or more in an ISO 4217 currency (``core.money``)."""
    if amount is None:
        if currency:
            raise InvalidInput("A currency without an amount.", field="budget_amount")
        return None
    money.amount(amount, "budget_amount", zero=True)
    return reference.currency(currency, "budget_currency")


@transaction.atomic
def activity_consent(*, activity: Activity, by) -> Activity:
    """The State consents to a provider-initiated activity."""
    policy.require(by, "assistance.activity.consent", activity)
    with audit.acting_as(by):
        activity.state_consent_by, activity.state_consent_at = audit._real_user(by), timezone.now()
        activity.save(update_fields=["state_consent_by", "state_consent_at", "updated_at"])
    return activity


@transaction.atomic
def activity_set_status(
    *, activity: Activity, by, status: int, actual_start: date | None = None, actual_end: date | None = None
) -> Activity:
    policy.require(by, "assistance.activity.edit", activity)
    if status not in ActivityStatus.values:
        raise InvalidInput("Status is an IATI activity-status code, 1 to 6.", field="status")
    if status != ActivityStatus.PIPELINE and not activity.has_state_consent:
        raise Conflict("The State has not consented to this activity yet.")
    _check_dates(actual_start or activity.actual_start, actual_end or activity.actual_end, "actual_end")
    with audit.acting_as(by):
        activity.status = status
        activity.actual_start = actual_start or activity.actual_start
        activity.actual_end = actual_end or activity.actual_end
        activity.save(update_fields=["status", "actual_start", "actual_end", "updated_at"])
    _feed(
        FeedKind.ACTIVITY_STATUS,
        activity=activity,
        provider=activity.lead_provider,
        summary=f"“{activity.title}”: {activity.get_status_display().lower()}",
    )
    return activity


@transaction.atomic
def activity_set_participants(
    *, activity: Activity, by, women: int, men: int, other: int = 0, groups: dict[str, int] | None = None
) -> Activity:
    """Participants disaggregated by sex, and by affected group (a group cannot exceed the total)."""
    policy.require(by, "assistance.activity.edit", activity)
    if min(women, men, other) < 0:
        raise InvalidInput("Participant counts cannot be negative.", field="participants")
    total = women + men + other
    groups = groups or {}
    for code, count in groups.items():
        if count < 0 or count > total:
            raise InvalidInput(f"{count} participants in group {code!r} but {total} in all.", field="groups")
    known = {g.code: g for g in AffectedGroup.objects.filter(code__in=groups)}
    if set(groups) - set(known):
        raise InvalidInput(f"Unknown affected groups: {sorted(set(groups) - set(known))}.", field="groups")
    with audit.acting_as(by):
        activity.participants_women, activity.participants_men, activity.participants_other = (
            women,
            men,
            other,
        )
        activity.save(
            update_fields=["participants_women", "participants_men", "participants_other", "updated_at"]
        )
        activity.participant_groups.exclude(group__in=list(known)).delete()
        for code, count in groups.items():
            ActivityParticipantGroup.objects.update_or_create(
                activity=activity, group=known[code], defaults={"count": count}
            )
    return activity


@transaction.atomic
def activity_publish(*, activity: Activity, by, published: bool = True) -> Activity:
    """Publish what was provided (op. 7), only as far as the State consented to publication."""
    policy.require(by, "assistance.activity.edit", activity)
    if published:
        allowed = (
            activity.request.consent_publish_summary if activity.request_id else activity.state_consent_at
        )
        if not allowed:
            raise Conflict("The State has not consented to publishing this activity.")
    with audit.acting_as(by):
        activity.is_published = published
        activity.save(update_fields=["is_published", "updated_at"])
    return activity


@transaction.atomic
def activity_complete(
    *,
    activity: Activity,
    by,
    actual_end: date,
    outputs: str = "",
    recommendation_status: str | None = None,
    evidence: str = "",
) -> Activity:
    """Finish an activity (IATI status 3, finalisation); optionally record the implementation status of its
    linked recommendations, with the activity as evidence."""
    activity_set_status(
        activity=activity,
        by=by,
        status=ActivityStatus.FINALISATION,
        actual_start=activity.actual_start or activity.planned_start,
        actual_end=actual_end,
    )
    with audit.acting_as(by):
        if outputs:
            activity.outputs = outputs
            activity.save(update_fields=["outputs", "updated_at"])
    if recommendation_status:
        text = (
            evidence.strip()
            or f"Technical assistance activity “{activity.title}” by {activity.lead_provider}"
        )
        for rec in activity.recommendations.all():
            assessment_record(
                subject=rec,
                by=by,
                status=recommendation_status,
                as_of=actual_end,
                evidence=f"{text} (hrtc activity {activity.pk}, completed {actual_end}).",
            )
    return activity


def _feed(
    kind: str,
    *,
    summary: str,
    request: AssistanceRequest | None = None,
    activity: Activity | None = None,
    offer: Offer | None = None,
    provider: Organisation | None = None,
) -> FeedEvent:
    state = request.requesting_state if request else activity.state if activity else None
    return FeedEvent.objects.create(
        kind=kind,
        state=state,
        provider=provider,
        request=request,
        activity=activity,
        offer=offer,
        summary=summary[:500],
    )
