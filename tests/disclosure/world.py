"""The canary world: every record made through the real services, with a unique canary string planted in
every field that must not leave its readers, public controls that must appear, and one person per
visibility class (``expectations.READERS``).

Canaries are letters only — ``qz`` + twelve letters + ``xk`` — so search tokenisation keeps them whole, no
stemmer touches them (no English, French, Spanish or Russian suffix ends in ``xk``), they are not alike
enough for trigram similarity to match one with another, and one regular expression finds them all in any
response. Numbers count too (a participant count, a capacity, a budget): they are found with digit
boundaries, also grouped by thousands.

The consent fuzz (once ``tests/opendata/test_portal_consent_fuzz.py`` and ``test_iati_consent_fuzz.py``) is
part of this world: ``fuzz()`` makes requests and activities with random consent and publication settings,
changes its mind like a State does, and works out who may read each of its canaries from the settings it
chose — the README's rules, never the code under test.
"""

from __future__ import annotations

import hashlib
import io
import random
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from hrtc.accounts.choices import OrganisationKind, Role
from hrtc.accounts.loader import country_team_for, government_of
from hrtc.accounts.models import Membership, Organisation
from hrtc.accounts.policy import SYSTEM
from hrtc.assistance import services
from hrtc.assistance.models import Activity, AssistanceRequest, FeedEvent
from hrtc.core.exceptions import Conflict
from hrtc.funds import services as funds
from hrtc.funds.models import LedgerTransaction
from hrtc.practices import services as practices
from hrtc.practices.models import Practice
from hrtc.recommendations.services import assessment_record
from hrtc.reference.models import Fund, State, Theme
from hrtc.reports import services as reports
from hrtc.reports.document import Params
from tests.base import make_recommendation, make_token
from tests.disclosure import expectations as ex

TODAY = date.today()
YEAR = TODAY.year
PUBLIC_STATUSES = {"submitted", "under_review", "accepted", "declined", "in_progress", "completed"}
FUZZ_SEEDS = (11, 47)
#: A theme only private records carry, and one nobody carries: the theme filter's differential pair.
CANARY_THEME = ("uhri", "B9")
CONTROL_THEME = ("uhri", "B8")
REPORT_KINDS = {
    "country": ["--state", "KEN"],
    "thematic": [],
    "gender": ["--region", "AFRICAN"],
    "fund": ["--fund", "VFTC"],
}


def letters(seed: str, n: int = 12) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join("abcdefghijklmnopqrstuvwy"[b % 24] for b in digest[:n])  # no x, no z: qz…xk stays unique


def canary(name: str) -> str:
    return f"qz{letters(name)}xk"


#: Strings shaped like canaries that are no canary: controls for the differential checks.
CONTROL_TOKEN = canary("control.token.nothing-has-it")
CONTROL_ORG_CODE = canary("control.org.code")
CONTROL_ORG_NAME = canary("control.org.name").capitalize()
MISSING_PK = 987654321
#: A grant and a disbursement for an unpublished activity: amounts no IATI file may carry.
HIDDEN_GRANT, HIDDEN_DISBURSEMENT = "13579.24", "2468.13"
#: A public text that starts like a spreadsheet formula: every CSV and XLSX must neutralise it ('=...).
FORMULA = '=HYPERLINK("https://example.org/walk","{}")'
#: Markup a stored practice body may hold if it was stored without the sanitiser (an old row, SQL): no page
#: and no API may hand it out unsanitised. Its token is no canary: only the raw markup is looked for.
UNSAFE_TOKEN = canary("unsafe.markup.payload")
UNSAFE_MARKUP = f"<script>{UNSAFE_TOKEN}</script>"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


#: Numeric canaries: unique numbers, each found with digit boundaries.
NUMBERS = {
    "activity.published.participants_by_group": "987653",
    "offer.capacity": "876541",
    "activity.unpublished.budget": "24681.37",
}


@dataclass
class World:
    readers: dict[str, object] = field(default_factory=dict)  # reader class → user (None: anonymous)
    tokens: dict[str, str] = field(default_factory=dict)  # reader class → API token
    canaries: dict[str, str] = field(default_factory=dict)  # canary name → text (lowercase letters)
    numbers: dict[str, str] = field(default_factory=dict)  # canary name → number as text
    readers_of: dict[str, frozenset[str]] = field(default_factory=dict)  # canary name → who may read it
    controls: dict[str, str] = field(default_factory=dict)  # control name → text anonymous must find
    records: dict[str, list] = field(default_factory=dict)  # model label → primary keys every reader reads
    full_only: dict[str, list] = field(default_factory=dict)  # the same, read by the full readers only
    private: dict[tuple[str, object], str] = field(default_factory=dict)  # (label, key) → existence canary
    public_activity_titles: set[str] = field(default_factory=set)
    hidden_after_publication: list[str] = field(default_factory=list)
    public_budgets: dict[str, Decimal] = field(default_factory=dict)  # lead provider → published budget
    org: dict[str, Organisation] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)  # named records: "r_summary", "a_unpublished"...
    theme_pks: tuple[int, int] = (0, 0)  # (canary theme, control theme)
    report_files: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (kind, format) → file
    iati: dict[str, str] = field(default_factory=dict)  # "activities" / "organisations" → XML

    def plant(self, name: str, readers: frozenset[str]) -> str:
        text = canary(name)
        assert text not in self.canaries.values(), name
        self.canaries[name] = text
        self.readers_of[name] = readers
        return text

    def number(self, name: str, readers: frozenset[str], value: str | None = None) -> str:
        self.numbers[name] = value or NUMBERS[name]
        self.readers_of[name] = readers
        return self.numbers[name]

    def control(self, name: str) -> str:
        self.controls[name] = canary(name)
        return self.controls[name]

    def keep(self, label: str, key, *, private: str | None = None, full_only: bool = False) -> None:
        """A record the walk addresses: every reader reads its pages, or only the full readers (the fuzzed
        records and the public records like another; everyone reads them in the lists)."""
        (self.full_only if full_only else self.records).setdefault(label, []).append(key)
        if private:
            self.private[(label, key)] = private

    year: int = YEAR
    years: tuple[int, ...] = (YEAR - 1, YEAR)

    def content_type(self, label: str) -> int:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(apps.get_model(label)).pk


