from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hrtc.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from hrtc.reports import searching

        searching.register_kinds()
        from hrtc.reports import access

        access.register()  # its lines of the access policy
