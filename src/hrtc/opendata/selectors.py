"""Reads for the public transparency portal (resolution 48/24, op. 7): support *available* (the catalogue of
offers) and support *provided* (activities recorded here and activities imported from other publishers'
IATI files), and the summaries of requests whose State allowed publication.

Everything here is public: it is read as an anonymous visitor would see it, whoever asks. What may be
published is decided in one place, ``hrtc.opendata.publication`` (activities) and the access policy's
anonymous scope (requests, offers); this module only filters, counts and flattens what those allow.

What never leaves the platform through the portal, its downloads, its API or IATI — the written list:

* A request whose State has not allowed its summary to be published (``consent_publish_summary``), and
  any draft or withdrawn request: not its title, not its existence, not in a count.
* Of a published request, everything but its summary (id, State, title, modality, status, themes, dates):
  the needs, the priorities, the wanted timeframe, the working language, the desired providers, the
  providers it was shared with (the consent record and its history), who submitted or consented and why,
  the reasons given in its lifecycle, its linked recommendations, pledges and SDG targets.
* An activity that is not published, or whose State has since withdrawn consent to publication: nothing.
* Of a published activity: who gave the State's consent and when, and the participants per affected group
  (small counts of, say, persons with disabilities in one workshop can identify people). Participants by
  sex are aggregates and are published.
* Of an offer: the contact and the capacity (internal planning); inactive offers altogether.
* Users, memberships, tokens, the audit log, the funds ledger.

Filters only ever test published fields, so a filter cannot be used as an oracle on internal ones: a filter
that does not apply to a kind of record (an SDG for a request, whose SDG links are internal; a year for an
offer) selects none of them rather than all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from hrtc.accounts import policy
from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation
from hrtc.assistance.choices import ActivityStatus, GenderMarker, Modality, RequestStatus
from hrtc.assistance.models import Activity, AssistanceRequest, Offer
from hrtc.core.exceptions import InvalidInput
from hrtc.opendata import publication
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import SdgGoal, SdgTarget, State, Theme
from hrtc.reference.selectors import theme_family

#: Request statuses whose summary may be public (with the State's consent).
PUBLIC_REQUEST_STATUSES = [
    s for s in RequestStatus.values if s not in (RequestStatus.DRAFT, RequestStatus.WITHDRAWN)
]


@dataclass(frozen=True)
class PortalFilter:
    """One portal view: every filter is optional; values are stable codes, so a view is a shareable URL."""

    state: str = ""  # ISO 3166-1 alpha-3
    region: str = ""  # a UN regional group code (AFRICAN, ...) or an M49 region name (Africa, ...)
    provider: str = ""  # an organisation code (ohchr, unwomen, ...): lead or partner
    theme: str = ""  # a theme key such as uhri:A2 (its sub-themes and mapped themes count too)
    sdg: str = ""  # an SDG goal (5) or target (5.2)
    gender_marker: str = ""  # 0, 1 or 2
    modality: str = ""
    year: str = ""  # activities running in that year; requests made that year

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> PortalFilter:
        """Read and check a query string; a bad value is refused with the field it came from."""
        values = {f.name: str(query.get(f.name) or "").strip() for f in fields(cls)}
        values["state"] = values["state"].upper()
        values["provider"] = values["provider"].lower()
        view = cls(**values)
        view.check()
        return view

    def check(self) -> None:
        if self.state and not State.objects.filter(code=self.state).exists():
            raise InvalidInput(
                f"Unknown State {self.state!r}; use an ISO 3166-1 alpha-3 code.", field="state"
            )
        if self.region and not (self.region in RegionalGroup.values or self._m49_region()):
            raise InvalidInput(
                f"Unknown region {self.region!r}; use a UN regional group "
                f"({', '.join(RegionalGroup.values)}) or an M49 region name.",
                field="region",
            )
        if self.provider and not Organisation.objects.filter(code=self.provider).exists():
            raise InvalidInput(f"Unknown provider {self.provider!r}.", field="provider")
        if self.theme and self._theme() is None:
            raise InvalidInput(f"Unknown theme {self.theme!r}; use a key such as uhri:A2.", field="theme")
        if self.sdg and not (
            SdgGoal.objects.filter(code=self.sdg).exists() or SdgTarget.objects.filter(code=self.sdg).exists()
        ):
            raise InvalidInput(f"Unknown SDG goal or target {self.sdg!r}.", field="sdg")
        if self.gender_marker and self.gender_marker not in {str(v) for v in GenderMarker.values}:
            raise InvalidInput("The gender equality marker is 0, 1 or 2.", field="gender_marker")
        if self.modality and self.modality not in Modality.values:
            raise InvalidInput(
                f"Unknown modality {self.modality!r}; use one of {', '.join(Modality.values)}.",
                field="modality",
            )
        if self.year and not (self.year.isdigit() and 1945 <= int(self.year) <= 2200):
            raise InvalidInput(f"{self.year!r} is not a year.", field="year")

    def active(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def canonical(self) -> str:
        """The filter as a sorted query string: the same view always gives the same string."""
        return "&".join(f"{k}={v}" for k, v in sorted(self.active().items()))

    def _m49_region(self) -> str:
        match = State.objects.filter(m49_region__iexact=self.region).values_list("m49_region", flat=True)
        return match.first() or ""

    def _theme(self) -> Theme | None:
        vocabulary, _sep, code = self.theme.partition(":")
        return Theme.objects.filter(vocabulary=vocabulary, code=code).first() if code else None

    def theme_ids(self) -> set[int]:
        """The theme, its sub-themes and the themes mapped to or from it in another vocabulary."""
        return theme_family(self._theme())

    def states(self) -> QuerySet[State] | None:
        """The States the view is about, or None when it is not narrowed by State or region."""
        states = State.objects.all()
        if self.state:
            states = states.filter(code=self.state)
        if self.region in RegionalGroup.values:
            states = states.filter(regional_group=self.region)
        elif self.region:
            states = states.filter(m49_region__iexact=self.region)
        return states if (self.state or self.region) else None

    def regional_groups(self) -> set[str] | None:
        states = self.states()
        return None if states is None else set(states.values_list("regional_group", flat=True)) - {""}


#: The filters, for the data dictionary page and the API's documentation.
FILTER_HELP = [
    ("state", _("a State, ISO 3166-1 alpha-3 (KEN)")),
    (
        "region",
        _(
            "a UN regional group (AFRICAN, ASIA_PACIFIC, EASTERN_EUROPEAN, GRULAC, WEOG) or an M49 region (Africa)"
        ),
    ),
    ("provider", _("an organisation code (ohchr): lead provider or partner")),
    ("theme", _("a theme key (uhri:A2); its sub-themes and mapped themes count too")),
    ("sdg", _("an SDG goal (5) or target (5.2)")),
    ("gender_marker", _("the gender equality marker: 0, 1 or 2")),
    ("modality", _("a modality code (training, advisory, ...)")),
    ("year", _("activities running in that year; requests made that year")),
]


# Activities: support provided -------------------------------------------------------------------------------


def activities(view: PortalFilter) -> QuerySet[Activity]:
    """Published activities recorded here, in the view. One row per activity (filters never duplicate)."""
    published = publication.published_activities() & policy.visible(None, Activity.objects.all())
    matching = published
    states = view.states()
    if states is not None:
        matching = matching.filter(state__in=states)
    if view.provider:
        matching = matching.filter(Q(lead_provider__code=view.provider) | Q(partners__code=view.provider))
    if view.theme:
        matching = matching.filter(themes__in=view.theme_ids())
    if view.sdg:
        matching = matching.filter(
            Q(sdg_targets__code=view.sdg) if "." in view.sdg else Q(sdg_targets__goal=view.sdg)
        )
    if view.gender_marker:
        matching = matching.filter(gender_marker=int(view.gender_marker))
    if view.modality:
        matching = matching.filter(modality=view.modality)
    if view.year:
        year = int(view.year)
        matching = matching.annotate(
            running_from=Coalesce("actual_start", "planned_start"),
            running_to=Coalesce("actual_end", "planned_end"),
        ).filter(running_from__lte=date(year, 12, 31), running_to__gte=date(year, 1, 1))
    return (
        Activity.objects.filter(pk__in=matching.values("pk"))
        .select_related("state", "lead_provider", "budget_currency", "request")
        .order_by("-planned_start", "-id")
    )


def with_public_relations(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """The related rows a public activity shows, prefetched: a list costs a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("partners", queryset=Organisation.objects.order_by("code")),
        Prefetch("themes", queryset=Theme.objects.order_by("vocabulary", "code")),
        Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("goal__number", "position")),
        Prefetch("recommendations", queryset=_public_recommendations()),
    )


