from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hrtc.reports"
    label = "reports"
    verbose_name = "Reports"
