"""A list makes a fixed number of queries, whatever its length (STYLE.md)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrtc.reference.models import Theme
from tests.base import make_recommendation


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def add(count: int, start: int) -> None:
    theme = Theme.objects.filter(vocabulary="uhri").first()
    for i in range(start, start + count):
        rec = make_recommendation(text=f"Recommendation number {i}", paragraph=str(i))
        rec.themes.add(theme)
        rec.recommending_states.add("FRA", "DEU")


def test_list_page_and_api_queries_do_not_grow_with_the_list(client, db):
    add(3, 0)
    urls = ["/recommendations/?state=KEN", "/api/v1/recommendations/?state=KEN", "/assistance/state/KEN/"]
    few = [queries_for(client, url) for url in urls]
    add(30, 100)
    many = [queries_for(client, url) for url in urls]
    assert few == many
