"""Who may read what: the hand-written table the canary walk checks every response against.

Nothing here is computed from the code under test. Each row cites the rule it encodes (README "Technical
assistance: who may do what", the written list in ``hrtc/opendata/selectors.py``, and the owners' rules
quoted in the brief); a row that looks wrong is a question about the rule, not about the code.

Reader classes are people, one per visibility class (see ``world.py`` for who they are):
``anonymous``; ``no_org`` (signed in, no organisation); a viewer and a writer of each organisation kind —
``own_state_*`` (the government of the State that made every canary request, Kenya), ``other_state_*``
(Slovenia's government), ``ohchr_*``, ``lead_*`` (UN Women: a UN agency, the lead provider of every canary
activity), ``unct_*`` (Kenya's UN country team: a provider consented to none of the canary records),
``consented_*`` (the canary organisation: a regional organisation consented to the summary-only requests
and a partner of the unpublished activities), ``nhri_*``, ``cso_*`` (the author's organisation of the
canary good practices; ``cso_writer`` is the author), ``donor_*`` (the donor organisation on the funds'
books); ``staff`` (Django staff, not a superuser, no organisation); ``admin`` (platform administrator).
"""

from __future__ import annotations

ANONYMOUS = "anonymous"
NO_ORG = "no_org"
STAFF = "staff"
ADMIN = "admin"

#: Organisation kinds (hrtc.accounts.choices.OrganisationKind) → the reader-class prefix of its members.
KIND_PREFIX = {
    "state": "own_state",  # also other_state, below
    "ohchr": "ohchr",
    "un_agency": "lead",
    "unct": "unct",
    "regional_org": "consented",
    "nhri": "nhri",
    "cso": "cso",
    "donor": "donor",
}
PREFIXES = ("own_state", "other_state", "ohchr", "lead", "unct", "consented", "nhri", "cso", "donor")
READERS: tuple[str, ...] = (
    ANONYMOUS,
    NO_ORG,
    *(f"{prefix}_{seat}" for prefix in PREFIXES for seat in ("viewer", "writer")),
    STAFF,
    ADMIN,
)


def members(prefix: str) -> frozenset[str]:
    return frozenset({f"{prefix}_viewer", f"{prefix}_writer"})


EVERYONE = frozenset(READERS)
ADMINS = frozenset({ADMIN})
OWN_STATE = members("own_state")
CONSENTED = members("consented")  # the canary organisation
LEAD = members("lead")
OHCHR = members("ohchr")
CSO = members("cso")
DONOR = members("donor")
#: Good-practice moderators: OHCHR's writers and platform administrators (README "Good practices").
MODERATORS = frozenset({"ohchr_writer", ADMIN})
#: Voluntary funds: fund officers are platform administrators and OHCHR's writers (policy FUND_OFFICERS).
FUND_OFFICERS = frozenset({"ohchr_writer", ADMIN})

