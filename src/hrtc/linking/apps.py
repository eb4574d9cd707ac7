from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "hrtc.linking"
    label = "linking"
    verbose_name = "SDG and theme linking"

    def ready(self) -> None:
        from hrtc.core import audit
        from hrtc.linking import models

        audit.track(models.Link)
        audit.track(models.ClassifierModel, exclude_fields=["metrics", "training"])
        from hrtc.accounts import policy
        from hrtc.linking import access

        policy.register_app(access)  # its lines of the access policy
