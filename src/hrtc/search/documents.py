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


def names_of(items: Iterable) -> str:
    return " ".join(item.name for item in items)


def tags_of(r: Fields) -> dict[str, list[str]]:
    """A record's facet tags: its themes and SDG goals (a target counts under its goal)."""
    goals = {g.code for g in r.all("sdg_goals")} | {t.goal_id for t in r.all("sdg_targets")}
    return {
        "theme": [t.code for t in r.all("themes")],
        "sdg": sorted(goals, key=lambda c: int(c) if c.isdigit() else 99),
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


#: Every kind in the index, by name: each app registers its own from its AppConfig.ready() (search itself
#: registers the SDGs, from reference). Search imports none of the apps whose records it indexes.
_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the index and keep its documents in step with its records (the model's signals)."""
    from hrtc.search.apps import follow

    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"search kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    follow(kind)
    return kind


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


def kind_of(model: type[Model]) -> Kind | None:
    return next((k for k in _KINDS.values() if k.model() is model), None)


def register_sdgs() -> None:
    from hrtc.reference.models import SdgGoal, SdgTarget

    register(
        Kind(
            "sdg-goal",
            lambda: SdgGoal,
            lambda: SdgGoal.objects.all(),
            _sdg_goal,
            lambda user: None,
            object_id=lambda goal: goal.number,
            ids_of=lambda keys: list(SdgGoal.objects.filter(pk__in=keys).values_list("number", flat=True)),
        )
    )
    register(
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
        )
    )


def visible_q(user, only: Iterable[str] | None = None) -> Q:
    """The documents `user` is given: of each record they see, the one document of the audience they read it
    as (per language). Filter matches with it before counting, so totals and facets follow it too."""
    condition = Q(pk__in=[])
    for kind in kinds().values():
        if not only or kind.name in only:
            condition |= kind.visible_q(user)
    return condition
