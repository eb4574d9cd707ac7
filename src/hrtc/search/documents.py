"""How each kind of record becomes search documents, and which of them a reader is given.

A record is indexed once per language it is written in, and, when some readers see it only through its
public fields, once per *audience*:

* ``all`` — the record's one document, when everyone who sees it reads all of it: kinds without a disclosure
  decision (recommendations, pledges, reports, the SDGs), and records whose public fields are all the
  document holds (an activity: its participants per group are not indexed; an offer without a contact);
* ``public`` — built only from the fields the record's disclosure decision (``hrtc.core.disclosure``) lets
  everyone who sees it read, given to those who do not read it in full. A request's public document is its
  published summary: its title and themes, never its needs, priorities, SDG targets or working language;
* ``full`` — built from every field, given to whoever reads the record in full.

Builders read every field through :class:`Fields`, so a field the audience may not read is empty in its
document (a new field fails closed). A document's content never depends on consent or status: which document
a reader is given is decided when they search (:func:`visible_q`), from the disclosure decision read *now*. A
State that withdraws consent takes its records out of search at once, without reindexing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from hrtc.core import disclosure

ALL, PUBLIC, FULL = "all", "public", "full"
#: The language of a document whose audience may not read the record's language (a request's working
#: language is not in its summary): not faceted, and stemmed as a query is (text.index_text).
UNDISCLOSED = ""


class Fields:
    """One record's fields as an audience reads them: a field outside ``readable`` reads as empty
    (``None`` for ``readable``: every field)."""

    def __init__(self, obj: Model, readable: frozenset[str] | None = None):
        self.obj = obj
        self._readable = readable

    def may(self, name: str) -> bool:
        return self._readable is None or name in self._readable

    def __call__(self, name: str) -> Any:
        return getattr(self.obj, name) if self.may(name) else None

    def text(self, name: str) -> str:
        value = self(name)
        if value is None:
            return ""
        return " ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)

    def all(self, name: str) -> list:
        """A many-to-many or reverse relation's records (none if the model has no such relation)."""
        if not self.may(name) or not hasattr(self.obj, name):
            return []
        return list(getattr(self.obj, name).all())

    def display(self, name: str) -> str:
        return str(getattr(self.obj, f"get_{name}_display")()) if self.may(name) else ""


@dataclass(frozen=True)
class Kind:
    """One kind of record in the index. A kind whose model has a disclosure decision is indexed under its
    primary key (``object_id``'s default)."""

    name: str
    model: Callable[[], type[Model]]
    queryset: Callable[[], QuerySet]  # with the relations to_document needs
    to_document: Callable[[Fields], dict | list[dict]]  # a list: one document per language
    #: The records a reader sees, from their app's selector; None: every record is public
    visible: Callable[[object], QuerySet | None]
    #: The integer id a record is indexed under (its pk unless the pk is not an integer, as for SDG codes)
    object_id: Callable[[Model], int] = lambda obj: obj.pk
    #: Those ids for a list of primary keys (signals send pks)
    ids_of: Callable[[list], list[int]] | None = None

    def index_ids(self, pks: list) -> list[int]:
        return self.ids_of(pks) if self.ids_of else list(pks)

    def disclosure(self) -> disclosure.Disclosure | None:
        return disclosure.for_model(self.model())

    def documents(self, obj: Model) -> list[tuple[str, dict]]:
        """The record's documents as (audience, data), one per language: ``all`` if its public fields make
        the same documents as every field, else ``public`` and ``full`` ones."""

        def made(readable: frozenset[str] | None) -> list[dict]:
            out = self.to_document(Fields(obj, readable))
            return out if isinstance(out, list) else [out]

        decision = self.disclosure()
        full = made(None)
        public = made(decision.public_fields) if decision is not None else full
        if public == full:
            return [(ALL, data) for data in full]
        return [(PUBLIC, data) for data in public] + [(FULL, data) for data in full]

    def visible_q(self, user) -> Q:
        """The documents of this kind `user` is given: of each record they see, the ``all`` document, or the
        ``full`` one where they read the record in full and else the ``public`` one. Never two audiences."""
        seen = self.visible(user)
        decision = self.disclosure()
        if decision is None:
            return Q(kind=self.name, audience=ALL) & (
                Q() if seen is None else Q(object_id__in=seen.values("pk"))
            )
        if seen is None:
            seen = self.model()._default_manager.all()
        seen_ids = seen.values("pk")
        if decision.reads_everything_in_full(user):
            return Q(kind=self.name, audience__in=[ALL, FULL], object_id__in=seen_ids)
        full_ids = decision.in_full(user, seen).values("pk")
        return (
            Q(kind=self.name, audience=ALL, object_id__in=seen_ids)
            | Q(kind=self.name, audience=FULL, object_id__in=full_ids)
            | (Q(kind=self.name, audience=PUBLIC, object_id__in=seen_ids) & ~Q(object_id__in=full_ids))
        )


def _names(items: Iterable) -> str:
    return " ".join(item.name for item in items)


def _tags(r: Fields) -> dict[str, list[str]]:
    goals = {g.code for g in r.all("sdg_goals")} | {t.goal_id for t in r.all("sdg_targets")}
    return {
        "theme": [t.code for t in r.all("themes")],
        "sdg": sorted(goals, key=lambda c: int(c) if c.isdigit() else 99),
    }


