"""The reports page: choose parameters, the report is generated in the background while the page polls
(htmx), preview the HTML, download every format, save and publish; and the API."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from hrtc.reports.choices import RunStatus
from hrtc.reports.models import ReportRun, SavedReport
from tests.browser import sign_in
from tests.reports.world import END, START, make_world

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form(**extra):
    return {"kind": "thematic", "start": START.isoformat(), "end": END.isoformat(), "language": "en",
            "audience": "public", **extra}  # fmt: skip


def test_anyone_sees_the_page_but_only_signed_in_people_generate(client, people, media):
    page = client.get(reverse("reports:home"))
    assert page.status_code == 200
    assert b"to generate reports" in page.content
    answer = client.post(reverse("reports:home"), form())
    assert answer.status_code == 302
    assert "/login/" in answer["Location"]
    assert not ReportRun.objects.exists()


def test_bad_parameters_are_shown_next_to_their_field(client, people, media, password):
    client.login(username="cso.member", password=password)
    answer = client.post(reverse("reports:home"), form(kind="country", states=""))
    assert answer.status_code == 422
    assert b"A country profile is about one State" in answer.content
    answer = client.post(reverse("reports:home"), form(states="XYZ"))
    assert answer.status_code == 422
    assert b"Unknown State" in answer.content
    assert not ReportRun.objects.exists()


def test_a_run_and_its_files_are_only_for_whoever_asked(
    client, people, media, settings, password, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    client.login(username="cso.member", password=password)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("reports:home"), form())
    run = ReportRun.objects.get()
    assert answer["Location"] == run.get_absolute_url()
    assert run.status == RunStatus.DONE
    pdf = client.get(reverse("reports:run-file", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    preview = client.get(reverse("reports:run-file", args=[run.pk, "html"]) + "?inline=1")
    assert "sandbox" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert b"Save as a document" not in client.get(run.get_absolute_url()).content  # not OHCHR
    client.logout()
    client.login(username="kenya.viewer", password=password)
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:run-file", args=[run.pk, "pdf"])).status_code == 404


@pytest.mark.browser
def test_an_officer_generates_previews_downloads_saves_and_publishes(
    page, live_people, password, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_world(live_people)
    sign_in(page, "ohchr.officer", password)
    page.goto("/reports/")
    page.get_by_label("Report", exact=True).select_option("thematic")
    page.get_by_label("From").fill(START.isoformat())
    page.get_by_label("To", exact=True).fill(END.isoformat())
    page.get_by_label("Title (optional)").fill("Technical cooperation: report to the panel")
    page.get_by_label("Public data only (can be published)").check()
    page.get_by_role("button", name="Generate").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Technical cooperation: report to the panel")
    expect(page.locator("#run-status")).to_contain_text("Queued")  # the web server did not render it
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO()
    )
    expect(page.get_by_role("link", name="PDF")).to_be_visible(timeout=15_000)  # htmx polled the run

    preview = page.frame_locator("iframe.report-preview")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Technical cooperation: report to the panel")
    expect(preview.get_by_role("table", name=re.compile("by region"))).to_contain_text("African Group")
    expect(preview.get_by_role("img", name=re.compile("Bar chart: Activities by region"))).to_have_count(1)
    for label in ("Web page (HTML)", "PDF", "Editable draft (Word, DOCX)", "Data annex (Excel, XLSX)"):
        href = page.get_by_role("link", name=label).get_attribute("href")
        download = page.request.get(href)
        assert download.ok, label
        assert len(download.body()) > 1000, label

    page.get_by_role("button", name="Save as a document").click()
    saved = SavedReport.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{saved.symbol} v1")
    page.get_by_role("button", name="Publish to the transparency portal").click()
    expect(page.locator(".badge")).to_contain_text("published")
    assert not page.console_errors


def test_the_api_queues_a_report_and_lists_published_ones(api, live_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE
    with api.client(live_people.cso_member) as http:
        answer = http.post(
            "/api/v1/reports/runs/", json={"kind": "gender", "start": "2001-01-01", "end": "2001-12-31"}
        )
        assert answer.status_code == 202, answer.text
        run = http.get(f"/api/v1/reports/runs/{answer.json()['id']}/").json()
        assert run["status"] == "done"
        assert set(run["files"]) == {"html", "pdf", "docx", "xlsx"}
        assert http.post("/api/v1/reports/runs/", json={"kind": "country"}).status_code == 422
    with api.client() as anonymous:
        assert anonymous.post("/api/v1/reports/runs/", json={"kind": "gender"}).status_code in (401, 403)
        assert anonymous.get(f"/api/v1/reports/runs/{run['id']}/").status_code == 404
        assert anonymous.get("/api/v1/reports/published/").json()["count"] == 0
