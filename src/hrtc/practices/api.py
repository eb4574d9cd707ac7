"""The good-practices API: list and read what you may see, submit, edit, moderate, attach files."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation
from hrtc.assistance.models import Activity, AssistanceRequest
from hrtc.practices import selectors, services
from hrtc.practices.choices import LANGUAGES, PracticeStatus
from hrtc.practices.lifecycle import TRANSITIONS
from hrtc.practices.models import Attachment, Practice, PracticeEvent
from hrtc.practices.sanitize import clean_html
from hrtc.recommendations.models import Recommendation
from hrtc.reference.models import AffectedGroup, SdgTarget, State, Theme

codes = {"slug_field": "code"}


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "description", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("practices:attachment", args=[obj.pk])


class EventSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = PracticeEvent
        fields = ["from_status", "to_status", "by", "comment", "at"]


class SanitisedHtml(serializers.CharField):
    """Stored rich text, cleaned again on the way out (as pages do): a body written around `Practice.save()`
    is never served raw."""

    def to_representation(self, value) -> str:
        return clean_html(super().to_representation(value))


class PracticeSerializer(serializers.ModelSerializer):
    body = SanitisedHtml(
        read_only=True, help_text="HTML, sanitised (scripts, styles, event handlers removed)."
    )
    state = serializers.SlugRelatedField(read_only=True, **codes)
    themes = serializers.SlugRelatedField(many=True, read_only=True, **codes)
    sdg_targets = serializers.SlugRelatedField(many=True, read_only=True, **codes)
    affected_groups = serializers.SlugRelatedField(many=True, read_only=True, **codes)
    providers = serializers.SlugRelatedField(many=True, read_only=True, **codes)
    translation_of = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id", "slug", "title", "summary", "body", "language", "translation_of", "state", "region",
            "providers", "themes", "sdg_targets", "affected_groups", "results", "evidence", "status",
            "published_at", "created_at", "updated_at", "attachments",
        ]  # fmt: skip


class PracticeInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField()
    body = serializers.CharField(help_text="HTML; sanitised (scripts, styles, event handlers removed).")
    language = serializers.ChoiceField(choices=LANGUAGES, default="en")
    state = serializers.SlugRelatedField(
        queryset=State.objects.all(), required=False, allow_null=True, **codes
    )
    region = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    results = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    providers = serializers.SlugRelatedField(
        queryset=Organisation.objects.filter(kind__in=PROVIDER_KINDS), many=True, required=False, **codes
    )
    themes = serializers.SlugRelatedField(queryset=Theme.objects.all(), many=True, required=False, **codes)
    sdg_targets = serializers.SlugRelatedField(
        queryset=SdgTarget.objects.all(), many=True, required=False, **codes
    )
    affected_groups = serializers.SlugRelatedField(
        queryset=AffectedGroup.objects.all(), many=True, required=False, **codes
    )
    recommendations = serializers.PrimaryKeyRelatedField(
        queryset=Recommendation.objects.all(), many=True, required=False
    )
    requests = serializers.PrimaryKeyRelatedField(
        queryset=AssistanceRequest.objects.all(), many=True, required=False
    )
    activities = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.all(), many=True, required=False
    )


class PracticeEditInput(PracticeInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class PracticeTransitionInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class PracticeAttachmentInput(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PracticeApi(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Good practices you may see: published ones (everyone), your own and your organisation's, and — for
    moderators — everything waiting for review. Moves that the workflow does not allow answer 409."""

    serializer_class = PracticeSerializer
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.filtered(self.request.user, self.request.query_params).prefetch_related(
            "themes", "sdg_targets", "affected_groups", "providers", "attachments"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PracticeStatus.values),
            OpenApiParameter("language", str),
            OpenApiParameter("state", str),
            OpenApiParameter("region", str),
            OpenApiParameter("theme", str),
            OpenApiParameter("sdg", str),
            OpenApiParameter("q", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PracticeInput, responses={201: PracticeSerializer})
    def create(self, request, *args, **kwargs):
        data = PracticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.practice_submit(by=request.user, **data.validated_data)
        return Response(PracticeSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PracticeEditInput, responses=PracticeSerializer)
    def partial_update(self, request, *args, **kwargs):
        data = PracticeEditInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        edited = services.practice_edit(practice=self.get_object(), by=request.user, **data.validated_data)
        return Response(PracticeSerializer(edited).data)

    @extend_schema(request=PracticeTransitionInput, responses=PracticeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def transition(self, request, slug=None):
        data = PracticeTransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.practice_transition(
            practice=self.get_object(),
            by=request.user,
            name=data.validated_data["transition"],
            comment=data.validated_data["comment"],
        )
        return Response(PracticeSerializer(moved).data)

    @extend_schema(
        request={"multipart/form-data": PracticeAttachmentInput}, responses={201: AttachmentSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated],
        parser_classes=[MultiPartParser],
    )
    def attachments(self, request, slug=None):
        data = PracticeAttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            practice=self.get_object(),
            by=request.user,
            upload=data.validated_data["file"],
            description=data.validated_data["description"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, slug=None):
        return Response(EventSerializer(selectors.history(self.get_object(), request.user), many=True).data)

    @extend_schema(responses=PracticeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def related(self, request, slug=None):
        found = selectors.related(self.get_object(), request.user)
        return Response(PracticeSerializer([p for p, _ in found], many=True).data)