def _public_recommendations():
    from hrtc.recommendations.models import Recommendation

    return policy.visible(None, Recommendation.objects.only("pk").order_by("pk"))


def activity_detail(pk: int) -> Activity:
    """One published activity; ``Activity.DoesNotExist`` for anything else, published or not, so a visitor
    cannot tell an unpublished activity from a missing one."""
    return with_public_relations(activities(PortalFilter())).get(pk=pk)


def external_activities(view: PortalFilter) -> QuerySet:
    """Activities imported from other publishers' IATI files, in the view."""
    return publication.external_activities_filtered(view)


# Requests (published summaries) and offers (the catalogue) -------------------------------------------------


def requests(view: PortalFilter) -> QuerySet[AssistanceRequest]:
    """Summaries of requests whose State allowed publication. A provider, SDG or gender-marker filter
    selects none: who a request was shared with and its SDG links are not public."""
    public = policy.visible(None, AssistanceRequest.objects.all()).filter(
        consent_publish_summary=True, status__in=PUBLIC_REQUEST_STATUSES
    )
    if view.provider or view.sdg or view.gender_marker:
        return AssistanceRequest.objects.none()
    states = view.states()
    if states is not None:
        public = public.filter(requesting_state__in=states)
    if view.theme:
        public = public.filter(themes__in=view.theme_ids())
    if view.modality:
        public = public.filter(modality=view.modality)
    if view.year:
        public = public.filter(created_at__year=int(view.year))
    return (
        AssistanceRequest.objects.filter(pk__in=public.values("pk"))
        .select_related("requesting_state")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("vocabulary", "code")))
        .order_by("-created_at", "-id")
    )


