"""The read-only reference API over real HTTP: filters, search, pagination, public to everyone."""

from tests.base import ROLES


def test_states_filter_search_and_paginate(api):
    with api.client() as http:
        first = http.get("/api/v1/reference/states/").json()
        second = http.get("/api/v1/reference/states/", params={"page": 2}).json()
        sids = http.get("/api/v1/reference/states/", params={"is_sids": "true", "page_size": 500}).json()
        kenya = http.get("/api/v1/reference/states/KEN/").json()
        search = http.get("/api/v1/reference/states/", params={"search": "Slovenia"}).json()
        bad_page = http.get("/api/v1/reference/states/", params={"page": 99})
    assert first["count"] == 195
    assert len(first["results"]) == 50
    assert {s["code"] for s in first["results"]}.isdisjoint({s["code"] for s in second["results"]})
    assert sids["count"] == len(sids["results"])
    assert all(s["is_sids"] for s in sids["results"])
    assert "JAM" in {s["code"] for s in sids["results"]}
    assert kenya["regional_group"] == "AFRICAN"
    assert kenya["m49"] == "404"
    assert kenya["names"]["fr"] == "Kenya"
    assert [s["code"] for s in search["results"]] == ["SVN"]
    assert bad_page.status_code == 404


def test_sdg_goals_carry_their_targets(api):
    with api.client() as http:
        goal = http.get("/api/v1/reference/sdg-goals/5/").json()
        targets = http.get("/api/v1/reference/sdg-targets/", params={"goal": "16", "page_size": 100}).json()
    assert goal["targets"] == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.a", "5.b", "5.c"]
    assert targets["count"] == 12


def test_an_sdg_target_is_addressed_by_its_code(api):
    """Target codes have a dot (16.3, 5.a): the route takes them."""
    with api.client() as http:
        target = http.get("/api/v1/reference/sdg-targets/16.3/")
        assert target.status_code == 200
        assert target.json()["code"] == "16.3"
        assert http.get("/api/v1/reference/sdg-targets/5.a/").json()["code"] == "5.a"
        assert http.get("/api/v1/reference/sdg-targets/16.99/").status_code == 404


def test_reference_is_public_and_read_only_for_every_role(api, live_people):
    for role in ROLES:
        with api.client(getattr(live_people, role)) as http:
            assert http.get("/api/v1/reference/funds/").json()["count"] == 4, role
            assert http.post("/api/v1/reference/funds/", json={"code": "X", "name": "X"}).status_code in {
                401,
                403,
                405,
            }
            assert http.delete("/api/v1/reference/states/KEN/").status_code in {401, 403, 405}


def test_themes_expose_vocabulary_keys_and_mappings(api):
    with api.client() as http:
        themes = http.get(
            "/api/v1/reference/themes/", params={"vocabulary": "uprinfo", "search": "Women's rights"}
        )
    (women,) = [t for t in themes.json()["results"] if t["code"] == "Women's rights"]
    assert women["key"] == "uprinfo:Women's rights"
    assert all(key.startswith("uhri:") for key in women["maps_to"])
    assert women["maps_to"]
