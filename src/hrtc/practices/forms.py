"""Reading the submission form into service arguments (one place for the page and its errors)."""

from __future__ import annotations

from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation
from hrtc.core.exceptions import InvalidInput
from hrtc.reference.models import AffectedGroup, SdgTarget, State, Theme


def practice_fields(data) -> dict:
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
    return {
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
