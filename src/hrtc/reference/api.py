from rest_framework import serializers

from hrtc.core.api import VisibleReadOnlyViewSet
from hrtc.reference import models


class StateSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.State
        fields = [
            "code",
            "alpha2",
            "m49",
            "name",
            "names",
            "un_status",
            "regional_group",
            "m49_region",
            "m49_subregion",
            "is_ldc",
            "is_lldc",
            "is_sids",
        ]


class MechanismSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Mechanism
        fields = ["code", "kind", "name", "acronym", "parent"]


class SdgTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.SdgTarget
        fields = ["code", "goal", "title", "titles"]


class SdgGoalSerializer(serializers.ModelSerializer):
    targets = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = models.SdgGoal
        fields = ["code", "title", "titles", "targets"]


class ThemeSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    maps_to = serializers.SerializerMethodField()

    class Meta:
        model = models.Theme
        fields = ["id", "key", "vocabulary", "code", "name", "level", "parent", "maps_to"]

    def get_parent(self, theme: models.Theme) -> str | None:
        return theme.parent.key if theme.parent_id else None

    def get_maps_to(self, theme: models.Theme) -> list[str]:
        return [m.target.key for m in theme.mapped_to.all()]


class AffectedGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.AffectedGroup
        fields = ["code", "name", "names", "uhri_code"]


class CurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Currency
        fields = ["code", "name", "numeric"]


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Fund
        fields = ["code", "name", "acronym"]


class StateApi(VisibleReadOnlyViewSet):
    """UN Member States and observer States, keyed by ISO 3166-1 alpha-3."""

    lookup_field = "code"
    base_queryset = models.State.objects.all()
    serializer_class = StateSerializer
    filterset_fields = ["un_status", "regional_group", "is_ldc", "is_lldc", "is_sids", "m49_region"]
    search_fields = ["name", "code", "alpha2"]
    ordering_fields = ["name", "code"]


class MechanismApi(VisibleReadOnlyViewSet):
    lookup_field = "code"
    base_queryset = models.Mechanism.objects.all()
    serializer_class = MechanismSerializer
    filterset_fields = ["kind", "parent"]


class SdgGoalApi(VisibleReadOnlyViewSet):
    lookup_field = "code"
    base_queryset = models.SdgGoal.objects.prefetch_related("targets")
    serializer_class = SdgGoalSerializer


class SdgTargetApi(VisibleReadOnlyViewSet):
    lookup_field = "code"
    lookup_value_regex = r"\d{1,2}\.[0-9a-z]{1,2}"  # "16.3", "5.a": the router's default refuses the dot
    base_queryset = models.SdgTarget.objects.select_related("goal")
    serializer_class = SdgTargetSerializer
    filterset_fields = ["goal"]
    search_fields = ["title", "code"]


class ThemeApi(VisibleReadOnlyViewSet):
    base_queryset = models.Theme.objects.select_related("parent").prefetch_related("mapped_to__target")
    serializer_class = ThemeSerializer
    filterset_fields = ["vocabulary", "level"]
    search_fields = ["name", "code"]


class AffectedGroupApi(VisibleReadOnlyViewSet):
    lookup_field = "code"
    base_queryset = models.AffectedGroup.objects.all()
    serializer_class = AffectedGroupSerializer
    search_fields = ["name"]


class CurrencyApi(VisibleReadOnlyViewSet):
    lookup_field = "code"
    base_queryset = models.Currency.objects.all()
    serializer_class = CurrencySerializer
    search_fields = ["name", "code"]


class FundApi(VisibleReadOnlyViewSet):
    lookup_field = "code"
    base_queryset = models.Fund.objects.all()
    serializer_class = FundSerializer
