"""The linking API: links with filters, a person's accept / reject / add, the classifiers."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.accounts import policy
from hrtc.core.api import VisibleReadOnlyViewSet
from hrtc.linking import selectors, services
from hrtc.linking.models import ClassifierModel, Link
from hrtc.linking.subjects import linkable_by_name
from hrtc.reference.models import SdgGoal, Theme


class LinkSerializer(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()
    goal = serializers.CharField(source="goal_id", allow_null=True)
    theme = serializers.SerializerMethodField()
    classifier = serializers.CharField(source="classifier.version", default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", default=None)

    class Meta:
        model = Link
        fields = [
            "id",
            "subject_type",
            "object_id",
            "kind",
            "goal",
            "theme",
            "source",
            "status",
            "confidence",
            "margin",
            "classifier",
            "reviewed_by",
            "reviewed_at",
            "created_at",
        ]

    def get_subject_type(self, link: Link) -> str:
        return f"{link.content_type.app_label}.{link.content_type.model}"

    def get_theme(self, link: Link) -> str | None:
        return link.theme.key if link.theme_id else None


class LinkApi(VisibleReadOnlyViewSet):
    """SDG goal and theme links. Suggestions (`status=suggested`, `source=model`) are not accepted links
    until a person accepts them. Ordered by uncertainty with `ordering=margin`."""

    base_queryset = Link.objects.select_related("content_type", "goal", "theme", "classifier", "reviewed_by")
    serializer_class = LinkSerializer
    filterset_class = selectors.LinkFilter
    ordering_fields = ["margin", "confidence", "created_at", "id"]
    ordering = ["id"]


class DecisionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class _Decision(APIView):
    permission_classes = [permissions.IsAuthenticated]
    decide = None

    @extend_schema(request=DecisionInput, responses=LinkSerializer)
    def post(self, request, pk: int):
        link = get_object_or_404(selectors.links_visible(request.user), pk=pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decided = type(self).decide(link=link, by=request.user, **data.validated_data)
        return Response(LinkSerializer(decided).data)


class LinkAcceptApi(_Decision):
    """Accept a link (a suggestion becomes an accepted link)."""

    decide = staticmethod(services.link_accept)


class LinkRejectApi(_Decision):
    """Reject a suggestion or remove a link; the classifier will not suggest it again for the record."""

    decide = staticmethod(services.link_reject)


class LinkAddInput(serializers.Serializer):
    subject_type = serializers.CharField(help_text="recommendation, pledge or activity")
    object_id = serializers.IntegerField()
    goal = serializers.CharField(required=False, help_text="SDG goal, e.g. 5")
    theme = serializers.CharField(required=False, help_text="Theme key, e.g. uprinfo:Women's rights")


class LinkAddApi(APIView):
    """A person links a record to an SDG goal or a theme."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=LinkAddInput, responses={201: LinkSerializer})
    def post(self, request):
        data = LinkAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            linkable = linkable_by_name(values["subject_type"])
        except LookupError as error:
            raise serializers.ValidationError({"subject_type": str(error)}) from None
        subject = get_object_or_404(policy.visible(request.user, linkable.queryset()), pk=values["object_id"])
        goal = get_object_or_404(SdgGoal, code=values["goal"]) if values.get("goal") else None
        theme = None
        if values.get("theme"):
            vocabulary, _, code = values["theme"].partition(":")
            theme = get_object_or_404(Theme, vocabulary=vocabulary, code=code)
        link = services.link_add(subject=subject, by=request.user, goal=goal, theme=theme)
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)


class ClassifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassifierModel
        fields = [
            "id",
            "version",
            "seed",
            "is_active",
            "sha256",
            "params",
            "training",
            "metrics",
            "created_at",
        ]


class ClassifierApi(VisibleReadOnlyViewSet):
    """Trained classifiers: version, training data sizes and held-out metrics."""

    base_queryset = ClassifierModel.objects.all()
    serializer_class = ClassifierSerializer
    filterset_fields = ["is_active"]


class ActiveClassifierApi(APIView):
    """The classifier in use, or `{"active": null}` when none is trained (the platform then makes no
    suggestions)."""

    @extend_schema(responses=ClassifierSerializer)
    def get(self, request):
        model = selectors.classifiers_visible(request.user).filter(is_active=True).first()
        return Response({"active": ClassifierSerializer(model).data if model else None})
