"""Good practices: the moderation workflow walked for every role and status, visibility per role, audit."""

import pytest
from auditlog.models import LogEntry

from hrtc.accounts import policy
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.practices import selectors, services
from hrtc.practices.choices import PracticeStatus as S
from hrtc.practices.lifecycle import TRANSITIONS
from hrtc.practices.models import Practice, PracticeEvent
from hrtc.reference.models import SdgTarget
from tests.base import ROLES, SIGNED_IN

MODERATORS = {"platform_admin", "ohchr_officer", "ohchr_admin"}
AUTHOR_SIDE = {"platform_admin", "cso_member"}  # the author; the CSO has no other writer


def submit(people, title="Paralegal network for rural women", **extra):
    fields = {
        "title": title,
        "summary": "Community paralegals help rural women claim land and inheritance rights.",
        "body": "<p>Trained <strong>120 paralegals</strong> with the national legal aid board.</p>",
        "language": "en",
        **extra,
    }
    return services.practice_submit(by=people.cso_member, **fields)


def at_status(people, status: str) -> Practice:
    practice = submit(people)
    Practice.objects.filter(pk=practice.pk).update(status=status)
    practice.refresh_from_db()
    return practice


CASES = [(name, source) for name in TRANSITIONS for source in S.values]


@pytest.mark.parametrize(("name", "source"), CASES, ids=[f"{n}-from-{s}" for n, s in CASES])
def test_every_move_from_every_status_by_every_role(people, name, source):
    transition = TRANSITIONS[name]
    allowed_roles = MODERATORS if transition.action == "practices.moderate" else AUTHOR_SIDE
    for role in ROLES:
        practice = at_status(people, source)
        events, logs = PracticeEvent.objects.count(), LogEntry.objects.count()
        user = getattr(people, role)
        attempt = lambda practice=practice, user=user: services.practice_transition(  # noqa: E731
            practice=practice, by=user, name=name, comment="Needs sources for the figures."
        )
        if role not in allowed_roles:
            with pytest.raises(policy.AccessDenied):
                attempt()
        elif source not in transition.sources:
            with pytest.raises(Conflict, match="cannot be"):
                attempt()
        else:
            moved = attempt()
            assert moved.status == transition.target
            assert PracticeEvent.objects.count() == events + 1
            assert LogEntry.objects.filter(changes_text=f"practice.{name}").exists()
            continue
        practice.refresh_from_db()
        assert practice.status == source, f"{role} changed the status with a refused {name}"
        assert (PracticeEvent.objects.count(), LogEntry.objects.count()) == (events, logs)


def test_return_reject_and_unpublish_need_a_comment(people):
    practice = services.practice_transition(practice=submit(people), by=people.ohchr_officer, name="review")
    with pytest.raises(InvalidInput, match="comment"):
        services.practice_transition(practice=practice, by=people.ohchr_officer, name="return", comment="  ")
    practice.refresh_from_db()
    assert practice.status == S.IN_REVIEW


def test_the_full_cycle_returned_edited_resubmitted_published(people):
    practice = submit(people)
    officer = people.ohchr_officer
    services.practice_transition(practice=practice, by=officer, name="review")
    services.practice_transition(practice=practice, by=officer, name="return", comment="Add the evidence.")
    services.practice_edit(practice=practice, by=people.cso_member, evidence="Evaluation report, 2025.")
    services.practice_transition(practice=practice, by=people.cso_member, name="resubmit")
    services.practice_transition(practice=practice, by=officer, name="review")
    published = services.practice_transition(practice=practice, by=officer, name="publish")
    assert published.status == S.PUBLISHED
    assert published.published_at is not None
    assert [e.to_status for e in published.events.all()] == [
        "submitted", "in_review", "returned", "submitted", "in_review", "published",
    ]  # fmt: skip
    assert published.events.get(to_status="returned").comment == "Add the evidence."
    with pytest.raises(Conflict, match="cannot be edited"):
        services.practice_edit(practice=published, by=people.cso_member, title="Changed after publication")
    changes = LogEntry.objects.get_for_object(published)
    assert changes.filter(changes_text="practice.publish").exists()
    assert any("evidence" in (e.changes or {}) for e in changes)


def test_any_signed_in_stakeholder_submits_nobody_anonymous(people):
    for role in SIGNED_IN:
        practice = services.practice_submit(
            by=getattr(people, role), title=f"Practice by {role}", summary="s", body="<p>b</p>"
        )
        assert practice.status == S.SUBMITTED
    with pytest.raises(policy.AccessDenied):
        services.practice_submit(by=None, title="Anonymous", summary="s", body="<p>b</p>")


def test_who_sees_an_unpublished_and_a_published_practice(people):
    submit(people, title="Waiting")
    shown = submit(people, title="Shown")
    for step in ("review", "publish"):
        services.practice_transition(practice=shown, by=people.ohchr_officer, name=step)
    sees_waiting = MODERATORS | {"cso_member"}
    for role in ROLES:
        seen = set(selectors.practices_visible(getattr(people, role)).values_list("title", flat=True))
        assert ("Waiting" in seen) == (role in sees_waiting), role
        assert "Shown" in seen, role


def test_invalid_input_names_the_field_and_creates_nothing(people):
    before = Practice.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.practice_submit(by=people.cso_member, title="X", summary="s", body="<script>only()</script>")
    assert error.value.field == "body"
    with pytest.raises(InvalidInput) as error:
        services.practice_submit(by=people.cso_member, title="X", summary="s", body="<p>b</p>", language="xx")
    assert error.value.field == "language"
    assert Practice.objects.count() == before


def test_related_practices_by_text_similarity(people):
    officer = people.ohchr_officer
    made = [
        submit(people, title="Paralegals for rural women's land rights"),
        submit(people, title="Legal aid and paralegals for women claiming inheritance"),
        submit(people, title="Prison monitoring by the national preventive mechanism",
               summary="Unannounced visits to places of detention.", body="<p>Detention monitoring visits.</p>"),
    ]  # fmt: skip
    for practice in made:
        for step in ("review", "publish"):
            services.practice_transition(practice=practice, by=officer, name=step)
    related = [p.title for p, _ in selectors.related(made[0], None)]
    assert related[0] == made[1].title
    assert made[2].title not in related[:1]


def test_sdg_and_theme_links_are_kept(people):
    practice = submit(people, sdg_targets=list(SdgTarget.objects.filter(code__in=["5.a", "16.3"])))
    assert sorted(practice.sdg_targets.values_list("code", flat=True)) == ["16.3", "5.a"]
