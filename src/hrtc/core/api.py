"""API building blocks shared by every app: the policy permission, policy-scoped viewsets, the audit log."""

from auditlog.models import LogEntry
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import generics, permissions, serializers, viewsets

from hrtc.core import access


class PolicyPermission(permissions.BasePermission):
    """DRF permission that asks the access policy for `view.policy_action`."""

    def has_permission(self, request, view) -> bool:
        action = getattr(view, "policy_action", None)
        if action is None or access.can(request.user, action):
            return True
        self.message = f"Not allowed: {action}; this needs {access.describe(action)}."
        return False

    def has_object_permission(self, request, view, obj) -> bool:
        return True


class AuditEntrySerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    action = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "action",
            "model",
            "object_pk",
            "object_repr",
            "changes",
            "changes_text",
            "additional_data",
            "remote_addr",
        ]

    def get_model(self, entry: LogEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    def get_action(self, entry: LogEntry) -> str:
        return entry.get_action_display()

    def get_actor(self, entry: LogEntry) -> str | None:
        return entry.actor.get_username() if entry.actor_id else None


class AuditEntryFilter(filters.FilterSet):
    model = filters.CharFilter(method="filter_model", help_text="app_label.model, e.g. accounts.organisation")
    object_pk = filters.CharFilter()
    actor = filters.CharFilter(field_name="actor__username")
    since = filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt")

    class Meta:
        model = LogEntry
        fields = ["action"]

    def filter_model(self, queryset, name, value):
        app_label, _, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditLogListApi(generics.ListAPIView):
    """The audit log, newest first. Platform administrators only."""

    serializer_class = AuditEntrySerializer
    permission_classes = [PolicyPermission]
    policy_action = "audit.view"
    filterset_class = AuditEntryFilter
    search_fields = ["object_repr", "changes_text"]
    ordering_fields = ["timestamp"]

    def get_queryset(self):
        entries = LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp", "-id")
        return access.visible(self.request.user, entries)


class VisibleReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only collection narrowed by the access policy's visibility table."""

    base_queryset: QuerySet

    def get_queryset(self):
        return access.visible(self.request.user, self.base_queryset.all())
