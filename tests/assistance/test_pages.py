"""Requests in a real browser: a focal point drafts a request with consent and submits it; the consented
provider finds it in its inbox and accepts it; a provider without consent cannot open it."""

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_request_from_draft_to_accepted_through_the_pages(browser, live_server, live_people, password):
    focal = browser.new_context(base_url=live_server.url)
    page = focal.new_page()
    sign_in(page, "kenya.focal.point", password)
    page.goto("/assistance/requests/new/")
    page.get_by_label("Title", exact=True).fill("Human rights indicators for the national statistics office")
    page.get_by_label("Needs", exact=True).fill("Indicators on the right to health and education.")
    page.get_by_label("Modality").select_option("data_indicators")
    page.get_by_label("Office of the United Nations High Commissioner for Human Rights").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#request-status")).to_have_text("Draft")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#request-status")).to_have_text("Submitted")
    url = page.url
    focal.close()

    provider = browser.new_context(base_url=live_server.url)
    page = provider.new_page()
    sign_in(page, "ohchr.officer", password)
    page.goto("/assistance/provider/ohchr/")
    page.get_by_role("link", name="Human rights indicators for the national statistics office").click()
    page.get_by_role("button", name="Review").click()
    expect(page.locator("#request-status")).to_have_text("Under review")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#request-status")).to_have_text("Accepted")
    expect(page.locator(".timeline")).to_contain_text("Accepted")
    provider.close()

    outsider = browser.new_context(base_url=live_server.url)
    page = outsider.new_page()
    sign_in(page, "unwomen.officer", password)
    response = page.goto(url)
    assert response.status == 404
    outsider.close()
