from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hrtc.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from hrtc.accounts import models
        from hrtc.core import audit

        audit.track(models.Organisation)
        audit.track(models.Membership)
        audit.track(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
        audit.track(get_user_model(), exclude_fields=["password", "last_login"])
