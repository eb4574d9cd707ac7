"""The registry API over real HTTP: filters and pagination, facets, exports, assessments, uploads."""

import csv
import io

import pytest
from openpyxl import load_workbook

from hrtc.accounts.policy import SYSTEM
from hrtc.recommendations.importing import recommendations_import
from hrtc.recommendations.models import Recommendation
from tests.base import KENYA_ASSESSORS, ROLES, SHARED_DATA, make_recommendation

MATRIX = SHARED_DATA / "ohchr-upr-matrices-slovenia" / "slovenia_upr_thematic_lists_cycles2-4.csv"
needs_shared = pytest.mark.skipif(not MATRIX.exists(), reason="../shared/data is not beside the repository")


@needs_shared
def test_list_filters_paginate_and_facets_agree(api):
    recommendations_import(path=MATRIX, by=SYSTEM)
    with api.client() as http:
        page = http.get(
            "/api/v1/recommendations/", params={"state": "SVN", "cycle": 4, "page_size": 100}
        ).json()
        noted = http.get("/api/v1/recommendations/", params={"state": "SVN", "response": "noted"}).json()
        facets = http.get("/api/v1/recommendations/facets/", params={"state": "SVN"}).json()
        detail = http.get(f"/api/v1/recommendations/{page['results'][0]['id']}/").json()
    assert page["count"] == 254
    assert len(page["results"]) == 100
    assert noted["count"] == 91
    assert {r["value"]: r["count"] for r in facets["facets"]["response"]} == {"supported": 541, "noted": 91}
    assert {r["value"]: r["count"] for r in facets["facets"]["cycle"]} == {2: 163, 3: 215, 4: 254}
    assert detail["state_under_review"] == "SVN"
    assert detail["assessments"] == []


@needs_shared
def test_exports_carry_the_filtered_rows(api):
    recommendations_import(path=MATRIX, by=SYSTEM)
    with api.client() as http:
        as_csv = http.get("/api/v1/recommendations/export/", params={"state": "SVN", "cycle": 2, "as": "csv"})
        as_xlsx = http.get("/api/v1/recommendations/export/", params={"response": "noted", "as": "xlsx"})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 163
    assert {r["cycle"] for r in rows} == {"2"}
    assert "attachment" in as_csv.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == 92  # header + 91 noted


def test_recording_a_status_over_http_follows_the_policy(api, live_people):
    rec = make_recommendation()
    allowed = KENYA_ASSESSORS
    for role in ROLES:
        with api.client(getattr(live_people, role)) as http:
            response = http.post(
                f"/api/v1/recommendations/{rec.pk}/assessments/",
                json={"status": "partially_implemented", "evidence": f"seen by {role}"},
            )
        expected = 201 if role in allowed else 401 if role == "anonymous" else 403
        assert response.status_code == expected, (role, response.text)
    with api.client(live_people.kenya_focal_point) as http:
        bad = http.post(f"/api/v1/recommendations/{rec.pk}/assessments/", json={"status": "implemented"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "evidence"
    assert rec.assessments.count() == len(allowed)


@needs_shared
def test_upload_imports_and_a_broken_file_is_refused_with_its_row(api, live_people, tmp_path):
    broken = tmp_path / "broken.csv"
    lines = MATRIX.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[10] = lines[10].replace(",Supported,", ",Maybe,", 1)
    broken.write_text("".join(lines), encoding="utf-8")
    with api.client(live_people.ohchr_officer) as http:
        refused = http.post(
            "/api/v1/recommendations/import/", files={"file": ("broken.csv", broken.read_bytes())}
        )
        assert refused.status_code == 422
        assert "broken.csv, row 11" in refused.json()["detail"]
        assert Recommendation.objects.count() == 0
        accepted = http.post(
            "/api/v1/recommendations/import/", files={"file": (MATRIX.name, MATRIX.read_bytes())}
        )
    assert accepted.status_code == 201
    assert accepted.json()["created"] == 632
    with api.client(live_people.cso_member) as http:
        assert (
            http.post(
                "/api/v1/recommendations/import/", files={"file": (MATRIX.name, MATRIX.read_bytes())}
            ).status_code
            == 403
        )


def test_clusters_are_corrected_by_hand_over_http(api, live_people):
    from hrtc.recommendations.clustering import recommendations_cluster

    texts = ["Ratify the Optional Protocol to the Convention against Torture"] * 2 + [
        "Abolish the death penalty"
    ]
    recs = [make_recommendation(text=t, cycle=c) for c, t in enumerate(texts, start=1)]
    recommendations_cluster(by=SYSTEM, states=["KEN"])
    cluster = Recommendation.objects.get(pk=recs[0].pk).cluster
    with api.client(live_people.kenya_focal_point) as focal:
        renamed = focal.patch(
            f"/api/v1/recommendations/clusters/{cluster.pk}/label/", json={"label": "OPCAT"}
        )
        assert renamed.json()["label"] == "OPCAT"
        assert renamed.json()["method"] == "manual"
        moved = focal.post(f"/api/v1/recommendations/{recs[2].pk}/cluster/", json={"cluster": cluster.pk})
        assert moved.json()["cluster"] == cluster.pk
    with api.client(live_people.cso_member) as outsider:
        refused = outsider.post(f"/api/v1/recommendations/{recs[2].pk}/cluster/", json={"cluster": None})
        assert refused.status_code == 403
