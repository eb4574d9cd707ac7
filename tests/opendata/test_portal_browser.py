"""The portal in a real browser, as a journalist uses it: no sign-in, filters, a chart bar that narrows the
view, a per-State page a focal point links to, and a download."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.opendata.portal_factories import accepted_request, activity

pytestmark = pytest.mark.browser


def test_a_visitor_filters_the_portal_follows_a_chart_and_opens_a_state_page(page, live_people):
    public_request = accepted_request(live_people, publish=True, title="Published request on the NMRF")
    activity(live_people, request=public_request, title="Tracking database for Kenya")
    activity(
        live_people,
        state="SVN",
        title="Slovenian ombudsperson exchange",
        gender_marker=2,
        modality="training",
    )
    activity(live_people, publish=False, title="Unpublished prison visit")

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Transparency portal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparency portal")
    expect(page.locator("#total-activities")).to_have_text("2")
    expect(page.get_by_role("table", name="Published activities recorded here")).to_contain_text(
        "Slovenian ombudsperson exchange"
    )
    expect(page.locator("main")).not_to_contain_text("Unpublished prison visit")

    # the chart is a table: its row for Slovenia narrows the view to Slovenia
    chart = page.get_by_role("figure", name="Activities by State")
    expect(chart.get_by_role("row", name="Slovenia 1")).to_be_visible()
    chart.get_by_role("link", name="Slovenia").click()
    page.wait_for_url("**/open/?state=SVN")
    expect(page.locator("#total-activities")).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text("Tracking database for Kenya")

    # a filter chosen in the form applies at once (htmx), and the address can be shared
    page.goto("/open/")
    page.get_by_label("Gender equality marker", exact=True).select_option("2")
    page.wait_for_url("**gender_marker=2**")
    expect(page.locator("#total-activities")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("Slovenian ombudsperson exchange")

    # the per-State page: requested, provided, available; downloads of what it shows
    page.goto("/open/state/KEN/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kenya")
    expect(
        page.get_by_role("table", name="Requests whose summary the State allowed to be published")
    ).to_contain_text("Published request on the NMRF")
    expect(page.locator("#provided ~ table").first).to_contain_text("Tracking database for Kenya")
    with page.expect_download() as download:
        page.locator("#provided ~ .downloads").first.get_by_role("link", name="CSV").click()
    saved = download.value
    assert saved.suggested_filename == "hrtc_activities_state-KEN.csv"
    content = Path(saved.path()).read_text(encoding="utf-8")
    assert "Tracking database for Kenya" in content
    assert "Slovenian" not in content
    assert page.console_errors == []
