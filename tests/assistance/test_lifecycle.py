"""The request lifecycle, rule by rule.

draft → submitted → under review → accepted or declined (with a reason) → in progress → completed; the State
may withdraw its request (with a reason) at any point before it is completed or declined. Only the State's own
government focal points and administrators submit and withdraw (platform administrators cannot act for a
State); only writers of a provider the State consented to review, accept, decline, start and complete.

Every move is tried from every status by every role. A move the role may not make is refused by the access
policy (`AccessDenied`); a move from the wrong status is refused by the state machine (`TransitionNotAllowed`,
a 409 `Conflict`). A refused move changes nothing: not the status, not the timeline, not the audit log.
"""

from contextlib import contextmanager

import pytest
from auditlog.models import LogEntry
from django.db import transaction

from hrtc.accounts.choices import Role
from hrtc.accounts.models import Membership
from hrtc.accounts.policy import AccessDenied
from hrtc.assistance import services
from hrtc.assistance.choices import FeedKind
from hrtc.assistance.choices import RequestStatus as S
from hrtc.assistance.lifecycle import TRANSITIONS
from hrtc.assistance.models import AssistanceRequest, FeedEvent, RequestEvent
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.core.workflow import TransitionNotAllowed
from tests.base import ROLES, make_request, make_user

#: Kenya's government members who may move Kenya's request: not its viewers, not platform administrators.
THE_STATE = frozenset({"kenya_focal_point", "kenya_admin"})
#: The request below is shared with OHCHR and the UN country team in Kenya: their writers decide on it.
CONSENTED_PROVIDERS = ("ohchr", "unct_ken")
THE_PROVIDERS = frozenset({"ohchr_officer", "ohchr_admin", "unct_officer"})
PROVIDER_OF = {"ohchr_officer": "ohchr", "ohchr_admin": "ohchr", "unct_officer": "unct_ken"}

#: The rules, written out: move → (from which statuses, to which status, who may make it, whether a reason
#: is required).
RULES = {
    "submit": ({S.DRAFT}, S.SUBMITTED, THE_STATE, False),
    "review": ({S.SUBMITTED}, S.UNDER_REVIEW, THE_PROVIDERS, False),
    "accept": ({S.UNDER_REVIEW}, S.ACCEPTED, THE_PROVIDERS, False),
    "decline": ({S.UNDER_REVIEW}, S.DECLINED, THE_PROVIDERS, True),
    "start": ({S.ACCEPTED}, S.IN_PROGRESS, THE_PROVIDERS, False),
    "complete": ({S.IN_PROGRESS}, S.COMPLETED, THE_PROVIDERS, False),
    "withdraw": (
        {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS},
        S.WITHDRAWN,
        THE_STATE,
        True,
    ),
}
#: What the information-exchange feed calls each move; the others are status changes.
FEED_KIND = {
    "submit": FeedKind.REQUEST_SUBMITTED,
    "accept": FeedKind.REQUEST_DECISION,
    "decline": FeedKind.REQUEST_DECISION,
}

#: How a fresh request reaches each status, moved by the people who may: (move, who) steps from a draft.
_TO_ACCEPTED = [("submit", "kenya_focal_point"), ("review", "ohchr_officer"), ("accept", "ohchr_admin")]
PATH = {
    S.DRAFT: [],
    S.SUBMITTED: _TO_ACCEPTED[:1],
    S.UNDER_REVIEW: _TO_ACCEPTED[:2],
    S.ACCEPTED: _TO_ACCEPTED,
    S.DECLINED: [*_TO_ACCEPTED[:2], ("decline", "ohchr_officer")],
    S.IN_PROGRESS: [*_TO_ACCEPTED, ("start", "ohchr_officer")],
    S.COMPLETED: [*_TO_ACCEPTED, ("start", "ohchr_officer"), ("complete", "ohchr_admin")],
    S.WITHDRAWN: [*_TO_ACCEPTED[:2], ("withdraw", "kenya_admin")],
}


