"""Reading the submission form into service arguments (one place for the page and its errors)."""

from __future__ import annotations

from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation
from hrtc.core.exceptions import InvalidInput
from hrtc.recommendations.models import Recommendation
from hrtc.reference.models import AffectedGroup, SdgTarget, State, Theme


def _ids(data, name: str) -> list[int]:
    raw = " ".join(data.getlist(name)).replace(",", " ").split()
    bad = [x for x in raw if not x.isdigit()]
    if bad:
        raise InvalidInput(f"Not a record number: {', '.join(bad)}.", field=name)
    return [int(x) for x in raw]


def practice_fields(data, user=None) -> dict:
    """Fields for practice_submit/practice_edit from a POSTed form (QueryDict)."""
    state = None
    if data.get("state"):
        state = State.objects.filter(code=data["state"].upper()).first()
        if state is None:
            raise InvalidInput(f"Unknown State {data['state']!r}.", field="state")
    sdg_codes = [c for c in data.get("sdg_targets", "").replace(",", " ").split() if c]
    targets = list(SdgTarget.objects.filter(code__in=sdg_codes))
    missing = sorted(set(sdg_codes) - {t.code for t in targets})
    if missing:
        raise InvalidInput(f"Unknown SDG targets: {', '.join(missing)}.", field="sdg_targets")
    from hrtc.assistance import selectors as assistance

    rec_ids = _ids(data, "recommendations")
    recommendations = list(Recommendation.objects.filter(pk__in=rec_ids))
    if len(recommendations) != len(set(rec_ids)):
        raise InvalidInput("Some recommendation numbers do not exist.", field="recommendations")
    return {
        "recommendations": recommendations,
        "requests": list(assistance.requests_visible(user).filter(pk__in=_ids(data, "requests"))),
        "activities": list(assistance.activities_visible(user).filter(pk__in=_ids(data, "activities"))),
        "title": data.get("title", ""),
        "summary": data.get("summary", ""),
        "body": data.get("body", ""),
        "language": data.get("language") or "en",
        "state": state,
        "region": data.get("region", ""),
        "results": data.get("results", ""),
        "evidence": data.get("evidence", ""),
        "themes": list(Theme.objects.filter(pk__in=[x for x in data.getlist("themes") if x.isdigit()])),
        "sdg_targets": targets,
        "affected_groups": list(AffectedGroup.objects.filter(code__in=data.getlist("affected_groups"))),
        "providers": list(
            Organisation.objects.filter(
                kind__in=PROVIDER_KINDS, pk__in=[x for x in data.getlist("providers") if x.isdigit()]
            )
        ),
    }
