"""Reads of reference data that other apps share, so that every surface answers the same question the
same way.

A theme's *family* is what "records about theme X" means everywhere — the recommendations API and
pages, the assistance API, good practices, the open-data portal and the reports: the theme itself, its
sub-themes at every depth, and the themes mapped to or from any of them in the other vocabulary (UHRI ↔
UPR Info). Before this, the portal counted sub-themes and mappings, the reports mappings only and the APIs
the theme alone, so one theme had three different counts.
"""

from __future__ import annotations

from django.db.models import Q
from django_filters import rest_framework as filters

from hrtc.core.exceptions import InvalidInput
from hrtc.reference.models import Currency, Theme, ThemeMapping


def theme_by_key(key: str) -> Theme | None:
    """A theme from its key ("uhri:A2"), its id written as digits, or a bare code; None when there is none."""
    key = (key or "").strip()
    if key.isdigit() and len(key) < 10:
        return Theme.objects.filter(pk=int(key)).first()
    vocabulary, sep, code = key.partition(":")
    if not sep:  # a bare code ("A2"), as older links wrote it: the UHRI theme first
        return Theme.objects.filter(code=key).order_by("vocabulary").first() if key else None
    return Theme.objects.filter(vocabulary=vocabulary, code=code).first() if code else None


def theme_family(theme: Theme | int | None) -> set[int]:
    """The ids of the theme, its sub-themes (every depth) and the themes mapped to or from any of them."""
    if theme is None:
        return set()
    family = {theme if isinstance(theme, int) else theme.pk}
    frontier = set(family)
    while frontier:  # descendants, a generation at a time
        frontier = set(Theme.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - family
        family |= frontier
    mapped = ThemeMapping.objects.filter(Q(source__in=family) | Q(target__in=family))
    for source, target in mapped.values_list("source", "target"):
        family |= {source, target}
    return family


class ThemeFamilyFilter(filters.CharFilter):
    """`?theme=` by id or key ("uhri:A2"): records about the theme's family (see `theme_family`). An unknown
    theme matches nothing. `field_name` is the relation to themes (default "themes")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "themes")
        kwargs.setdefault(
            "help_text", "Theme id or key (uhri:A2): its sub-themes and mapped themes count too"
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        family = theme_family(theme_by_key(str(value)))
        return qs.filter(**{f"{self.field_name}__in": family}).distinct()


def currency(value: object, field: str = "currency") -> Currency:
    """An ISO 4217 currency from its code (any case) or itself; InvalidInput naming `field` otherwise."""
    if isinstance(value, Currency):
        return value
    found = Currency.objects.filter(code=str(value or "").strip().upper()).first()
    if found is None:
        raise InvalidInput(f"Unknown ISO 4217 currency {value!r}.", field=field)
    return found
