"""Reports and consent: a public report by provider is no oracle for which providers a State consented to, and a
published report version that disclosed what a State later withdrew consent to publish stops being served to
the public — kept, marked withdrawn, audited — while one that disclosed nothing consent-dependent stays."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from hrtc.accounts.policy import SYSTEM
from hrtc.assistance import services as assistance
from hrtc.assistance.choices import Modality
from hrtc.core import audit
from hrtc.core.exceptions import Conflict
from hrtc.funds import services as funds
from hrtc.reference.models import Fund, State
from hrtc.reports import disclosed, selectors, services
from hrtc.reports.choices import Audience, ReportFormat, WithdrawalReason
from hrtc.reports.document import Params
from hrtc.reports.models import SavedReport
from tests.base import make_request
from tests.funds.base import add_rates
from tests.reports.world import END, START, YEAR

NOTICE = "This version was withdrawn because a State withdrew consent to publish data it contained."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def generate(by, audience=Audience.PUBLIC, kind="thematic", **options):
    params = Params.parse(kind, start=START, end=END, **options)
    return services.report_generate(params=params, by=by, audience=audience)


def figure(report, label: str):
    return dict((row[0], row[1]) for row in report.table("key_figures").rows)[label]


def requests_received(report) -> int:
    return figure(report, "Requests for assistance received")


def publish(people, report, title="Panel report") -> SavedReport:
    saved = services.report_save(
        by=people.ohchr_officer,
        kind=report.kind,
        title=title,
        parameters=report.params.as_dict(),
        language="en",
        audience=Audience.PUBLIC,
        manifest=report.manifest,
        files=services.report_render(report, ReportFormat.values),
    )
    return services.report_publish(saved=saved, by=people.ohchr_officer)


def accepted_request(people, *, providers=("ohchr",), title="Prison staff training"):
    """A Kenyan request whose summary Kenya made public, shared with `providers`, accepted by OHCHR."""
    req = make_request(people, providers=providers, publish=True, title=title)
    assistance.request_transition(request=req, by=people.ohchr_officer, name="review")
    assistance.request_transition(request=req, by=people.ohchr_officer, name="accept")
    return req


def published_activity(people, req, title="Training of prison staff"):
    activity = assistance.activity_create(
        by=people.ohchr_officer,
        lead_provider=people.organisations["ohchr"],
        state=State.objects.get(code="KEN"),
        request=req,
        title=title,
        modality=Modality.TRAINING,
        planned_start=date(YEAR, 3, 1),
        planned_end=date(YEAR, 6, 30),
    )
    return assistance.activity_publish(activity=activity, by=people.ohchr_officer)


def withdraw_consent(people, req):
    assistance.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        providers=list(req.consent_providers.all()),
        publish_summary=False,
        reason="No longer to be published",
    )


# ---------------------------------------------------------------------------------------------------------
# A report by provider is no oracle


def test_a_public_report_by_provider_does_not_count_a_summary_only_request_shared_with_it(people):
    make_request(people, providers=("unwomen",), publish=True, title="Gender-responsive budgeting")
    assert requests_received(generate(people.cso_member)) == 1  # its summary is public
    public = generate(people.cso_member, provider="unwomen")
    assert requests_received(public) == 0  # who Kenya shared it with is not
    assert not public.table("requests_by_outcome").rows
    other_provider = generate(people.ohchr_officer, audience=Audience.MINE, provider="unwomen")
    assert requests_received(other_provider) == 0  # nor to another provider, not shared with it
    focal_point = generate(people.kenya_focal_point, audience=Audience.MINE, provider="unwomen")
    assert requests_received(focal_point) == 1  # Kenya reads its request in full
    shared_with = generate(people.unwomen_officer, audience=Audience.MINE, provider="unwomen")
    assert requests_received(shared_with) == 1  # so does the provider it consented to


def test_a_public_report_by_provider_counts_grants_only_to_activities_the_public_sees(people):
    """Who leads an unpublished activity is not public: its grant does not count under its provider."""
    unpublished = assistance.activity_create(
        by=people.unwomen_officer,
        lead_provider=people.organisations["unwomen"],
        state=State.objects.get(code="KEN"),
        title="Internal planning mission",
        modality=Modality.ADVISORY,
        planned_start=date(YEAR, 3, 1),
        planned_end=date(YEAR, 6, 30),
    )
    assistance.activity_consent(activity=unpublished, by=people.kenya_focal_point)  # consented, not published
    add_rates(years=(YEAR,))
    vftc = Fund.objects.get(code="VFTC")
    norway = funds.donor_create(by=SYSTEM, name="Norway", state=State.objects.get(code="NOR"))
    funds.contribution_record(
        by=SYSTEM,
        donor=norway,
        fund=vftc,
        amount=Decimal("5000"),
        currency="USD",
        value_date=date(YEAR, 2, 1),
    )
    funds.grant_commit(
        by=SYSTEM, fund=vftc, amount=Decimal("1000"), currency="USD",
        value_date=date(YEAR, 4, 1), purpose="Planning", activity=unpublished,
    )  # fmt: skip
    grants = "Grants committed by the voluntary funds (USD)"
    assert figure(generate(people.cso_member, provider="unwomen"), grants) == Decimal("0.00")
    assert figure(generate(people.unwomen_officer, audience=Audience.MINE, provider="unwomen"), grants) == (
        Decimal("1000.00")
    )


def test_a_public_report_records_the_consent_dependent_records_it_disclosed(people):
    req = accepted_request(people)
    activity = published_activity(people, req)
    hidden = make_request(people, title="Not for publication")  # summary not public
    public = generate(people.cso_member)
    records = public.manifest["disclosed"]
    assert disclosed.decode(records["assistance.activity"]) == [activity.pk]
    assert disclosed.decode(records["assistance.assistancerequest"]) == [req.pk]
    assert hidden.pk not in disclosed.decode(records["assistance.assistancerequest"])
    internal = generate(people.kenya_focal_point, audience=Audience.MINE)
    assert "disclosed" not in internal.manifest  # an internal report is never published


def test_disclosed_ids_are_kept_as_ranges():
    assert disclosed.encode([9, 1, 2, 3, 5, 6, 3]) == "1-3,5-6,9"
    assert disclosed.decode("1-3,5-6,9") == [1, 2, 3, 5, 6, 9]
    assert disclosed.encode([]) == ""
    assert disclosed.decode("") == []


# ---------------------------------------------------------------------------------------------------------
# Withdrawal of consent and published copies


def test_a_published_report_is_withdrawn_when_the_state_withdraws_consent(people, media, client, password):
    from hrtc.search import engine

    req = accepted_request(people)
    published_activity(people, req)
    saved = publish(people, generate(people.ohchr_officer), title="Panel report on prison reform")
    assert client.get(saved.get_absolute_url()).status_code == 200
    assert "Panel report on prison reform" in client.get(reverse("opendata:portal")).content.decode()

    withdraw_consent(people, req)

    page = client.get(saved.get_absolute_url())
    assert page.status_code == 410
    assert NOTICE in page.content.decode()
    for fmt in ReportFormat.values:
        download = client.get(reverse("reports:saved-file", args=[saved.pk, fmt]))
        assert download.status_code == 410, fmt
        assert download["Content-Type"].startswith("text/html"), fmt
        assert NOTICE in download.content.decode(), fmt
        assert "attachment" not in download.get("Content-Disposition", ""), fmt
    assert "Panel report on prison reform" not in client.get(reverse("opendata:portal")).content.decode()
    assert "Panel report on prison reform" not in client.get(reverse("reports:saved-list")).content.decode()
    assert not selectors.published_reports().exists()
    assert not selectors.saved_visible(None).filter(pk=saved.pk).exists()  # what search lists reports by
    assert not engine.search(None, "prison reform", {"kind": "report"}).hits
    assert client.get(reverse("api-report-published")).json()["count"] == 0

    saved.refresh_from_db()
    assert not saved.is_published
    assert saved.withdrawn_at is not None
    assert saved.withdrawn_reason == WithdrawalReason.CONSENT
    assert saved.published_at is not None
    marked = audit.history(saved).get(changes_text="report.withdraw")
    assert marked.actor is None
    assert marked.additional_data["reason"] == str(WithdrawalReason.CONSENT.label)
    assert marked.additional_data["no_longer_public"] == {
        "assistance.activity": disclosed.encode(req.activities.values_list("pk", flat=True)),
        "assistance.assistancerequest": str(req.pk),
    }

    client.login(username="ohchr.officer", password=password)
    page = client.get(saved.get_absolute_url())
    assert page.status_code == 200
    assert NOTICE in page.content.decode()
    assert client.get(reverse("reports:saved-file", args=[saved.pk, "pdf"])).status_code == 200
    listed = client.get(reverse("api-report-saved")).json()["results"]
    assert [(r["id"], r["is_published"], r["withdrawn_reason"]) for r in listed] == [
        (saved.pk, False, "consent")
    ]
    with pytest.raises(Conflict, match="no longer consents"):
        services.report_publish(saved=saved, by=people.ohchr_officer)
    assert audit.history(saved).filter(changes_text="report.withdraw").count() == 1  # marked once


def test_a_saved_version_whose_data_is_no_longer_public_cannot_be_published(people, media):
    req = accepted_request(people)
    published_activity(people, req)
    report = generate(people.ohchr_officer)
    saved = services.report_save(
        by=people.ohchr_officer, kind=report.kind, title=report.title, parameters=report.params.as_dict(),
        language="en", audience=Audience.PUBLIC, manifest=report.manifest,
        files=services.report_render(report, ["html"]),
    )  # fmt: skip
    withdraw_consent(people, req)
    with pytest.raises(Conflict, match="no longer consents"):
        services.report_publish(saved=saved, by=people.ohchr_officer)
    saved.refresh_from_db()
    assert not saved.is_published
    assert saved.withdrawn_at is None


def test_the_sweep_withdraws_every_stale_version_at_once_and_is_rerunnable(people, media):
    req = accepted_request(people)
    published_activity(people, req)
    other = accepted_request(people, title="Court monitoring")
    first = publish(people, generate(people.ohchr_officer), title="First")
    second = publish(people, generate(people.ohchr_officer, kind="gender"), title="Second")
    unrelated = publish(people, generate(people.ohchr_officer, provider="unwomen"), title="Unrelated")
    withdraw_consent(people, req)
    withdraw_consent(people, other)
    out = StringIO()
    call_command("reports_sweep", stdout=out)
    assert "2 published version(s) withdrawn" in out.getvalue()
    assert set(SavedReport.objects.filter(withdrawn_at__isnull=False)) == {first, second}
    assert SavedReport.objects.get(pk=unrelated.pk).is_published  # it counted neither (by provider)
    out = StringIO()
    call_command("reports_sweep", stdout=out)
    assert "still holds only public data" in out.getvalue()
    assert audit.history(first).filter(changes_text="report.withdraw").count() == 1


def test_a_report_that_disclosed_nothing_consent_dependent_stays_published(people, media, client):
    req = accepted_request(people)
    published_activity(people, req)
    fund_report = generate(people.ohchr_officer, kind="fund")
    quiet_year = services.report_generate(
        params=Params.parse("thematic", start=date(2001, 1, 1), end=date(2001, 12, 31)),
        by=people.ohchr_officer,
        audience=Audience.PUBLIC,
    )
    assert fund_report.manifest["disclosed"] == {}
    assert quiet_year.manifest["disclosed"] == {}
    kept = [publish(people, fund_report, title="Funds"), publish(people, quiet_year, title="2001")]
    withdraw_consent(people, req)
    assert services.withdraw_stale_reports() == []
    assert set(selectors.published_reports()) == set(kept)
    for saved in kept:
        assert client.get(saved.get_absolute_url()).status_code == 200
        assert client.get(reverse("reports:saved-file", args=[saved.pk, "html"])).status_code == 200
