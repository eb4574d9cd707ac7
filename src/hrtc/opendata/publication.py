"""THE rule of what hrtc publishes as open data (resolution 48/24, op. 7), and the imported activities.

Contract — every open-data output (the portal pages, its downloads and read API, the IATI export and the
organisation files) takes its internal activities from :func:`published_activities` and nothing else:

* An internal activity is published when, and only while, all of these hold:

  1. a provider published it (``Activity.is_published``), and
  2. the State consented to publication:

     - for an activity that follows a request: the request's consent record allows its summary to be
       published (``consent_publish_summary``) and the request is neither a draft nor withdrawn. Consent
       is read *now*, so a State that narrows or withdraws its consent takes every activity of the request
       out of every output at once, even those a provider had published;
     - for a provider-initiated activity (no request): the State consented to the activity
       (``state_consent_at``) — the same condition ``assistance.services.activity_publish`` checks.

* Of a published activity only public fields leave the platform (see ``selectors`` for the written list);
  in particular never who consented, nor participants per affected group. The IATI export adds the fund
  grants and disbursements to a published activity (IATI transactions), never ledger entries, memos or
  the donors behind a fund.

* Activities imported from other publishers' IATI files (:class:`hrtc.opendata.models.ExternalActivity`)
  are public data already: :func:`external_activities` lists them all; they are never mixed into
  :func:`published_activities`.

Functions here only read; they are cheap querysets that callers may filter further.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet

from hrtc.assistance import disclosure as assistance_disclosure
from hrtc.assistance.models import Activity

if TYPE_CHECKING:  # pragma: no cover
    from hrtc.opendata.models import ExternalActivity

#: hrtc-local prefix for organisations (and funds) without an IATI organisation identifier. It is NOT an
#: IATI registration agency: it marks identifiers that only mean something inside this hrtc installation,
#: so a reader can tell them from registered ones (``XM-DAC-41146``). Settable with HRTC_IATI_LOCAL_PREFIX.
LOCAL_ORG_PREFIX_DEFAULT = "XX-HRTC"

# The rule itself is the activity's disclosure decision, owned by the assistance app (one place for every
# surface, open data included): re-exported here for open data's callers.
consent_condition = assistance_disclosure.consent_condition
published_condition = assistance_disclosure.published_condition


def published_activities() -> QuerySet[Activity]:
    """Internal activities that may be published now (see the module docstring). Filter it further as you
    like; never widen it."""
    return Activity.objects.filter(published_condition())


def is_published(activity: Activity) -> bool:
    """The same rule for one activity in memory (as it is in the database now)."""
    return published_activities().filter(pk=activity.pk).exists()


# Identifiers ------------------------------------------------------------------------------------------------


def local_prefix() -> str:
    return getattr(settings, "HRTC_IATI_LOCAL_PREFIX", None) or os.environ.get(
        "HRTC_IATI_LOCAL_PREFIX", LOCAL_ORG_PREFIX_DEFAULT
    )


def organisation_ref(organisation: Any) -> str:
    """An organisation's IATI identifier: its registered one, else ``XX-HRTC-<code>`` (hrtc-local)."""
    return organisation.iati_org_ref or f"{local_prefix()}-{organisation.code}"


def fund_ref(fund: Any) -> str:
    """A voluntary fund's identifier: funds have no registered IATI identifier, so ``XX-HRTC-FUND-<code>``."""
    return f"{local_prefix()}-FUND-{fund.code}"


def iati_identifier(activity: Activity) -> str:
    """``<lead provider's organisation identifier>-HRTC-<id>``: IATI requires the reporting organisation's
    identifier as the prefix; the id is stable for the activity's life."""
    return f"{organisation_ref(activity.lead_provider)}-HRTC-{activity.pk}"


def public_url(path: str) -> str:
    """An absolute URL of a public page (HRTC_PUBLIC_URL, default http://localhost:8000)."""
    base = getattr(settings, "HRTC_PUBLIC_URL", None) or os.environ.get(
        "HRTC_PUBLIC_URL", "http://localhost:8000"
    )
    return base.rstrip("/") + path


# Imported (external) activities ----------------------------------------------------------------------------


def external_models() -> list[type]:
    from hrtc.opendata.models import ExternalActivity

    return [ExternalActivity]


def external_activities() -> QuerySet[ExternalActivity]:
    """Every activity imported from another publisher's IATI file (all public)."""
    from hrtc.opendata.models import ExternalActivity

    return ExternalActivity.objects.select_related("state", "reporting_organisation").order_by(
        "-planned_start", "iati_identifier"
    )


def external_activities_filtered(view: Any) -> QuerySet[ExternalActivity]:
    """Imported activities in a portal view (``selectors.PortalFilter``). A filter that an imported activity
    cannot match (a modality, which IATI does not carry) selects none."""
    from hrtc.opendata.models import ExternalActivity

    matching = external_activities()
    if getattr(view, "modality", ""):
        return ExternalActivity.objects.none()
    states = view.states() if hasattr(view, "states") else None
    if states is not None:
        matching = matching.filter(countries__state__in=states)
    if view.provider:
        matching = matching.filter(
            Q(reporting_organisation__code=view.provider) | Q(participants__organisation__code=view.provider)
        )
    if view.theme:
        matching = matching.filter(themes__in=view.theme_ids())
    if view.sdg:
        if "." in view.sdg:
            matching = matching.filter(tags__vocabulary="3", tags__code=view.sdg)
        else:
            matching = matching.filter(
                Q(tags__vocabulary="2", tags__code=view.sdg)
                | Q(tags__vocabulary="3", tags__code__startswith=f"{view.sdg}.")
            )
    if view.gender_marker:
        matching = matching.filter(gender_marker=int(view.gender_marker))
    if view.year:
        year = int(view.year)
        from django.db.models.functions import Coalesce

        matching = matching.annotate(
            running_from=Coalesce("actual_start", "planned_start"),
            running_to=Coalesce("actual_end", "planned_end"),
        ).filter(running_from__year__lte=year, running_to__year__gte=year)
    return external_activities().filter(pk__in=matching.values("pk"))


