"""The Django admin is for platform administrators only.

Django's own rule admits every active `is_staff` user and then lets model permissions decide what each
reads; that is a second access policy beside `accounts/policy.py`, and it disagreed with it (a staff user
with view permissions read every request, consent record and private note). hrtc has one policy: the
admin opens to the users the policy calls platform administrators (active superusers), and to nobody
else, whatever their staff flag or model permissions say. Everyone else works through the pages and the
API, which ask the policy and the disclosure registry.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from hrtc.core import access


class PlatformAdminSite(admin.AdminSite):
    site_header = _("hrtc administration")
    site_title = _("hrtc administration")
    index_title = _("Platform administration")

    def has_permission(self, request) -> bool:
        return access.is_platform_admin(request.user)


class HrtcAdminConfig(AdminConfig):
    default_site = "hrtc.core.admin_site.PlatformAdminSite"
