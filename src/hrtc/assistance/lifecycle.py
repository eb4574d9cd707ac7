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
    done: str = ""  # the past participle, for messages: "submitted", "withdrawn"


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


def available_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