# ------------------------------------------------------------------------------------------------------
# People


def _people(world: World) -> None:
    kenya, slovenia = State.objects.get(code="KEN"), State.objects.get(code="SVN")
    orgs = {
        "own_state": government_of(kenya),
        "other_state": government_of(slovenia),
        "ohchr": Organisation.objects.get(code="ohchr"),
        "lead": Organisation.objects.get(code="unwomen"),
        "unct": country_team_for(kenya),
        "consented": Organisation.objects.create(
            code=world.plant("org.canary.code", ex.EXPECTATIONS["org.canary.code"]),
            name=world.plant("org.canary.name", ex.EXPECTATIONS["org.canary.name"]).capitalize(),
            kind=OrganisationKind.REGIONAL,
        ),
        "nhri": Organisation.objects.create(code="walk-nhri", name="Walk NHRI", kind=OrganisationKind.NHRI),
        "cso": Organisation.objects.create(code="walk-cso", name="Walk CSO", kind=OrganisationKind.CSO),
        "donor": Organisation.objects.create(
            code="walk-donor",
            name="Walk donor",
            kind=OrganisationKind.DONOR,
            state=State.objects.get(code="NOR"),
        ),
    }
    assert {o.kind for o in orgs.values()} == set(OrganisationKind.values)  # every kind has its readers
    world.org = dict(orgs)
    world.org["control"] = Organisation.objects.create(
        code=CONTROL_ORG_CODE, name=CONTROL_ORG_NAME, kind=OrganisationKind.REGIONAL
    )
    users = get_user_model().objects
    world.readers[ex.ANONYMOUS] = None
    world.readers[ex.NO_ORG] = users.create_user(username="walk-no-org")
    for prefix, org in orgs.items():
        for seat in ("viewer", "writer"):
            reader = f"{prefix}_{seat}"
            if reader == "own_state_writer":  # the State's focal point: moves and consents to every request
                username = world.plant("user.focal_point", ex.EXPECTATIONS["user.focal_point"])
            else:
                username = f"walk-{reader.replace('_', '-')}"
            user = users.create_user(username=username)
            writer = Role.FOCAL_POINT if org.kind == OrganisationKind.STATE else Role.EDITOR
            Membership.objects.create(
                user=user, organisation=org, role=writer if seat == "writer" else Role.VIEWER
            )
            world.readers[reader] = user
    staff = users.create_user(username="walk-staff", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    world.readers[ex.STAFF] = staff
    world.readers[ex.ADMIN] = users.create_user(username="walk-admin", is_staff=True, is_superuser=True)
    assert set(world.readers) == set(ex.READERS)
    for reader, user in world.readers.items():
        if user is not None:
            world.tokens[reader] = make_token(user, name="canary walk")[1]
    # The fuzz's focal point: not a reader class, so its username is no canary.
    fuzz_focal = users.create_user(username="walk-fuzz-focal")
    Membership.objects.create(user=fuzz_focal, organisation=orgs["own_state"], role=Role.FOCAL_POINT)
    world.ids["fuzz_focal"] = fuzz_focal


def theme(key: tuple[str, str]) -> Theme:
    return Theme.objects.get(vocabulary=key[0], code=key[1])


# ------------------------------------------------------------------------------------------------------
# Requests and activities


def _request(
    world: World,
    *,
    providers,
    publish: bool,
    title: str,
    needs: str,
    submit: bool = True,
    reason: str = "",
    **extra,
):
    focal = world.readers["own_state_writer"]
    req = services.request_create(
        by=focal,
        state=State.objects.get(code="KEN"),
        title=title,
        needs=needs,
        modality="training",
        timeframe_start=TODAY,
        timeframe_end=TODAY + timedelta(days=300),
        **extra,
    )
    services.request_set_consent(
        request=req,
        by=focal,
        providers=[world.org[p] for p in providers],
        publish_summary=publish,
        reason=reason,
    )
    if submit:
        services.request_transition(request=req, by=focal, name="submit")
    return req


def _move(world: World, req, by: str, *steps: str, reason: str = ""):
    for step in steps:
        services.request_transition(request=req, by=world.readers[by], name=step, reason=reason)
    return req


def _activity(
    world: World, *, title: str, description: str, request=None, partners=(), budget="48500.00", **extra
):
    lead = world.readers["lead_writer"]
    return services.activity_create(
        by=lead,
        lead_provider=world.org["lead"],
        state=State.objects.get(code="KEN"),
        request=request,
        partners=[world.org[p] for p in partners],
        title=title,
        description=description,
        modality="training",
        planned_start=date(2024, 3, 1),
        planned_end=date(2025, 6, 30),
        budget_amount=Decimal(budget),
        budget_currency="USD",
        gender_marker=2,
        themes=extra.pop("themes", [theme(("uhri", "A2"))]),
        **extra,
    )


def _assistance(world: World) -> None:
    E = ex.EXPECTATIONS
    focal = world.readers["own_state_writer"]
    lead = world.readers["lead_writer"]
    private_theme = theme(CANARY_THEME)

    # Summary-only requests: published summaries, shared with the canary organisation only, which acts on
    # them (so the feed has events naming it).
    needs = world.plant("request.summary_only.needs", E["request.summary_only.needs"])
    r_summary = services.request_create(
        by=focal,
        state=State.objects.get(code="KEN"),
        title=world.control("control.request.published.title"),
        needs=needs,
        priorities=[world.plant("request.summary_only.priority", E["request.summary_only.priority"])],
        modality="training",
        themes=[theme(("uhri", "A2"))],
        timeframe_start=TODAY,
        timeframe_end=TODAY + timedelta(days=300),
    )
    services.request_set_consent(
        request=r_summary,
        by=focal,
        providers=[world.org["consented"]],
        publish_summary=True,
        reason=world.plant("request.summary_only.consent_reason", E["request.summary_only.consent_reason"]),
    )
    services.request_transition(request=r_summary, by=focal, name="submit")
    _move(world, r_summary, "consented_writer", "review", "accept")
    r_declined = _request(
        world,
        providers=["consented"],
        publish=True,
        title=world.control("control.request.declined.title"),
        needs=needs,
    )
    _move(world, r_declined, "consented_writer", "review")
    _move(
        world,
        r_declined,
        "consented_writer",
        "decline",
        reason=world.plant("request.declined.decline_reason", E["request.declined.decline_reason"]),
    )

    # Shared with the lead provider, summary not published.
    shared_needs = world.plant("request.unpublished.needs", E["request.unpublished.needs"])
    r_unpublished = _request(
        world,
        providers=["lead"],
        publish=False,
        title=world.plant("request.unpublished.title", E["request.unpublished.title"]),
        needs=shared_needs,
        themes=[private_theme],
    )
    # A draft (its State allowed publication, but a draft is nobody's but the State's).
    r_draft = _request(
        world,
        providers=["lead"],
        publish=True,
        submit=False,
        title=world.plant("request.draft.title", E["request.draft.title"]),
        needs=world.plant("request.draft.needs", E["request.draft.needs"]),
        themes=[private_theme],
    )
    # Withdrawn by the State.
    r_withdrawn = _request(
        world,
        providers=["lead"],
        publish=True,
        title=world.plant("request.withdrawn.title", E["request.withdrawn.title"]),
        needs=shared_needs,
    )
    _move(
        world,
        r_withdrawn,
        "own_state_writer",
        "withdraw",
        reason=world.plant("request.withdrawn.reason", E["request.withdrawn.reason"]),
    )

    # The request the activities follow: published, accepted by the lead provider.
    r_activities = _request(
        world,
        providers=["lead"],
        publish=True,
        title="Walk: support to the national mechanism",
        needs=shared_needs,
    )
    _move(world, r_activities, "lead_writer", "review", "accept")
    a_published = _activity(
        world,
        request=r_activities,
        title=world.control("control.activity.published.title"),
        description=world.control("control.activity.published.description"),
    )
    services.activity_set_participants(
        activity=a_published,
        by=lead,
        women=500000,
        men=500000,
        groups={
            "persons-with-disabilities": int(
                world.number(
                    "activity.published.participants_by_group", E["activity.published.participants_by_group"]
                )
            )
        },
    )
    services.activity_publish(activity=a_published, by=lead)
    a_unpublished = _activity(
        world,
        request=r_activities,
        partners=["consented"],
        title=world.plant("activity.unpublished.title", E["activity.unpublished.title"]),
        description=world.plant("activity.unpublished.description", E["activity.unpublished.description"]),
        budget=world.number("activity.unpublished.budget", E["activity.unpublished.budget"]),
        themes=[private_theme],
    )
    services.activity_complete(
        activity=a_unpublished,
        by=lead,
        actual_end=TODAY - timedelta(days=10),
        outputs=world.plant("activity.unpublished.outputs", E["activity.unpublished.outputs"]),
    )

    # Published, an activity published, then the State withdraws consent to publication.
    r_consent_withdrawn = _request(
        world,
        providers=["lead"],
        publish=True,
        title=world.plant("request.consent_withdrawn.title", E["request.consent_withdrawn.title"]),
        needs=shared_needs,
    )
    _move(world, r_consent_withdrawn, "lead_writer", "review", "accept")
    a_consent_withdrawn = _activity(
        world,
        request=r_consent_withdrawn,
        title=world.plant("activity.consent_withdrawn.title", E["activity.consent_withdrawn.title"]),
        description=world.plant(
            "activity.consent_withdrawn.description", E["activity.consent_withdrawn.description"]
        ),
        budget="31415.92",
    )
    services.activity_publish(activity=a_consent_withdrawn, by=lead)
    services.activity_complete(
        activity=a_consent_withdrawn,
        by=lead,
        actual_end=TODAY - timedelta(days=5),
        outputs=world.plant("activity.consent_withdrawn.outputs", E["activity.consent_withdrawn.outputs"]),
    )
    services.request_set_consent(
        request=r_consent_withdrawn,
        by=focal,
        providers=[world.org["lead"]],
        publish_summary=False,
        reason=world.plant(
            "request.consent_withdrawn.consent_reason", E["request.consent_withdrawn.consent_reason"]
        ),
    )

    # Public now; consent to publication is withdrawn after the first walk (step 6).
    r_later = _request(
        world,
        providers=["lead"],
        publish=True,
        title=world.plant(
            "request.withdrawn_later.title", ex.BEFORE_WITHDRAWAL["request.withdrawn_later.title"]
        ),
        needs=shared_needs,
    )
    _move(world, r_later, "lead_writer", "review", "accept")
    a_later = _activity(
        world,
        request=r_later,
        title=world.plant(
            "activity.withdrawn_later.title", ex.BEFORE_WITHDRAWAL["activity.withdrawn_later.title"]
        ),
        description=world.plant(
            "activity.withdrawn_later.description",
            ex.BEFORE_WITHDRAWAL["activity.withdrawn_later.description"],
        ),
        budget="27182.81",
    )
    services.activity_publish(activity=a_later, by=lead)

    # Provider-initiated: one the State consented to and the provider published, one it never consented to.
    a_initiated = _activity(
        world,
        title=world.control("control.activity.provider_initiated.title"),
        description=FORMULA.format(world.control("control.activity.provider_initiated.formula")),
        budget="16180.33",
    )
    services.activity_consent(activity=a_initiated, by=focal)
    services.activity_publish(activity=a_initiated, by=lead)
    a_no_consent = _activity(
        world,
        partners=["consented"],
        title=world.plant("activity.no_consent.title", E["activity.no_consent.title"]),
        description=world.plant("activity.no_consent.description", E["activity.no_consent.description"]),
        budget="14142.13",
        themes=[private_theme],
    )
    with pytest.raises(Conflict):  # the State did not consent: refused, and nothing changes
        services.activity_publish(activity=a_no_consent, by=lead)

    offer = services.offer_create(
        by=lead,
        provider=world.org["lead"],
        title=world.control("control.offer.title"),
        modality="training",
        description="Gender-responsive budgeting for national mechanisms.",
        themes=[theme(("uhri", "A2"))],
        contact=world.plant("offer.contact", E["offer.contact"]),
        capacity=int(world.number("offer.capacity", E["offer.capacity"])),
    )

    # Every reader reads every private record's own pages, and one public record's (its private fields are
    # what a reader may not read there); the other public records' pages are read by the full readers (every
    # reader reads them in the lists). They are kept with the fuzzed records, which the full readers read.
    for name, req, private, every in (
        ("r_summary", r_summary, None, True),
        ("r_declined", r_declined, None, False),
        ("r_unpublished", r_unpublished, "request.unpublished.title", True),
        ("r_draft", r_draft, "request.draft.title", True),
        ("r_withdrawn", r_withdrawn, "request.withdrawn.title", True),
        ("r_activities", r_activities, None, False),
        ("r_consent_withdrawn", r_consent_withdrawn, "request.consent_withdrawn.title", True),
        ("r_later", r_later, None, True),
    ):
        world.ids[name] = req
        world.keep("assistance.assistancerequest", req.pk, private=private, full_only=not every)
    for name, act, private, every in (
        ("a_published", a_published, None, True),
        ("a_unpublished", a_unpublished, "activity.unpublished.title", True),
        ("a_consent_withdrawn", a_consent_withdrawn, "activity.consent_withdrawn.title", True),
        ("a_later", a_later, None, True),
        ("a_initiated", a_initiated, None, False),
        ("a_no_consent", a_no_consent, "activity.no_consent.title", True),
    ):
        world.ids[name] = act
        world.keep("assistance.activity", act.pk, private=private, full_only=not every)
    world.ids["offer"] = offer
    world.keep("assistance.offer", offer.pk)
    # The feed's events are all in its lists; their own addresses are walked by everyone for the canary
    # organisation's acts and one event of a private request, by the full readers for a few more.
    for req, first, every in (
        (r_summary, 3, True),
        (r_unpublished, 1, True),
        (r_consent_withdrawn, 1, False),
    ):
        for pk in FeedEvent.objects.filter(request=req).order_by("pk").values_list("pk", flat=True)[:first]:
            world.keep("assistance.feedevent", pk, full_only=not every)
    world.public_activity_titles |= {a_published.title, a_later.title, a_initiated.title}
    world.public_budgets["unwomen"] = sum(
        (a.budget_amount for a in (a_published, a_later, a_initiated)), Decimal(0)
    )
    world.theme_pks = (theme(CANARY_THEME).pk, theme(CONTROL_THEME).pk)


def withdraw_consent(world: World) -> None:
    """Step 6: the State withdraws consent to publishing the summary of a request whose activity is published."""
    req = AssistanceRequest.objects.get(pk=world.ids["r_later"].pk)
    services.request_set_consent(
        request=req,
        by=world.readers["own_state_writer"],
        providers=list(req.consent_providers.all()),
        publish_summary=False,
    )
    world.readers_of.update(ex.AFTER_WITHDRAWAL)
    world.private[("assistance.assistancerequest", req.pk)] = "request.withdrawn_later.title"
    world.private[("assistance.activity", world.ids["a_later"].pk)] = "activity.withdrawn_later.title"
    world.public_activity_titles.discard(world.ids["a_later"].title)
    world.public_budgets["unwomen"] -= world.ids["a_later"].budget_amount


# ------------------------------------------------------------------------------------------------------
# Recommendations, practices, funds, reports


def _assessment(world: World) -> None:
    E = ex.EXPECTATIONS
    rec = make_recommendation(
        text="Establish a national mechanism for implementation, reporting and follow-up",
        cycle=4,
        paragraph="walk",
    )
    evidence = world.plant("assessment.internal.evidence", E["assessment.internal.evidence"])
    url = world.plant("assessment.internal.evidence_url", E["assessment.internal.evidence_url"])
    assessment_record(
        subject=rec,
        by=world.readers["own_state_writer"],
        status="partially_implemented",
        evidence=evidence,
        evidence_url=f"https://example.org/{url}",
        internal=True,
    )
    world.ids["recommendation"] = rec
    world.keep("recommendations.recommendation", rec.pk)


def _practices(world: World) -> None:
    E = ex.EXPECTATIONS
    author, moderator = world.readers["cso_writer"], world.readers["ohchr_writer"]

    def submit(
        title: str, summary: str = "A practice in technical cooperation.", body: str = "<p>What we did.</p>"
    ):
        return practices.practice_submit(by=author, title=title, summary=summary, body=body, language="en")

    def move(practice, *steps, comment: str = "", by=moderator):
        for step in steps:
            practices.practice_transition(practice=practice, by=by, name=step, comment=comment)

    submitted = submit(
        world.plant("practice.submitted.title", E["practice.submitted.title"]),
        summary=world.plant("practice.submitted.summary", E["practice.submitted.summary"]),
        body=f"<p>{world.plant('practice.submitted.body', E['practice.submitted.body'])}</p>",
    )
    attachment = practices.attachment_add(
        practice=submitted,
        by=author,
        upload=SimpleUploadedFile(
            world.plant("practice.submitted.attachment_name", E["practice.submitted.attachment_name"])
            + ".pdf",
            b"%PDF-1.4\n%walk\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            content_type="application/pdf",
        ),
    )
    returned = submit(world.plant("practice.returned.title", E["practice.returned.title"]))
    move(returned, "review")
    move(returned, "return", comment=world.plant("practice.returned.comment", E["practice.returned.comment"]))
    rejected = submit(world.plant("practice.rejected.title", E["practice.rejected.title"]))
    move(rejected, "reject", comment=world.plant("practice.rejected.comment", E["practice.rejected.comment"]))
    published = submit(
        world.control("control.practice.published.title"),
        summary="Paralegals for rural women's land rights.",
        body="<p>Trained paralegals with the national legal aid board.</p>",
    )
    move(published, "review")
    move(
        published,
        "return",
        comment=world.plant("practice.published.return_comment", E["practice.published.return_comment"]),
    )
    move(published, "resubmit", by=author)
    move(published, "review", "publish")
    # A body stored without the sanitiser (SQL, an old row): every render must sanitise it. The one write here
    # that goes around the services and the ORM (which sanitises even update()), on purpose.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Practice._meta.db_table} SET body = %s WHERE id = %s",  # noqa: S608 - a table name
            [published.body + UNSAFE_MARKUP, published.pk],
        )
    for practice, private, every in (
        (submitted, "practice.submitted.title", True),
        (returned, "practice.returned.title", True),
        (rejected, "practice.rejected.title", False),  # private like the returned one: the full readers'
        (published, None, True),
    ):
        world.keep("practices.practice", practice.pk, private=private, full_only=not every)
    world.keep("practices.attachment", attachment.pk, private="practice.submitted.title")
    world.ids["p_submitted"], world.ids["p_published"] = submitted, published


