from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.accounts import policy, selectors, services
from hrtc.accounts.models import ApiToken, Membership, Organisation
from hrtc.core.api import VisibleReadOnlyViewSet


class OrganisationSerializer(serializers.ModelSerializer):
    is_provider = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "acronym", "kind", "state", "iati_org_ref", "is_provider", "is_active"]


class OrganisationApi(VisibleReadOnlyViewSet):
    """Organisations: governments, OHCHR, UN agencies and country teams, regional organisations, NHRIs, CSOs,
    donors. Filter `provider=true` for those that provide technical assistance."""

    base_queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    lookup_field = "code"
    filterset_fields = ["kind", "state", "is_active"]
    search_fields = ["name", "acronym", "code"]

    def get_queryset(self):
        queryset = super().get_queryset()
        provider = self.request.query_params.get("provider")
        if provider in {"true", "1"}:
            queryset = selectors.providers(queryset)
        return queryset


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")
    organisation = serializers.CharField(source="organisation.code")

    class Meta:
        model = Membership
        fields = ["id", "user", "organisation", "role", "created_at"]


class MembershipApi(VisibleReadOnlyViewSet):
    base_queryset = Membership.objects.select_related("user", "organisation")
    serializer_class = MembershipSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["role"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    is_platform_admin = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)
    allowed_actions = serializers.ListField(child=serializers.CharField())


class MeApi(APIView):
    """Who am I, what organisations am I in, and which policy actions may I perform (without an object)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "username": user.get_username(),
            "is_platform_admin": policy.principal(user).is_platform_admin,
            "memberships": Membership.objects.filter(user=user).select_related("user", "organisation"),
            "allowed_actions": [a for a in sorted(policy.ACTIONS) if policy.can(user, a)],
        }
        return Response(MeSerializer(data).data)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class TokenCreatedSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown only once: store it now.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class TokenApi(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Your personal API tokens. The key is returned once, on creation; revoke a token you no longer use."""

    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return ApiToken.objects.none()
        return policy.visible(self.request.user, ApiToken.objects.filter(user=self.request.user))

    @extend_schema(request=TokenSerializer, responses={201: TokenCreatedSerializer})
    def create(self, request):
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.token_create(by=request.user, **data.validated_data)
        token.key = key
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = get_object_or_404(policy.visible(request.user, ApiToken.objects.all()), pk=pk)
        return Response(TokenSerializer(services.token_revoke(by=request.user, token=token)).data)
