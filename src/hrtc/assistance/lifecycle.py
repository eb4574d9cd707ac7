"""The request lifecycle as an explicit state machine: which move goes from where to where, who may make
it (a policy action) and whether it needs a reason. Nothing else changes a request's status."""

from __future__ import annotations

from dataclasses import dataclass

from hrtc.assistance.choices import RequestStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    action: str  # the policy action that decides who may make this move
    reason_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, "assistance.request.submit"),
        Transition("review", frozenset({S.SUBMITTED}), S.UNDER_REVIEW, "assistance.request.decide"),
        Transition("accept", frozenset({S.UNDER_REVIEW}), S.ACCEPTED, "assistance.request.decide"),
        Transition(
            "decline",
            frozenset({S.UNDER_REVIEW}),
            S.DECLINED,
            "assistance.request.decide",
            reason_required=True,
        ),
        Transition("start", frozenset({S.ACCEPTED}), S.IN_PROGRESS, "assistance.request.decide"),
        Transition("complete", frozenset({S.IN_PROGRESS}), S.COMPLETED, "assistance.request.decide"),
        Transition(
            "withdraw",
            frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS}),
            S.WITHDRAWN,
            "assistance.request.submit",
            reason_required=True,
        ),
    )
}


def available_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
