"""What the walker may leave out, and how it fills URL parameters it cannot work out alone.

Everything in the URL conf and the OpenAPI schema is walked unless it is listed in ``SKIP`` /
``SKIP_OPERATIONS`` with a written reason; a new page or operation the walker cannot fill fails the test
until it gets a filler here (or a skip with a reason). Viewsets (their model and lookup field) and the
admin (its model from the URL name) are filled without a line here, from the world's records.
"""

from __future__ import annotations

from django.contrib.admin.sites import site as admin_site

from hrtc.assistance.models import AssistanceRequest
from hrtc.opendata import downloads
from hrtc.reference.models import Fund

#: URL name (or, unnamed, the route) → why the walker does not GET it.
SKIP: dict[str, str] = {
    "logout": "POST-only; signing out ends the session the walk reads with",
    "admin:logout": "POST-only; signing out ends the session the walk reads with",
    "set_language": "POST-only: switches the interface language, shows no record",
    "account-token-create": "POST-only: creates a token (shown once to its owner)",
    "account-token-revoke": "POST-only: revokes a token",
    "recommendations:assess": "POST-only: records an assessment (a write)",
    "recommendations:bulk-assign": "POST-only: assigns responsible entities (a write)",
    "linking:decide": "POST-only: accepts or rejects a link (a write)",
    "linking:add": "POST-only: adds a link (a write)",
    "assistance:request-transition": "POST-only: covered by the write oracle through the API (404 like a "
    "missing request for whoever may not see it)",
    "assistance:request-consent": "POST-only: covered by the write oracle through the API",
    "funds:grant-move": "POST-only: disburses, returns or releases money (a write)",
    "funds:reverse": "POST-only: reverses a ledger transaction (a write)",
    "practices:transition": "POST-only: moderation moves (a write)",
    "reports:run-save": "POST-only: saves a report run as a document (a write)",
    "reports:saved-publish": "POST-only: publishes a saved report (a write)",
    "admin/(?P<url>.*)$": "the admin's catch-all: redirects unknown admin addresses, shows no record",
    # DRF routes whose only methods are writes (their GET answers 405):
    "token-revoke": "POST-only: revokes a token",
    "api-recommendation-import": "POST-only: imports a file (a write)",
    "api-recommendation-bulk-assign": "POST-only: a write",
    "api-recommendation-assess": "POST-only: records an assessment (a write)",
    "api-recommendation-cluster": "POST-only: moves a recommendation between clusters (a write)",
    "api-cluster-label": "PATCH-only: relabels a cluster (a write)",
    "api-link-add": "POST-only: a write",
    "api-link-accept": "POST-only: a write",
    "api-link-reject": "POST-only: a write",
    "api-report-run-create": "POST-only: queues a report run (a write)",
    "assistance-request-transition": "POST-only: covered by the write oracle (404 like a missing request)",
    "assistance-request-consent": "PUT-only: covered by the write oracle (404 like a missing request)",
    "activity-complete": "POST-only: a write",
    "activity-participants": "PUT-only: a write",
    "fund-contribution-refund": "POST-only: a write",
    "fund-grant-disburse": "POST-only: a write",
    "fund-grant-give-back": "POST-only: a write",
    "fund-grant-release": "POST-only: a write",
    "fund-transaction-reverse": "POST-only: a write",
    "practice-attachments": "POST-only: uploads an attachment (a write)",
    "practice-transition": "POST-only: moderation moves (a write)",
}

#: OpenAPI write operations ("METHOD path") → why the walker does not call them. Their GET twins (the same
#: path) are walked; the two that matter for disclosure (a transition and a consent change on a request
#: the reader may not see) are the write oracle.
WRITE_REASON = "a write: it answers with what its author just wrote; reads of it are walked"
SKIP_OPERATIONS_PREFIX = ("POST ", "PUT ", "PATCH ", "DELETE ")
ORACLE_OPERATIONS = {
    "POST /api/v1/assistance/requests/{id}/transition/",
    "PUT /api/v1/assistance/requests/{id}/consent/",
}

FORMATS = ("html", "pdf", "docx", "xlsx")


def constant_fillers(world) -> dict[str, list[dict]]:
    """URL name → the keyword arguments to walk it with, for pages addressed by codes rather than records."""
    org = world.org
    funds = list(Fund.objects.order_by("code").values_list("code", flat=True))
    return {
        "reference:state": [{"code": "KEN"}],
        "recommendations:state": [{"code": "KEN"}],
        "recommendations:template": [{"suffix": "csv"}, {"suffix": "xlsx"}],
        "assistance:state": [{"code": "KEN"}, {"code": "SVN"}],
        "assistance:state-feed": [{"code": "KEN"}, {"code": "SVN"}],
        "assistance:provider": [
            {"code": org[p].code} for p in ("consented", "lead", "ohchr", "unct")
        ],  # sampled
        "funds:fund": [{"code": code} for code in funds],
        "funds:record": [{"code": "VFTC"}],
        "funds:ledger": [{"code": code} for code in funds],
        "funds:statement": [
            {"code": "VFTC", "year": year, "extension": ext}
            for year in world.years
            for ext in ("csv", "json")
        ],
        "opendata:state": [{"code": "KEN"}, {"code": "SVN"}],
        "opendata:download": [
            {"dataset": key, "fmt": fmt}
            for key, dataset in downloads.DATASETS.items()
            for fmt in dataset.formats
        ],
        "api-overlaps": [{"code": "KEN"}],
        "api-fund-statement": [{"code": code} for code in funds],
        "admin:view_on_site": [
            {"content_type_id": world.content_type("practices.practice"), "object_id": pk}
            for pk in world.records["practices.practice"]
        ]
        + [
            {"content_type_id": world.content_type("assistance.assistancerequest"), "object_id": pk}
            for pk in AssistanceRequest.objects.filter(pk__in=world.records["assistance.assistancerequest"])
            .order_by("pk")
            .values_list("pk", flat=True)[:3]
        ],
        "admin:app_list": [
            {"app_label": label} for label in sorted({m._meta.app_label for m in admin_site._registry})
        ],
    }