def request_in(people, status: str, *, providers=CONSENTED_PROVIDERS, publish: bool = False, **fields):
    """A Kenyan request brought to `status` through the real services (shared with OHCHR at least)."""
    req = make_request(people, providers=providers, publish=publish, submit=False, **fields)
    for move, who in PATH[status]:
        services.request_transition(request=req, by=getattr(people, who), name=move, reason=f"{who}: {move}")
    assert req.status == status
    return req


def move(req, who, name: str, reason: str = "") -> AssistanceRequest:
    return services.request_transition(request=req, by=who, name=name, reason=reason)


def traces(req) -> tuple:
    """What a move leaves behind: the stored status, the timeline, the audit log, the feed."""
    return (
        AssistanceRequest.objects.get(pk=req.pk).status,
        RequestEvent.objects.filter(request=req).count(),
        LogEntry.objects.count(),
        FeedEvent.objects.count(),
    )


class _Undo(Exception):
    pass


@contextmanager
def undone():
    """Try something, then roll it back, so one request serves every (move, role) pair."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def test_the_state_machine_has_exactly_these_moves():
    assert {name: (set(t.sources), t.target, t.reason_required) for name, t in TRANSITIONS.items()} == {
        name: (sources, target, reason) for name, (sources, target, _, reason) in RULES.items()
    }


@pytest.mark.parametrize("status", list(PATH))
def test_every_move_from_this_status_is_made_only_by_its_roles_and_only_from_its_sources(people, status):
    req = request_in(people, status)
    for name, (sources, target, movers, _) in RULES.items():
        for role in ROLES:
            user = getattr(people, role)
            # A draft is the State's alone: even a consented provider has no say on it yet.
            role_may = role in movers and (movers == THE_STATE or status != S.DRAFT)
            with undone():
                fresh = AssistanceRequest.objects.get(pk=req.pk)
                before = traces(req)
                if not role_may or status not in sources:
                    with pytest.raises(AccessDenied if not role_may else TransitionNotAllowed):
                        move(fresh, user, name, reason="a reason")
                    assert traces(req) == before, (name, role)
                    assert fresh.status == status
                    continue
                move(fresh, user, name, reason="a reason")
                assert fresh.status == target, (name, role)  # the caller's copy follows
                assert AssistanceRequest.objects.get(pk=req.pk).status == target
                event = RequestEvent.objects.filter(request=req).last()
                organisation = people.organisations[PROVIDER_OF[role]] if role in PROVIDER_OF else None
                assert (event.from_status, event.to_status, event.by, event.organisation, event.reason) == (
                    status,
                    target,
                    user,
                    organisation,
                    "a reason",
                ), (name, role)
                entry = LogEntry.objects.filter(additional_data__event=f"request.{name}").latest("pk")
                assert (entry.actor, entry.object_pk, entry.additional_data["reason"]) == (
                    user,
                    str(req.pk),
                    "a reason",
                )
                feed = FeedEvent.objects.filter(request=req).latest("pk")
                assert feed.kind == FEED_KIND.get(name, FeedKind.REQUEST_STATUS), (name, role)


def test_a_move_from_the_wrong_status_is_a_conflict_that_says_what_went_wrong(people):
    req = request_in(people, S.COMPLETED)
    assert issubclass(TransitionNotAllowed, Conflict)
    assert TransitionNotAllowed.status == 409
    participle = {
        "submit": "submitted",
        "review": "reviewed",
        "accept": "accepted",
        "decline": "declined",
        "start": "started",
        "complete": "completed",
        "withdraw": "withdrawn",
    }
    unclear = {}
    for name, (_, _, movers, _) in RULES.items():
        who = people.kenya_focal_point if movers is THE_STATE else people.ohchr_officer
        with pytest.raises(TransitionNotAllowed) as refused:
            move(req, who, name, reason="a reason")
        assert refused.value.code == "transition_not_allowed"
        message = refused.value.message
        if f"that is completed cannot be {participle[name]};" not in message:
            unclear[name] = message
    assert unclear == {}


def test_declining_and_withdrawing_need_a_reason_and_a_missing_one_changes_nothing(people):
    req = request_in(people, S.UNDER_REVIEW)
    before = traces(req)
    for who, name in ((people.ohchr_officer, "decline"), (people.kenya_focal_point, "withdraw")):
        for reason in ("", "   "):
            with pytest.raises(InvalidInput) as refused:
                move(req, who, name, reason=reason)
            assert refused.value.field == "reason"
    assert traces(req) == before
    move(req, people.ohchr_officer, "decline", reason="  Outside our mandate this year.  ")
    assert req.events.last().reason == "Outside our mandate this year."


def test_the_other_moves_need_no_reason_and_each_is_a_step_on_the_timeline(people):
    req = make_request(people, providers=CONSENTED_PROVIDERS, submit=False)
    for name, who in (
        ("submit", people.kenya_focal_point),
        ("review", people.unct_officer),
        ("accept", people.ohchr_officer),
        ("start", people.ohchr_admin),
        ("complete", people.unct_officer),
    ):
        move(req, who, name)
    ohchr, unct = people.organisations["ohchr"], people.organisations["unct_ken"]
    assert [(e.from_status, e.to_status, e.by, e.organisation) for e in req.events.all()] == [
        ("", S.DRAFT, people.kenya_focal_point, None),
        (S.DRAFT, S.SUBMITTED, people.kenya_focal_point, None),
        (S.SUBMITTED, S.UNDER_REVIEW, people.unct_officer, unct),
        (S.UNDER_REVIEW, S.ACCEPTED, people.ohchr_officer, ohchr),
        (S.ACCEPTED, S.IN_PROGRESS, people.ohchr_admin, ohchr),
        (S.IN_PROGRESS, S.COMPLETED, people.unct_officer, unct),
    ]
    audited = LogEntry.objects.filter(object_pk=str(req.pk), additional_data__event__isnull=False)
    assert [e.additional_data["event"] for e in audited.order_by("pk")] == [
        "request.consent",
        "request.submit",
        "request.review",
        "request.accept",
        "request.start",
        "request.complete",
    ]


def test_a_request_is_submitted_only_once_the_state_chose_who_may_see_it(people):
    req = make_request(people, providers=(), submit=False)  # consent recorded, but to no provider
    fresh = services.request_create(
        by=people.kenya_focal_point,
        state=req.requesting_state,
        title="Legislative review",
        needs="Review of the draft NHRI bill",
        modality="legislative_review",
    )  # no consent at all
    for draft in (req, fresh):
        before = traces(draft)
        with pytest.raises(Conflict, match="consent"):
            move(draft, people.kenya_focal_point, "submit")
        assert traces(draft) == before
    services.request_set_consent(
        request=fresh,
        by=people.kenya_admin,
        providers=[people.organisations["unwomen"]],
        publish_summary=False,
    )
    assert move(fresh, people.kenya_admin, "submit").status == S.SUBMITTED


def test_a_provider_whose_consent_is_narrowed_away_loses_its_say_at_once(people):
    req = request_in(people, S.UNDER_REVIEW)
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=[people.organisations["unct_ken"]],
        publish_summary=False,
        reason="The country team leads",
    )
    before = traces(req)
    for who in (people.ohchr_officer, people.ohchr_admin):
        with pytest.raises(AccessDenied):
            move(req, who, "accept")
    assert traces(req) == before
    assert move(req, people.unct_officer, "accept").status == S.ACCEPTED


def test_a_viewer_at_a_consented_provider_reads_the_request_but_cannot_decide_on_it(people):
    viewer = make_user("ohchr.viewer")
    Membership.objects.create(user=viewer, organisation=people.organisations["ohchr"], role=Role.VIEWER)
    req = request_in(people, S.SUBMITTED)
    with pytest.raises(AccessDenied):
        move(req, viewer, "review")
    assert AssistanceRequest.objects.get(pk=req.pk).status == S.SUBMITTED


def test_an_unknown_move_is_invalid_input(people):
    req = request_in(people, S.SUBMITTED)
    with pytest.raises(InvalidInput) as refused:
        move(req, people.ohchr_officer, "approve")
    assert refused.value.field == "transition"
