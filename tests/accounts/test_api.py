"""Accounts over real HTTP: API tokens (created once, used, revoked), who-am-I, organisations."""

from hrtc.accounts.models import ApiToken, hash_token


def test_a_token_is_shown_once_works_and_stops_working_when_revoked(api, live_people):
    with api.client() as anonymous:
        assert anonymous.post("/api/v1/accounts/tokens/", json={"name": "x"}).status_code in {401, 403}
    with api.client(live_people.kenya_focal_point) as http:
        created = http.post("/api/v1/accounts/tokens/", json={"name": "nightly sync"})
        assert created.status_code == 201
        key = created.json()["key"]
        listed = http.get("/api/v1/accounts/tokens/").json()["results"]
    assert key.startswith("hrtc_")
    assert all("key" not in t for t in listed)
    stored = ApiToken.objects.get(pk=created.json()["id"])
    assert stored.key_hash == hash_token(key)
    assert key not in stored.key_hash
    with api.client() as http:
        me = http.get("/api/v1/accounts/me/", headers={"Authorization": f"Bearer {key}"}).json()
        assert me["username"] == "kenya.focal.point"
        assert me["memberships"][0]["organisation"] == "gov-ken"
        assert "accounts.token.create" in me["allowed_actions"]
        assert "audit.view" not in me["allowed_actions"]
        revoked = http.post(
            f"/api/v1/accounts/tokens/{created.json()['id']}/revoke/",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"]
        after = http.get("/api/v1/accounts/me/", headers={"Authorization": f"Bearer {key}"})
    assert after.status_code == 401
    assert "revoked" in after.json()["detail"]


def test_nobody_can_revoke_someone_elses_token(api, live_people):
    with api.client(live_people.kenya_focal_point) as owner:
        token_id = owner.post("/api/v1/accounts/tokens/", json={"name": "mine"}).json()["id"]
    with api.client(live_people.cso_member) as other:
        assert other.post(f"/api/v1/accounts/tokens/{token_id}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token_id).revoked_at is None


def test_a_token_needs_a_name(api, live_people):
    with api.client(live_people.donor) as http:
        response = http.post("/api/v1/accounts/tokens/", json={"name": "  "})
    assert response.status_code in {400, 422}


def test_organisations_are_public_and_filterable_by_provider(api, live_people):
    with api.client() as http:
        providers = http.get(
            "/api/v1/accounts/organisations/", params={"provider": "true", "page_size": 500}
        ).json()
        states = http.get("/api/v1/accounts/organisations/", params={"kind": "state"}).json()
    codes = {o["code"] for o in providers["results"]}
    assert {"ohchr", "unwomen", "unfpa", "unct-ken"} <= codes
    assert "knchr" not in codes
    assert "gov-ken" not in codes
    assert {o["code"] for o in states["results"]} == {"gov-ken", "gov-svn"}


def test_memberships_need_sign_in(api, live_people):
    with api.client() as http:
        assert http.get("/api/v1/accounts/memberships/").status_code in {401, 403}
    with api.client(live_people.kenya_viewer) as http:
        assert http.get("/api/v1/accounts/memberships/").json()["count"] == 3