#: canary → the reader classes that may read it. Everyone else must never receive it, on any surface.
EXPECTATIONS: dict[str, frozenset[str]] = {
    # --- Requests (README: "see a request in full: the State's government, consented providers (from
    # submission on), platform administrators"; "its summary: everyone, when the State allowed publication").
    # The summary-only requests are shared with the canary organisation only.
    "request.summary_only.needs": OWN_STATE | CONSENTED | ADMINS,  # needs: never in the summary
    "request.summary_only.priority": OWN_STATE | CONSENTED | ADMINS,  # priorities: never in the summary
    "request.summary_only.consent_reason": OWN_STATE | ADMINS,  # consent history: the State's own record
    "request.declined.decline_reason": OWN_STATE | CONSENTED | ADMINS,  # lifecycle reasons: the full request
    # Shared with the lead provider, summary not published: the State, the lead provider, admins.
    "request.unpublished.title": OWN_STATE | LEAD | ADMINS,
    "request.unpublished.needs": OWN_STATE | LEAD | ADMINS,
    # A draft: providers see a request only from submission on.
    "request.draft.title": OWN_STATE | ADMINS,
    "request.draft.needs": OWN_STATE | ADMINS,
    # Withdrawn (it had allowed publication): a withdrawn request has no public summary; the State and the
    # providers it was shared with keep it.
    "request.withdrawn.title": OWN_STATE | LEAD | ADMINS,
    "request.withdrawn.reason": OWN_STATE | LEAD | ADMINS,
    # Published, an activity of it published, then the State withdrew consent to publication.
    "request.consent_withdrawn.title": OWN_STATE | LEAD | ADMINS,
    "request.consent_withdrawn.consent_reason": OWN_STATE | ADMINS,  # consent history
    # --- Activities (an activity is public only while published AND the State consents; otherwise the
    # State's government, the lead provider, partners and platform administrators).
    # Not published; the canary organisation is a partner.
    "activity.unpublished.title": OWN_STATE | LEAD | CONSENTED | ADMINS,
    "activity.unpublished.description": OWN_STATE | LEAD | CONSENTED | ADMINS,
    "activity.unpublished.outputs": OWN_STATE | LEAD | CONSENTED | ADMINS,
    "activity.unpublished.budget": OWN_STATE | LEAD | CONSENTED | ADMINS,  # a number: numbers count too
    # Provider-initiated, the State never consented; the canary organisation is a partner.
    "activity.no_consent.title": OWN_STATE | LEAD | CONSENTED | ADMINS,
    "activity.no_consent.description": OWN_STATE | LEAD | CONSENTED | ADMINS,
    # Published, then the State withdrew consent to publishing its request's summary.
    "activity.consent_withdrawn.title": OWN_STATE | LEAD | ADMINS,
    "activity.consent_withdrawn.description": OWN_STATE | LEAD | ADMINS,
    "activity.consent_withdrawn.outputs": OWN_STATE | LEAD | ADMINS,
    # Participants per affected group of a PUBLISHED activity (opendata/selectors.py: small counts can
    # identify people): only those who see the activity in full — the State, the lead provider, admins.
    "activity.published.participants_by_group": OWN_STATE | LEAD | ADMINS,
    # --- Offers: contact and capacity are the provider's internal planning (opendata/selectors.py).
    "offer.contact": LEAD | ADMINS,
    "offer.capacity": LEAD | ADMINS,
    # --- Internal implementation assessment (recommendations, internal=True): the State's government,
    # the assessing organisation (here the same government), platform administrators.
    "assessment.internal.evidence": OWN_STATE | ADMINS,
    "assessment.internal.evidence_url": OWN_STATE | ADMINS,
    # --- Good practices: unpublished ones are the author's, their organisation's and the moderators'.
    "practice.submitted.title": CSO | MODERATORS,
    "practice.submitted.summary": CSO | MODERATORS,
    "practice.submitted.body": CSO | MODERATORS,
    "practice.submitted.attachment_name": CSO | MODERATORS,
    "practice.returned.title": CSO | MODERATORS,
    "practice.rejected.title": CSO | MODERATORS,
    # Moderation comments: "for the author's side and moderators only" — the author and their
    # organisation's writers, the moderators (even once the practice is published).
    "practice.returned.comment": frozenset({"cso_writer"}) | MODERATORS,
    "practice.rejected.comment": frozenset({"cso_writer"}) | MODERATORS,
    "practice.published.return_comment": frozenset({"cso_writer"}) | MODERATORS,
    # --- Voluntary funds: money movements are seen by fund officers and their parties (the donor's members
    # for pledges and contributions; the grantee State and the financed activity's lead provider for grants
    # and disbursements); the ledger by fund officers. Statements are aggregates: no memo, no purpose.
    "funds.pledge.memo": FUND_OFFICERS | DONOR,
    "funds.contribution.memo": FUND_OFFICERS | DONOR,
    "funds.grant.purpose": FUND_OFFICERS | OWN_STATE | LEAD,
    "funds.grant.memo": FUND_OFFICERS | OWN_STATE | LEAD,
    "funds.disbursement.memo": FUND_OFFICERS | OWN_STATE | LEAD,
    # --- Saved reports: unpublished versions are OHCHR's members', whoever saved them (the command line
    # here: nobody), and administrators'.
    "report.saved_unpublished.title": OHCHR | ADMINS,
    # A report run (one generation, drawn from its requester's own view of the data): its requester's.
    "report.run.title": frozenset({"own_state_writer"}) | ADMINS,
    # --- The canary organisation (code and name): its existence is public (directory surfaces, below), but
    # that it is consented to the summary-only requests, acted on them and partners unpublished activities
    # is not: only the State, the canary organisation itself, the lead provider it partners, admins.
    "org.canary.code": OWN_STATE | CONSENTED | LEAD | ADMINS,
    "org.canary.name": OWN_STATE | CONSENTED | LEAD | ADMINS,
    # --- Who moved and consented to the canary requests (the State's focal point, by username): whoever sees
    # those requests in full (their timeline names who moved them), the focal point's own government.
    "user.focal_point": OWN_STATE | CONSENTED | LEAD | ADMINS,
}

#: After the first walk the State withdraws consent to publishing the summary of a request whose activity
#: was published (step 6): both become private to the State, the lead provider and admins.
AFTER_WITHDRAWAL: dict[str, frozenset[str]] = {
    "request.withdrawn_later.title": OWN_STATE | LEAD | ADMINS,
    "activity.withdrawn_later.title": OWN_STATE | LEAD | ADMINS,
    "activity.withdrawn_later.description": OWN_STATE | LEAD | ADMINS,
}
#: ... which are public before it.
BEFORE_WITHDRAWAL: dict[str, frozenset[str]] = dict.fromkeys(AFTER_WITHDRAWAL, EVERYONE)

