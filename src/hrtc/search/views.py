from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.search import engine

URLS = {
    "recommendation": "recommendations:detail",
    "request": "assistance:request",
    "activity": "assistance:activity",
}


def url_for(kind: str, object_id: int) -> str | None:
    try:
        return reverse(URLS[kind], args=[object_id]) if kind in URLS else None
    except NoReverseMatch:
        return None


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
            "url": url_for(h.document.kind, h.document.object_id),
        }
        for h in results.hits
    ]
    return render(
        request,
        "search/search.html",
        {
            "results": results,
            "hits": hits,
            "filters": filters,
            "page": page,
            "pages": (results.total + engine.PAGE - 1) // engine.PAGE,
        },
    )


class SearchApi(APIView):
    """One search over recommendations, pledges, requests, activities and offers — only what you may see —
    with facets and highlighted snippets (HTML-escaped, matches in <mark>)."""

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
                        "url": url_for(h.document.kind, h.document.object_id),
                    }
                    for h in results.hits
                ],
            }
        )
