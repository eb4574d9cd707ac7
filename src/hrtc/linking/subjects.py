"""What can be linked: each linkable model, the text the classifier reads and the State it concerns. The apps
that own the models register them; linking imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Linkable:
    label: str  # "recommendations.recommendation"
    text: Callable[[Model], str]
    state_field: str
    text_fields: tuple[str, ...]
    #: M2M fields whose values came with the record's import: (goal field, theme field).
    imported_goals: str | None = None
    imported_themes: str | None = None

    @property
    def app_label(self) -> str:
        return self.label.split(".")[0]

    @property
    def model_name(self) -> str:
        return self.label.split(".")[1]

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    def queryset(self) -> QuerySet:
        return self.model.objects.all()

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)


#: What can be linked, by model label: each app registers its own linkable models from its
#: AppConfig.ready() (`register`): recommendations and pledges (recommendations), activities (assistance).
LINKABLE: dict[str, Linkable] = {}


def register(linkable: Linkable) -> Linkable:
    LINKABLE[linkable.label] = linkable
    return linkable


def linkable_for(obj_or_model) -> Linkable:
    label = obj_or_model._meta.label_lower
    try:
        return LINKABLE[label]
    except KeyError:
        raise LookupError(f"{label} cannot be linked to SDGs or themes.") from None


def linkable_by_name(name: str) -> Linkable:
    """`recommendation`, `recommendations.recommendation`, ... → its Linkable."""
    name = name.lower()
    for label, linkable in LINKABLE.items():
        if name in (label, linkable.model_name):
            return linkable
    raise LookupError(f"Unknown subject type {name!r}; use one of: {', '.join(LINKABLE)}.")
