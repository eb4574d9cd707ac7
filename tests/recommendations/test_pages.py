"""The registry in a real browser: filter the list, record a status with evidence, import a file."""

import pytest
from playwright.sync_api import expect

from hrtc.accounts.policy import SYSTEM
from hrtc.recommendations.importing import recommendations_import
from tests.base import SHARED_DATA, make_recommendation
from tests.browser import sign_in

pytestmark = pytest.mark.browser
MATRIX = SHARED_DATA / "ohchr-upr-matrices-slovenia" / "slovenia_upr_thematic_lists_cycles2-4.csv"


@pytest.mark.skipif(not MATRIX.exists(), reason="../shared/data is not beside the repository")
def test_filter_the_list_and_open_the_state_overview(page, transactional_db):
    recommendations_import(path=MATRIX, by=SYSTEM)
    page.goto("/recommendations/")
    expect(page.get_by_text("632 recommendations")).to_be_visible()
    page.get_by_label("Response").select_option("noted")
    expect(page.get_by_text("91 recommendations")).to_be_visible()
    page.get_by_label("Cycle").fill("4")
    page.get_by_label("Cycle").press("Enter")
    expect(page.locator("#results tbody tr").first).to_contain_text("Slovenia")
    page.goto("/recommendations/state/SVN/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Slovenia")
    expect(page.get_by_role("figure").filter(has_text="By response")).to_contain_text("541")
    assert page.console_errors == []


def test_a_focal_point_records_a_status_with_evidence(page, live_people, password):
    rec = make_recommendation()
    sign_in(page, "kenya.focal.point", password)
    page.goto(f"/recommendations/{rec.pk}/")
    page.get_by_label("Status", exact=True).select_option("partially_implemented")
    page.get_by_label("Evidence", exact=True).fill("The Prevention of Torture Act 2017 was adopted.")
    page.get_by_label("Internal to the State (not public)").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("status")).to_contain_text("Status recorded")
    expect(page.locator(".timeline")).to_contain_text("Partially implemented")
    expect(page.locator(".timeline")).to_contain_text("internal")


@pytest.mark.skipif(not MATRIX.exists(), reason="../shared/data is not beside the repository")
def test_an_editor_imports_a_file_and_sees_the_counts(page, live_people, password, tmp_path):
    sign_in(page, "ohchr.officer", password)
    page.goto("/recommendations/import/")
    page.get_by_label("File").set_input_files(str(MATRIX))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("632 created")
    page.get_by_label("File").set_input_files(str(MATRIX))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("0 created, 0 updated, 632 unchanged")
