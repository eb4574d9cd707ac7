from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferenceConfig(AppConfig):
    name = "hrtc.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self) -> None:
        from hrtc.core import audit
        from hrtc.reference import models

        for model in (
            models.State,
            models.Mechanism,
            models.SdgGoal,
            models.SdgTarget,
            models.Theme,
            models.ThemeMapping,
            models.AffectedGroup,
            models.Currency,
            models.Fund,
        ):
            audit.track(model)
        post_migrate.connect(_load_after_migrate, sender=self, dispatch_uid="hrtc.reference.load")


def _load_after_migrate(sender, using="default", verbosity=1, **kwargs) -> None:
    """Reference data follows the code: every `migrate` brings it up to date (idempotently)."""
    from hrtc.reference.loader import load_reference

    load_reference(using=using, quiet=verbosity < 2)
