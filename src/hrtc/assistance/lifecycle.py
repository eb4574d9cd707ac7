"""The request lifecycle as an explicit state machine: which move goes from where to where, who may make
it (a policy action) and whether it needs a reason. Nothing else changes a request's status."""

from __future__ import annotations

from hrtc.assistance.choices import RequestStatus
from hrtc.assistance.choices import RequestStatus as S
from hrtc.core.workflow import Transition, Workflow

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit", frozenset({S.DRAFT}), S.SUBMITTED, "assistance.request.submit", done="submitted"
        ),
        Transition(
            "review", frozenset({S.SUBMITTED}), S.UNDER_REVIEW, "assistance.request.decide", done="reviewed"
        ),
        Transition(
            "accept", frozenset({S.UNDER_REVIEW}), S.ACCEPTED, "assistance.request.decide", done="accepted"
        ),
        Transition(
            "decline",
            frozenset({S.UNDER_REVIEW}),
            S.DECLINED,
            "assistance.request.decide",
            reason_required=True,
            done="declined",
        ),
        Transition(
            "start", frozenset({S.ACCEPTED}), S.IN_PROGRESS, "assistance.request.decide", done="started"
        ),
        Transition(
            "complete", frozenset({S.IN_PROGRESS}), S.COMPLETED, "assistance.request.decide", done="completed"
        ),
        Transition(
            "withdraw",
            frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS}),
            S.WITHDRAWN,
            "assistance.request.submit",
            reason_required=True,
            done="withdrawn",
        ),
    )
}


WORKFLOW = Workflow(
    noun="request",
    transitions=TRANSITIONS,
    statuses=RequestStatus,
    audit_prefix="request",
    reason_missing=lambda t: f"Give a reason to {t.name} the request.",
)
available_from = WORKFLOW.available_from
