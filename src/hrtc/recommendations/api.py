import tempfile
from pathlib import Path

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.accounts import policy
from hrtc.core.api import VisibleReadOnlyViewSet
from hrtc.recommendations import exporting, selectors, services
from hrtc.recommendations.choices import ImplementationStatus
from hrtc.recommendations.importing import recommendations_import
from hrtc.recommendations.models import Assessment, Cluster, Pledge, Recommendation, ResponsibleEntity
from hrtc.reference.models import Theme


class AssessmentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None)
    organisation = serializers.CharField(source="organisation.code", default=None)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "status",
            "as_of",
            "evidence",
            "evidence_url",
            "source",
            "author",
            "organisation",
            "internal",
            "created_at",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    recommending_states = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="key")
    affected_groups = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    sdg_goals = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    responsible_entities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    status = serializers.CharField(source="public_status")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "state_under_review",
            "mechanism",
            "text",
            "language",
            "recommending_states",
            "recommending_body",
            "cycle",
            "session",
            "date",
            "document_symbol",
            "paragraph",
            "response",
            "response_source",
            "action_category",
            "status",
            "themes",
            "affected_groups",
            "sdg_goals",
            "responsible_entities",
            "cluster",
            "source_format",
        ]


class RecommendationDetailSerializer(RecommendationSerializer):
    assessments = AssessmentSerializer(many=True, source="visible_assessments")

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "assessments"]


