from django.urls import path

from hrtc.core.api import AuditLogListApi

urlpatterns = [path("", AuditLogListApi.as_view(), name="api-audit-list")]