def offers(view: PortalFilter) -> QuerySet[Offer]:
    """The catalogue: active offers, in the view. A State or region selects the offers that serve it (an
    offer without regional groups serves all); an SDG, gender-marker or year filter selects none."""
    active = policy.visible(None, Offer.objects.all()).filter(is_active=True)
    if view.sdg or view.gender_marker or view.year:
        return Offer.objects.none()
    groups = view.regional_groups()
    if groups is not None:
        serving = [
            pk
            for pk, served in active.values_list("pk", "regional_groups")
            if not served or groups & set(served)
        ]
        active = active.filter(pk__in=serving)
    if view.provider:
        active = active.filter(provider__code=view.provider)
    if view.theme:
        active = active.filter(themes__in=view.theme_ids())
    if view.modality:
        active = active.filter(modality=view.modality)
    return (
        Offer.objects.filter(pk__in=active.values("pk"))
        .select_related("provider")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("vocabulary", "code")))
        .order_by("provider__name", "title", "id")
    )


# Flat public rows: what every format and the API serialise -------------------------------------------------


def _keys(items: Iterable[Any], attr: str = "code") -> list[str]:
    return [getattr(item, attr) for item in items]


def activity_row(activity: Activity) -> dict[str, Any]:
    """A published activity as public fields only (see the module docstring for what is left out)."""
    targets = list(activity.sdg_targets.all())
    request_public = (
        activity.request_id is not None
        and activity.request.consent_publish_summary
        and activity.request.status in PUBLIC_REQUEST_STATUSES
    )
    return {
        "source": "hrtc",
        "id": str(activity.pk),
        "iati_identifier": publication.iati_identifier(activity),
        "title": activity.title,
        "description": activity.description,
        "state": activity.state_id,
        "state_name": activity.state.name,
        "m49_region": activity.state.m49_region,
        "regional_group": activity.state.regional_group,
        "lead_provider": activity.lead_provider.code,
        "lead_provider_name": activity.lead_provider.name,
        "partners": _keys(activity.partners.all()),
        "modality": activity.modality,
        "status": activity.status,
        "status_label": str(ActivityStatus(activity.status).label),
        "planned_start": activity.planned_start,
        "planned_end": activity.planned_end,
        "actual_start": activity.actual_start,
        "actual_end": activity.actual_end,
        "budget_amount": activity.budget_amount,
        "budget_currency": activity.budget_currency_id or "",
        "gender_marker": activity.gender_marker,
        "participants_women": activity.participants_women,
        "participants_men": activity.participants_men,
        "participants_other": activity.participants_other,
        "themes": _keys(activity.themes.all(), "key"),
        "sdg_goals": sorted({t.goal_id for t in targets}, key=int),
        "sdg_targets": _keys(targets),
        "recommendations": [str(r.pk) for r in activity.recommendations.all()],
        "request": str(activity.request_id) if request_public else "",
        "outputs": activity.outputs,
        "last_updated": activity.updated_at,
    }


