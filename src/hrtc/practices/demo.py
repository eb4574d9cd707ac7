"""Demo good practices in the six UN languages (data/demo_practices.json: demo texts written for hrtc, see
data/SOURCE.md), submitted by the demo CSO, NHRI and State users and published by the OHCHR moderator — so
the list, the detail pages, related practices and multilingual search have something to show."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from hrtc.accounts.models import Organisation
from hrtc.practices import services
from hrtc.practices.models import Practice
from hrtc.reference.models import AffectedGroup, SdgTarget, State, Theme

DATA = Path(__file__).parent / "data" / "demo_practices.json"
AUTHORS = ["cso.member", "knchr.member", "kenya.focal", "unwomen.officer", "ohchr.officer", "slovenia.focal"]


def records() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else []


def _fields(item: dict) -> dict:
    return {
        "title": item["title"],
        "summary": item["summary"],
        "body": item["body_html"],
        "language": item["language"],
        "state": State.objects.filter(code=item.get("state") or "").first(),
        "region": item.get("region") or "",
        "results": item.get("results", ""),
        "evidence": item.get("evidence", ""),
        "themes": list(Theme.objects.filter(code__in=item.get("themes", []))),
        "sdg_targets": list(SdgTarget.objects.filter(code__in=item.get("sdg_targets", []))),
        "affected_groups": list(AffectedGroup.objects.filter(code__in=item.get("affected_groups", []))),
        "providers": list(Organisation.objects.filter(code__in=item.get("providers", []))),
    }


@transaction.atomic
def load_practices(items: list[dict], authors: list, moderator) -> int:
    """Submit and publish `items` (skipping slugs already there); translations after their originals."""
    created = 0
    ordered = sorted(items, key=lambda item: item.get("translation_of") is not None)
    for n, item in enumerate(ordered):
        if Practice.objects.filter(slug=item["slug"]).exists():
            continue
        original = Practice.objects.filter(slug=item.get("translation_of") or "").first()
        practice = services.practice_submit(
            by=authors[n % len(authors)], slug=item["slug"], translation_of=original, **_fields(item)
        )
        for step in ("review", "publish"):
            practice = services.practice_transition(practice=practice, by=moderator, name=step)
        created += 1
    return created


def load_demo() -> list[tuple[str, str, str]] | None:
    users = get_user_model().objects.filter(username__in=AUTHORS)
    by_name = {u.username: u for u in users}
    authors = [by_name[name] for name in AUTHORS if name in by_name]
    moderator = by_name.get("ohchr.officer")
    if not authors or moderator is None:
        return None
    load_practices(records(), authors, moderator)
    return None
