"""The web shell in a real browser: navigation, sign-in, tokens, htmx filtering, right-to-left Arabic."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_home_is_accessible_and_loads_htmx_from_our_own_server(page, transactional_db):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("technical cooperation")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Reference data")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert page.evaluate("typeof window.htmx") == "object"
    assert all(
        url.startswith(page.url.rstrip("/").rsplit("/", 1)[0]) or url.startswith("data:") for url in requests
    )
    assert page.console_errors == []


def test_a_focal_point_signs_in_sees_their_seat_and_manages_a_token(page, live_people, password):
    sign_in(page, "kenya.focal.point", "wrong password")
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    sign_in(page, "kenya.focal.point", password)
    page.goto("/account/")
    expect(page.get_by_role("table").first).to_contain_text("Government of Kenya")
    expect(page.get_by_role("table").first).to_contain_text("Focal point")
    page.get_by_label("Token name").fill("reporting script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"hrtc_\S{20,}"))
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    assert page.console_errors == []


def test_state_list_filters_as_you_type_with_htmx(page, transactional_db):
    page.goto("/reference/states/")
    expect(page.get_by_text("195 States")).to_be_visible()
    page.get_by_label("Name or code").type("Sloven", delay=30)
    expect(page.get_by_text("1 State", exact=True)).to_be_visible()
    expect(page.locator("#states-results tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=Sloven"))
    page.get_by_label("Name or code").fill("")
    page.get_by_label("SIDS").check()
    expect(page.locator("#states-results")).to_contain_text("Jamaica")
    expect(page.locator("#states-results")).not_to_contain_text("Kenya")


def test_arabic_interface_is_right_to_left(page, transactional_db):
    page.goto("/reference/states/KEN/")
    page.get_by_label("Language").select_option("ar")
    page.locator("form.lang button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("كينيا")
