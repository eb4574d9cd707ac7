"""Reads: which practices a user may see, the moderation queue, filters, and related practices."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hrtc.accounts import policy
from hrtc.practices.choices import PracticeStatus
from hrtc.practices.models import Practice, PracticeEvent
from hrtc.practices.sanitize import plain_text
from hrtc.reference.selectors import ThemeFamilyFilter


def practices_visible(user) -> QuerySet[Practice]:
    return policy.visible(user, Practice.objects.select_related("state", "organisation", "submitted_by"))


def published() -> QuerySet[Practice]:
    """What the public sees (and the transparency portal lists)."""
    return Practice.objects.filter(status=PracticeStatus.PUBLISHED).select_related("state")


def highlighted_practices(*, since=None, until=None, states=None, limit: int = 10) -> QuerySet[Practice]:
    """Published practices for reports: newest first, optionally within a period and for some States."""
    found = published()
    if since:
        found = found.filter(published_at__date__gte=since)
    if until:
        found = found.filter(published_at__date__lte=until)
    if states:
        found = found.filter(state__in=states)
    return found.order_by("-published_at", "-id")[:limit]


def for_portal(*, state: str = "", region: str = "", sdg: str = "", limit: int = 10) -> QuerySet[Practice]:
    """Published practices for the transparency portal's views (a State's page, a region, an SDG)."""
    found = published()
    if state:
        found = found.filter(state_id=state)
    if region:
        found = found.filter(Q(region=region) | Q(state__regional_group=region) | Q(state__m49_region=region))
    if sdg:
        found = found.filter(Q(sdg_targets__code=sdg) | Q(sdg_targets__goal_id=sdg)).distinct()
    return found.order_by("-published_at", "-id")[:limit]


def moderation_queue(user) -> QuerySet[Practice]:
    if not policy.can(user, "practices.moderate"):
        return Practice.objects.none()
    return practices_visible(user).filter(status__in=[PracticeStatus.SUBMITTED, PracticeStatus.IN_REVIEW])


def mine(user) -> QuerySet[Practice]:
    p = policy.principal(user)
    if not p.is_authenticated:
        return Practice.objects.none()
    return practices_visible(user).filter(
        Q(submitted_by_id=p.user_id) | Q(organisation_id__in=p.organisation_ids())
    )


def filtered(user, params) -> QuerySet[Practice]:
    """The list page and API filters: status, language, State, region, theme, SDG goal/target, text."""
    found = practices_visible(user)
    if params.get("status"):
        found = found.filter(status=params["status"])
    if params.get("language"):
        found = found.filter(language=params["language"])
    if params.get("state"):
        found = found.filter(state_id=params["state"].upper())
    if params.get("region"):
        found = found.filter(Q(region=params["region"]) | Q(state__regional_group=params["region"]))
    if params.get("theme"):
        found = ThemeFamilyFilter().filter(found, params["theme"])
    if params.get("sdg"):
        sdg = params["sdg"]
        found = found.filter(Q(sdg_targets__code=sdg) | Q(sdg_targets__goal_id=sdg))
    if params.get("q"):
        q = params["q"]
        found = found.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return found.distinct()


def translations(practice: Practice, user) -> QuerySet[Practice]:
    """The same practice in other languages (the original and its translations), as far as `user` may see."""
    root = practice.translation_of or practice
    return (
        practices_visible(user)
        .filter(Q(pk=root.pk) | Q(translation_of=root))
        .exclude(pk=practice.pk)
        .order_by("language")
    )


def history(practice: Practice, user) -> QuerySet[PracticeEvent]:
    """The moderation history (with moderators' comments): for the author's side and moderators only."""
    if policy.can(user, "practices.edit", practice) or policy.can(user, "practices.moderate"):
        return practice.events.select_related("by")
    return PracticeEvent.objects.none()


def grew_from(practice: Practice, user) -> dict[str, list]:
    """The recommendations, requests and activities a practice grew from — only those `user` may see."""
    from hrtc.assistance import selectors as assistance

    return {
        "recommendations": list(practice.recommendations.select_related("state_under_review")[:50]),
        "requests": list(assistance.requests_visible(user).filter(practices=practice).distinct()),
        "activities": list(assistance.activities_visible(user).filter(practices=practice).distinct()),
    }


def _text(practice: Practice) -> str:
    return f"{practice.title} {practice.summary} {plain_text(practice.body)} {practice.results}"


def related(practice: Practice, user, limit: int = 5) -> list[tuple[Practice, float]]:
    """Practices most similar in text (TF-IDF over the shared pipeline's tokens, cosine), that the user may
    see, in any language the pipeline can meet (stems, Arabic normalisation, CJK n-grams)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    from hrtc.search.text import index_text

    others = list(
        practices_visible(user).exclude(pk=practice.pk).filter(status=PracticeStatus.PUBLISHED)[:2000]
    )
    if not others:
        return []
    docs = [index_text(_text(p), p.language) for p in [practice, *others]]
    matrix = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=1).fit_transform(docs)
    scores = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    ranked = sorted(zip(others, scores, strict=True), key=lambda pair: (-pair[1], pair[0].pk))
    return [(p, float(s)) for p, s in ranked[:limit] if s > 0.05]
