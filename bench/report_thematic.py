"""Benchmark: the thematic report as PDF over 200,000 recommendations and 20,000 activities, against the time
of the same report's queries alone, in the same run.

python bench/report_thematic.py                      # what `make bench` runs
python bench/report_thematic.py --recommendations 50000 --activities 5000

The recommendations are the largest real UPR Info file replicated to size and imported the way
bench/import_recommendations.py does (`recommendations_import`, search indexing off); 20,000 activities (and
their themes, SDG targets, linked recommendations), assessments, requests and fund movements are
bulk-created into a throwaway SQLite database. Goal: under 10 s in all; rendering no more than the queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_recommendations import SOURCE, scaled_csv

YEAR = 2022
ROUNDS = 3


def setup_django() -> None:
    os.environ["HRTC_DATA_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtc.config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_recommendations(rows: int) -> int:
    from hrtc.accounts.policy import SYSTEM
    from hrtc.core.signals import records_imported
    from hrtc.recommendations.importing import recommendations_import
    from hrtc.recommendations.models import Recommendation

    records_imported.disconnect(dispatch_uid="search.imported")
    path = scaled_csv(rows, Path(tempfile.mkdtemp()) / "recommendations.csv")
    recommendations_import(path=path, by=SYSTEM)
    # The importer merges a joint recommendation's rows: top up to `rows` with copies of imported ones.
    missing = rows - Recommendation.objects.count()
    copies = []
    for n, original in enumerate(Recommendation.objects.order_by("pk")[: max(missing, 0)]):
        original.pk, original.id = None, None
        original.natural_key = original.fingerprint = f"bench-copy-{n}"
        original.text = f"{original.text} (bench copy {n})"
        copies.append(original)
    Recommendation.objects.bulk_create(copies, batch_size=2000)
    # UPR Info gives sessions, not dates: date them in and around the report's year.
    ids = list(Recommendation.objects.values_list("pk", flat=True))
    rng = random.Random(48_24)
    for start in range(0, len(ids), 20_000):
        chunk = ids[start : start + 20_000]
        for year in (YEAR - 1, YEAR):
            Recommendation.objects.filter(pk__in=[i for i in chunk if i % 2 == year % 2]).update(
                date=date(year, rng.randint(1, 12), 15)
            )
    return len(ids)


def load_activities(count: int, rec_ids: list[int]) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from hrtc.accounts.choices import PROVIDER_KINDS, OrganisationKind
    from hrtc.accounts.models import Organisation
    from hrtc.accounts.policy import SYSTEM
    from hrtc.assistance.choices import ActivityStatus, GenderMarker, Modality, RequestStatus
    from hrtc.assistance.models import Activity, AssistanceRequest, RequestEvent
    from hrtc.funds import services as funds
    from hrtc.funds.models import ExchangeRate
    from hrtc.recommendations.choices import AssessmentSource, ImplementationStatus
    from hrtc.recommendations.models import Assessment
    from hrtc.reference.models import Fund, SdgTarget, State, Theme

    rng = random.Random(20_000)
    states = list(State.objects.values_list("code", flat=True))
    providers = list(Organisation.objects.filter(kind__in=PROVIDER_KINDS))
    if len(providers) < 3:
        providers += [
            Organisation.objects.create(
                code=f"bench-{n}", name=f"Provider {n}", kind=OrganisationKind.UN_AGENCY
            )
            for n in range(3)
        ]
    themes = list(Theme.objects.filter(vocabulary="uhri").values_list("pk", flat=True))[:60]
    targets = list(SdgTarget.objects.values_list("code", flat=True))
    now = timezone.now()
    activities = []
    for n in range(count):
        start = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        activities.append(
            Activity(
                lead_provider=rng.choice(providers),
                state_id=rng.choice(states),
                title=f"Activity {n}",
                modality=rng.choice(Modality.values),
                planned_start=start,
                planned_end=start + timedelta(days=rng.randrange(10, 200)),
                status=rng.choice(
                    [ActivityStatus.IMPLEMENTATION, ActivityStatus.FINALISATION, ActivityStatus.CLOSED]
                ),
                gender_marker=rng.choice(GenderMarker.values),
                participants_women=rng.randrange(60),
                participants_men=rng.randrange(60),
                participants_other=rng.randrange(3),
                state_consent_at=now,
                is_published=rng.random() < 0.8,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=2000)
    ids = list(Activity.objects.values_list("pk", flat=True))
    Activity.themes.through.objects.bulk_create(
        [Activity.themes.through(activity_id=i, theme_id=t) for i in ids for t in rng.sample(themes, 2)],
        batch_size=5000,
    )
    Activity.sdg_targets.through.objects.bulk_create(
        [
            Activity.sdg_targets.through(activity_id=i, sdgtarget_id=t)
            for i in ids
            for t in rng.sample(targets, 2)
        ],
        batch_size=5000,
    )
    linked = rng.sample(rec_ids, min(len(rec_ids), count))
    Activity.recommendations.through.objects.bulk_create(
        [
            Activity.recommendations.through(activity_id=a, recommendation_id=r)
            for a, r in zip(ids, linked, strict=False)
        ],
        batch_size=5000,
    )
    statuses = ImplementationStatus.values
    Assessment.objects.bulk_create(
        [
            Assessment(
                recommendation_id=r,
                status=statuses[(r + k) % len(statuses)],
                as_of=date(YEAR - 1 + k, 6 if k == 0 else 10, 1),
                source=AssessmentSource.GOVERNMENT,
            )
            for r in linked
            for k in (0, 1)
        ],
        batch_size=5000,
    )
    user = get_user_model().objects.create_user("bench")
    requests = AssistanceRequest.objects.bulk_create(
        [
            AssistanceRequest(
                requesting_state_id=rng.choice(states), submitted_by=user, title=f"Request {n}", needs="Training",
                modality=rng.choice(Modality.values), status=rng.choice(RequestStatus.values[1:]),
            )
            for n in range(2000)
        ]
    )  # fmt: skip
    RequestEvent.objects.bulk_create(
        [RequestEvent(request=r, to_status=RequestStatus.SUBMITTED, by=user) for r in requests]
    )
    RequestEvent.objects.update(at=timezone.make_aware(timezone.datetime(YEAR, 5, 1)))
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(currency_id="EUR", month=date(YEAR, m, 1), units_per_usd=Decimal("0.95"))
            for m in range(1, 13)
        ]
    )
    fund = Fund.objects.get(code="VFTC")
    donor = funds.donor_create(by=SYSTEM, name="Bench donor")
    for month in range(1, 13):
        funds.contribution_record(
            by=SYSTEM,
            donor=donor,
            fund=fund,
            amount=Decimal("250000"),
            currency="EUR",
            value_date=date(YEAR, month, 2),
        )
    financed = Activity.objects.order_by("pk")[:200]
    for n, activity in enumerate(financed):
        grant = funds.grant_commit(
            by=SYSTEM, fund=fund, amount=Decimal("10000"), currency="EUR",
            value_date=max(date(YEAR, 1, 3), activity.planned_start), purpose=f"Grant {n}", activity=activity,
        )  # fmt: skip
        funds.grant_disburse(
            by=SYSTEM, grant=grant, amount=Decimal("5000"), currency="EUR", value_date=grant.value_date
        )


def measure() -> tuple[float, float, int, int]:
    from hrtc.accounts.policy import SYSTEM
    from hrtc.reports.builders import build
    from hrtc.reports.document import Params
    from hrtc.reports.exporters import render

    params = Params.parse("thematic", start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    started = time.perf_counter()
    report = build(params, SYSTEM)
    queries = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render(report, "pdf")
    rendering = time.perf_counter() - started
    return queries, rendering, len(pdf), len(report.figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recommendations", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=20_000)
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: the benchmark needs ../shared/data beside the repository")
    setup_django()
    started = time.perf_counter()
    count = load_recommendations(args.recommendations)
    from hrtc.recommendations.models import Recommendation

    load_activities(args.activities, list(Recommendation.objects.values_list("pk", flat=True)))
    loading = time.perf_counter() - started
    runs = [measure() for _ in range(ROUNDS)]
    queries = statistics.median(r[0] for r in runs)
    rendering = statistics.median(r[1] for r in runs)
    print(
        f"Thematic report (PDF) over {count:,} recommendations and {args.activities:,} activities, "
        f"SQLite (data loaded in {loading:.0f} s); median of {ROUNDS} runs:"
    )
    print(f"  queries alone (the baseline) : {queries:7.2f} s")
    print(
        f"  rendering (charts, HTML, PDF): {rendering:7.2f} s   ({runs[0][3]} charts, {runs[0][2]:,} bytes)"
    )
    print(f"  in all                       : {queries + rendering:7.2f} s   (goal < 10 s)")
    print(f"  ratio rendering / queries    : {rendering / queries:7.2f} x   (goal <= 1)")


if __name__ == "__main__":
    main()