class RecommendationApi(VisibleReadOnlyViewSet):
    """Recommendations (public documents). Filter with the query parameters below; see also /facets/."""

    base_queryset = Recommendation.objects.all()
    serializer_class = RecommendationSerializer
    filterset_class = selectors.RecommendationFilter
    search_fields = []
    ordering_fields = ["id", "cycle", "session", "paragraph"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.with_list_relations(super().get_queryset())
        return selectors.with_list_relations(super().get_queryset()).distinct()

    def retrieve(self, request, pk=None):
        try:
            rec = selectors.recommendation_detail(request.user, int(pk))
        except (Recommendation.DoesNotExist, ValueError):
            return Response({"detail": "No such recommendation."}, status=404)
        return Response(RecommendationDetailSerializer(rec).data)


class FacetsApi(APIView):
    """Counts by mechanism, response, status, cycle, State, theme, SDG and group for the same filters."""

    @extend_schema(
        parameters=[OpenApiParameter(name, str) for name in selectors.RecommendationFilter.base_filters],
        responses=dict,
    )
    def get(self, request):
        queryset = selectors.recommendations_filtered(request.user, request.query_params)
        return Response({"count": queryset.count(), "facets": selectors.facets(queryset)})


class ExportApi(APIView):
    """The filtered list as CSV (`?as=csv`, streamed) or XLSX (`?as=xlsx`)."""

    @extend_schema(parameters=[OpenApiParameter("as", str, enum=["csv", "xlsx"])], responses={200: bytes})
    def get(self, request):
        queryset = selectors.with_list_relations(
            selectors.recommendations_filtered(request.user, request.query_params)
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        if request.query_params.get("as") == "xlsx":
            response = HttpResponse(
                exporting.xlsx_bytes(queryset),
                content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )
            response["Content-Disposition"] = f'attachment; filename="recommendations-{stamp}.xlsx"'
            return response
        response = StreamingHttpResponse(exporting.iter_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="recommendations-{stamp}.csv"'
        return response


class AssessmentInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    as_of = serializers.DateField(required=False)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    internal = serializers.BooleanField(required=False, default=False)


class AssessmentCreateApi(APIView):
    """Record the implementation status of a recommendation, with evidence."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AssessmentInput, responses={201: AssessmentSerializer})
    def post(self, request, pk: int):
        rec = get_object_or_404(selectors.recommendations_visible(request.user), pk=pk)
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessment_record(subject=rec, by=request.user, **data.validated_data)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class BulkAssignInput(serializers.Serializer):
    recommendations = serializers.ListField(child=serializers.IntegerField(), max_length=5000)
    entities = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    themes = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="Theme keys, e.g. uhri:B31"
    )


class BulkAssignApi(APIView):
    """Add responsible national entities and themes to many recommendations at once."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=BulkAssignInput, responses=dict)
    def post(self, request):
        data = BulkAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        recs = list(
            selectors.recommendations_visible(request.user).filter(
                pk__in=data.validated_data["recommendations"]
            )
        )
        entities = list(ResponsibleEntity.objects.filter(pk__in=data.validated_data["entities"]))
        themes = [t for t in Theme.objects.all() if t.key in set(data.validated_data["themes"])]
        missing = set(data.validated_data["themes"]) - {t.key for t in themes}
        if missing:
            return Response(
                {"error": "invalid", "field": "themes", "detail": f"Unknown themes: {sorted(missing)}"},
                status=422,
            )
        changed = services.recommendations_bulk_assign(
            recommendations=recs, by=request.user, entities=entities, themes=themes
        )
        return Response({"changed": changed})


class ImportApi(APIView):
    """Upload a recommendations file (UPR Info, OHCHR matrix, UHRI export or the hrtc template)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}, "format": {"type": "string"}},
            }
        },
        responses=dict,
    )
    def post(self, request):
        policy.require(request.user, "recommendations.import")
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"error": "invalid", "field": "file", "detail": "Attach the file as `file`."}, status=422
            )
        report = import_upload(upload, by=request.user, format=request.data.get("format") or None)
        return Response(report.__dict__, status=status.HTTP_201_CREATED)


def import_upload(upload, *, by, format=None):
    """Spool an uploaded file to disk (importers stream from a path) and import it."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return recommendations_import(path=path, by=by, format=format, display_name=upload.name)


class PledgeSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="key")
    status = serializers.CharField(source="public_status")

    class Meta:
        model = Pledge
        fields = ["id", "state", "text", "language", "cycle", "session", "date", "status", "themes"]


class PledgeApi(VisibleReadOnlyViewSet):
    base_queryset = Pledge.objects.prefetch_related("themes")
    serializer_class = PledgeSerializer
    filterset_fields = ["state", "session", "cycle", "public_status"]
    search_fields = ["text"]


class ClusterSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cluster
        fields = ["id", "state_under_review", "label", "method", "size"]


class ClusterApi(VisibleReadOnlyViewSet):
    base_queryset = Cluster.objects.all()
    serializer_class = ClusterSerializer
    filterset_fields = ["state_under_review", "method"]

    def get_queryset(self):
        from django.db.models import Count

        return super().get_queryset().annotate(size=Count("recommendations")).order_by("-size", "id")


class ClusterEditApi(APIView):
    """Correct the clustering by hand: rename a cluster (PATCH) — hand-edited clusters survive re-clustering."""

    permission_classes = [permissions.IsAuthenticated]

    class Input(serializers.Serializer):
        label = serializers.CharField(max_length=300)

    @extend_schema(request=Input, responses=ClusterSerializer)
    def patch(self, request, pk: int):
        cluster = get_object_or_404(policy.visible(request.user, Cluster.objects.all()), pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        renamed = services.cluster_rename(
            cluster=cluster, label=data.validated_data["label"], by=request.user
        )
        renamed.size = renamed.recommendations.count()
        return Response(ClusterSerializer(renamed).data)


class ClusterMoveApi(APIView):
    """Move a recommendation into another cluster of the same State, or out of any (`cluster: null`)."""

    permission_classes = [permissions.IsAuthenticated]

    class Input(serializers.Serializer):
        cluster = serializers.IntegerField(allow_null=True)

    @extend_schema(request=Input, responses=RecommendationSerializer)
    def post(self, request, pk: int):
        rec = get_object_or_404(selectors.recommendations_visible(request.user), pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        target = data.validated_data["cluster"]
        cluster = get_object_or_404(Cluster, pk=target) if target is not None else None
        moved = services.cluster_move(recommendation=rec, cluster=cluster, by=request.user)
        return Response(RecommendationSerializer(moved).data)


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibleEntity
        fields = ["id", "state", "name", "acronym"]


class EntityApi(generics.ListCreateAPIView):
    """Responsible national entities (ministries, agencies). Creating one needs edit rights for its State."""

    serializer_class = EntitySerializer
    filterset_fields = ["state"]

    def get_queryset(self):
        return policy.visible(self.request.user, ResponsibleEntity.objects.all())

    def create(self, request, *args, **kwargs):
        data = EntitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entity = services.responsible_entity_create(by=request.user, **data.validated_data)
        return Response(EntitySerializer(entity).data, status=status.HTTP_201_CREATED)
