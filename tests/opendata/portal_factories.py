"""Small factories for the portal tests: requests and activities made through the real services, so consent
and publication are what the platform really records (the IATI tests' factories, with the portal's defaults)."""

from __future__ import annotations

from datetime import date

from hrtc.reference.models import Theme
from tests.opendata import iati_helpers


def theme(code: str) -> Theme:
    return iati_helpers.theme(f"uhri:{code}")


def accepted_request(people, *, publish: bool, title: str = "Prison staff training", **extra):
    """A Kenyan request shared with OHCHR and the country team, accepted by OHCHR."""
    return iati_helpers.accepted_request(
        people, publish=publish, title=title, providers=("ohchr", "unct_ken"), **extra
    )


def activity(
    people,
    *,
    start: date = date(2025, 3, 1),
    themes=("A2",),
    sdg_targets=("16.3",),
    **options,
):
    """An activity led by OHCHR (or UN Women); without a request, the State's focal point consents to it."""
    return iati_helpers.make_activity(
        people, start=start, themes=[f"uhri:{code}" for code in themes], sdg_targets=sdg_targets, **options
    )
