"""The moderation workflow as data: submitted → in review → published / returned with comments / rejected.
Which move goes from where to where, which policy action decides who may make it, whether it needs a text."""

from __future__ import annotations

from dataclasses import dataclass

from hrtc.practices.choices import PracticeStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    action: str
    comment_required: bool = False
    done: str = ""


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
            comment_required=True,
            done="returned",
        ),
        Transition(
            "reject",
            frozenset({S.SUBMITTED, S.IN_REVIEW}),
            S.REJECTED,
            "practices.moderate",
            comment_required=True,
            done="rejected",
        ),
        Transition("resubmit", frozenset({S.RETURNED}), S.SUBMITTED, "practices.edit", done="resubmitted"),
        Transition(
            "unpublish",
            frozenset({S.PUBLISHED}),
            S.IN_REVIEW,
            "practices.moderate",
            comment_required=True,
            done="unpublished",
        ),
    )
}

#: The author may change the text while a moderator has not taken it up, or after it was returned.
EDITABLE = frozenset({S.SUBMITTED, S.RETURNED})


def available_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
