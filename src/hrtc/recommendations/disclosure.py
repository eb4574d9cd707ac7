"""What each reader may see of implementation assessments (the one decision per kind of record,
``hrtc.core.disclosure``), registered in ``RecommendationsConfig.ready()``.

Recommendations and pledges are public documents. An assessment of their implementation is public unless its
author marked it internal: then its status, text and evidence are read only by the government of the State
concerned, the assessing organisation and platform administrators.
"""

from __future__ import annotations

from django.db.models import Q

from hrtc.core.disclosure import Disclosure, register


def assessment_rows(p) -> Q | bool:
    if p.is_platform_admin:
        return True
    states, organisations = p.state_ids(), p.organisation_ids()
    return (
        Q(internal=False)
        | Q(recommendation__state_under_review__in=states)
        | Q(pledge__state__in=states)
        | Q(organisation__in=organisations)
    )


def register_all() -> None:
    from hrtc.recommendations.models import Assessment

    register(
        Disclosure(
            label="recommendations.assessment",
            rows=assessment_rows,
            full=assessment_rows,
            public_fields=frozenset(
                {f.name for f in Assessment._meta.get_fields()}
                | {f.attname for f in Assessment._meta.concrete_fields}
            ),
            rows_description="public assessments: everyone; internal ones: the State's government, the "
            "author's organisation, administrators",
            full_description="whoever sees the assessment",
        )
    )
