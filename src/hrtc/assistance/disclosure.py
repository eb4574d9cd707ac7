"""What each reader may see of requests, activities, offers and the feed: the one decision per kind of record
(see ``hrtc.core.disclosure``), registered in ``AssistanceConfig.ready()``.

* **Request.** In full: the State's government (any role), the providers the State consented to (from
  submission on), platform administrators. Its summary (``REQUEST_PUBLIC_FIELDS``): everyone, while the State
  allows publication and the request is neither a draft nor withdrawn. Never in a summary: needs, priorities,
  timeframe, working language, desired and consented providers, who consented and why, lifecycle reasons,
  linked recommendations, pledges and SDG targets.
* **Activity.** Public while a provider published it *and* the State consents now (its request's consent to
  publish the summary, the request neither draft nor withdrawn; or the State's consent to a provider-initiated
  activity): :func:`published_condition`, the rule open data and IATI use too. In full: the State's
  government, the lead provider, partners, platform administrators. Never public: participants per affected
  group, who gave the State's consent and when.
* **Offer.** Active offers: everyone, without their contact and capacity (internal planning); in full: the
  provider's own members, platform administrators.
* **Feed event.** Seen by whoever sees its subject (request, activity, offer); a consent change only by those
  who read the request in full. The provider named on an event about a request is who decided on it, which is
  the State's consent: read only by those who read the request in full.
* **Request events, consent records, participant groups**: only those who read their parent in full.
"""

from __future__ import annotations

from django.db.models import Q

from hrtc.core.disclosure import Disclosure, register

#: Request statuses whose summary (and activities) may be public, with the State's consent.
UNPUBLISHABLE_REQUEST_STATUSES = ("draft", "withdrawn")

REQUEST_PUBLIC_FIELDS = frozenset(
    {"id", "requesting_state", "title", "modality", "status", "themes", "created_at", "updated_at"}
)
ACTIVITY_PRIVATE_FIELDS = frozenset(
    {"participants_by_group", "participant_groups", "state_consent_by", "state_consent_at"}
)
OFFER_PRIVATE_FIELDS = frozenset({"contact", "capacity"})
FEED_PUBLIC_FIELDS = frozenset({"id", "kind", "state", "request", "activity", "offer", "summary", "at"})


def consent_condition(prefix: str = "") -> Q:
    """The State's consent to publication as a filter on activities (``prefix`` for related lookups)."""
    p = prefix
    via_request = (
        Q(**{f"{p}request__isnull": False})
        & Q(**{f"{p}request__consent_publish_summary": True})
        & ~Q(**{f"{p}request__status__in": UNPUBLISHABLE_REQUEST_STATUSES})
    )
    without_request = Q(**{f"{p}request__isnull": True}) & Q(**{f"{p}state_consent_at__isnull": False})
    return via_request | without_request


def published_condition(prefix: str = "") -> Q:
    """An activity is public while a provider published it and the State consents, read now."""
    return Q(**{f"{prefix}is_published": True}) & consent_condition(prefix)


# Requests ---------------------------------------------------------------------------------------------------


def request_summary_public() -> Q:
    return Q(consent_publish_summary=True) & ~Q(status__in=UNPUBLISHABLE_REQUEST_STATUSES)


def request_full(p) -> Q | bool:
    if p.is_platform_admin:
        return True
    from hrtc.assistance.models import AssistanceRequest

    shared = AssistanceRequest.consent_providers.through.objects.filter(
        organisation_id__in=p.organisation_ids()
    ).values("assistancerequest_id")
    return Q(requesting_state__in=p.state_ids()) | (Q(pk__in=shared) & ~Q(status="draft"))


def request_rows(p) -> Q | bool:
    full = request_full(p)
    return True if full is True else full | request_summary_public()


def _request_ids(condition: Q | bool):
    from hrtc.assistance.models import AssistanceRequest

    return AssistanceRequest.objects.filter(condition).values("pk") if condition is not True else None


def _children_of_full_requests(p) -> Q | bool:
    full = request_full(p)
    return True if full is True else Q(request__in=_request_ids(full))


# Activities -------------------------------------------------------------------------------------------------


def activity_full(p) -> Q | bool:
    if p.is_platform_admin:
        return True
    from hrtc.assistance.models import Activity

    orgs = p.organisation_ids()
    partnered = Activity.partners.through.objects.filter(organisation_id__in=orgs).values("activity_id")
    return Q(state__in=p.state_ids()) | Q(lead_provider__in=orgs) | Q(pk__in=partnered)


def activity_rows(p) -> Q | bool:
    full = activity_full(p)
    return True if full is True else full | published_condition()


def _children_of_full_activities(p) -> Q | bool:
    full = activity_full(p)
    if full is True:
        return True
    from hrtc.assistance.models import Activity

    return Q(activity__in=Activity.objects.filter(full).values("pk"))