def _funds(world: World) -> None:
    E = ex.EXPECTATIONS
    vftc = Fund.objects.get(code="VFTC")
    when = TODAY - timedelta(days=40)
    donor = funds.donor_create(by=SYSTEM, name="Walk donor", organisation=world.org["donor"])
    pledge = funds.pledge_record(
        by=SYSTEM,
        donor=donor,
        fund=vftc,
        amount="50000.00",
        currency="USD",
        year=YEAR,
        value_date=when,
        memo=world.plant("funds.pledge.memo", E["funds.pledge.memo"]),
    )
    contribution = funds.contribution_record(
        by=SYSTEM,
        donor=donor,
        fund=vftc,
        amount="100000.00",
        currency="USD",
        value_date=when,
        memo=world.plant("funds.contribution.memo", E["funds.contribution.memo"]),
    )
    grant = funds.grant_commit(
        by=SYSTEM,
        fund=vftc,
        amount="20000.00",
        currency="USD",
        value_date=when + timedelta(days=1),
        purpose=world.plant("funds.grant.purpose", E["funds.grant.purpose"]),
        activity=world.ids["a_published"],
        memo=world.plant("funds.grant.memo", E["funds.grant.memo"]),
    )
    disbursement = funds.grant_disburse(
        by=SYSTEM,
        grant=grant,
        amount="5000.00",
        currency="USD",
        value_date=when + timedelta(days=2),
        memo=world.plant("funds.disbursement.memo", E["funds.disbursement.memo"]),
    )
    # Money for an activity the public may not see: IATI carries no transaction of it (the IATI fuzz's check).
    hidden = funds.grant_commit(
        by=SYSTEM,
        fund=vftc,
        amount=HIDDEN_GRANT,
        currency="USD",
        value_date=when + timedelta(days=3),
        purpose=world.canaries["funds.grant.purpose"],
        activity=world.ids["a_unpublished"],
    )
    funds.grant_disburse(
        by=SYSTEM,
        grant=hidden,
        amount=HIDDEN_DISBURSEMENT,
        currency="USD",
        value_date=when + timedelta(days=4),
    )
    world.keep("funds.donor", donor.pk)
    world.keep("funds.pledge", pledge.pk)
    world.keep("funds.contribution", contribution.pk, private="funds.contribution.memo")
    world.keep("funds.grant", grant.pk, private="funds.grant.purpose")
    world.keep("funds.disbursement", disbursement.pk, private="funds.disbursement.memo")
    for pk in LedgerTransaction.objects.values_list("pk", flat=True):
        world.keep("funds.ledgertransaction", pk)
    world.ids.update(grant=grant, pledge=pledge, contribution=contribution)


