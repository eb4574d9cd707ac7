from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.accounts import policy
from hrtc.accounts.models import Organisation
from hrtc.assistance import selectors, services
from hrtc.assistance.choices import GenderMarker, Modality
from hrtc.assistance.lifecycle import TRANSITIONS
from hrtc.assistance.models import Activity, AssistanceRequest, FeedEvent, Offer
from hrtc.core.api_filters import DisclosedSerializerMixin
from hrtc.recommendations.models import Recommendation
from hrtc.reference.models import SdgTarget, State, Theme
from hrtc.reference.selectors import ThemeFamilyFilter

codes = {"slug_field": "code"}


class RequestSummarySerializer(DisclosedSerializerMixin, serializers.ModelSerializer):
    """What everyone may see of a request whose State allowed its summary to be published."""

    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = AssistanceRequest
        fields = [
            "id",
            "requesting_state",
            "title",
            "modality",
            "status",
            "themes",
            "created_at",
            "updated_at",
        ]


class RequestSerializer(RequestSummarySerializer):
    consent_providers = serializers.SlugRelatedField(many=True, read_only=True, **codes)
    desired_providers = serializers.SlugRelatedField(many=True, read_only=True, **codes)
    recommendations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sdg_targets = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(RequestSummarySerializer.Meta):
        fields = [
            *RequestSummarySerializer.Meta.fields,
            "needs",
            "priorities",
            "language",
            "timeframe_start",
            "timeframe_end",
            "recommendations",
            "sdg_targets",
            "desired_providers",
            "consent_providers",
            "consent_publish_summary",
            "consent_given_at",
            "events",
        ]

    def get_sdg_targets(self, req) -> list[str]:
        """Targets added directly and those of the linked recommendations."""
        direct = set(req.sdg_targets.values_list("code", flat=True))
        linked = set(SdgTarget.objects.filter(recommendations__requests=req).values_list("code", flat=True))
        return sorted(direct | linked)

    def get_events(self, req) -> list[dict]:
        return [
            {
                "from": e.from_status,
                "to": e.to_status,
                "by": e.by.username if e.by else None,
                "organisation": e.organisation.code if e.organisation else None,
                "reason": e.reason,
                "at": e.at,
            }
            for e in req.events.select_related("by", "organisation")
        ]


class RequestInput(serializers.Serializer):
    state = serializers.SlugRelatedField(queryset=State.objects.all(), slug_field="code")
    title = serializers.CharField(max_length=300)
    needs = serializers.CharField(max_length=20000)
    modality = serializers.ChoiceField(choices=Modality.choices)
    priorities = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list
    )
    language = serializers.CharField(max_length=8, required=False, default="en")
    timeframe_start = serializers.DateField(required=False, allow_null=True, default=None)
    timeframe_end = serializers.DateField(required=False, allow_null=True, default=None)
    themes = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), many=True, required=False, default=list
    )
    recommendations = serializers.PrimaryKeyRelatedField(
        queryset=Recommendation.objects.all(), many=True, required=False, default=list
    )
    sdg_targets = serializers.SlugRelatedField(
        queryset=SdgTarget.objects.all(), slug_field="code", many=True, required=False, default=list
    )
    desired_providers = serializers.SlugRelatedField(
        queryset=Organisation.objects.all(), slug_field="code", many=True, required=False, default=list
    )


class RequestFilter(filters.FilterSet):
    state = filters.CharFilter(field_name="requesting_state", method="upper")
    status = filters.CharFilter()
    modality = filters.CharFilter()
    theme = ThemeFamilyFilter()
    provider = filters.CharFilter(field_name="consent_providers__code", help_text="Shared with this provider")

    class Meta:
        model = AssistanceRequest
        fields = []

    def upper(self, queryset, name, value):
        return queryset.filter(**{name: value.upper()})


