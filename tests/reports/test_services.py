"""Generating in the background, saving reports as versioned documents with a symbol, publishing them:
who may, what is refused, what the audit log and the portal see."""

import io
from datetime import date

import pypdf
import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hrtc.accounts import policy
from hrtc.accounts.policy import SYSTEM
from hrtc.core import audit
from hrtc.core.exceptions import Conflict, NotFound
from hrtc.reports import selectors, services
from hrtc.reports.choices import Audience, ReportFormat, RunStatus
from hrtc.reports.document import Params
from hrtc.reports.models import SavedReport
from tests.base import ROLES
from tests.reports.world import END, START, make_world

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def params(**options) -> Params:
    return Params.parse("thematic", start=START, end=END, **options)


def save(by, audience=Audience.PUBLIC, symbol="", title="Panel report"):
    report = services.report_generate(params=params(title=title), by=by, audience=audience)
    return services.report_save(
        by=by,
        kind=report.kind,
        title=report.title,
        parameters=report.params.as_dict(),
        language="en",
        audience=audience,
        manifest=report.manifest,
        files=services.report_render(report, ["html", "xlsx"]),
        symbol=symbol,
    )


def test_a_queued_run_waits_for_the_worker_and_then_has_every_format(live_people, media):
    """Committed data (transactional_db): the worker is another connection's work, as in production."""
    people = live_people
    make_world(people)
    run = services.run_request(by=people.ohchr_officer, params=params(), audience=Audience.MINE)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    assert run.task_id
    assert DBTaskResult.objects.filter(pk=run.task_id).exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert set(run.files) == set(ReportFormat.values)
    assert run.progress == 100
    pdf = services.run_files(run)["pdf"]
    assert run.title in "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert audit.history(run).filter(changes_text="report.generate").exists()


def test_a_failed_run_says_why(people, media, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_request(by=people.ohchr_officer, params=params(), audience=Audience.MINE)
    run.parameters = {**run.parameters, "from": "not a date"}
    run.status = RunStatus.QUEUED
    run.save()
    services.run_execute(run_id=str(run.pk))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "YYYY-MM-DD" in run.error


def test_runs_are_seen_by_whoever_asked_and_administrators(
    people, media, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_request(by=people.cso_member, params=params(), audience=Audience.PUBLIC)
    for role in ROLES:
        seen = selectors.runs_visible(getattr(people, role)).filter(pk=run.pk).exists()
        assert seen == (role in {"cso_member", "platform_admin"}), role


def test_saving_gives_a_symbol_and_saving_again_a_new_version(people, media):
    first = save(people.ohchr_officer)
    year = date.today().year
    assert (first.symbol, first.version) == (f"HRTC/REP/{year}/1", 1)
    second = save(people.ohchr_officer, symbol=first.symbol)
    assert (second.symbol, second.version) == (first.symbol, 2)
    other = save(people.ohchr_admin)
    assert other.symbol == f"HRTC/REP/{year}/2"
    stored = {f.format: f for f in first.files.all()}
    assert set(stored) == {"html", "xlsx"}
    assert stored["html"].file.read().startswith(b"<!DOCTYPE html>")
    with pytest.raises(NotFound):
        save(people.ohchr_officer, symbol="HRTC/REP/1999/9")
    assert audit.history(first).filter(changes_text="report.save").exists()


def test_only_ohchr_writers_and_administrators_save_or_publish(people, media):
    for role in ("kenya_focal_point", "cso_member", "donor", "unwomen_officer"):
        with pytest.raises(policy.AccessDenied):
            save(getattr(people, role))
    saved = save(people.ohchr_officer)
    with pytest.raises(policy.AccessDenied):
        services.report_publish(saved=saved, by=people.kenya_admin)


def test_only_a_report_drawn_from_public_data_can_be_published(people, media):
    internal = save(people.ohchr_officer, audience=Audience.MINE)
    with pytest.raises(Conflict, match="public data"):
        services.report_publish(saved=internal, by=people.ohchr_officer)
    public = save(people.ohchr_officer)
    services.report_publish(saved=public, by=people.ohchr_admin)
    public.refresh_from_db()
    assert public.is_published
    assert public.published_by == people.ohchr_admin
    assert list(selectors.published_reports()) == [public]
    assert audit.history(public).filter(changes_text="report.publish").exists()
    services.report_unpublish(saved=public, by=people.ohchr_admin, reason="A figure was wrong")
    assert not selectors.published_reports().exists()


def test_unpublished_reports_are_for_ohchr_and_whoever_saved_them(people, media):
    draft = save(people.ohchr_officer)
    published = save(people.platform_admin)
    services.report_publish(saved=published, by=people.platform_admin)
    for role in ROLES:
        seen = set(selectors.saved_visible(getattr(people, role)).values_list("pk", flat=True))
        sees_drafts = role in {"ohchr_officer", "ohchr_admin", "platform_admin"}
        assert seen == ({draft.pk, published.pk} if sees_drafts else {published.pk}), role


def test_the_command_line_operator_can_save_too(people, media):
    saved = save(SYSTEM)
    assert saved.created_by is None
    assert SavedReport.objects.count() == 1


def test_saved_reports_are_searchable_by_their_text_published_ones_by_everyone(people, media):
    from hrtc.search import engine

    make_world(people)
    draft = save(people.ohchr_officer, title="Panel report on detention monitoring")
    shown = save(people.ohchr_officer, title="Panel report on birth registration")
    services.report_publish(saved=shown, by=people.ohchr_officer)
    for role in ROLES:
        found = engine.search(getattr(people, role), "panel report", {"kind": "report"})
        titles = " ".join(h.document.title for h in found.hits)
        assert "birth registration" in titles, role
        insider = policy.principal(getattr(people, role)).is_platform_admin or role.startswith("ohchr")
        assert ("detention monitoring" in titles) == insider, role
        assert found.total == (2 if insider else 1), role
    # the body is the report's own text (from its HTML file), not only its title
    body = engine.search(None, "birth registration", {"kind": "report"}).hits[0].document.body
    assert len(body) > 200
    assert draft.pk != shown.pk


def test_the_transparency_portal_lists_published_reports_only(people, media, client):
    make_world(people)
    save(people.ohchr_officer, title="Unpublished panel draft")
    shown = save(people.ohchr_officer, title="Published panel report")
    services.report_publish(saved=shown, by=people.ohchr_officer)
    portal = client.get("/open/").content.decode()
    assert "Published panel report" in portal
    assert "Unpublished panel draft" not in portal
    assert client.get(shown.get_absolute_url()).status_code == 200