def _recommendation(r: Fields) -> dict:
    mechanism = r("mechanism")
    return {
        "key": r("natural_key"),
        "tags": _tags(r),
        "title": f"{r('state_under_review').name} — {mechanism.acronym or mechanism.pk} "
        f"{r.text('paragraph')}".strip(),
        "body": r.text("text"),
        "extra": f"{_names(r.all('themes'))} {r.text('document_symbol')}",
        "state": r("state_under_review"),
        "mechanism": mechanism.pk,
        "year": r("date").year if r("date") else None,
        "language": r("language"),
    }


def _pledge(r: Fields) -> dict:
    return {
        "key": r("natural_key"),
        "tags": _tags(r),
        "title": f"{r('state').name} — pledge",
        "body": r.text("text"),
        "extra": "",
        "state": r("state"),
        "mechanism": "",
        "year": r("date").year if r("date") else None,
        "language": r("language"),
    }


def _request(r: Fields) -> dict:
    """In full: found by its needs and priorities too. Public: its summary (title, themes)."""
    return {
        "tags": _tags(r),
        "title": r.text("title"),
        "body": "\n".join([r.text("needs"), *(r("priorities") or [])]).strip(),
        "extra": _names(r.all("themes")),
        "state": r("requesting_state"),
        "mechanism": "",
        "year": r("created_at").year,
        "language": r("language"),
    }


def _activity(r: Fields) -> dict:
    return {
        "tags": _tags(r),
        "title": r.text("title"),
        "body": f"{r.text('description')} {r.text('outputs')}".strip(),
        "extra": _names(r.all("themes")),
        "state": r("state"),
        "mechanism": "",
        "year": r("planned_start").year,
        "language": "en",
    }


def _offer(r: Fields) -> dict:
    """The contact is indexed for the provider's own members only (it is not public)."""
    return {
        "tags": _tags(r),
        "title": f"{r('provider')} — {r.text('title')}",
        "body": r.text("description"),
        "extra": f"{_names(r.all('themes'))} {r.text('contact')}",
        "state": None,
        "mechanism": "",
        "year": r("created_at").year,
        "language": (r("languages") or ["en"])[0],
    }


def _practice(r: Fields) -> dict:
    from hrtc.practices.sanitize import plain_text

    return {
        "key": r("slug"),
        "tags": _tags(r),
        "title": r.text("title"),
        "body": f"{r.text('summary')} {plain_text(r.text('body'))}",
        "extra": f"{r.text('results')} {r.text('evidence')} {_names(r.all('themes'))}",
        "state": r("state"),
        "region": r("region"),
        "mechanism": "",
        "year": (r("published_at") or r("created_at")).year,
        "language": r("language"),
    }


def _report_text(r: Fields, limit: int = 60_000) -> str:
    """The text of a saved report's HTML version (what a reader would search for), if it has one."""
    from hrtc.practices.sanitize import plain_text

    for item in r.all("files"):
        if item.format == "html":
            try:
                with item.file.open("rb") as handle:
                    return plain_text(handle.read(limit * 4).decode("utf-8", "replace"))[:limit]
            except (FileNotFoundError, OSError):
                return ""
    return ""


def _report(r: Fields) -> dict:
    return {
        "key": f"{r('symbol')} v{r('version')}",
        "tags": {},
        "title": f"{r('symbol')} (v{r('version')}) — {r.text('title')}",
        "body": _report_text(r) or r.text("title"),
        "extra": f"{r.display('kind')} {r('symbol')}",
        "state": None,
        "mechanism": "",
        "year": (r("published_at") or r("created_at")).year,
        "language": r("language"),
    }


def _in_each_language(code: str, goal: str, label: str, r: Fields) -> list[dict]:
    """An SDG goal or target is indexed once per UN language it has a title in."""
    titles = {"en": r("title"), **(r("titles") or {})}
    return [
        {
            "key": code,
            "tags": {"sdg": [goal]},
            "title": f"{label} {title}",
            "body": title,
            "extra": "",
            "state": None,
            "mechanism": "",
            "year": None,
            "language": language,
        }
        for language, title in sorted(titles.items())
        if title
    ]


def _sdg_goal(r: Fields) -> list[dict]:
    return _in_each_language(r("code"), r("code"), f"SDG {r('code')}:", r)


def _sdg_target(r: Fields) -> list[dict]:
    return _in_each_language(r("code"), r("goal_id"), r("code"), r)


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
                lambda: AssistanceRequest.objects.select_related("requesting_state").prefetch_related(
                    "themes", "sdg_targets"
                ),
                _request,
                lambda user: assistance.requests_visible(user),
            ),
            Kind(
                "activity",
                lambda: Activity,
                lambda: Activity.objects.select_related("state").prefetch_related("themes", "sdg_targets"),
                _activity,
                lambda user: assistance.activities_visible(user),
            ),
            Kind(
                "offer",
                lambda: Offer,
                lambda: Offer.objects.select_related("provider").prefetch_related("themes"),
                _offer,
                lambda user: assistance.offers_visible(user),
            ),
            Kind(
                "practice",
                lambda: Practice,
                lambda: Practice.objects.select_related("state").prefetch_related("themes", "sdg_targets"),
                _practice,
                lambda user: practices.practices_visible(user),
            ),
            Kind(
                "report",
                lambda: SavedReport,
                lambda: SavedReport.objects.prefetch_related("files"),
                _report,
                lambda user: reports.saved_visible(user),
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
    """The documents `user` is given: of each record they see, the one document of the audience they read it
    as (per language). Filter matches with it before counting, so totals and facets follow it too."""
    condition = Q(pk__in=[])
    for kind in kinds().values():
        if not only or kind.name in only:
            condition |= kind.visible_q(user)
    return condition