def _report(*args: str) -> None:
    call_command("report", *args, stdout=io.StringIO(), stderr=io.StringIO())


def _reports(world: World, out: Path) -> None:
    """The country report for Kenya drawn from public data in every format through the reports services,
    saved and published (so the walk also reads its files over HTTP); the other kinds in HTML through the
    command line (`hrtc report KIND --public`); an unpublished saved report; a report run queued from the
    focal point's own view of the data."""
    E = ex.EXPECTATIONS
    timings = world.ids["timings"]
    period = ["--from", "2024-01-01", "--to", TODAY.isoformat()]
    for kind, extra in REPORT_KINDS.items():
        started = time.monotonic()
        target = out / f"{kind}.html"
        if kind == "country":  # every format, saved and published
            report = reports.report_generate(
                params=Params.parse(kind, start="2024-01-01", end=TODAY, states="KEN"),
                by=SYSTEM,
                audience="public",
            )
            files = {}
            for fmt in ("html", "pdf", "docx", "xlsx"):
                began = time.monotonic()
                files[fmt] = reports.report_render(report, [fmt])[fmt]
                timings[f"render {fmt}"] = round(time.monotonic() - began, 1)
            world.report_files.update({(kind, fmt): data for fmt, data in files.items()})
            saved = reports.report_save(
                by=SYSTEM,
                kind=kind,
                title=report.title,
                parameters=report.manifest.get("parameters", {}),
                language="en",
                audience="public",
                manifest=report.manifest,
                files=files,
            )
            reports.report_publish(saved=saved, by=SYSTEM)
            world.keep("reports.savedreport", saved.pk, full_only=True)  # public: the full readers read it
            continue
        _report(kind, *period, *extra, "--public", "-o", str(target))
        world.report_files[(kind, "html")] = target.read_bytes()
        timings[f"report {kind}"] = round(time.monotonic() - started, 1)
    params = Params.parse(
        "gender",
        start="2024-01-01",
        end=TODAY,
        region="AFRICAN",
        title=world.plant("report.saved_unpublished.title", E["report.saved_unpublished.title"]),
    )
    report = reports.report_generate(params=params, by=SYSTEM, audience="public")
    saved = reports.report_save(
        by=SYSTEM,
        kind=params.kind,
        title=report.title,
        parameters=params.as_dict(),
        language=params.language,
        audience="public",
        manifest=report.manifest,
        files=reports.report_render(report, ["html"]),
    )
    world.keep("reports.savedreport", saved.pk, private="report.saved_unpublished.title")
    run = reports.run_request(
        by=world.readers["own_state_writer"],
        params=Params.parse(
            "country",
            states="KEN",
            start="2024-01-01",
            title=world.plant("report.run.title", E["report.run.title"]),
        ),
        audience="mine",
    )
    world.keep("reports.reportrun", run.pk, private="report.run.title")