# Offers -----------------------------------------------------------------------------------------------------


def offer_full(p) -> Q | bool:
    return True if p.is_platform_admin else Q(provider__in=p.organisation_ids())


def offer_rows(p) -> Q | bool:
    full = offer_full(p)
    return True if full is True else full | Q(is_active=True)


# The feed ---------------------------------------------------------------------------------------------------


def _feed(p, request_condition: Q | bool) -> Q | bool:
    from hrtc.assistance.models import Activity, Offer

    activities, offers = activity_rows(p), offer_rows(p)
    if request_condition is True and activities is True and offers is True:
        return True
    requests = (
        Q(request__isnull=False)
        if request_condition is True
        else Q(request__in=_request_ids(request_condition))
    )
    return (
        requests
        | Q(activity__in=Activity.objects.filter(activities).values("pk"))
        | Q(offer__in=Offer.objects.filter(offers).values("pk"))
    )


def feed_rows(p) -> Q | bool:
    full = request_full(p)
    if full is True:
        return True
    from hrtc.assistance.choices import FeedKind

    # A consent change is the State's business: only those who read the request in full see it happened.
    consent_events = Q(kind=FeedKind.CONSENT_CHANGED)
    return (_feed(p, request_rows(p)) & ~consent_events) | (
        consent_events & Q(request__in=_request_ids(full))
    )


def feed_full(p) -> Q | bool:
    """Events whose provider the reader may read: about a request they read in full, or about an activity or
    offer (whose provider is public with it)."""
    full = request_full(p)
    if full is True:
        return True
    return Q(request__isnull=True) | Q(request__in=_request_ids(full))


REQUEST = Disclosure(
    label="assistance.assistancerequest",
    rows=request_rows,
    full=request_full,
    public_fields=REQUEST_PUBLIC_FIELDS,
    rows_description="the State; consented providers once submitted; everyone for published summaries",
    full_description="the State's government; providers it consented to (once submitted); administrators",
)
ACTIVITY = Disclosure(
    label="assistance.activity",
    rows=activity_rows,
    full=activity_full,
    public_fields=frozenset(),  # filled below: every field but the private ones
    rows_description="published and consented by the State now: everyone; otherwise the State, lead, partners",
    full_description="the State's government, the lead provider, partners, administrators",
)
OFFER = Disclosure(
    label="assistance.offer",
    rows=offer_rows,
    full=offer_full,
    public_fields=frozenset(),
    rows_description="active offers: everyone; the provider's own; administrators",
    full_description="the provider's own members; administrators",
)
FEED_EVENT = Disclosure(
    label="assistance.feedevent",
    rows=feed_rows,
    full=feed_full,
    public_fields=FEED_PUBLIC_FIELDS,
    rows_description="whoever sees the request, activity or offer it is about (consent changes: full readers)",
    full_description="the provider it names: whoever reads the request in full; activity and offer events: all",
)
REQUEST_EVENT = Disclosure(
    label="assistance.requestevent",
    rows=_children_of_full_requests,
    full=_children_of_full_requests,
    public_fields=frozenset(),
    rows_description="whoever reads the request in full",
    full_description="whoever reads the request in full",
)
CONSENT_RECORD = Disclosure(
    label="assistance.consentrecord",
    rows=lambda p: True if p.is_platform_admin else Q(request__requesting_state__in=p.state_ids()),
    full=lambda p: True,
    public_fields=frozenset(),
    rows_description="the State's government; administrators",
    full_description="the State's government; administrators",
)
PARTICIPANT_GROUP = Disclosure(
    label="assistance.activityparticipantgroup",
    rows=_children_of_full_activities,
    full=_children_of_full_activities,
    public_fields=frozenset(),
    rows_description="whoever reads the activity in full (small counts can identify people)",
    full_description="whoever reads the activity in full",
)


def _all_fields_but(model, private: frozenset[str], extra: set[str]) -> frozenset[str]:
    names = {f.name for f in model._meta.get_fields()} | {f.attname for f in model._meta.concrete_fields}
    return frozenset((names | extra) - private)


def register_all() -> None:
    from dataclasses import replace

    from hrtc.assistance.models import Activity, Offer

    register(REQUEST)
    register(
        replace(
            ACTIVITY,
            public_fields=_all_fields_but(Activity, ACTIVITY_PRIVATE_FIELDS, {"participants_total"}),
        )
    )
    register(replace(OFFER, public_fields=_all_fields_but(Offer, OFFER_PRIVATE_FIELDS, set())))
    register(FEED_EVENT)
    register(REQUEST_EVENT)
    register(CONSENT_RECORD)
    register(PARTICIPANT_GROUP)
