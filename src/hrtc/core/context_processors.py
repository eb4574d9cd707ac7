"""Navigation for the web shell: one entry per area of the platform."""

from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

AREAS = [
    ("recommendations", _("Recommendations"), "recommendations:list"),
    ("assistance", _("Requests & activities"), "assistance:home"),
    ("funds", _("Voluntary funds"), "funds:home"),
    ("practices", _("Good practices"), "practices:list"),
    ("reports", _("Reports"), "reports:home"),
    ("opendata", _("Transparency portal"), "opendata:portal"),
    ("reference", _("Reference data"), "reference:home"),
]


def navigation(request):
    items = [{"key": key, "label": label, "url": reverse(url_name)} for key, label, url_name in AREAS]
    return {"nav_areas": items, "LANGUAGE_BIDI": get_language_bidi()}
