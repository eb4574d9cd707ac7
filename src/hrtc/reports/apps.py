from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hrtc.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from hrtc.reports import searching

        searching.register_kinds()
        from hrtc.accounts import policy
        from hrtc.reports import access

        policy.register_app(access)  # its lines of the access policy
