"""The moderation workflow as data: submitted → in review → published / returned with comments / rejected.
Which move goes from where to where, which policy action decides who may make it, whether it needs a text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hrtc.core.workflow import Transition, Workflow
from hrtc.practices.choices import PracticeStatus
from hrtc.practices.choices import PracticeStatus as S

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "review", frozenset({S.SUBMITTED}), S.IN_REVIEW, "practices.moderate", done="taken into review"
        ),
        Transition("publish", frozenset({S.IN_REVIEW}), S.PUBLISHED, "practices.moderate", done="published"),
        Transition(
            "return",
            frozenset({S.IN_REVIEW}),
            S.RETURNED,
            "practices.moderate",
            reason_required=True,
            done="returned",
        ),
        Transition(
            "reject",
            frozenset({S.SUBMITTED, S.IN_REVIEW}),
            S.REJECTED,
            "practices.moderate",
            reason_required=True,
            done="rejected",
        ),
        Transition("resubmit", frozenset({S.RETURNED}), S.SUBMITTED, "practices.edit", done="resubmitted"),
        Transition(
            "unpublish",
            frozenset({S.PUBLISHED}),
            S.IN_REVIEW,
            "practices.moderate",
            reason_required=True,
            done="unpublished",
        ),
    )
}

#: The author may change the text while a moderator has not taken it up, or after it was returned.
EDITABLE = frozenset({S.SUBMITTED, S.RETURNED})


WORKFLOW = Workflow(
    noun="practice",
    transitions=TRANSITIONS,
    statuses=PracticeStatus,
    audit_prefix="practice",
    reason_field="comment",
    reason_missing=lambda t: _("Tell the author why (a comment is required)."),
)
available_from = WORKFLOW.available_from
