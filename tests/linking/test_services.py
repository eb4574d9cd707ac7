"""Links and people's decisions: a human decision always wins over the model, the policy decides who
may review, the platform works before any classifier is trained."""

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client

from hrtc.accounts.policy import SYSTEM, AccessDenied
from hrtc.core import audit
from hrtc.linking import services
from hrtc.linking.choices import LinkSource, LinkStatus
from hrtc.linking.exceptions import NoClassifier
from hrtc.linking.models import Classification, Link
from hrtc.reference.models import SdgGoal, Theme
from tests.base import ROLES, make_recommendation

REVIEWERS_OF_KENYA = frozenset(
    {"platform_admin", "ohchr_officer", "ohchr_admin", "kenya_focal_point", "kenya_admin"}
)
TEXTS = [
    "Take measures to combat violence against women and girls, including domestic violence",
    "Ensure access to safe drinking water and sanitation in rural areas",
    "Guarantee free primary education for all children, in particular girls",
    "Abolish the death penalty and ratify the Second Optional Protocol to the ICCPR",
]


def goals_of(rec, status=None):
    links = Link.objects.filter(object_id=rec.pk, kind="goal")
    return {link.goal_id for link in (links.filter(status=status) if status else links)}


def suggestion(rec, goal="5", confidence=0.6):
    from django.contrib.contenttypes.models import ContentType

    return Link.objects.create(
        content_type=ContentType.objects.get_for_model(rec),
        object_id=rec.pk,
        kind="goal",
        goal_id=goal,
        source=LinkSource.MODEL,
        status=LinkStatus.SUGGESTED,
        confidence=confidence,
        margin=confidence - 0.4,
    )


@pytest.mark.django_db
def test_a_human_decision_survives_reclassification(installed, people):
    recs = [make_recommendation(text=t, paragraph=str(i)) for i, t in enumerate(TEXTS)]
    first = services.links_classify(by=SYSTEM, only_missing=False)
    assert first.suggested > 0
    women, water = recs[0], recs[1]
    assert "5" in goals_of(women, LinkStatus.SUGGESTED)
    assert "6" in goals_of(water, LinkStatus.SUGGESTED)
    assert not Link.objects.exclude(status=LinkStatus.SUGGESTED).exists()  # nothing accepted by itself

    rejected = Link.objects.get(object_id=women.pk, goal="5")
    services.link_reject(link=rejected, by=people.kenya_focal_point)
    accepted = Link.objects.get(object_id=water.pk, goal="6")
    services.link_accept(link=accepted, by=people.ohchr_officer)
    added = services.link_add(subject=women, by=people.kenya_focal_point, goal=SdgGoal.objects.get(code="16"))
    assert added.source == LinkSource.HUMAN
    assert added.status == LinkStatus.ACCEPTED

    for only_missing in (False, True):
        services.links_classify(by=SYSTEM, only_missing=only_missing)
        rejected.refresh_from_db()
        accepted.refresh_from_db()
        added.refresh_from_db()
        assert rejected.status == LinkStatus.REJECTED
        assert rejected.reviewed_by == people.kenya_focal_point
        assert accepted.status == LinkStatus.ACCEPTED
        assert accepted.source == LinkSource.MODEL
        assert added.status == LinkStatus.ACCEPTED
        assert added.source == LinkSource.HUMAN
        assert Link.objects.filter(object_id=women.pk, goal="5").count() == 1  # not suggested again
    assert services.links_classify(by=SYSTEM, only_missing=True).subjects == 0  # all seen by this model
    assert Classification.objects.count() == len(recs)


@pytest.mark.django_db
def test_imported_labels_are_links_of_their_own_and_not_second_guessed(installed):
    rec = make_recommendation(text=TEXTS[0])
    rec.sdg_goals.add("16")
    rec.themes.add(Theme.objects.get(vocabulary="uprinfo", code="Justice"))
    report = services.links_classify(by=SYSTEM)
    assert report.imported == 2
    links = {(lk.kind, lk.source, lk.status) for lk in Link.objects.filter(object_id=rec.pk)}
    # The source labelled both tasks, so the model suggests nothing over it.
    assert links == {("goal", "import", "accepted"), ("theme", "import", "accepted")}
    assert services.links_classify(by=SYSTEM, only_missing=False).imported == 0  # recorded once


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_may_accept_and_reject_a_suggestion(people, role):
    rec = make_recommendation(state="KEN")
    user = getattr(people, role)
    for decide, status in ((services.link_accept, "accepted"), (services.link_reject, "rejected")):
        link = suggestion(rec, goal="5" if status == "accepted" else "16")
        if role in REVIEWERS_OF_KENYA:
            assert decide(link=link, by=user).status == status
        else:
            with pytest.raises(AccessDenied):
                decide(link=link, by=user)
            link.refresh_from_db()
            assert link.status == LinkStatus.SUGGESTED


