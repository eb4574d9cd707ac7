from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "hrtc.opendata"
    label = "opendata"
    verbose_name = "Open data"
