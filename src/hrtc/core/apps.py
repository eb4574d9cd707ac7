from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hrtc.core"
    label = "core"
    verbose_name = "hrtc core"

    def ready(self) -> None:
        from hrtc.core import audit

        audit.guard_append_only()