@pytest.mark.django_db
def test_decisions_are_audited(people):
    rec = make_recommendation()
    link = services.link_accept(link=suggestion(rec), by=people.kenya_focal_point)
    events = [(e.additional_data or {}).get("event") for e in audit.history(rec)]
    assert "link.accept" in events
    assert LogEntry.objects.get_for_object(link).filter(actor=people.kenya_focal_point).exists()


@pytest.mark.django_db
def test_classifying_and_training_need_the_manage_permission(people):
    with pytest.raises(AccessDenied):
        services.links_classify(by=people.kenya_focal_point)
    with pytest.raises(AccessDenied):
        services.linker_train(by=people.cso_member)


@pytest.mark.django_db
def test_the_platform_works_before_any_classifier_is_trained(people, settings, tmp_path):
    settings.HRTC_DATA_DIR = tmp_path
    rec = make_recommendation(text=TEXTS[0])
    with pytest.raises(NoClassifier):
        services.links_classify(by=SYSTEM)
    with pytest.raises(CommandError, match="train-linker"):
        call_command("classify", "--missing")
    with pytest.raises(CommandError, match="train-linker"):
        call_command("evaluate_linker")
    browser = Client()
    detail = browser.get(f"/recommendations/{rec.pk}/")
    assert detail.status_code == 200
    assert b"No classifier is trained yet" in detail.content
    state = browser.get("/recommendations/state/KEN/")
    assert state.status_code == 200
    assert b"SDG coverage: 0 of 17 goals linked" in state.content
    assert browser.get("/api/v1/linking/classifiers/active/").json() == {"active": None}
    browser.force_login(people.kenya_focal_point)
    queue = browser.get("/linking/review/")
    assert queue.status_code == 200
    assert b"0 suggestions to review" in queue.content


@pytest.mark.django_db
def test_the_coverage_chart_counts_accepted_links_and_suggestions_per_goal(people):
    recs = [make_recommendation(text=t, paragraph=str(i)) for i, t in enumerate(TEXTS)]
    services.link_add(subject=recs[0], by=people.ohchr_officer, goal=SdgGoal.objects.get(code="5"))
    services.link_add(subject=recs[2], by=people.ohchr_officer, goal=SdgGoal.objects.get(code="5"))
    suggestion(recs[1], goal="6")
    make_recommendation(state="SVN", text="Other State").sdg_goals.add("1")
    from hrtc.linking.selectors import sdg_coverage
    from hrtc.reference.models import State

    rows = {r["goal"].code: r for r in sdg_coverage(None, State.objects.get(code="KEN"))["rows"]}
    assert (rows["5"]["accepted"], rows["5"]["suggested"]) == (2, 0)
    assert (rows["6"]["accepted"], rows["6"]["suggested"]) == (0, 1)
    assert sum(r["accepted"] + r["suggested"] for r in rows.values()) == 3


@pytest.mark.django_db
def test_the_panel_shows_suggestions_with_confidence_and_buttons_only_to_reviewers(people):
    rec = make_recommendation()
    link = suggestion(rec, confidence=0.734)
    browser = Client()
    html = browser.get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Suggestions from the classifier" in html
    assert "73%" in html
    assert "Accept" not in html
    browser.force_login(people.kenya_focal_point)
    html = browser.get(f"/recommendations/{rec.pk}/").content.decode()
    assert f"/linking/links/{link.pk}/accept/" in html
    response = browser.post(f"/linking/links/{link.pk}/accept/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "suggested by the classifier, accepted" in response.content.decode()
    browser.force_login(people.slovenia_focal_point)
    other = suggestion(rec, goal="3")
    assert browser.post(f"/linking/links/{other.pk}/reject/").status_code == 403
    other.refresh_from_db()
    assert other.status == LinkStatus.SUGGESTED


@pytest.mark.django_db
def test_the_commands_train_evaluate_and_classify(people, models_dir, excerpt, monkeypatch):
    import io

    from hrtc.linking import datasets
    from tests.linking.test_classifier import small

    monkeypatch.setattr(datasets, "build", lambda **kwargs: small(excerpt, 200))
    make_recommendation(text=TEXTS[1])
    out = io.StringIO()
    call_command("train_linker", "--seed", "5", stdout=out)
    call_command("evaluate_linker", stdout=out)
    call_command("classify", "--all", stdout=out)
    text = out.getvalue()
    assert "Trained classifier" in text
    assert "macro-F1" in text
    assert "texts/s/core" in text
    assert "SDG 17" in text
    assert "Classified 1 recommendations" in text
