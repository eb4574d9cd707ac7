"""The web shell's endpoints over real HTTP: health check, OpenAPI schema and docs, the audit-log API."""

import pytest

from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.services import organisation_create
from hrtc.reference.models import State
from tests.base import ROLES


def test_healthz_checks_the_database(api):
    with api.client() as http:
        response = http.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_openapi_schema_renders_and_lists_the_endpoints(api):
    with api.client() as http:
        schema = http.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
        docs = http.get("/api/docs/", headers={"Accept": "text/html"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for expected in (
        "/api/v1/reference/states/",
        "/api/v1/reference/sdg-targets/",
        "/api/v1/audit/",
        "/api/v1/accounts/tokens/",
        "/api/v1/accounts/me/",
    ):
        assert expected in paths
    assert "apiToken" in schema.json()["components"]["securitySchemes"]
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


def test_audit_api_is_for_platform_admins_only(api, live_people):
    expected = {
        role: (200 if role == "platform_admin" else 401 if role == "anonymous" else 403) for role in ROLES
    }
    actual = {}
    for role in ROLES:
        with api.client(getattr(live_people, role)) as http:
            actual[role] = http.get("/api/v1/audit/").status_code
    assert actual == expected


def test_audit_api_filters_by_model_and_object(api, live_people):
    org = organisation_create(
        by=live_people.platform_admin,
        code="audit-probe",
        name="Audit probe",
        kind=OrganisationKind.CSO,
        state=State.objects.get(code="KEN"),
    )
    with api.client(live_people.platform_admin) as http:
        response = http.get("/api/v1/audit/", params={"model": "accounts.organisation", "object_pk": org.pk})
    results = response.json()["results"]
    assert len(results) == 1
    assert results[0]["action"] == "create"
    assert results[0]["actor"] == "platform.admin"
    assert results[0]["changes"]["name"][1] == "Audit probe"


@pytest.mark.parametrize("path", ["/", "/reference/", "/reference/states/", "/login/"])
def test_pages_answer(api, path):
    with api.client() as http:
        assert http.get(path).status_code == 200
