from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hrtc.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from hrtc.accounts import models, policy
        from hrtc.core import access, audit

        access.install(policy)  # core asks the policy through this seam (core never imports accounts)
        _register_reference()

        audit.track(models.Organisation)
        audit.track(models.Membership)
        audit.track(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
        audit.track(get_user_model(), exclude_fields=["password", "last_login"])


def _register_reference() -> None:
    """The provider directory and a State's organisations, on the reference pages; the providers loaded
    with the reference data (`hrtc load_reference`, every migrate)."""
    from django.utils.translation import gettext_lazy as _

    from hrtc.accounts import policy, selectors
    from hrtc.accounts.loader import load_providers
    from hrtc.accounts.models import Organisation
    from hrtc.reference import directory, loader

    directory.add_section(
        directory.Section(
            "providers",
            _("Provider organisations"),
            lambda request: policy.visible(request.user, selectors.providers()).count(),
            after="reference:funds",
        )
    )
    directory.add_state_panel(
        directory.StatePanel(
            "accounts/_state_organisations.html",
            lambda request, state: {
                "organisations": policy.visible(
                    request.user, Organisation.objects.filter(state=state)
                ).order_by("kind", "name")
            },
        )
    )
    loader.add_loader("provider organisations", load_providers)
