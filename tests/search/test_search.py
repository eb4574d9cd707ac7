"""Search: multilingual on both engines, follows every change, and never leaks what a role may not see."""

import pytest

from hrtc.accounts.policy import SYSTEM
from hrtc.recommendations.importing import recommendations_import
from hrtc.search import engine
from tests.base import ROLES, SHARED_DATA, make_recommendation, make_request, needs_shared

EXAMPLES = [  # (language, text indexed, query a person would type)
    ("en", "Strengthen the independence of the judiciary and fight corruption", "independent judiciary"),
    ("fr", "Renforcer la protection des droits des femmes contre la violence domestique", "droit des femme"),
    ("es", "Garantizar el acceso a la educación de las niñas indígenas", "educacion nina"),
    ("ru", "Обеспечить защиту прав женщин и девочек от насилия", "права женщина"),
    ("ar", "القضاء على الفقر بجميع أشكاله في كل مكان", "الفقر"),
    ("ar", "ضمان حقوق المرأة", "حقوق المراة"),
    ("zh", "在全世界消除一切形式的贫穷", "贫穷"),
    ("zh", "实现性别平等，增强所有妇女和女童的权能", "妇女"),
]


@pytest.mark.parametrize(
    ("language", "text", "query"), EXAMPLES, ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)]
)
def test_each_language_is_found(db, language, text, query):
    wanted = make_recommendation(text=text, language=language)
    make_recommendation(
        text="Ratify the Convention on the Rights of Persons with Disabilities", paragraph="x"
    )
    results = engine.search(None, query, {"kind": "recommendation"})  # SDG targets in six languages match too
    assert [h.document.object_id for h in results.hits] == [wanted.pk]
    assert "<mark>" in results.hits[0].snippet


def test_snippets_escape_html(db):
    make_recommendation(text='Combat hate speech <script>alert("x")</script> <img onerror="steal()">')
    (hit,) = engine.search(None, "hate speech").hits
    assert "<script>" not in hit.snippet
    assert 'onerror="' not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>hate</mark>" in hit.snippet


def test_the_index_follows_updates_and_deletes(db):
    rec = make_recommendation(text="Establish a national preventive mechanism")
    assert engine.search(None, "preventive mechanism").total == 1
    rec.text = "Adopt a law on freedom of assembly"
    rec.save()
    assert engine.search(None, "preventive mechanism").total == 0
    assert engine.search(None, "assembly").total == 1
    rec.delete()
    assert engine.search(None, "assembly").total == 0


def test_a_private_request_is_never_shown_counted_or_hinted(people):
    make_request(
        people,
        title="Witness protection programme",
        needs="Confidential support for the witness protection agency",
        modality="advisory",
    )
    make_recommendation(text="Set up a witness protection programme", state="SVN")
    allowed = {
        "platform_admin",
        "kenya_focal_point",
        "kenya_viewer",
        "kenya_admin",
        "ohchr_officer",
        "ohchr_admin",
    }
    for role in ROLES:
        results = engine.search(getattr(people, role), "witness protection")
        kinds = {h.document.kind for h in results.hits}
        facet = {row["value"]: row["count"] for row in results.facets["kind"]}
        if role in allowed:
            assert results.total == 2, role
            assert kinds == {"request", "recommendation"}, role
        else:
            assert results.total == 1, role
            assert kinds == {"recommendation"}, role
            assert "request" not in facet, role
            assert facet == {"recommendation": 1}, role
            assert all("Confidential" not in h.snippet for h in results.hits), role


def test_search_api_over_http(api, live_people):
    make_recommendation(text="Guarantee the right to peaceful assembly")
    with api.client() as http:
        body = http.get("/api/v1/search/", params={"q": "peaceful assembly"}).json()
        page = http.get("/search/", params={"q": "peaceful assembly"}, headers={"Accept": "text/html"})
    assert body["total"] == 1
    assert body["results"][0]["url"].startswith("/recommendations/")
    assert page.status_code == 200
    assert "<mark>peaceful</mark>" in page.text


