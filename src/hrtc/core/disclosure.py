"""What a reader may see of a record: ONE decision per kind of record, asked by every surface.

Resolution 48/24 makes technical cooperation happen with the consent of the State concerned, so what a
person may read of a request, an activity, an offer or a feed event is not a detail of one page: it is the
promise the platform rests on. Each app that owns such a model registers one :class:`Disclosure` for it in
its ``AppConfig.ready()`` (``assistance/disclosure.py`` for requests, activities, offers and the feed), and
every surface asks it:

* **rows** — which records a reader sees at all (the access policy's visibility of the model is this);
* **full** — which of those they read in full; the others they read only through ``public_fields`` (a
  request's published summary; an activity without its participants per affected group; an offer without
  its contact and capacity; a feed event without the provider who decided on a summary-only request);
* API serializers drop the fields a reader may not read (:class:`hrtc.core.rest.DisclosedSerializerMixin`);
  filters, orderings and search fields on a non-public field are accepted only when every row the reader's
  list can contain is one they read in full, and otherwise refused with 422 naming the parameter
  (:meth:`Disclosure.require_full`), so neither a filter nor a sort order is an oracle;
* pages, search documents, feeds, reports and open data read through the same querysets.

A condition is a function of the reader's :class:`hrtc.accounts.policy.Principal` returning a ``Q``, ``True``
(every row) or ``False`` (none). Conditions are read *now*: a State that withdraws consent takes a record off
every live surface at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.db.models import Model, Q, QuerySet

from hrtc.core import access
from hrtc.core.exceptions import InvalidInput

Condition = Callable[[Any], "Q | bool"]


class Level(IntEnum):
    NONE = 0  # the reader does not see the record (nor that it exists)
    SUMMARY = 1  # the reader sees its public fields
    FULL = 2  # the reader reads every field


def _apply(condition: Q | bool, queryset: QuerySet) -> QuerySet:
    if condition is True:
        return queryset
    if condition is False:
        return queryset.none()
    return queryset.filter(condition)


@dataclass(frozen=True)
class Disclosure:
    """One kind of record: who sees which rows, who reads them in full, and the fields everyone who sees a row
    may read. Every field not in ``public_fields`` is read only in full (a new field fails closed)."""

    label: str  # "app_label.modelname"
    rows: Condition
    full: Condition
    public_fields: frozenset[str]
    rows_description: str
    full_description: str

    # Conditions -------------------------------------------------------------------------------------------

    def _who(self, user: Any):
        """A user (or None for anonymous) or an already computed Principal."""
        return access.principal(user)

    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        """The rows `user` sees at any level."""
        return _apply(self.rows(self._who(user)), queryset)

    def in_full(self, user: Any, queryset: QuerySet) -> QuerySet:
        """The rows `user` reads in full (always within what they see)."""
        who = self._who(user)
        return _apply(self.full(who), _apply(self.rows(who), queryset))

    def reads_everything_in_full(self, user: Any) -> bool:
        return self.full(self._who(user)) is True

    def level(self, user: Any, obj: Model) -> Level:
        return self.levels(user, [obj]).get(obj.pk, Level.NONE)

    def levels(self, user: Any, objs: Iterable[Model]) -> dict[Any, Level]:
        """The level of each record (by primary key), in two queries at most."""
        objs = [o for o in objs if getattr(o, "pk", None) is not None]
        if not objs:
            return {}
        who = self._who(user)
        model = type(objs[0])
        pks = [o.pk for o in objs]
        base = model._default_manager.filter(pk__in=pks)
        seen = set(_apply(self.rows(who), base).values_list("pk", flat=True))
        full_condition = self.full(who)
        if full_condition is True:
            full = seen
        elif full_condition is False:
            full = set()
        else:
            full = set(base.filter(full_condition).values_list("pk", flat=True)) & seen
        return {pk: Level.FULL if pk in full else Level.SUMMARY if pk in seen else Level.NONE for pk in pks}

    # Fields -----------------------------------------------------------------------------------------------

    def is_public(self, path: str) -> bool:
        """Whether a field, or a lookup path through one (``consent_providers__code``), is public."""
        root = path.lstrip("-").split("__", 1)[0]
        return root in self.public_fields

    def readable(self, level: Level, names: Iterable[str]) -> list[str]:
        """Of these field names, those a reader at `level` may read."""
        if level >= Level.FULL:
            return list(names)
        if level == Level.NONE:
            return []
        return [n for n in names if n in self.public_fields]

    def require_full(self, user: Any, queryset: QuerySet, param: str, path: str | None = None) -> None:
        """Refuse (422, naming `param`) a filter, ordering or search on a non-public field unless every row of
        `queryset` (the reader's list, before that parameter) is one the reader reads in full."""
        if path is not None and self.is_public(path):
            return
        who = self._who(user)
        condition = self.full(who)
        if condition is True:
            return
        rows = _apply(self.rows(who), queryset)
        if condition is False:
            partial = rows.exists()
        else:
            partial = rows.exclude(
                pk__in=queryset.model._default_manager.filter(condition).values("pk")
            ).exists()
        if partial:
            raise InvalidInput(
                f"The parameter {param!r} uses a field you may read only on some of these records; narrow the "
                "list to records you read in full (for example your own State's) or leave it out.",
                field=param,
            )


def with_levels(user: Any, objects: Iterable[Model]) -> list[Model]:
    """The records as a list, each with ``read_in_full`` set for this reader (for pages: a template shows a
    record's non-public fields only ``{% if obj.read_in_full %}``). One query per kind of record."""
    items = list(objects)
    by_label: dict[str, list[Model]] = {}
    for item in items:
        by_label.setdefault(item._meta.label_lower, []).append(item)
    for label, group in by_label.items():
        decision = _REGISTRY.get(label)
        levels = decision.levels(user, group) if decision is not None else {}
        for item in group:
            item.read_in_full = decision is None or levels.get(item.pk) == Level.FULL
    return items


_REGISTRY: dict[str, Disclosure] = {}


def register(disclosure: Disclosure) -> Disclosure:
    """Called by the app that owns the model, in its ``AppConfig.ready()``."""
    existing = _REGISTRY.get(disclosure.label)
    if existing is not None and existing is not disclosure:
        raise LookupError(f"{disclosure.label} already has a disclosure decision; a model has one.")
    _REGISTRY[disclosure.label] = disclosure
    return disclosure


def for_model(model: type[Model] | Model) -> Disclosure | None:
    return _REGISTRY.get(model._meta.label_lower)


def of(model: type[Model] | Model) -> Disclosure:
    found = for_model(model)
    if found is None:
        raise LookupError(f"No disclosure decision is registered for {model._meta.label_lower}.")
    return found


def registered() -> dict[str, Disclosure]:
    return dict(sorted(_REGISTRY.items()))
