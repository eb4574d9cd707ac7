from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "hrtc.practices"
    label = "practices"
    verbose_name = "Good practices"