@needs_shared
def test_imported_records_are_indexed_after_the_import_commits(db, django_capture_on_commit_callbacks):
    matrix = SHARED_DATA / "ohchr-upr-matrices-slovenia" / "slovenia_upr_thematic_lists_cycles2-4.csv"
    with django_capture_on_commit_callbacks(execute=True):
        recommendations_import(path=matrix, by=SYSTEM)
    results = engine.search(None, "Roma")
    assert results.total > 10
    assert {h.document.state_id for h in results.hits} == {"SVN"}


def test_nothing_found_falls_back_to_prefixes(db):
    wanted = make_recommendation(text="Strengthen the ombudsperson institution")
    results = engine.search(None, "ombudsper", {"kind": "recommendation"})
    assert [h.document.object_id for h in results.hits] == [wanted.pk]


def test_a_misspelt_title_is_found_by_trigrams_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    from hrtc.practices import services as practices
    from tests.base import make_people

    people = make_people()
    practice = practices.practice_submit(
        by=people.cso_member, title="Paralegal network", summary="s", body="<p>b</p>"
    )
    for step in ("review", "publish"):
        practices.practice_transition(practice=practice, by=people.ohchr_officer, name=step)
    results = engine.search(None, "paralegall netwrk")
    assert [h.document.object_key for h in results.hits] == [practice.slug]


def test_theme_and_sdg_facets_count_and_filter(db):
    from hrtc.reference.models import SdgGoal, Theme

    torture = Theme.objects.get(vocabulary="uhri", code="D2")
    first = make_recommendation(text="Prevent torture in police custody")
    first.themes.add(torture)
    first.sdg_goals.add(SdgGoal.objects.get(code="16"))
    make_recommendation(text="Prevent torture in prisons", paragraph="2")
    results = engine.search(None, "prevent torture", {"kind": "recommendation"})
    assert results.total == 2
    assert {"value": "D2", "count": 1} in results.facets["theme"]
    assert results.facets["sdg"] == [{"value": "16", "count": 1}]
    narrowed = engine.search(None, "prevent torture", {"kind": "recommendation", "sdg": "16"})
    assert [h.document.object_id for h in narrowed.hits] == [first.pk]


def test_the_page_names_facet_values_and_its_links_keep_the_query_and_filters(client, db):
    from hrtc.reference.models import Theme

    rec = make_recommendation(text="Abolish the death penalty for drug offences")
    rec.themes.add(Theme.objects.get(vocabulary="uhri", code="D2"))
    page = client.get("/search/", {"q": "death penalty", "kind": "recommendation"}).content.decode()
    assert ">Kenya</a>" in page  # the State facet shows the name, the link carries the code
    assert "state=KEN" in page
    assert "kind=recommendation" in page
    assert "q=death+penalty" in page
    assert "Recommendation</span>" in page  # the result's kind, named
    narrowed = client.get("/search/", {"q": "death penalty", "kind": "recommendation", "theme": "D2"})
    assert "for drug offences" in narrowed.content.decode()
    assert (
        "for drug offences"
        not in client.get("/search/", {"q": "death penalty", "theme": "B31"}).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        ("ru", "Доступ к безопасной питьевой воде", "питьевая вода"),  # й kept for the stemmer
        ("ar", "تحقيق المساواة بين الجنسين", "بالمساواة"),  # Arabic prefixes stemmed away
        ("fr", "L'égalité des sexes", "egalites"),  # no accents typed, plural
        ("es", "Eliminar la discriminación", "discriminaciones"),
    ],
)
def test_inflected_and_unaccented_queries_meet_their_documents(db, language, text, query):
    wanted = make_recommendation(text=text, language=language)
    results = engine.search(None, query, {"kind": "recommendation"})
    assert [h.document.object_id for h in results.hits] == [wanted.pk]
