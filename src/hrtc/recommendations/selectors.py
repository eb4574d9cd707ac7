"""Reads: filtered lists with facet counts, a State's overview, a recommendation's visible history."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django_filters import rest_framework as filters

from hrtc.accounts import policy
from hrtc.recommendations.choices import ImplementationStatus, Response
from hrtc.recommendations.models import Assessment, Pledge, Recommendation
from hrtc.reference.models import Mechanism, SdgGoal, State, Theme
from hrtc.reference.selectors import ThemeFamilyFilter


class RecommendationFilter(filters.FilterSet):
    """The filters of the list page, the API and the exports (one definition for all three)."""

    state = filters.CharFilter(
        field_name="state_under_review",
        method="filter_code",
        help_text="State under review, ISO alpha-3 (e.g. KEN)",
    )
    mechanism = filters.CharFilter(field_name="mechanism", method="filter_code", help_text="UPR, CEDAW, ...")
    cycle = filters.NumberFilter()
    session = filters.NumberFilter()
    response = filters.ChoiceFilter(choices=Response.choices)
    status = filters.ChoiceFilter(field_name="public_status", choices=ImplementationStatus.choices)
    theme = ThemeFamilyFilter()
    theme_key = ThemeFamilyFilter(help_text="Theme key, e.g. uprinfo:Women's rights (the same as theme)")
    group = filters.CharFilter(field_name="affected_groups", help_text="Affected group code, e.g. women")
    sdg = filters.CharFilter(field_name="sdg_goals", help_text="SDG goal, e.g. 5")
    recommending_state = filters.CharFilter(field_name="recommending_states", method="filter_code")
    entity = filters.NumberFilter(field_name="responsible_entities")
    cluster = filters.NumberFilter()
    q = filters.CharFilter(method="filter_text", help_text="Words in the text, the symbol or the paragraph")

    class Meta:
        model = Recommendation
        fields = []

    def filter_code(self, queryset, name, value):
        return queryset.filter(**{name: value.strip().upper()})

    def filter_text(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(text__icontains=word) | Q(document_symbol__iexact=word) | Q(paragraph=word)
            )
        return queryset


def recommendations_visible(user) -> QuerySet[Recommendation]:
    return policy.visible(user, Recommendation.objects.all())


def recommendations_filtered(user, params) -> QuerySet[Recommendation]:
    """Visible recommendations narrowed by the filter params; distinct because of many-to-many filters."""
    filterset = RecommendationFilter(params, queryset=recommendations_visible(user))
    queryset = filterset.qs if filterset.is_valid() else recommendations_visible(user).none()
    return queryset.distinct()


def with_list_relations(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return queryset.select_related("state_under_review", "mechanism", "cluster").prefetch_related(
        "recommending_states", "themes", "affected_groups", "sdg_goals", "responsible_entities"
    )


def facets(queryset: QuerySet[Recommendation]) -> dict[str, list[dict]]:
    """Counts by mechanism, response, status, cycle, State, theme, SDG and group over `queryset`."""
    ids = queryset.order_by().values("pk")
    base = Recommendation.objects.filter(pk__in=ids)

    def count(field: str, limit: int | None = None) -> list[dict]:
        rows = base.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("pk", distinct=True))
        rows = rows.order_by("-n", field)
        rows = rows[:limit] if limit else rows
        return [{"value": r[field], "count": r["n"]} for r in rows if r[field] not in (None, "")]

    result = {
        "mechanism": count("mechanism"),
        "response": count("response"),
        "status": count("public_status"),
        "cycle": count("cycle"),
        "state": count("state_under_review", 30),
        "theme": count("themes", 30),
        "sdg": count("sdg_goals"),
        "group": count("affected_groups", 30),
    }
    names = {str(t.pk): t.name for t in Theme.objects.filter(pk__in=[r["value"] for r in result["theme"]])}
    for row in result["theme"]:
        row["label"] = names.get(str(row["value"]), str(row["value"]))
    labels = {
        "mechanism": dict(Mechanism.objects.values_list("code", "acronym")),
        "response": dict(Response.choices),
        "status": dict(ImplementationStatus.choices),
        "state": dict(State.objects.values_list("code", "name")),
        "sdg": {g.code: f"SDG {g.code}" for g in SdgGoal.objects.all()},
    }
    for facet, mapping in labels.items():
        for row in result[facet]:
            row["label"] = str(mapping.get(row["value"]) or row["value"])
    for facet in ("cycle", "group"):
        for row in result[facet]:
            row["label"] = str(row["value"])
    return result


def assessments_visible(user, subject) -> QuerySet[Assessment]:
    return policy.visible(user, subject.assessments.select_related("author", "organisation"))


def recommendation_detail(user, pk: int) -> Recommendation:
    return (
        with_list_relations(recommendations_visible(user))
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=policy.visible(user, Assessment.objects.select_related("author", "organisation")),
                to_attr="visible_assessments",
            )
        )
        .get(pk=pk)
    )


def state_overview(user, state: State) -> dict:
    recs = recommendations_visible(user).filter(state_under_review=state)
    return {
        "total": recs.count(),
        "facets": facets(recs),
        "pledges": policy.visible(user, Pledge.objects.filter(state=state)).count(),
        "clusters": recs.exclude(cluster=None).values("cluster").distinct().count(),
    }
