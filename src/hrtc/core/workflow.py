"""Workflows: one way to move a record along its lifecycle, for every app that has one (a request for
assistance, a good practice in moderation).

A `Workflow` is data: its `Transition`s (name, source statuses, target, the policy action that decides who
may make the move, whether a reason is required). `apply_transition` is the one place a move happens: it
locks the record, asks the policy, checks the source status (409 `TransitionNotAllowed`, naming the statuses
it is allowed from) and the reason (422), lets the app check its own preconditions, changes the status, and
writes the app's event and the audit entry, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from hrtc.core import access, audit
from hrtc.core.exceptions import Conflict, InvalidInput


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    action: str  # the policy action that decides who may make this move
    reason_required: bool = False
    done: str = ""  # the past participle, for messages: "submitted", "withdrawn"


@dataclass(frozen=True)
class Workflow:
    noun: str  # "request", "practice": for messages
    transitions: dict[str, Transition]
    statuses: type[models.TextChoices]
    audit_prefix: str  # the audit event is "<prefix>.<transition>"
    reason_field: str = "reason"  # where the API and forms take the reason ("comment" for moderation)
    reason_missing: Callable[[Transition], str] = field(
        default=lambda t: f"Give a reason to {t.name}."  # overridden with the app's wording
    )

    def transition(self, name: str) -> Transition:
        found = self.transitions.get(name)
        if found is None:
            raise InvalidInput(
                f"Unknown transition {name!r}; use one of {', '.join(self.transitions)}.", field="transition"
            )
        return found

    def available_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions.values() if status in t.sources]

    def refusal(self, status: str, transition: Transition) -> TransitionNotAllowed:
        label = str(self.statuses(status).label).lower()
        allowed = ", ".join(str(self.statuses(s).label).lower() for s in sorted(transition.sources))
        return TransitionNotAllowed(
            _("A %(noun)s that is %(status)s cannot be %(done)s; allowed from: %(allowed)s.")
            % {"noun": self.noun, "status": label, "done": transition.done, "allowed": allowed}
        )


@transaction.atomic
def apply_transition(
    workflow: Workflow,
    record: models.Model,
    *,
    by: Any,
    name: str,
    reason: str = "",
    check: Callable[[models.Model, Transition], None] | None = None,
    change: Callable[[models.Model, Transition, str], list[str]] | None = None,
    event: Callable[[models.Model, Transition, str, str], Any],
) -> tuple[models.Model, Transition, str]:
    """Make the move `name` on `record`; returns (the locked, updated record, the transition, the source
    status). `check(record, transition)` raises the app's own refusals; `change(record, transition, source)`
    sets fields besides the status and returns their names; `event(record, transition, source, reason)`
    writes the app's history entry."""
    transition = workflow.transition(name)
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)  # one move at a time
    access.require(by, transition.action, locked)
    if locked.status not in transition.sources:
        raise workflow.refusal(locked.status, transition)
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise InvalidInput(workflow.reason_missing(transition), field=workflow.reason_field)
    if check is not None:
        check(locked, transition)
    source = locked.status
    with audit.acting_as(by):
        locked.status = transition.target
        fields = ["status", "updated_at", *(change(locked, transition, source) if change else [])]
        locked.save(update_fields=fields)
        event(locked, transition, source, reason)
        audit.record(actor=by, action=f"{workflow.audit_prefix}.{name}", target=locked, reason=reason)
    return locked, transition, source
