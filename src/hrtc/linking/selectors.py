"""Reads: a record's links, the review queue, SDG coverage per State, the classifier's description."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django_filters import rest_framework as filters

from hrtc.accounts import policy
from hrtc.linking.choices import LinkKind, LinkSource, LinkStatus
from hrtc.linking.models import ClassifierModel, Link
from hrtc.linking.subjects import LINKABLE, linkable_by_name, linkable_for
from hrtc.reference.models import SdgGoal, State

SHOWN = (LinkStatus.SUGGESTED, LinkStatus.ACCEPTED)


def links_visible(user) -> QuerySet[Link]:
    return policy.visible(user, Link.objects.all()).select_related(
        "content_type", "goal", "theme", "classifier", "reviewed_by"
    )


def links_of(user, subject: Model) -> QuerySet[Link]:
    ct = ContentType.objects.get_for_model(subject)
    return links_visible(user).filter(content_type=ct, object_id=subject.pk)


def subjects_of_state(user, state: State | str) -> dict[str, QuerySet]:
    """The visible linkable records about a State, by model label."""
    code = state.pk if isinstance(state, State) else state
    return {
        label: policy.visible(user, linkable.queryset().filter(**{linkable.state_field: code}))
        for label, linkable in LINKABLE.items()
    }


def _of_state(user, links: QuerySet[Link], state: str, subject_type: str | None = None) -> QuerySet[Link]:

    condition = Q(pk__in=[])
    for label, subjects in subjects_of_state(user, state).items():
        if subject_type and label != subject_type:
            continue
        linkable = LINKABLE[label]
        condition |= Q(
            content_type__app_label=linkable.app_label,
            content_type__model=linkable.model_name,
            object_id__in=subjects.values("pk"),
        )
    return links.filter(condition)


def review_queue(user, *, state: str | None = None, kind: str | None = None) -> QuerySet[Link]:
    """Suggestions awaiting a person, the most uncertain (closest to the decision threshold) first."""
    links = links_visible(user).filter(status=LinkStatus.SUGGESTED).prefetch_related("subject")
    if state:
        links = _of_state(user, links, state.upper())
    if kind:
        links = links.filter(kind=kind)
    return links.order_by("margin", "-confidence", "id")


def annotate_reviewable(user, links) -> list[Link]:
    """Each link with `can_review` (whether this user may accept or reject it) and `subject_text`."""
    links = list(links)
    for link in links:
        subject = link.subject
        link.can_review = subject is not None and policy.can(user, "linking.review", subject)
        link.subject_text = linkable_for(subject).text(subject) if subject is not None else ""
    return links


def sdg_coverage(user, state: State) -> dict:
    """Per SDG goal: how many of the State's visible recommendations, pledges and activities are linked
    to it, by accepted links (imported, added or confirmed by people) and by pending suggestions."""
    links = _of_state(user, links_visible(user).filter(kind=LinkKind.GOAL, status__in=SHOWN), state.pk)
    counts = {
        (row["goal"], row["status"]): row["n"]
        for row in links.order_by().values("goal", "status").annotate(n=Count("object_id", distinct=True))
    }
    subjects = sum(qs.count() for qs in subjects_of_state(user, state).values())
    rows = []
    for goal in SdgGoal.objects.all():
        accepted = counts.get((goal.code, LinkStatus.ACCEPTED), 0)
        suggested = counts.get((goal.code, LinkStatus.SUGGESTED), 0)
        rows.append({"goal": goal, "accepted": accepted, "suggested": suggested})
    peak = max((r["accepted"] + r["suggested"] for r in rows), default=0) or 1
    for row in rows:
        row["accepted_pct"] = round(75 * row["accepted"] / peak)
        row["suggested_pct"] = round(75 * row["suggested"] / peak)
    return {
        "rows": rows,
        "subjects": subjects,
        "touched": sum(1 for r in rows if r["accepted"]),
        "touched_with_suggestions": sum(1 for r in rows if r["accepted"] or r["suggested"]),
    }


def classifiers_visible(user) -> QuerySet[ClassifierModel]:
    return policy.visible(user, ClassifierModel.objects.all())


class LinkFilter(filters.FilterSet):
    subject_type = filters.CharFilter(
        method="filter_subject_type", help_text="recommendation, pledge or activity"
    )
    object_id = filters.NumberFilter()
    state = filters.CharFilter(method="filter_state", help_text="State the record concerns, ISO alpha-3")
    kind = filters.ChoiceFilter(choices=LinkKind.choices)
    source = filters.ChoiceFilter(choices=LinkSource.choices)
    status = filters.ChoiceFilter(choices=LinkStatus.choices)
    goal = filters.CharFilter(field_name="goal")
    theme_key = filters.CharFilter(method="filter_theme_key", help_text="e.g. uprinfo:Women's rights")
    min_confidence = filters.NumberFilter(field_name="confidence", lookup_expr="gte")
    classifier = filters.CharFilter(field_name="classifier__version")

    class Meta:
        model = Link
        fields = []

    def filter_subject_type(self, queryset, name, value):
        try:
            linkable = linkable_by_name(value)
        except LookupError:
            return queryset.none()
        return queryset.filter(
            content_type__app_label=linkable.app_label, content_type__model=linkable.model_name
        )

    def filter_state(self, queryset, name, value):
        return _of_state(self.request.user if self.request else None, queryset, value.strip().upper())

    def filter_theme_key(self, queryset, name, value):
        vocabulary, _, code = value.partition(":")
        return queryset.filter(theme__vocabulary=vocabulary, theme__code=code)
