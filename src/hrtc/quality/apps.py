from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Measurements of the platform's quality that need the whole platform (search relevance on a judged
    query set, `hrtc evaluate-search`): they load data through several apps, so they live above all of them
    and nothing imports them."""

    name = "hrtc.quality"
    label = "quality"
    verbose_name = "Quality measurements"