#: Public controls: strings anonymous visitors MUST find somewhere, so a walk that sees nothing fails.
CONTROLS = (
    "control.request.published.title",
    "control.request.declined.title",
    "control.activity.published.title",
    "control.activity.published.description",
    "control.activity.provider_initiated.title",
    "control.offer.title",
    "control.practice.published.title",
)

#: Signed-in readers who MUST find a canary somewhere: proof that their sign-in worked and that the walk
#: reaches what they are entitled to (a walk that silently ran as anonymous would pass every other check).
MUST_SEE: dict[str, frozenset[str]] = {
    "request.summary_only.needs": OWN_STATE | CONSENTED | ADMINS,
    "request.unpublished.title": OWN_STATE | LEAD | ADMINS,
    "activity.unpublished.title": OWN_STATE | LEAD | CONSENTED | ADMINS,
    "practice.submitted.title": CSO | MODERATORS,
    "funds.contribution.memo": FUND_OFFICERS | DONOR,
    "report.saved_unpublished.title": OHCHR | ADMINS,
    # A report run (one generation, drawn from its requester's own view of the data): its requester's.
    "report.run.title": frozenset({"own_state_writer"}) | ADMINS,
}

#: Where the canary organisation's code and name may appear whoever reads: directory surfaces. An
#: organisation's existence is public; its consented associations are not (URL name → why).
DIRECTORY_SURFACES: dict[str, str] = {
    "organisation-list": "the organisation directory (API)",
    "organisation-detail": "an organisation's own directory entry (API)",
    "providers": "the directory of providers (reference pages)",
    "opendata:portal": "the portal's filter form lists every provider to filter by",
    "opendata:state": "the portal's filter form lists every provider to filter by",
    "opendata:offers": "the portal's filter form lists every provider to filter by",
    "opendata:requests": "the portal's filter form lists every provider to filter by",
    "assistance:request-new": "the consent form lists every provider a State may consent to",
    "practices:new": "the 'providers involved' checkboxes list every provider",
    "practices:edit": "the 'providers involved' checkboxes list every provider",
    "reports:home": "the report form lists every provider a report may be drawn for",
    "iati-organisation-file": "the IATI organisation file has one entry per provider (its totals are checked)",
}
DIRECTORY_CANARIES = frozenset({"org.canary.code", "org.canary.name"})


def fuzz_request_readers(
    *, public: bool, submitted: bool, providers: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Readers of a fuzzed request's texts, from the settings the fuzz chose (the README's rules):
    `providers` are the reader-class prefixes of the organisations it is shared with now."""
    full = OWN_STATE | ADMINS
    if submitted:
        full |= frozenset().union(*(members(p) for p in providers)) if providers else frozenset()
    return {
        "title": EVERYONE if public else full,
        "needs": full,
        "priority": full,
        "step_reason": full,  # lifecycle reasons: the full request
        "consent_reason": OWN_STATE | ADMINS,  # consent history: the State's own record
    }


def fuzz_activity_readers(*, public: bool, lead: str) -> frozenset[str]:
    """Readers of a fuzzed activity's title, description and budget: everyone while published and
    consented; otherwise the State, the lead provider (no partners in the fuzz) and admins."""
    return EVERYONE if public else OWN_STATE | members(lead) | ADMINS


#: What the admin never lets even a platform administrator change (the services own it): the admin's forms
#: must show these fields read-only. README: "nobody consents for a State"; the lifecycle moves only through
#: the services; histories are append-only; a State's government organisation is the State's ("only its own
#: administrators add members or change roles"); no administrator takes over a government member's account.
ANY_FIELD = "*"
ADMIN_LOCKED: dict[str, frozenset[str]] = {
    "assistance.assistancerequest": frozenset(
        {"status", "consent_providers", "consent_publish_summary", "consent_given_by", "consent_given_at"}
    ),
    "assistance.activity": frozenset({"is_published", "state_consent_by", "state_consent_at", "status"}),
    "assistance.consentrecord": frozenset({ANY_FIELD}),
    "assistance.requestevent": frozenset({ANY_FIELD}),
    "practices.practice": frozenset({"status", "published_at", "submitted_by", "organisation"}),
    "accounts.organisation:government": frozenset({"kind", "state", "memberships-*"}),
    "accounts.membership:government": frozenset({"user", "organisation", "role"}),
    "auth.user:government": frozenset(
        {"username", "email", "is_superuser", "is_staff", "groups", "user_permissions"}
    ),
}
