from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.search import engine

URLS = {
    "recommendation": "recommendations:detail",
    "request": "assistance:request",
    "activity": "assistance:activity",
}
FACET_LABELS = {
    "kind": _("Kind"),
    "state": _("State"),
    "region": _("Region"),
    "mechanism": _("Mechanism"),
    "theme": _("Theme"),
    "sdg": _("SDG"),
    "year": _("Year"),
    "language": _("Language"),
}


KIND_LABELS = {
    "recommendation": _("Recommendation"),
    "pledge": _("Voluntary pledge"),
    "request": _("Assistance request"),
    "activity": _("Activity"),
    "offer": _("Offer of support"),
    "practice": _("Good practice"),
    "report": _("Report"),
    "sdg-goal": _("SDG goal"),
    "sdg-target": _("SDG target"),
}


def _value_labels(facets: dict[str, list[dict]]) -> dict[tuple[str, str], str]:
    """Readable names for facet values (codes stay in the links): kinds, States, themes."""
    from hrtc.reference.models import State, Theme

    labels = {("kind", k): str(v) for k, v in KIND_LABELS.items()}
    states = [row["value"] for row in facets.get("state", [])]
    labels |= {
        ("state", code): name
        for code, name in State.objects.filter(code__in=states).values_list("code", "name")
    }
    themes = [row["value"] for row in facets.get("theme", [])]
    for code, name in (
        Theme.objects.filter(code__in=themes).order_by("vocabulary").values_list("code", "name")
    ):
        labels.setdefault(("theme", code), name)
    return labels


def url_for(kind: str, object_id: int, key: str = "") -> str | None:
    try:
        if kind == "practice" and key:
            return reverse("practices:detail", args=[key])
        if kind == "report":
            return reverse("reports:saved", args=[object_id])
        if kind in {"sdg-goal", "sdg-target"}:
            return reverse("reference:sdgs") + f"#{kind.removeprefix('sdg-')}-{key}"
        return reverse(URLS[kind], args=[object_id]) if kind in URLS else None
    except NoReverseMatch:
        return None


def _link(query: str, filters: dict, **change) -> str:
    params = {"q": query, **{k: v for k, v in filters.items() if v}, **change}
    return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _run(request):
    filters = {name: request.GET.get(name, "") for name in engine.FACETS}
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    return engine.search(request.user, request.GET.get("q", "").strip(), filters, page), filters, page


def search_page(request):
    results, filters, page = _run(request)
    hits = [
        {
            "doc": h.document,
            "snippet": mark_safe(h.snippet),  # noqa: S308 - built from escaped text + <mark>
            "kind": KIND_LABELS.get(h.document.kind, h.document.kind),
            "url": url_for(h.document.kind, h.document.object_id, h.document.object_key),
        }
        for h in results.hits
    ]
    names = _value_labels(results.facets)
    facets = [
        {
            "name": name,
            "label": FACET_LABELS.get(name, name),
            "chosen": filters.get(name, ""),
            "clear": _link(results.query, filters, **{name: ""}),
            "rows": [
                {
                    **row,
                    "label": names.get((name, str(row["value"])), row["value"]),
                    "link": _link(results.query, filters, **{name: row["value"]}),
                }
                for row in rows[:10]
            ],
        }
        for name, rows in results.facets.items()
        if rows or filters.get(name)
    ]
    pages = (results.total + engine.PAGE - 1) // engine.PAGE
    return render(
        request,
        "search/search.html",
        {
            "results": results,
            "hits": hits,
            "filters": filters,
            "facets": facets,
            "page": page,
            "pages": pages,
            "previous": _link(results.query, filters, page=page - 1) if page > 1 else "",
            "next": _link(results.query, filters, page=page + 1) if page < pages else "",
        },
    )


class SearchApi(APIView):
    """One search over recommendations, pledges, requests, activities, offers, good practices and the SDG goals
    and targets (six languages) — only what you may see — with facets and highlighted snippets (HTML-escaped,
    matches in <mark>). Facets are counted after the permission filter."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("page", int),
            *[OpenApiParameter(name, str) for name in engine.FACETS],
        ],
        responses=dict,
    )
    def get(self, request):
        results, _, page = _run(request)
        return Response(
            {
                "query": results.query,
                "total": results.total,
                "page": page,
                "facets": results.facets,
                "results": [
                    {
                        "kind": h.document.kind,
                        "id": h.document.object_id,
                        "title": h.document.title,
                        "state": h.document.state_id,
                        "language": h.document.language,
                        "snippet": h.snippet,
                        "key": h.document.object_key,
                        "url": url_for(h.document.kind, h.document.object_id, h.document.object_key),
                    }
                    for h in results.hits
                ],
            }
        )
