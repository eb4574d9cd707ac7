"""What can be linked: each linkable model, the text the classifier reads and the State it concerns."""

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


def _activity_text(activity) -> str:
    return "\n".join(part for part in (activity.title, activity.description, activity.outputs) if part)


LINKABLE: dict[str, Linkable] = {
    "recommendations.recommendation": Linkable(
        "recommendations.recommendation",
        text=lambda r: r.text,
        state_field="state_under_review",
        text_fields=("text",),
        imported_goals="sdg_goals",
        imported_themes="themes",
    ),
    "recommendations.pledge": Linkable(
        "recommendations.pledge",
        text=lambda p: p.text,
        state_field="state",
        text_fields=("text",),
        imported_themes="themes",
    ),
    "assistance.activity": Linkable(
        "assistance.activity",
        text=_activity_text,
        state_field="state",
        text_fields=("title", "description", "outputs"),
    ),
}


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