def external_activity_row(external: ExternalActivity) -> dict[str, Any]:
    """An imported activity as the same public row shape the portal uses for internal ones."""
    countries = list(external.countries.all())
    tags = list(external.tags.all())
    participants = list(external.participants.all())
    return {
        "source": external.source_label,
        "id": external.iati_identifier,
        "iati_identifier": external.iati_identifier,
        "title": external.title,
        "description": external.description,
        "state": external.state_id or "",
        "state_name": external.state.name if external.state_id else "",
        "m49_region": external.state.m49_region if external.state_id else "",
        "regional_group": external.state.regional_group if external.state_id else "",
        "recipient_countries": [c.code for c in countries],
        "lead_provider": external.reporting_organisation.code if external.reporting_organisation_id else "",
        "lead_provider_name": external.reporting_org_name,
        "reporting_org_ref": external.reporting_org_ref,
        "partners": sorted({p.organisation.code for p in participants if p.organisation_id}),
        "modality": "",
        "status": external.activity_status,
        "status_label": external.status_label,
        "planned_start": external.planned_start,
        "planned_end": external.planned_end,
        "actual_start": external.actual_start,
        "actual_end": external.actual_end,
        "budget_amount": external.budget_total,
        "budget_currency": external.budget_currency,
        "gender_marker": external.gender_marker,
        "participants_women": None,
        "participants_men": None,
        "participants_other": None,
        "themes": [t.key for t in external.themes.all()],
        "sdg_goals": sorted(
            {t.code for t in tags if t.vocabulary == "2"}
            | {t.code.split(".")[0] for t in tags if t.vocabulary == "3"},
            key=lambda c: int(c) if c.isdigit() else 99,
        ),
        "sdg_targets": [t.code for t in tags if t.vocabulary == "3"],
        "sectors": [f"{s.vocabulary}:{s.code}" for s in external.sectors.all()],
        "recommendations": [],
        "request": "",
        "outputs": "",
        "last_updated": external.last_updated,
    }


def external_activity_rows(queryset: QuerySet[ExternalActivity], chunk_size: int = 1000) -> Iterator[dict]:
    """Imported activities (a queryset, a page of one or a list) as public rows, streamed."""
    related = ("countries", "tags", "participants__organisation", "themes", "sectors")
    if isinstance(queryset, QuerySet):
        for external in queryset.prefetch_related(*related).iterator(chunk_size=chunk_size):
            yield external_activity_row(external)
        return
    from django.db.models import prefetch_related_objects

    items = list(queryset)
    prefetch_related_objects(items, *related)
    for external in items:
        yield external_activity_row(external)


def external_activity_counts(queryset: QuerySet[ExternalActivity], keys: Iterable[str]) -> dict[str, Counter]:
    """Counts of imported activities along the portal's chart dimensions (the keys of ``selectors.CHART_TITLES``
    that apply to IATI data: state, region, provider, theme, sdg, gender_marker, year)."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce, ExtractYear

    keys = set(keys)
    counts: dict[str, Counter] = {}
    base = queryset.order_by()

    def count(field: str) -> Counter:
        rows = base.values_list(field).annotate(n=Count("pk", distinct=True))
        return Counter({v: n for v, n in rows if v not in (None, "")})

    if "state" in keys:
        counts["state"] = count("countries__state")
    if "region" in keys:
        counts["region"] = count("countries__state__regional_group")
    if "provider" in keys:
        counts["provider"] = count("reporting_organisation__code")
    if "theme" in keys:
        rows = base.values_list("themes__vocabulary", "themes__code").annotate(n=Count("pk", distinct=True))
        counts["theme"] = Counter({f"{v}:{c}": n for v, c, n in rows if c})
    if "sdg" in keys:
        goals: Counter = Counter()
        for pk, vocabulary, code in (
            base.filter(tags__vocabulary__in=["2", "3"])
            .values_list("pk", "tags__vocabulary", "tags__code")
            .distinct()
        ):
            goals[(pk, code if vocabulary == "2" else code.split(".")[0])] = 1
        counts["sdg"] = Counter(goal for _pk, goal in goals)
    if "gender_marker" in keys:
        counts["gender_marker"] = count("gender_marker")
    if "year" in keys:
        rows = (
            base.annotate(y=ExtractYear(Coalesce("actual_start", "planned_start")))
            .exclude(y=None)
            .values_list("y")
            .annotate(n=Count("pk"))
        )
        counts["year"] = Counter({str(y): n for y, n in rows})
    return counts


def external_activity_states(queryset: QuerySet[ExternalActivity]) -> set[str]:
    """The States (alpha-3) imported activities are in."""
    return set(queryset.exclude(countries__state=None).values_list("countries__state", flat=True))
