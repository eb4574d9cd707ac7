"""One theme family everywhere: "records about uhri:D2 (Right to life, liberty and security)" counts the
theme, its sub-themes and the UPR Info themes mapped to any of them, on the recommendations API (by key and
by id), in good practices, on the open-data portal and in the reports. The family is written out here from
the shipped vocabularies (themes.csv, theme_mapping.csv), not asked of the code."""

from datetime import date

import pytest

from hrtc.opendata.selectors import PortalFilter
from hrtc.practices.selectors import filtered
from hrtc.recommendations.models import Recommendation
from hrtc.reference.models import Theme
from hrtc.reference.selectors import theme_by_key, theme_family
from hrtc.reports.document import Params
from hrtc.reports.queries import Scope
from tests.base import make_recommendation

FAMILY = {  # uhri:D2, its sub-themes, and the UPR Info themes mapped to them
    ("uhri", "D2"),
    ("uhri", "D21"),
    ("uhri", "D25"),
    ("uhri", "D27"),
    ("uprinfo", "Death penalty"),
    ("uprinfo", "Extrajudicial executions"),
    ("uprinfo", "Torture and other CID treatment"),
}
OUTSIDE = {("uhri", "D3"), ("uhri", "D1"), ("uprinfo", "Detention")}


def theme(vocabulary: str, code: str) -> Theme:
    return Theme.objects.get(vocabulary=vocabulary, code=code)


@pytest.mark.django_db
def test_the_family_is_the_theme_its_sub_themes_and_their_mapped_themes():
    family = {(t.vocabulary, t.code) for t in Theme.objects.filter(pk__in=theme_family(theme("uhri", "D2")))}
    assert family >= FAMILY
    assert not family & OUTSIDE
    assert theme_by_key("uhri:D2") == theme("uhri", "D2")
    assert theme_by_key(str(theme("uhri", "D2").pk)) == theme("uhri", "D2")
    assert theme_by_key("uhri:nope") is None
    assert theme_family(None) == set()


def test_every_surface_counts_the_same_records(api, live_people):
    about, other = [], []
    for vocabulary, code in [("uhri", "D2"), ("uhri", "D25"), ("uprinfo", "Death penalty")]:
        rec = make_recommendation(text=f"Recommendation on {code}", paragraph=code)
        rec.themes.add(theme(vocabulary, code))
        about.append(rec.pk)
    rec = make_recommendation(text="On detention", paragraph="x")
    rec.themes.add(theme("uhri", "D3"))
    other.append(rec.pk)
    d2 = theme("uhri", "D2")
    with api.client() as http:
        for value in ("uhri:D2", str(d2.pk)):
            for param in ("theme", "theme_key"):
                got = http.get("/api/v1/recommendations/", params={param: value, "page_size": 100}).json()
                assert sorted(r["id"] for r in got["results"]) == sorted(about), (param, value)
        unknown = http.get("/api/v1/recommendations/", params={"theme": "uhri:nope"}).json()
        assert unknown["count"] == 0
    family = theme_family(d2)
    assert set(
        Recommendation.objects.filter(themes__in=family).distinct().values_list("pk", flat=True)
    ) == set(about)
    assert PortalFilter(theme="uhri:D2").theme_ids() == family
    params = Params(kind="thematic", start=date(2020, 1, 1), end=date(2026, 12, 31), theme="uhri:D2")
    assert set(Scope(user=None, params=params).theme_ids()) == family
    assert filtered(None, {"theme": "uhri:D2"}).count() == 0  # no practice yet: the filter narrows, not fails
