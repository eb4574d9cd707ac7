"""Consent, fuzzed: requests and activities are made through the real services with random consent and
publication settings — given, narrowed, withdrawn, published, unpublished, requests withdrawn — and then every
public output is read over real HTTP as an anonymous visitor: the portal pages (every page of them), the CSV,
JSON, XLSX and IATI XML downloads of every dataset, and the public API (every page, every detail). No
unpublished title or description, and no internal field of a published record, may appear in any of them; and
every published record must appear, so the test would notice an output that showed nothing at all.

Which records are public is worked out here from the settings the test chose (the rule as the assistance
README states it), not by asking the code under test."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest

from hrtc.assistance import services
from hrtc.core.exceptions import Conflict
from hrtc.reference.models import State
from tests.opendata.portal_factories import theme

SEEDS = [11, 23, 47]
PUBLIC_STATUSES = {"submitted", "under_review", "accepted", "declined", "in_progress", "completed"}


@dataclass
class World:
    """What the test did, and so what must and must not be public."""

    public: set[str] = field(default_factory=set)  # markers that must appear somewhere
    secret: set[str] = field(default_factory=set)  # markers that must appear nowhere
    activity_pks: list[int] = field(default_factory=list)
    requests: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    hidden_after_publication: list[str] = field(default_factory=list)  # published, then consent withdrawn


def marker(kind: str, seed: int, n: int) -> str:
    return f"{kind}{seed:02d}N{n:04d}Q"  # Q ends it: N001Q is no prefix of N0010Q


def build(people, seed: int) -> World:
    rng = random.Random(seed)
    world = World()
    kenya = State.objects.get(code="KEN")
    ohchr, unct = people.organisations["ohchr"], people.organisations["unct_ken"]
    today = date(2025, 1, 1)

    for n in range(10):
        forced = n == 0  # the first request is published, accepted and its activities published: see below
        req = services.request_create(
            by=people.kenya_focal_point,
            state=kenya,
            title=marker("REQTITLE", seed, n),
            needs=marker("NEEDS", seed, n),
            priorities=[marker("PRIORITY", seed, n)],
            modality=rng.choice(["training", "advisory", "nmirf_support"]),
            themes=[theme(rng.choice(["A2", "D2", "F1"]))],
            timeframe_start=today,
            timeframe_end=today + timedelta(days=200),
        )
        services.request_set_consent(
            request=req,
            by=people.kenya_focal_point,
            providers=[ohchr, unct],
            publish_summary=forced or rng.random() < 0.6,
            reason=marker("REASON", seed, n),
        )
        everything = ["submit", "review", "accept"]
        steps = (
            everything
            if forced
            else rng.choice([[], ["submit"], ["submit", "review"], everything, everything])
        )
        for step in steps:
            who = people.kenya_focal_point if step == "submit" else people.ohchr_officer
            services.request_transition(request=req, by=who, name=step, reason=marker("STEPREASON", seed, n))
        world.requests.append(req)
        if req.status == "accepted":
            for k in range(rng.randint(1, 2)):
                world.activities.append(
                    _activity(people, rng, seed, n * 10 + k, req, today, publish=forced or None)
                )

    for n in range(1000, 1005):  # provider-initiated: the State may or may not consent
        world.activities.append(_activity(people, rng, seed, n, None, today))

    # Later the States change their minds: consent narrowed or widened, requests withdrawn, activities unpublished.
    # A State that stops publication of a request with published activities comes first: the hardest case.
    with_published = [r for r in world.requests if r.activities.filter(is_published=True).exists()]
    for req in with_published[:1] + rng.sample(with_published[1:], len(with_published[1:]) // 2):
        req.refresh_from_db()
        services.request_set_consent(
            request=req,
            by=people.kenya_focal_point,
            providers=[ohchr, unct],
            publish_summary=False,
            reason=marker("REASON", seed, 700 + req.pk),
        )
        world.hidden_after_publication += list(
            req.activities.filter(is_published=True).values_list("title", flat=True)
        )
    for req in rng.sample(world.requests, 4):
        req.refresh_from_db()
        services.request_set_consent(
            request=req,
            by=people.kenya_focal_point,
            providers=[ohchr],
            publish_summary=rng.random() < 0.5,
            reason=marker("REASON", seed, 500 + req.pk),
        )
    for req in rng.sample(world.requests, 2):
        req.refresh_from_db()
        if req.status not in ("withdrawn", "declined", "completed"):
            services.request_transition(
                request=req,
                by=people.kenya_focal_point,
                name="withdraw",
                reason=marker("STEPREASON", seed, 900 + req.pk),
            )
    for act in rng.sample(world.activities, min(3, len(world.activities))):
        act.refresh_from_db()
        if act.is_published and rng.random() < 0.5:
            services.activity_publish(activity=act, by=people.ohchr_officer, published=False)

    for n in range(3):
        services.offer_create(
            by=people.ohchr_officer,
            provider=ohchr,
            title=marker("OFFER", seed, n),
            modality="training",
            contact=marker("CONTACT", seed, n),
            capacity=7,
        )
        world.public.add(marker("OFFER", seed, n))
        world.secret.add(marker("CONTACT", seed, n))

    _expectations(world, seed)
    return world


def _activity(people, rng, seed: int, n: int, request, today: date, publish: bool | None = None):
    act = services.activity_create(
        by=people.ohchr_officer,
        lead_provider=people.organisations["ohchr"],
        state=State.objects.get(code="KEN"),
        request=request,
        title=marker("ACTTITLE", seed, n),
        description=marker("ACTDESC", seed, n),
        modality="training",
        planned_start=today,
        planned_end=today + timedelta(days=60),
        budget_amount=Decimal(rng.randint(1, 900) * 100),
        budget_currency="USD",
        gender_marker=rng.choice([0, 1, 2]),
        themes=[theme("A2")],
    )
    services.activity_set_participants(
        activity=act, by=people.ohchr_officer, women=5, men=4, groups={"persons-with-disabilities": 2}
    )
    if request is None and rng.random() < 0.6:
        services.activity_consent(activity=act, by=people.kenya_focal_point)
    if publish or (publish is None and rng.random() < 0.7):
        consented = (
            request.consent_publish_summary if request is not None else act.state_consent_at is not None
        )
        if consented:
            services.activity_publish(activity=act, by=people.ohchr_officer)
        else:  # the State did not consent to publication: refused, and nothing changes
            with pytest.raises(Conflict):
                services.activity_publish(activity=act, by=people.ohchr_officer)
    return act


def _expectations(world: World, seed: int) -> None:
    for req in world.requests:
        req.refresh_from_db()
        n = int(req.title[len("REQTITLE") + 3 : -1])
        public = req.consent_publish_summary and req.status in PUBLIC_STATUSES
        (world.public if public else world.secret).add(req.title)
        world.secret |= {req.needs, *req.priorities}
        world.secret |= {
            marker("REASON", seed, n),
            marker("REASON", seed, 500 + req.pk),
            marker("REASON", seed, 700 + req.pk),
        }
        world.secret |= {marker("STEPREASON", seed, n), marker("STEPREASON", seed, 900 + req.pk)}
    for act in world.activities:
        act.refresh_from_db()
        world.activity_pks.append(act.pk)
        if act.request_id is not None:
            consented = act.request.consent_publish_summary and act.request.status in PUBLIC_STATUSES
        else:
            consented = act.state_consent_at is not None
        public = act.is_published and consented
        (world.public if public else world.secret).update({act.title, act.description})
    # internal fields of any record, published or not
    world.secret |= {"persons-with-disabilities", "kenya.focal.point", "ohchr.officer"}


def read_everything(api, world: World) -> dict[str, str]:
    """Every public output, as text, by where it came from."""
    outputs: dict[str, str] = {}
    with api.client() as anonymous:

        def fetch(url: str, **params) -> str:
            response = anonymous.get(url, params=params or None)
            assert response.status_code in (200, 404), (url, response.status_code)
            if url.endswith(".xlsx") and response.status_code == 200:
                return xlsx_text(response.content)
            return response.text

        def walk_pages(path: str, param: str = "page", **params) -> None:
            number = 1
            while True:
                text = fetch(path, **{param: number, **params})
                outputs[f"{path}?{param}={number}{params}"] = text
                if f"{param}={number + 1}" not in text:
                    return
                number += 1

        for path in (
            "/open/",
            "/open/state/KEN/",
            "/open/offers/",
            "/open/requests/",
            "/open/data-dictionary/",
        ):
            walk_pages(path)
        walk_pages("/open/", state="KEN", year="2025")
        walk_pages("/open/", theme="uhri:A2", gender_marker="2")
        for pk in world.activity_pks:
            outputs[f"page activity {pk}"] = fetch(f"/open/activities/{pk}/")
            outputs[f"api activity {pk}"] = fetch(f"/api/v1/open/activities/{pk}/")
        for dataset, formats in (
            ("activities", ("csv", "json", "xlsx", "iati")),
            ("requests", ("csv", "json", "xlsx")),
            ("offers", ("csv", "json", "xlsx")),
        ):
            for fmt in formats:
                outputs[f"{dataset}.{fmt}"] = fetch(f"/open/download/{dataset}.{fmt}")
                outputs[f"{dataset}.{fmt}?state=KEN"] = fetch(f"/open/download/{dataset}.{fmt}", state="KEN")
        for endpoint in ("activities", "requests", "offers"):
            url = f"/api/v1/open/{endpoint}/?page_size=4"
            while url:
                page = anonymous.get(url).json()
                outputs[url] = str(page)
                url = page["next"]
        outputs["api aggregates"] = fetch("/api/v1/open/aggregates/")
        outputs["api datasets"] = fetch("/api/v1/open/datasets/")
    return outputs


def xlsx_text(content: bytes) -> str:
    """All the text of a workbook (shared and inline strings, sheet XML), to search for markers."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_no_unpublished_record_or_internal_field_reaches_any_output(api, live_people, seed):
    world = build(live_people, seed)
    assert world.public and world.secret  # the seed made both kinds
    assert set(world.hidden_after_publication) & world.secret  # and a publication the State took back
    assert any(m.startswith("ACTTITLE") for m in world.public) and any(
        m.startswith("ACTTITLE") for m in world.secret
    )
    outputs = read_everything(api, world)

    leaks = sorted((where, m) for where, text in outputs.items() for m in world.secret if m in text)
    assert leaks == [], f"unpublished or internal data in public outputs: {leaks[:10]}"
    everywhere = "\n".join(outputs.values())
    missing = sorted(m for m in world.public if m not in everywhere)
    assert missing == [], f"published data missing from every output: {missing}"
    # every format carries every published activity: no format may silently drop (or add) one
    for where in ("activities.csv", "activities.json", "activities.xlsx", "activities.iati"):
        shown = {m for m in world.public if m.startswith("ACTTITLE") and m in outputs[where]}
        assert shown == {m for m in world.public if m.startswith("ACTTITLE")}, where
