"""Navigation for the web shell. Areas whose app is not installed yet are shown as coming."""

from django.urls import NoReverseMatch, reverse
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
    items = []
    for key, label, url_name in AREAS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        items.append({"key": key, "label": label, "url": url})
    return {"nav_areas": items, "LANGUAGE_BIDI": get_language_bidi()}