#: Surfaces that are the same for everyone by construction: walked by the full readers and the oracle readers
#: (signed-in people among them, so "the same for everyone" is itself checked), not by every reader class.
SAME_FOR_EVERYONE: dict[str, str] = {
    "opendata:": "the transparency portal reads as an anonymous visitor whoever asks (opendata/selectors.py)",
    "open-": "the portal's API has no authentication classes: every caller is anonymous there",
    "reference:": "reference data (States, SDGs, themes, providers): public by policy ('reference.*')",
    "state-": "reference data API",
    "mechanism-": "reference data API",
    "sdg-goal-": "reference data API",
    "sdg-target-": "reference data API",
    "theme-": "reference data API",
    "affected-group-": "reference data API",
    "currency-": "reference data API",
    "fund-list": "reference data API (the four voluntary funds)",
    "fund-detail": "reference data API (the four voluntary funds)",
    "api-schema": "the OpenAPI description: the same document for everyone (0.5 s each)",
    "api-docs": "the OpenAPI browser page",
    "healthz": "a health probe",
}


def same_for_everyone(name: str | None) -> bool:
    return bool(name) and any(
        name == key or (key.endswith((":", "-")) and name.startswith(key)) for key in SAME_FOR_EVERYONE
    )


#: Pages addressed by public codes (funds, States, formats) that every reader walks with the first code and
#: the full readers with every code: they show public aggregates, the same whoever asks.
SAMPLED = frozenset(
    {
        "funds:fund",
        "funds:ledger",
        "funds:statement",
        "api-fund-statement",
        "opendata:state",
        "assistance:state",
        "assistance:state-feed",
        "recommendations:template",
        "admin:app_list",
        "admin:view_on_site",
        "assistance:provider",  # every reader: the canary organisation's inbox; the full readers: all four
    }
)

#: Query strings the pages are also walked with (their filters are not in the OpenAPI schema): the views
#: the consent fuzz read, and a filter by the canary organisation (its echo is allowed, nothing more).
PAGE_QUERIES: dict[str, list[dict]] = {
    "opendata:portal": [
        {"state": "KEN", "year": "2025"},
        {"theme": "uhri:A2", "gender_marker": "2"},
        {"theme": "uhri:B9"},
    ],
    "opendata:download": [{"state": "KEN"}],
    "admin:autocomplete": [
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": ""}
    ],
}
#: Pages that answer only with their query (walked with it, never bare).
QUERY_ONLY = frozenset({"admin:autocomplete"})
#: Pages also walked filtered by the canary organisation's code (with the control organisation's twin).
PROVIDER_FILTERED = ("opendata:portal", "opendata:requests", "opendata:offers", "opendata:download")

#: URL name → (model label, URL keyword, model attribute) for pages addressed by one record.
RECORD_ROUTES: dict[str, tuple[str, str, str]] = {
    "recommendations:detail": ("recommendations.recommendation", "pk", "pk"),
    "assistance:request": ("assistance.assistancerequest", "pk", "pk"),
    "assistance:activity": ("assistance.activity", "pk", "pk"),
    "funds:donor": ("funds.donor", "code", "code"),
    "funds:grant": ("funds.grant", "pk", "pk"),
    "practices:attachment": ("practices.attachment", "pk", "pk"),
    "practices:detail": ("practices.practice", "slug", "slug"),
    "practices:edit": ("practices.practice", "slug", "slug"),
    "reports:run": ("reports.reportrun", "pk", "pk"),
    "reports:run-status": ("reports.reportrun", "pk", "pk"),
    "reports:run-file": ("reports.reportrun", "pk", "pk"),
    "reports:saved": ("reports.savedreport", "pk", "pk"),
    "reports:saved-file": ("reports.savedreport", "pk", "pk"),
    "opendata:activity": ("assistance.activity", "pk", "pk"),
    "open-activity": ("assistance.activity", "pk", "pk"),
    "api-report-run": ("reports.reportrun", "pk", "pk"),
    "admin:auth_user_password_change": ("auth.user", "id", "pk"),
}
#: ... and the extra keyword such a page also takes (every value is walked).
RECORD_ROUTE_EXTRAS: dict[str, dict[str, tuple[str, ...]]] = {
    "reports:run-file": {"fmt": FORMATS},
    "reports:saved-file": {"fmt": FORMATS},
}
