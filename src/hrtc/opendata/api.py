"""The public read API of the transparency portal: anyone may call it, signed in or not, and everyone gets the
same published data. Serializers are built from the download columns, so the API, the downloads and the data
dictionary say the same thing."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.assistance.models import Activity
from hrtc.opendata import downloads, publication, selectors
from hrtc.opendata.selectors import PortalFilter


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "48500.00"})
class ExactDecimalField(serializers.Field):
    """Money as an exact decimal string, never a float."""

    def to_representation(self, value: Any) -> str:
        return str(value)


def _field(column: downloads.Column) -> serializers.Field:
    options = {"read_only": True, "help_text": str(column.description)}
    if column.type == "list":
        return serializers.ListField(child=serializers.CharField(), **options)
    options["allow_null"] = True
    return {
        "string": serializers.CharField,
        "integer": serializers.IntegerField,
        "decimal": ExactDecimalField,
        "date": serializers.DateField,
        "datetime": serializers.DateTimeField,
    }[column.type](**options)


def serializer_for(dataset: downloads.Dataset, name: str) -> type[serializers.Serializer]:
    attrs = {column.name: _field(column) for column in dataset.columns}
    attrs["__doc__"] = str(dataset.description)
    return type(name, (serializers.Serializer,), attrs)


PublicActivitySerializer = serializer_for(downloads.DATASETS["activities"], "PublicActivitySerializer")
PublicRequestSerializer = serializer_for(downloads.DATASETS["requests"], "PublicRequestSummarySerializer")
PublicOfferSerializer = serializer_for(downloads.DATASETS["offers"], "PublicOfferSerializer")

FILTER_PARAMETERS = [
    OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=str(help_text)
    )
    for name, help_text in selectors.FILTER_HELP
]


class ChainedRows:
    """Published activities recorded here, then imported ones, as one sliceable sequence for the paginator:
    a page reads only its own rows."""

    def __init__(self, view: PortalFilter):
        self.internal = selectors.with_public_relations(selectors.activities(view))
        self.external = selectors.external_activities(view)
        self._internal_count: int | None = None

    def internal_count(self) -> int:
        if self._internal_count is None:
            self._internal_count = self.internal.count()
        return self._internal_count

    def count(self) -> int:
        return self.internal_count() + self.external.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        start, stop = window.start or 0, window.stop
        split = self.internal_count()
        rows = (
            [selectors.activity_row(a) for a in self.internal[start : min(stop, split)]]
            if start < split
            else []
        )
        if stop > split:
            rows += publication.external_activity_rows(self.external[max(start - split, 0) : stop - split])
        return rows


class _PublicApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []  # the same answer for everyone: no session, no token needed

    def view(self, request: Request) -> PortalFilter:
        return PortalFilter.from_query(request.query_params)

    def paginated(self, request: Request, rows: Any, serializer: type[serializers.Serializer]) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(serializer(page, many=True).data)

    @property
    def pagination_class(self):
        from hrtc.core.rest import Pagination

        return Pagination


class PublicActivityList(_PublicApi):
    """Support provided: published activities recorded here, then activities imported from other
    publishers' IATI files. Only activities whose State consented to publication; only public fields."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses=PublicActivitySerializer(many=True))
    def get(self, request: Request) -> Response:
        return self.paginated(request, ChainedRows(self.view(request)), PublicActivitySerializer)


class PublicActivityDetail(_PublicApi):
    """One published activity recorded here (404 for anything else, so an unpublished one looks missing)."""

    @extend_schema(responses=PublicActivitySerializer)
    def get(self, request: Request, pk: int) -> Response:
        try:
            activity = selectors.activity_detail(pk)
        except Activity.DoesNotExist:
            raise Http404 from None
        return Response(PublicActivitySerializer(selectors.activity_row(activity)).data)


class PublicRequestList(_PublicApi):
    """Support requested: summaries of requests whose State allowed them to be published (nothing else)."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses=PublicRequestSerializer(many=True))
    def get(self, request: Request) -> Response:
        page_rows = _Rows(selectors.requests(self.view(request)), selectors.request_row)
        return self.paginated(request, page_rows, PublicRequestSerializer)


class PublicOfferList(_PublicApi):
    """Support available: the catalogue of active offers (their contact and capacity stay internal)."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses=PublicOfferSerializer(many=True))
    def get(self, request: Request) -> Response:
        return self.paginated(
            request, _Rows(selectors.offers(self.view(request)), selectors.offer_row), PublicOfferSerializer
        )


class _Rows:
    """A queryset seen through a row function, sliceable for the paginator."""

    def __init__(self, queryset, to_row):
        self.queryset, self.to_row = queryset, to_row

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.to_row(record) for record in self.queryset[window]]


class PortalBarSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="the code to filter by")
    label = serializers.CharField()
    count = serializers.IntegerField()


class PortalChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    bars = PortalBarSerializer(many=True)


class PublicAggregates(_PublicApi):
    """Counts of published activities (recorded here and imported) by State, region, provider, theme, SDG,
    gender marker, modality and year: the portal's charts as data."""

    class AggregatesOut(serializers.Serializer):
        filters = serializers.DictField(child=serializers.CharField())
        activities = serializers.IntegerField(help_text="published activities recorded here")
        imported = serializers.IntegerField(help_text="activities imported from IATI")
        offers = serializers.IntegerField()
        requests = serializers.IntegerField(help_text="published request summaries")
        charts = PortalChartSerializer(many=True)

    @extend_schema(parameters=FILTER_PARAMETERS, responses=AggregatesOut)
    def get(self, request: Request) -> Response:
        view = self.view(request)
        totals = selectors.totals(view)
        charts = [
            {
                "key": c.key,
                "title": c.title,
                "bars": [{"value": b.value, "label": b.label, "count": b.count} for b in c.bars],
            }
            for c in selectors.aggregates(view, limit=1000)
        ]
        return Response(
            {
                "filters": view.active(),
                "activities": totals.activities,
                "imported": totals.imported,
                "offers": totals.offers,
                "requests": totals.requests,
                "charts": charts,
            }
        )


class DatasetColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField(help_text=f"one of: {', '.join(downloads.TYPES)}")
    description = serializers.CharField()


class PublicDatasets(_PublicApi):
    """The data dictionary: each dataset's columns, their types and meaning, and its download addresses
    (add the portal's filters to a download address to download a view)."""

    class DatasetOut(serializers.Serializer):
        key = serializers.CharField()
        title = serializers.CharField()
        description = serializers.CharField()
        columns = DatasetColumnSerializer(many=True)
        downloads = serializers.DictField(child=serializers.CharField(), help_text="format → address")

    @extend_schema(responses=DatasetOut(many=True))
    def get(self, request: Request) -> Response:
        from django.urls import reverse

        return Response(
            [
                {
                    "key": d.key,
                    "title": str(d.title),
                    "description": str(d.description),
                    "columns": [
                        {"name": c.name, "type": c.type, "description": str(c.description)} for c in d.columns
                    ],
                    "downloads": {
                        fmt: request.build_absolute_uri(reverse("opendata:download", args=[d.key, fmt]))
                        for fmt in d.formats
                    },
                }
                for d in downloads.DATASETS.values()
            ]
        )