class RequestApi(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Technical-assistance requests you may see: your State's, those shared with your organisation (with the
    State's consent), and published summaries. Transitions answer 409 when the lifecycle does not allow them."""

    filterset_class = RequestFilter
    search_fields = ["title"]

    def get_queryset(self):
        return selectors.requests_visible(self.request.user).distinct()

    def get_serializer_class(self):
        return RequestSerializer

    def _serialize(self, req):
        """Every field for those who read the request in full, its summary for the others (the request's
        disclosure decision, applied by the serializer)."""
        return RequestSerializer(req, context=self.get_serializer_context()).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            RequestSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize(self.get_object()))

    @extend_schema(request=RequestInput, responses={201: RequestSerializer})
    def create(self, request):
        data = RequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.request_create(by=request.user, **data.validated_data)
        return Response(self._serialize(created), status=status.HTTP_201_CREATED)

    class TransitionInput(serializers.Serializer):
        transition = serializers.ChoiceField(choices=sorted(TRANSITIONS))
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

    @extend_schema(request=TransitionInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def transition(self, request, pk=None):
        data = self.TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.request_transition(
            request=self.get_object(),
            by=request.user,
            name=data.validated_data["transition"],
            reason=data.validated_data["reason"],
        )
        return Response(self._serialize(moved))

    class ConsentInput(serializers.Serializer):
        providers = serializers.SlugRelatedField(
            queryset=Organisation.objects.all(), slug_field="code", many=True
        )
        publish_summary = serializers.BooleanField(default=False)
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=ConsentInput, responses=RequestSerializer)
    @action(detail=True, methods=["put"], permission_classes=[permissions.IsAuthenticated])
    def consent(self, request, pk=None):
        data = self.ConsentInput(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.request_set_consent(
            request=self.get_object(), by=request.user, **data.validated_data
        )
        return Response(self._serialize(updated))

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        req = self.get_object()
        policy.require(request.user, "assistance.request.view_full", req)
        return Response(
            [
                {
                    "offer": m.offer.pk,
                    "provider": m.offer.provider.code,
                    "title": m.offer.title,
                    "score": m.score,
                    "reasons": m.reasons,
                }
                for m in selectors.offers_for_request(req, request.user)
            ]
        )


class OfferSerializer(DisclosedSerializerMixin, serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(queryset=Organisation.objects.all(), **codes)
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)

    class Meta:
        model = Offer
        fields = [
            "id",
            "provider",
            "title",
            "description",
            "modality",
            "themes",
            "languages",
            "regional_groups",
            "contact",
            "capacity",
            "is_active",
        ]
        read_only_fields = ["is_active"]


class OfferApi(viewsets.ModelViewSet):
    """The support catalogue: what providers offer."""

    serializer_class = OfferSerializer
    filterset_fields = ["modality", "provider__code", "themes"]
    search_fields = ["title", "description"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.offers_visible(self.request.user)

    def create(self, request, *args, **kwargs):
        data = OfferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_create(by=request.user, **data.validated_data)
        return Response(
            OfferSerializer(offer, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


class ActivitySerializer(DisclosedSerializerMixin, serializers.ModelSerializer):
    lead_provider = serializers.SlugRelatedField(queryset=Organisation.objects.all(), **codes)
    partners = serializers.SlugRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False, **codes
    )
    state = serializers.SlugRelatedField(queryset=State.objects.all(), **codes)
    budget_currency = serializers.CharField(source="budget_currency_id", required=False, allow_null=True)
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    recommendations = serializers.PrimaryKeyRelatedField(
        queryset=Recommendation.objects.all(), many=True, required=False
    )
    sdg_targets = serializers.SlugRelatedField(
        queryset=SdgTarget.objects.all(), many=True, required=False, **codes
    )
    gender_marker = serializers.ChoiceField(choices=GenderMarker.choices, default=0)
    participants_total = serializers.IntegerField(read_only=True)
    participants_by_group = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "lead_provider",
            "partners",
            "state",
            "request",
            "title",
            "description",
            "modality",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "status",
            "budget_amount",
            "budget_currency",
            "gender_marker",
            "participants_women",
            "participants_men",
            "participants_other",
            "participants_total",
            "participants_by_group",
            "outputs",
            "themes",
            "recommendations",
            "sdg_targets",
            "is_published",
        ]
        read_only_fields = [
            "actual_start",
            "actual_end",
            "status",
            "participants_women",
            "participants_men",
            "participants_other",
            "outputs",
            "is_published",
        ]

    def get_participants_by_group(self, activity) -> dict[str, int]:
        return {g.group_id: g.count for g in activity.participant_groups.all()}


class ActivityFilter(filters.FilterSet):
    state = filters.CharFilter(field_name="state", method="upper")
    provider = filters.CharFilter(
        field_name="lead_provider", method="by_provider", help_text="Lead or partner organisation code"
    )
    status = filters.NumberFilter()
    theme = ThemeFamilyFilter()
    sdg = filters.CharFilter(field_name="sdg_targets__goal")
    starts_after = filters.DateFilter(field_name="planned_start", lookup_expr="gte")
    ends_before = filters.DateFilter(field_name="planned_end", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["gender_marker", "modality"]

    def upper(self, queryset, name, value):
        return queryset.filter(**{name: value.upper()})

    def by_provider(self, queryset, name, value):
        partnered = Activity.partners.through.objects.filter(organisation__code=value).values("activity_id")
        return queryset.filter(Q(lead_provider__code=value) | Q(pk__in=partnered))


class ActivityApi(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Activities: support provided. Published ones are public; others are seen by the State and the providers."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    search_fields = ["title", "description"]

    def get_queryset(self):
        return (
            selectors.activities_visible(self.request.user)
            .prefetch_related("partners", "themes", "recommendations", "sdg_targets", "participant_groups")
            .distinct()
        )

    def create(self, request):
        data = ActivitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["budget_currency"] = fields.pop("budget_currency_id", None)
        linked = fields.get("request")
        if linked is not None and not selectors.requests_visible(request.user).filter(pk=linked.pk).exists():
            return Response(
                {"error": "invalid", "field": "request", "detail": "No such request."}, status=422
            )
        activity = services.activity_create(by=request.user, **fields)
        return Response(
            ActivitySerializer(activity, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    class ParticipantsInput(serializers.Serializer):
        women = serializers.IntegerField(min_value=0)
        men = serializers.IntegerField(min_value=0)
        other = serializers.IntegerField(min_value=0, default=0)
        groups = serializers.DictField(
            child=serializers.IntegerField(min_value=0), required=False, default=dict
        )

    @extend_schema(request=ParticipantsInput, responses=ActivitySerializer)
    @action(detail=True, methods=["put"], permission_classes=[permissions.IsAuthenticated])
    def participants(self, request, pk=None):
        data = self.ParticipantsInput(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.activity_set_participants(
            activity=self.get_object(), by=request.user, **data.validated_data
        )
        return Response(ActivitySerializer(activity, context=self.get_serializer_context()).data)

    class CompleteInput(serializers.Serializer):
        actual_end = serializers.DateField()
        outputs = serializers.CharField(required=False, allow_blank=True, default="")
        recommendation_status = serializers.CharField(required=False, allow_null=True, default=None)
        evidence = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=CompleteInput, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def complete(self, request, pk=None):
        data = self.CompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.activity_complete(
            activity=self.get_object(), by=request.user, **data.validated_data
        )
        return Response(ActivitySerializer(activity, context=self.get_serializer_context()).data)


class OverlapApi(APIView):
    """Activities of different providers in a State that overlap in time and share themes or recommendations."""

    @extend_schema(responses=dict)
    def get(self, request, code: str):
        state = get_object_or_404(State, code=code.upper())
        return Response(
            [
                {
                    "activities": [o.first.pk, o.second.pk],
                    "providers": [o.first.lead_provider.code, o.second.lead_provider.code],
                    "from": o.dates[0],
                    "until": o.dates[1],
                    "shared_themes": o.shared_themes,
                    "shared_recommendations": o.shared_recommendations,
                }
                for o in selectors.overlaps(state, request.user)
            ]
        )


class FeedSerializer(DisclosedSerializerMixin, serializers.ModelSerializer):
    state = serializers.CharField(source="state_id")
    provider = serializers.CharField(source="provider.code", default=None)

    class Meta:
        model = FeedEvent
        fields = ["id", "kind", "state", "provider", "request", "activity", "offer", "summary", "at"]


class FeedApi(viewsets.ReadOnlyModelViewSet):
    """The information-exchange feed (resolution 48/24, op. 8), filtered to what you may see."""

    serializer_class = FeedSerializer
    filterset_fields = ["kind", "state", "provider__code"]

    def get_queryset(self):
        return selectors.feed_visible(self.request.user)
