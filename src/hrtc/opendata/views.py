"""Public pages of the transparency portal: no sign-in, and the same page for everyone (see selectors)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hrtc.assistance.choices import GenderMarker, Modality
from hrtc.assistance.models import Activity
from hrtc.core.exceptions import InvalidInput
from hrtc.opendata import downloads, publication, selectors
from hrtc.opendata.selectors import PortalFilter
from hrtc.practices import selectors as practice_selectors
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import SdgGoal, State, Theme
from hrtc.reports import selectors as report_selectors

PAGE_SIZE = 25


def _view(request: HttpRequest, **fixed: str) -> PortalFilter:
    query = request.GET.copy()
    for name, value in fixed.items():
        query[name] = value
    return PortalFilter.from_query(query)


def _refused(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    return render(request, "opendata/bad_filter.html", {"error": error}, status=400)


def _filter_form() -> dict:
    regions = list(State.objects.exclude(m49_region="").values_list("m49_region", flat=True).distinct())
    return {
        "states": State.objects.only("code", "name", "names"),
        "regional_groups": RegionalGroup.choices,
        "m49_regions": sorted(set(regions)),
        "providers": selectors.provider_choices(),
        "themes": Theme.objects.filter(vocabulary="uhri", level=1),
        "goals": SdgGoal.objects.all(),
        "gender_markers": GenderMarker.choices,
        "modalities": Modality.choices,
    }


def _downloads(dataset: str, view: PortalFilter) -> list[dict]:
    query = view.canonical()
    return [
        {
            "format": fmt,
            "label": {"csv": "CSV", "json": "JSON", "xlsx": "XLSX", "iati": "IATI XML"}[fmt],
            "url": reverse("opendata:download", args=[dataset, fmt]) + (f"?{query}" if query else ""),
        }
        for fmt in downloads.DATASETS[dataset].formats
    ]


def _coming(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _context(request: HttpRequest, view: PortalFilter) -> dict:
    internal = Paginator(selectors.with_public_relations(selectors.activities(view)), PAGE_SIZE)
    imported = Paginator(selectors.external_activities(view), PAGE_SIZE)
    activities_page = internal.get_page(request.GET.get("page"))
    imported_page = imported.get_page(request.GET.get("ipage"))
    return {
        "view": view,
        "active": view.active(),
        "query": view.canonical(),
        "totals": selectors.totals(view),
        "charts": selectors.aggregates(view),
        "activities": activities_page,
        "activity_rows": [selectors.activity_row(a) for a in activities_page],
        "imported": imported_page,
        "imported_rows": list(publication.external_activity_rows(imported_page.object_list)),
        "activity_downloads": _downloads("activities", view),
        "request_downloads": _downloads("requests", view),
        "offer_downloads": _downloads("offers", view),
        "practices": practice_selectors.for_portal(state=view.state, region=view.region, sdg=view.sdg),
        **_filter_form(),
    }


@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    """Support available and provided, by State, region, provider, theme, SDG, marker, modality, year."""
    try:
        view = _view(request)
    except InvalidInput as error:
        return _refused(request, error)
    context = _context(request, view)
    context.update(
        practices_url=_coming("practices:list"),
        reports_url=_coming("reports:home"),
        published_reports=report_selectors.published_reports()[:10],
    )
    template = "opendata/_portal_results.html" if request.htmx else "opendata/portal.html"
    return render(request, template, context)


@require_safe
def state_page(request: HttpRequest, code: str) -> HttpResponse:
    """One State's page, for its focal point to link to: requested, provided and available."""
    state = get_object_or_404(State, code=code.upper())
    try:
        view = _view(request, state=state.code)
    except InvalidInput as error:
        return _refused(request, error)
    context = _context(request, view)
    context.update(
        active={name: value for name, value in view.active().items() if name != "state"},
        state=state,
        requests=selectors.requests(view)[:100],
        offers=selectors.offers(PortalFilter(state=state.code))[:100],
    )
    return render(request, "opendata/state.html", context)


@require_safe
def offers(request: HttpRequest) -> HttpResponse:
    try:
        view = _view(request)
    except InvalidInput as error:
        return _refused(request, error)
    page = Paginator(selectors.offers(view), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "view": view,
        "active": view.active(),
        "query": view.canonical(),
        "page": page,
        "offer_downloads": _downloads("offers", view),
        **_filter_form(),
    }
    return render(request, "opendata/offers.html", context)


@require_safe
def requests(request: HttpRequest) -> HttpResponse:
    try:
        view = _view(request)
    except InvalidInput as error:
        return _refused(request, error)
    page = Paginator(selectors.requests(view), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "view": view,
        "active": view.active(),
        "query": view.canonical(),
        "page": page,
        "request_downloads": _downloads("requests", view),
        **_filter_form(),
    }
    return render(request, "opendata/requests.html", context)


@require_safe
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = selectors.activity_detail(pk)
    except Activity.DoesNotExist:
        raise Http404(_("No such published activity.")) from None
    return render(
        request, "opendata/activity.html", {"activity": record, "row": selectors.activity_row(record)}
    )


@require_safe
def data_dictionary(request: HttpRequest) -> HttpResponse:
    context = {
        "datasets": downloads.DATASETS.values(),
        "formats": [(key, label) for key, (_type, label) in downloads.FORMATS.items()],
        "filters": selectors.FILTER_HELP,
        "types": [(key, str(label)) for key, label in downloads.TYPES.items()],
    }
    return render(request, "opendata/dictionary.html", context)


@require_safe
def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    chosen = downloads.DATASETS.get(dataset)
    if chosen is None or fmt not in chosen.formats:
        raise Http404(_("No such download."))
    try:
        view = _view(request)
    except InvalidInput as error:
        return _refused(request, error)
    return downloads.response(request, chosen, fmt, view)