def iati_exports(world: World, out: Path) -> None:
    for kind, name in (("iati", "activities"), ("iati-org", "organisations")):
        target = out / f"{name}.xml"
        call_command("export", kind, "-o", str(target), "--validate", stdout=io.StringIO())
        world.iati[name] = target.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------------
# The consent fuzz, folded in


def fuzz(world: World, seed: int) -> None:
    """Requests and activities with random consent and publication settings, through the real services;
    later the State changes its mind (narrows consent, withdraws publication, withdraws requests) and
    providers unpublish. Who may read each canary follows from the settings chosen here."""
    rng = random.Random(seed)
    kenya = State.objects.get(code="KEN")
    ohchr, unct = world.org["ohchr"], world.org["unct"]
    focal, officer = world.ids["fuzz_focal"], world.readers["ohchr_writer"]
    start = date(2025, 1, 1)
    about: dict[str, tuple[str, object]] = {}  # canary name → (which text, record)

    def mark(kind: str, n: int, record, what: str) -> str:
        name = f"fuzz.{seed}.{kind}.{n}"
        about[name] = (what, record)
        world.canaries[name] = canary(name)
        return world.canaries[name]

    requests, activities = [], []
    for n in range(10):
        forced = n == 0  # published, accepted, activities published: its consent is withdrawn below
        req = services.request_create(
            by=focal,
            state=kenya,
            title=canary(f"fuzz.{seed}.request.title.{n}"),
            needs=canary(f"fuzz.{seed}.request.needs.{n}"),
            priorities=[canary(f"fuzz.{seed}.request.priority.{n}")],
            modality=rng.choice(["training", "advisory", "nmirf_support"]),
            themes=[theme(("uhri", rng.choice(["A2", "D2", "F1"])))],
            timeframe_start=start,
            timeframe_end=start + timedelta(days=200),
        )
        for what in ("title", "needs", "priority"):
            mark(f"request.{what}", n, req, what)
        services.request_set_consent(
            request=req,
            by=focal,
            providers=[ohchr, unct],
            publish_summary=forced or rng.random() < 0.6,
            reason=mark("request.consent_reason", n, req, "consent_reason"),
        )
        everything = ["submit", "review", "accept"]
        steps = (
            everything
            if forced
            else rng.choice([[], ["submit"], ["submit", "review"], everything, everything])
        )
        for step in steps:
            services.request_transition(
                request=req,
                by=focal if step == "submit" else officer,
                name=step,
                reason=mark("request.step_reason", n, req, "step_reason"),
            )
        requests.append(req)
        if req.status == "accepted":
            for k in range(rng.randint(1, 2)):
                activities.append(
                    _fuzz_activity(world, rng, seed, n * 10 + k, req, start, mark, forced or None)
                )
    for n in range(1000, 1005):  # provider-initiated: the State may or may not consent
        activities.append(_fuzz_activity(world, rng, seed, n, None, start, mark, None))

    # Later the State changes its mind. A State that stops publication of a request with published activities
    # comes first: the hardest case.
    with_published = [r for r in requests if r.activities.filter(is_published=True).exists()]
    for req in with_published[:1] + rng.sample(with_published[1:], len(with_published[1:]) // 2):
        req.refresh_from_db()
        services.request_set_consent(
            request=req,
            by=focal,
            providers=[ohchr, unct],
            publish_summary=False,
            reason=mark("request.consent_reason", 700 + req.pk, req, "consent_reason"),
        )
        world.hidden_after_publication += list(
            req.activities.filter(is_published=True).values_list("title", flat=True)
        )
    for req in rng.sample(requests, 4):
        req.refresh_from_db()
        services.request_set_consent(
            request=req,
            by=focal,
            providers=[ohchr],
            publish_summary=rng.random() < 0.5,
            reason=mark("request.consent_reason", 500 + req.pk, req, "consent_reason"),
        )
    for req in rng.sample(requests, 2):
        req.refresh_from_db()
        if req.status not in ("withdrawn", "declined", "completed"):
            services.request_transition(
                request=req,
                by=focal,
                name="withdraw",
                reason=mark("request.step_reason", 900 + req.pk, req, "step_reason"),
            )
    for act in rng.sample(activities, min(3, len(activities))):
        act.refresh_from_db()
        if act.is_published and rng.random() < 0.5:
            services.activity_publish(activity=act, by=officer, published=False)
    for n in range(3):
        offer = services.offer_create(
            by=officer,
            provider=ohchr,
            title=world.control(f"control.fuzz.{seed}.offer.{n}"),
            modality="training",
            contact=mark("offer.contact", n, None, "contact"),
            capacity=7,
        )
        world.keep("assistance.offer", offer.pk, full_only=True)

    _fuzz_readers(world, about, requests, activities, {ohchr.pk: "ohchr", unct.pk: "unct"})


def _fuzz_readers(world: World, about: dict, requests: list, activities: list, prefix: dict) -> None:
    """Who may read each fuzzed canary, from the settings the fuzz chose and the README's rules."""
    for name, (what, record) in about.items():
        if what == "contact":
            world.readers_of[name] = (
                ex.members("ohchr") | ex.ADMINS
            )  # the offer's provider's internal planning
        elif isinstance(record, AssistanceRequest):
            record.refresh_from_db()
            readers = ex.fuzz_request_readers(
                public=record.consent_publish_summary and record.status in PUBLIC_STATUSES,
                submitted=record.status != "draft",
                providers=frozenset(
                    prefix[pk] for pk in record.consent_providers.values_list("pk", flat=True)
                ),
            )
            world.readers_of[name] = readers[what]
        else:
            record.refresh_from_db()
            world.readers_of[name] = ex.fuzz_activity_readers(public=_fuzz_public(record), lead="ohchr")
    for req in requests:
        name = next(n for n, (w, r) in about.items() if w == "title" and r is req)
        public = world.readers_of[name] == ex.EVERYONE
        world.keep("assistance.assistancerequest", req.pk, full_only=True, private=None if public else name)
    for act in activities:
        name = next(n for n, (w, r) in about.items() if w == "title" and r is act)
        public = _fuzz_public(act)
        world.keep("assistance.activity", act.pk, full_only=True, private=None if public else name)
        if public:
            world.public_activity_titles.add(act.title)
            world.public_budgets["ohchr"] = world.public_budgets.get("ohchr", Decimal(0)) + act.budget_amount


def _fuzz_public(act: Activity) -> bool:
    """The rule as the README states it: published by its provider and consented to by its State."""
    if act.request_id is not None:
        act.request.refresh_from_db()
        consented = act.request.consent_publish_summary and act.request.status in PUBLIC_STATUSES
    else:
        consented = act.state_consent_at is not None
    return act.is_published and consented


def _fuzz_activity(world: World, rng, seed: int, n: int, request, start: date, mark, publish: bool | None):
    officer = world.readers["ohchr_writer"]
    budget = Decimal(f"{71000 + seed * 211 + n}.29")
    act = services.activity_create(
        by=officer,
        lead_provider=world.org["ohchr"],
        state=State.objects.get(code="KEN"),
        request=request,
        title=canary(f"fuzz.{seed}.activity.title.{n}"),
        description=canary(f"fuzz.{seed}.activity.description.{n}"),
        modality="training",
        planned_start=start,
        planned_end=start + timedelta(days=60),
        budget_amount=budget,
        budget_currency="USD",
        gender_marker=rng.choice([0, 1, 2]),
        themes=[theme(("uhri", "A2"))],
    )
    mark("activity.title", n, act, "title")
    mark("activity.description", n, act, "description")
    name = f"fuzz.{seed}.activity.budget.{n}"
    assert str(budget) not in world.numbers.values()
    world.numbers[name] = str(budget)
    world.ids.setdefault("fuzz_budgets", []).append((name, act))
    services.activity_set_participants(activity=act, by=officer, women=5, men=4)
    if request is None and rng.random() < 0.6:
        services.activity_consent(activity=act, by=world.ids["fuzz_focal"])
    if publish or (publish is None and rng.random() < 0.7):
        consented = (
            request.consent_publish_summary if request is not None else act.state_consent_at is not None
        )
        if consented:
            services.activity_publish(activity=act, by=officer)
        else:  # the State did not consent to publication: refused, and nothing changes
            with pytest.raises(Conflict):
                services.activity_publish(activity=act, by=officer)
    return act


def _settle_fuzz_budgets(world: World) -> None:
    """A fuzzed activity's budget is read by whoever reads the activity, once publication is settled."""
    for name, act in world.ids.pop("fuzz_budgets", []):
        act.refresh_from_db()
        world.readers_of[name] = ex.fuzz_activity_readers(public=_fuzz_public(act), lead="ohchr")


# ------------------------------------------------------------------------------------------------------


def build() -> World:
    world = World()
    timings = world.ids.setdefault("timings", {})

    def timed(label, step, *args):
        started = time.monotonic()
        step(*args)
        timings[label] = round(time.monotonic() - started, 1)

    timed("people", _people, world)
    timed("assistance", _assistance, world)
    timed("assessment", _assessment, world)
    timed("practices", _practices, world)
    timed("funds", _funds, world)
    for seed in FUZZ_SEEDS:
        timed(f"fuzz {seed}", fuzz, world, seed)
    _settle_fuzz_budgets(world)
    with tempfile.TemporaryDirectory() as out:
        timed("reports", _reports, world, Path(out))
        timed("iati", iati_exports, world, Path(out))
    _accounts(world)
    _sanity(world)
    return world


def _accounts(world: World) -> None:
    """The people and organisations whose rows are canaries: the focal point, the canary organisation."""
    from auditlog.models import LogEntry

    focal, canary_writer = world.readers["own_state_writer"], world.readers["consented_writer"]
    for user in (focal, canary_writer):
        world.keep("auth.user", user.pk)
        for membership in Membership.objects.filter(user=user):
            world.keep("accounts.membership", membership.pk)
        for token in user.api_tokens.all():
            world.keep("accounts.apitoken", token.pk)
    for org in ("consented", "control"):
        world.keep("accounts.organisation", world.org[org].pk)
    draft = world.ids["r_draft"]
    for entry in LogEntry.objects.filter(object_pk=str(draft.pk)).order_by("pk")[:3]:
        world.keep("auditlog.logentry", entry.pk)


def _sanity(world: World) -> None:
    """The world is what the walk needs: every hand-written row planted, both kinds of fuzz outcome."""
    planted = {n for n in [*world.canaries, *world.numbers] if not n.startswith("fuzz.")}
    assert planted == set(ex.EXPECTATIONS) | set(ex.AFTER_WITHDRAWAL), planted ^ (
        set(ex.EXPECTATIONS) | set(ex.AFTER_WITHDRAWAL)
    )
    assert set(ex.CONTROLS) <= set(world.controls)
    fuzzed = {n: r for n, r in world.readers_of.items() if n.startswith("fuzz.")}
    assert any(r == ex.EVERYONE for r in fuzzed.values())
    assert any(r != ex.EVERYONE for r in fuzzed.values())
    assert world.hidden_after_publication, "no publication was taken back"
    for seed in FUZZ_SEEDS:
        titles = [n for n in fuzzed if n.startswith(f"fuzz.{seed}.activity.title.")]
        assert any(fuzzed[n] == ex.EVERYONE for n in titles)
        assert any(fuzzed[n] != ex.EVERYONE for n in titles)
