"""Consent, fuzzed, for the IATI exports: activities are made through the real services with random consent
and publication settings — with or without a request, summary publication allowed or not, consent given
and then narrowed, requests withdrawn, activities published and unpublished, funds granted — and then the
IATI activity file and the organisation file are written by `hrtc export` (with --validate, so every
document also passes the XSD and the rules). No unpublished activity may reach either file: not its
identifier, its title, its description, its budget or its grants; and every published one must be there.

Which activities are public is worked out here from the settings the test chose (the rule as the
assistance app states it), not by asking the code under test."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from hrtc.assistance import services
from hrtc.opendata import publication
from tests.opendata.iati_helpers import accepted_request, fund_it, make_activity

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Setting:
    with_request: bool
    publish_summary: bool  # the State allows publication (request) / consents (no request)
    provider_publishes: bool
    narrow_later: bool  # the State withdraws publication consent afterwards (request only)
    withdraw_request: bool
    unpublish_later: bool
    funded: bool


SETTINGS = st.builds(
    Setting,
    with_request=st.booleans(),
    publish_summary=st.booleans(),
    provider_publishes=st.booleans(),
    narrow_later=st.booleans(),
    withdraw_request=st.booleans(),
    unpublish_later=st.booleans(),
    funded=st.booleans(),
)


class Rollback(Exception):
    pass


def build(people, i: int, s: Setting):
    """Make one activity as the setting says; return (activity, whether it must be public)."""
    title = f"Activity-{i}-secret-title"
    budget = f"{1000 + i}.37"
    if s.with_request:
        req = accepted_request(people, publish=s.publish_summary, title=f"Request {i}")
        activity = make_activity(people, request=req, publish=False, title=title, budget=budget)
    else:
        req = None
        activity = make_activity(people, publish=False, consent=s.publish_summary, title=title, budget=budget)
    if s.funded and activity.has_state_consent:
        fund_it(activity, commit=f"{500 + i}.11", pay=(f"{100 + i}.13",))
    published = False
    if s.provider_publishes:
        try:
            services.activity_publish(activity=activity, by=people.ohchr_officer)
            published = True
        except Exception:  # the State has not consented: refused, as it must be
            assert not s.publish_summary
    consent = s.publish_summary
    if req is not None and s.narrow_later:
        services.request_set_consent(
            request=req,
            by=people.kenya_focal_point,
            providers=list(req.consent_providers.all()),
            publish_summary=False,
        )
        consent = False
    if req is not None and s.withdraw_request:
        services.request_transition(
            request=req, by=people.kenya_focal_point, name="withdraw", reason="No longer needed"
        )
        consent = False
    if published and s.unpublish_later:
        services.activity_publish(activity=activity, by=people.ohchr_officer, published=False)
        published = False
    return activity, published and consent


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(choices=st.lists(SETTINGS, min_size=1, max_size=6))
@example(  # one public, funded activity and one whose State narrowed its consent after publication
    choices=[
        Setting(False, True, True, False, False, False, True),
        Setting(True, True, True, True, False, False, True),
    ]
)
def test_no_unpublished_activity_reaches_any_iati_export(people, tmp_path_factory, choices):
    out = tmp_path_factory.mktemp("iati")
    try:
        with transaction.atomic():
            made = [build(people, i, s) for i, s in enumerate(choices)]
            public = {publication.iati_identifier(a) for a, is_public in made if is_public}
            secret = [a for a, is_public in made if not is_public]
            assert set(publication.published_activities().values_list("pk", flat=True)) == {
                a.pk for a, p in made if p
            }

            call_command("export", "iati", "-o", str(out / "a.xml"), "--validate", stdout=io.StringIO())
            call_command("export", "iati-org", "-o", str(out / "o.xml"), "--validate", stdout=io.StringIO())
            activities = (out / "a.xml").read_text(encoding="utf-8")
            organisations = (out / "o.xml").read_text(encoding="utf-8")
            written = {el.text for el in etree.fromstring(activities.encode()).iter("iati-identifier")}
            assert written == public
            for activity in secret:
                for text in (
                    activity.title,
                    publication.iati_identifier(activity) + "<",
                    f"{activity.budget_amount}",
                ):
                    assert text not in activities, text
                for grant in activity.grants.all():
                    assert f"{grant.amount}<" not in activities
            # organisation totals count published activities only
            ohchr = etree.fromstring(organisations.encode()).xpath(
                "/iati-organisations/iati-organisation[organisation-identifier='XX-HRTC-ohchr']"
            )[0]
            budget = sum((Decimal(v.text) for v in ohchr.iterfind("total-budget/value")), Decimal(0))
            assert budget == sum((a.budget_amount for a, p in made if p), Decimal(0))
            raise Rollback
    except Rollback:
        pass
