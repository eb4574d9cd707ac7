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
    to_document: Callable[[Model], dict | list[dict]]  # a list: one document per language
    visible_ids: Callable[[object], QuerySet | None]  # None: public
    #: The integer id a record is indexed under (its pk unless the pk is not an integer, as for SDG codes)
    object_id: Callable[[Model], int] = lambda obj: obj.pk
    #: Those ids for a list of primary keys (signals send pks)
    ids_of: Callable[[list], list[int]] | None = None

    def documents(self, obj) -> list[dict]:
        made = self.to_document(obj)
        return made if isinstance(made, list) else [made]

    def index_ids(self, pks: list) -> list[int]:
        return self.ids_of(pks) if self.ids_of else list(pks)


def _tags(obj, goals_from_targets: bool = True) -> dict[str, list[str]]:
    themes = [t.code for t in obj.themes.all()] if hasattr(obj, "themes") else []
    goals: set[str] = set()
    if hasattr(obj, "sdg_goals"):
        goals |= {g.code for g in obj.sdg_goals.all()}
    if goals_from_targets and hasattr(obj, "sdg_targets"):
        goals |= {t.goal_id for t in obj.sdg_targets.all()}
    return {"theme": themes, "sdg": sorted(goals, key=lambda c: int(c) if c.isdigit() else 99)}


def _recommendation(rec) -> dict:
    themes = " ".join(t.name for t in rec.themes.all())
    return {
        "key": rec.natural_key,
        "tags": _tags(rec),
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
        "key": pledge.natural_key,
        "tags": _tags(pledge),
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
        "tags": _tags(req),
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
        "tags": _tags(activity),
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
        "tags": _tags(offer),
        "title": f"{offer.provider} — {offer.title}",
        "body": offer.description,
        "extra": " ".join(t.name for t in offer.themes.all()),
        "state_id": None,
        "mechanism": "",
        "year": offer.created_at.year,
        "language": (offer.languages or ["en"])[0],
    }


def _practice(practice) -> dict:
    from hrtc.practices.sanitize import plain_text

    return {
        "key": practice.slug,
        "tags": _tags(practice),
        "title": practice.title,
        "body": f"{practice.summary} {plain_text(practice.body)}",
        "extra": f"{practice.results} {practice.evidence} " + " ".join(t.name for t in practice.themes.all()),
        "state_id": practice.state_id,
        "region": practice.region,
        "mechanism": "",
        "year": (practice.published_at or practice.created_at).year,
        "language": practice.language,
    }


def _report_text(saved, limit: int = 60_000) -> str:
    """The text of a saved report's HTML version (what a reader would search for), if it has one."""
    from hrtc.practices.sanitize import plain_text

    for item in saved.files.all():
        if item.format == "html":
            try:
                with item.file.open("rb") as handle:
                    return plain_text(handle.read(limit * 4).decode("utf-8", "replace"))[:limit]
            except (FileNotFoundError, OSError):
                return ""
    return ""


def _report(saved) -> dict:
    return {
        "key": f"{saved.symbol} v{saved.version}",
        "tags": {},
        "title": f"{saved.symbol} (v{saved.version}) — {saved.title}",
        "body": _report_text(saved) or saved.title,
        "extra": f"{saved.get_kind_display()} {saved.symbol}",
        "state_id": None,
        "mechanism": "",
        "year": (saved.published_at or saved.created_at).year,
        "language": saved.language,
    }


def _in_each_language(code: str, goal: str, label: str, item) -> list[dict]:
    """An SDG goal or target is indexed once per UN language it has a title in."""
    titles = {"en": item.title, **(item.titles or {})}
    return [
        {
            "key": code,
            "tags": {"sdg": [goal]},
            "title": f"{label} {title}",
            "body": title,
            "extra": "",
            "state_id": None,
            "mechanism": "",
            "year": None,
            "language": language,
        }
        for language, title in sorted(titles.items())
        if title
    ]


def _sdg_goal(goal) -> list[dict]:
    return _in_each_language(goal.code, goal.code, f"SDG {goal.code}:", goal)


def _sdg_target(target) -> list[dict]:
    return _in_each_language(target.code, target.goal_id, target.code, target)


def kinds() -> dict[str, Kind]:
    from hrtc.assistance import selectors as assistance
    from hrtc.assistance.models import Activity, AssistanceRequest, Offer
    from hrtc.practices import selectors as practices
    from hrtc.practices.models import Practice
    from hrtc.recommendations.models import Pledge, Recommendation
    from hrtc.reference.models import SdgGoal, SdgTarget
    from hrtc.reports import selectors as reports
    from hrtc.reports.models import SavedReport

    return {
        k.name: k
        for k in (
            Kind(
                "recommendation",
                lambda: Recommendation,
                lambda: Recommendation.objects.select_related(
                    "state_under_review", "mechanism"
                ).prefetch_related("themes", "sdg_goals", "sdg_targets"),
                _recommendation,
                lambda user: None,
            ),
            Kind(
                "pledge",
                lambda: Pledge,
                lambda: Pledge.objects.select_related("state").prefetch_related("themes"),
                _pledge,
                lambda user: None,
            ),
            Kind(
                "request",
                lambda: AssistanceRequest,
                lambda: AssistanceRequest.objects.prefetch_related("themes", "sdg_targets"),
                _request,
                lambda user: assistance.requests_visible(user).values("pk"),
            ),
            Kind(
                "activity",
                lambda: Activity,
                lambda: Activity.objects.prefetch_related("themes", "sdg_targets"),
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
            Kind(
                "practice",
                lambda: Practice,
                lambda: Practice.objects.prefetch_related("themes", "sdg_targets"),
                _practice,
                lambda user: practices.practices_visible(user).values("pk"),
            ),
            Kind(
                "report",
                lambda: SavedReport,
                lambda: SavedReport.objects.prefetch_related("files"),
                _report,
                lambda user: reports.saved_visible(user).values("pk"),
            ),
            Kind(
                "sdg-goal",
                lambda: SdgGoal,
                lambda: SdgGoal.objects.all(),
                _sdg_goal,
                lambda user: None,
                object_id=lambda goal: goal.number,
                ids_of=lambda keys: list(
                    SdgGoal.objects.filter(pk__in=keys).values_list("number", flat=True)
                ),
            ),
            Kind(
                "sdg-target",
                lambda: SdgTarget,
                lambda: SdgTarget.objects.select_related("goal"),
                _sdg_target,
                lambda user: None,
                object_id=lambda target: target.goal.number * 1000 + target.position,
                ids_of=lambda keys: [
                    t.goal.number * 1000 + t.position
                    for t in SdgTarget.objects.filter(pk__in=keys).select_related("goal")
                ],
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
