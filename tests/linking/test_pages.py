"""The review queue in a real browser: the most uncertain suggestion first, accepted in one click."""

import pytest
from playwright.sync_api import expect

from hrtc.linking.choices import LinkStatus
from hrtc.linking.models import Link
from tests.base import make_recommendation
from tests.browser import sign_in
from tests.linking.test_services import suggestion

pytestmark = pytest.mark.browser


def test_a_focal_point_works_through_the_review_queue(page, live_people, password):
    women = make_recommendation(text="Combat violence against women and girls", paragraph="1")
    water = make_recommendation(text="Provide safe drinking water", paragraph="2")
    sure = suggestion(women, goal="5", confidence=0.95)
    unsure = suggestion(water, goal="6", confidence=0.42)
    make_recommendation(state="SVN", text="Another State's")
    sign_in(page, "kenya.focal.point", password)
    page.goto("/linking/review/")
    expect(page.get_by_text("2 suggestions to review")).to_be_visible()  # Kenya's, by default
    rows = page.locator("#queue tbody tr")
    expect(rows.first).to_contain_text("Provide safe drinking water")  # most uncertain first
    expect(rows.first).to_contain_text("42%")
    rows.first.get_by_role("button", name="Accept").click()
    expect(rows.first).to_contain_text("Accepted")
    rows.nth(1).get_by_role("button", name="Reject").click()
    expect(rows.nth(1)).to_contain_text("Rejected")
    assert Link.objects.get(pk=unsure.pk).status == LinkStatus.ACCEPTED
    assert Link.objects.get(pk=sure.pk).status == LinkStatus.REJECTED
    page.goto(f"/recommendations/{water.pk}/")
    expect(page.locator("#linking-panel")).to_contain_text("suggested by the classifier, accepted")
    page.goto("/recommendations/state/KEN/")
    expect(page.get_by_role("figure").filter(has_text="SDG coverage")).to_contain_text("1 of 17 goals linked")
    assert page.console_errors == []
