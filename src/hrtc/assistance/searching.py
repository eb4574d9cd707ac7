"""Requests, activities and offers in the search index: how each becomes its documents, per audience
(the disclosure decisions in assistance/disclosure.py say what the public document may hold); registered
from AssistanceConfig.ready()."""

from __future__ import annotations

from hrtc.search.documents import Fields, Kind, names_of, register, tags_of


def _request(r: Fields) -> dict:
    """In full: found by its needs and priorities too. Public: its summary (title, themes)."""
    return {
        "tags": tags_of(r),
        "title": r.text("title"),
        "body": "\n".join([r.text("needs"), *(r("priorities") or [])]).strip(),
        "extra": names_of(r.all("themes")),
        "state": r("requesting_state"),
        "mechanism": "",
        "year": r("created_at").year,
        "language": r("language"),
    }


def _activity(r: Fields) -> dict:
    return {
        "tags": tags_of(r),
        "title": r.text("title"),
        "body": f"{r.text('description')} {r.text('outputs')}".strip(),
        "extra": names_of(r.all("themes")),
        "state": r("state"),
        "mechanism": "",
        "year": r("planned_start").year,
        "language": "en",
    }


def _offer(r: Fields) -> dict:
    """The contact is indexed for the provider's own members only (it is not public)."""
    return {
        "tags": tags_of(r),
        "title": f"{r('provider')} — {r.text('title')}",
        "body": r.text("description"),
        "extra": f"{names_of(r.all('themes'))} {r.text('contact')}",
        "state": None,
        "mechanism": "",
        "year": r("created_at").year,
        "language": (r("languages") or ["en"])[0],
    }


def register_kinds() -> None:
    from hrtc.assistance import selectors
    from hrtc.assistance.models import Activity, AssistanceRequest, Offer

    register(
        Kind(
            "request",
            lambda: AssistanceRequest,
            lambda: AssistanceRequest.objects.select_related("requesting_state").prefetch_related(
                "themes", "sdg_targets"
            ),
            _request,
            lambda user: selectors.requests_visible(user),
        )
    )
    register(
        Kind(
            "activity",
            lambda: Activity,
            lambda: Activity.objects.select_related("state").prefetch_related("themes", "sdg_targets"),
            _activity,
            lambda user: selectors.activities_visible(user),
        )
    )
    register(
        Kind(
            "offer",
            lambda: Offer,
            lambda: Offer.objects.select_related("provider").prefetch_related("themes"),
            _offer,
            lambda user: selectors.offers_visible(user),
        )
    )
