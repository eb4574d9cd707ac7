"""How each kind of record becomes a search document, and which of them a user may see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Kind:
    name: str
    model: Callable[[], type[Model]]
    queryset: Callable[[], QuerySet]  # with the relations to_document needs
    to_document: Callable[[Model], dict]
    visible_ids: Callable[[object], QuerySet | None]  # None: public


def _recommendation(rec) -> dict:
    themes = " ".join(t.name for t in rec.themes.all())
    return {
        "title": f"{rec.state_under_review.name} — {rec.mechanism.acronym or rec.mechanism_id} "
        f"{rec.paragraph or ''}".strip(),
        "body": rec.text,
        "extra": f"{themes} {rec.document_symbol}",
        "state_id": rec.state_under_review_id,
        "mechanism": rec.mechanism_id,
        "year": rec.date.year if rec.date else None,
        "language": rec.language,
    }


def _pledge(pledge) -> dict:
    return {
        "title": f"{pledge.state.name} — pledge",
        "body": pledge.text,
        "extra": "",
        "state_id": pledge.state_id,
        "mechanism": "",
        "year": pledge.date.year if pledge.date else None,
        "language": pledge.language,
    }


def _request(req) -> dict:
    return {
        "title": req.title,
        "body": req.needs,
        "extra": " ".join(t.name for t in req.themes.all()),
        "state_id": req.requesting_state_id,
        "mechanism": "",
        "year": req.created_at.year,
        "language": req.language,
    }


def _activity(activity) -> dict:
    return {
        "title": activity.title,
        "body": f"{activity.description} {activity.outputs}",
        "extra": " ".join(t.name for t in activity.themes.all()),
        "state_id": activity.state_id,
        "mechanism": "",
        "year": activity.planned_start.year,
        "language": "en",
    }


def _offer(offer) -> dict:
    return {
        "title": f"{offer.provider} — {offer.title}",
        "body": offer.description,
        "extra": " ".join(t.name for t in offer.themes.all()),
        "state_id": None,
        "mechanism": "",
        "year": offer.created_at.year,
        "language": (offer.languages or ["en"])[0],
    }


def kinds() -> dict[str, Kind]:
    from hrtc.assistance import selectors as assistance
    from hrtc.assistance.models import Activity, AssistanceRequest, Offer
    from hrtc.recommendations.models import Pledge, Recommendation

    return {
        k.name: k
        for k in (
            Kind(
                "recommendation",
                lambda: Recommendation,
                lambda: Recommendation.objects.select_related(
                    "state_under_review", "mechanism"
                ).prefetch_related("themes"),
                _recommendation,
                lambda user: None,
            ),
            Kind(
                "pledge",
                lambda: Pledge,
                lambda: Pledge.objects.select_related("state"),
                _pledge,
                lambda user: None,
            ),
            Kind(
                "request",
                lambda: AssistanceRequest,
                lambda: AssistanceRequest.objects.prefetch_related("themes"),
                _request,
                lambda user: assistance.requests_visible(user).values("pk"),
            ),
            Kind(
                "activity",
                lambda: Activity,
                lambda: Activity.objects.prefetch_related("themes"),
                _activity,
                lambda user: assistance.activities_visible(user).values("pk"),
            ),
            Kind(
                "offer",
                lambda: Offer,
                lambda: Offer.objects.select_related("provider").prefetch_related("themes"),
                _offer,
                lambda user: assistance.offers_visible(user).values("pk"),
            ),
        )
    }


def kind_of(model: type[Model]) -> Kind | None:
    return next((k for k in kinds().values() if k.model() is model), None)


def visible_q(user, only: Iterable[str] | None = None) -> Q:
    """Documents `user` may see: public kinds, and for the others the ids their app's policy allows."""
    condition = Q(pk__in=[])
    for kind in kinds().values():
        if only and kind.name not in only:
            continue
        ids = kind.visible_ids(user)
        condition |= Q(kind=kind.name) if ids is None else Q(kind=kind.name, object_id__in=ids)
    return condition