def activity_rows(view: PortalFilter, chunk_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every published activity in the view, recorded here then imported, as public rows; streamed."""
    for activity in with_public_relations(activities(view)).iterator(chunk_size=chunk_size):
        yield activity_row(activity)
    yield from publication.external_activity_rows(external_activities(view), chunk_size=chunk_size)


def request_row(req: AssistanceRequest) -> dict[str, Any]:
    return {
        "id": str(req.pk),
        "state": req.requesting_state_id,
        "state_name": req.requesting_state.name,
        "title": req.title,
        "modality": req.modality,
        "status": req.status,
        "themes": _keys(req.themes.all(), "key"),
        "created_at": req.created_at,
        "last_updated": req.updated_at,
    }


def request_rows(view: PortalFilter, chunk_size: int = 1000) -> Iterator[dict[str, Any]]:
    for req in requests(view).iterator(chunk_size=chunk_size):
        yield request_row(req)


def offer_row(offer: Offer) -> dict[str, Any]:
    return {
        "id": str(offer.pk),
        "provider": offer.provider.code,
        "provider_name": offer.provider.name,
        "title": offer.title,
        "description": offer.description,
        "modality": offer.modality,
        "themes": _keys(offer.themes.all(), "key"),
        "languages": list(offer.languages),
        "regional_groups": list(offer.regional_groups),
        "published_at": offer.created_at,
    }


def offer_rows(view: PortalFilter, chunk_size: int = 1000) -> Iterator[dict[str, Any]]:
    for offer in offers(view).iterator(chunk_size=chunk_size):
        yield offer_row(offer)


# Aggregates for the charts ----------------------------------------------------------------------------------


@dataclass
class Bar:
    value: str
    label: str
    count: int
    pct: int = 0


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar]

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


def _chart(
    key: str, title: str, counts: Counter, labels: Mapping[str, str], limit: int | None = None
) -> Chart:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(labels.get(kv[0], kv[0]))))
    if key in ("year", "gender_marker"):
        ordered = sorted(counts.items())
    ordered = ordered[:limit] if limit else ordered
    peak = max((n for _v, n in ordered), default=1)
    bars = [Bar(str(v), str(labels.get(v, v)), n, round(80 * n / peak)) for v, n in ordered]
    return Chart(key, str(title), bars)


def _count(queryset: QuerySet, field: str) -> Counter:
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk", distinct=True))
    return Counter({value: n for value, n in rows if value not in (None, "")})


CHART_TITLES = {
    "state": _("Activities by State"),
    "region": _("Activities by UN regional group"),
    "provider": _("Activities by lead provider"),
    "theme": _("Activities by theme"),
    "sdg": _("Activities by SDG"),
    "gender_marker": _("Activities by gender equality marker"),
    "modality": _("Activities by modality"),
    "year": _("Activities by year of start"),
}


def aggregates(view: PortalFilter, keys: Iterable[str] = CHART_TITLES, limit: int = 15) -> list[Chart]:
    """Counts of published activities (recorded here and imported) along each dimension of the portal."""
    counts: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    keys = list(keys)
    internal = activities(view)
    if "state" in keys or "region" in keys:
        by_state = _count(internal, "state")
        counts["state"].update(by_state)
        counts["region"].update(
            Counter(
                {
                    group: n
                    for group, n in internal.order_by()
                    .values_list("state__regional_group")
                    .annotate(n=Count("pk"))
                    if group
                }
            )
        )
    if "provider" in keys:
        counts["provider"].update(_count(internal, "lead_provider__code"))
    if "theme" in keys:
        theme_counts = (
            internal.order_by()
            .values_list("themes__vocabulary", "themes__code")
            .annotate(n=Count("pk", distinct=True))
        )
        counts["theme"].update({f"{v}:{c}": n for v, c, n in theme_counts if c})
    if "sdg" in keys:
        counts["sdg"].update(_count(internal, "sdg_targets__goal"))
    if "gender_marker" in keys:
        counts["gender_marker"].update(_count(internal, "gender_marker"))
    if "modality" in keys:
        counts["modality"].update(_count(internal, "modality"))
    if "year" in keys:
        years = (
            internal.order_by()
            .annotate(y=ExtractYear(Coalesce("actual_start", "planned_start")))
            .values_list("y")
            .annotate(n=Count("pk"))
        )
        counts["year"].update({str(y): n for y, n in years})
    for key, counter in publication.external_activity_counts(external_activities(view), keys).items():
        counts[key].update(counter)

    labels["state"] = dict(State.objects.filter(code__in=list(counts["state"])).values_list("code", "name"))
    labels["region"] = {k: str(v) for k, v in RegionalGroup.choices}
    labels["provider"] = {
        org.code: str(org) for org in Organisation.objects.filter(code__in=list(counts["provider"]))
    }
    wanted = Q(pk__in=[])
    for key in counts["theme"]:
        vocabulary, _sep, code = key.partition(":")
        wanted |= Q(vocabulary=vocabulary, code=code)
    labels["theme"] = {t.key: t.localized_name() for t in Theme.objects.filter(wanted)}
    labels["sdg"] = {g.code: f"{g.code}. {g.localized_title()}" for g in SdgGoal.objects.all()}
    labels["gender_marker"] = {str(k): str(v) for k, v in GenderMarker.choices}
    labels["modality"] = {k: str(v) for k, v in Modality.choices}
    counts["gender_marker"] = Counter({str(k): n for k, n in counts["gender_marker"].items()})
    counts["sdg"] = Counter({str(k): n for k, n in counts["sdg"].items()})
    return [
        _chart(
            key,
            CHART_TITLES[key],
            counts[key],
            labels[key],
            None if key in ("year", "gender_marker") else limit,
        )
        for key in keys
    ]


@dataclass
class Totals:
    activities: int
    imported: int
    offers: int
    requests: int
    states: int
    budgets: list[tuple[str, Decimal]]  # (currency, sum): never added across currencies


def totals(view: PortalFilter) -> Totals:
    internal = activities(view)
    budgets = (
        internal.exclude(budget_amount=None)
        .order_by()
        .values_list("budget_currency")
        .annotate(total=Sum("budget_amount"))
        .order_by("budget_currency")
    )
    external = external_activities(view)
    return Totals(
        activities=internal.count(),
        imported=external.count(),
        offers=offers(view).count(),
        requests=requests(view).count(),
        states=len(
            set(internal.values_list("state", flat=True)) | publication.external_activity_states(external)
        ),
        budgets=list(budgets),
    )


# The data's latest change, for ETag and Last-Modified ------------------------------------------------------


def latest_change(dataset: str) -> tuple[str, Any]:
    """A version stamp and the time of the last change to anything a dataset is made of, including changes
    that take a record out (unpublishing, narrowed consent, deletions are all in the audit log)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    models = {
        "activities": [Activity, AssistanceRequest, Organisation, *publication.external_models()],
        "requests": [AssistanceRequest],
        "offers": [Offer, Organisation],
    }[dataset]
    stamps = []
    for model in models:
        if any(f.name == "updated_at" for f in model._meta.get_fields()):
            stamps.append(model.objects.aggregate(at=Max("updated_at"), n=Count("pk")))
        else:
            stamps.append(model.objects.aggregate(at=Max("created_at"), n=Count("pk")))
    log = LogEntry.objects.filter(
        content_type__in=[ContentType.objects.get_for_model(m) for m in models]
    ).aggregate(at=Max("timestamp"), id=Max("id"))
    times = [s["at"] for s in stamps if s["at"]] + ([log["at"]] if log["at"] else [])
    version = "|".join(f"{s['at'] and s['at'].isoformat()}:{s['n']}" for s in stamps) + f"|log:{log['id']}"
    return version, max(times, default=None)


def provider_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=PROVIDER_KINDS, is_active=True).order_by("name")
