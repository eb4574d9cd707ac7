"""Recommendations and pledges in the search index: how each becomes a document (registered from
RecommendationsConfig.ready(); public records, one document each)."""

from __future__ import annotations

from hrtc.search.documents import Fields, Kind, names_of, register, tags_of


def _recommendation(r: Fields) -> dict:
    mechanism = r("mechanism")
    return {
        "key": r("natural_key"),
        "tags": tags_of(r),
        "title": f"{r('state_under_review').name} — {mechanism.acronym or mechanism.pk} "
        f"{r.text('paragraph')}".strip(),
        "body": r.text("text"),
        "extra": f"{names_of(r.all('themes'))} {r.text('document_symbol')}",
        "state": r("state_under_review"),
        "mechanism": mechanism.pk,
        "year": r("date").year if r("date") else None,
        "language": r("language"),
    }


def _pledge(r: Fields) -> dict:
    return {
        "key": r("natural_key"),
        "tags": tags_of(r),
        "title": f"{r('state').name} — pledge",
        "body": r.text("text"),
        "extra": "",
        "state": r("state"),
        "mechanism": "",
        "year": r("date").year if r("date") else None,
        "language": r("language"),
    }


def register_kinds() -> None:
    from hrtc.recommendations.models import Pledge, Recommendation

    register(
        Kind(
            "recommendation",
            lambda: Recommendation,
            lambda: Recommendation.objects.select_related("state_under_review", "mechanism").prefetch_related(
                "themes", "sdg_goals", "sdg_targets"
            ),
            _recommendation,
            lambda user: None,
        )
    )
    register(
        Kind(
            "pledge",
            lambda: Pledge,
            lambda: Pledge.objects.select_related("state").prefetch_related("themes"),
            _pledge,
            lambda user: None,
        )
    )
