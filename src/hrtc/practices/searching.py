"""Good practices in the search index (registered from PracticesConfig.ready())."""

from __future__ import annotations

from hrtc.practices.sanitize import plain_text
from hrtc.search.documents import Fields, Kind, names_of, register, tags_of


def _practice(r: Fields) -> dict:
    return {
        "key": r("slug"),
        "tags": tags_of(r),
        "title": r.text("title"),
        "body": f"{r.text('summary')} {plain_text(r.text('body'))}",
        "extra": f"{r.text('results')} {r.text('evidence')} {names_of(r.all('themes'))}",
        "state": r("state"),
        "region": r("region"),
        "mechanism": "",
        "year": (r("published_at") or r("created_at")).year,
        "language": r("language"),
    }


def register_kinds() -> None:
    from hrtc.practices import selectors
    from hrtc.practices.models import Practice

    register(
        Kind(
            "practice",
            lambda: Practice,
            lambda: Practice.objects.select_related("state").prefetch_related("themes", "sdg_targets"),
            _practice,
            lambda user: selectors.practices_visible(user),
        )
    )
