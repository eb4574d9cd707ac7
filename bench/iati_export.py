"""Benchmark: IATI 2.03 export of 50,000 published activities — activities per second and peak memory —
against lxml serialising the same elements built in memory, in the same run; and at 10,000 activities, to
show that the streaming writer's memory does not grow with the number of activities.

python bench/iati_export.py                       # the whole benchmark (what `make bench` runs)
python bench/iati_export.py --activities 5000     # smaller

Each database is built once (SQLite, fresh migrations, activities bulk-created with themes, SDG targets,
partners, a translation and participants, all published with the State's consent); each measurement runs
in its own process on a copy, so peak RSS (`ru_maxrss`) is that measurement's alone. Both sides read the
database and map activities to IATI the same way (`hrtc.opendata.iati`); they differ in how the XML is
written: `xmlfile`, one activity element at a time (hrtc) vs. one tree of every element, then
`ElementTree.write` (the baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(db: Path) -> None:
    os.environ["HRTC_DATA_DIR"] = str(db.parent)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtc.config.settings")
    import django

    django.setup()


def worker_build(db: Path, n: int) -> dict:
    setup_django(db)
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from hrtc.accounts.models import Organisation
    from hrtc.assistance.models import Activity
    from hrtc.opendata.models import ActivityTranslation
    from hrtc.reference.models import SdgTarget, State, Theme

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    providers = list(Organisation.objects.filter(code__in=["ohchr", "unwomen", "unfpa", "undp"]))
    states = list(State.objects.filter(un_status="member").order_by("code")[:120])
    themes = list(Theme.objects.filter(vocabulary="uhri", code__in=["A2", "A45", "F1", "F13", "D5", "E4"]))
    targets = list(SdgTarget.objects.filter(code__in=["5.1", "5.2", "10.3", "16.3", "16.10", "16.a"]))
    now = timezone.now()
    for chunk in range(0, n, 5000):
        rows = []
        for i in range(chunk, min(n, chunk + 5000)):
            start = date(2020, 1, 1) + timedelta(days=i % 1500)
            rows.append(
                Activity(
                    lead_provider=providers[i % len(providers)],
                    state=states[i % len(states)],
                    title=f"Technical cooperation activity {i}",
                    description=f"Support to the national mechanism for reporting and follow-up, activity {i}.",
                    modality="training",
                    planned_start=start,
                    planned_end=start + timedelta(days=200 + i % 500),
                    actual_start=start,
                    status=2,
                    budget_amount=Decimal(10_000 + i) + Decimal("0.25"),
                    budget_currency_id="USD",
                    gender_marker=i % 3,
                    participants_women=i % 40,
                    participants_men=i % 30,
                    state_consent_at=now,
                    is_published=True,
                )
            )
        made = Activity.objects.bulk_create(rows)
        Activity.themes.through.objects.bulk_create(
            Activity.themes.through(activity_id=a.pk, theme_id=themes[a.pk % len(themes)].pk) for a in made
        )
        Activity.sdg_targets.through.objects.bulk_create(
            Activity.sdg_targets.through(activity_id=a.pk, sdgtarget_id=targets[(a.pk + k) % len(targets)].pk)
            for a in made
            for k in range(2)
        )
        Activity.partners.through.objects.bulk_create(
            Activity.partners.through(
                activity_id=a.pk, organisation_id=providers[(a.pk + 1) % len(providers)].pk
            )
            for a in made
        )
        ActivityTranslation.objects.bulk_create(
            ActivityTranslation(
                activity=a, field="title", language="fr", text=f"Activité de coopération {a.pk}"
            )
            for a in made
        )
    return {"seconds": time.perf_counter() - started}


def worker_export(db: Path, kind: str) -> dict:
    setup_django(db)
    from lxml import etree

    from hrtc.opendata import publication
    from hrtc.opendata.iati.export import VERSION, activity_element, iati_records, write_activities

    out = db.parent / f"{kind}.xml"
    activities = publication.published_activities()
    started = time.perf_counter()
    if kind == "stream":
        with out.open("wb") as handle:
            count = write_activities(activities, handle)
    else:  # baseline: the same elements, built into one tree in memory, then serialised by lxml
        root = etree.Element("iati-activities", version=VERSION)
        count = 0
        for record in iati_records(activities):
            root.append(activity_element(record))
            count += 1
        etree.ElementTree(root).write(str(out), xml_declaration=True, encoding="utf-8", pretty_print=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "count": count, "peak_mib": peak_mib(), "bytes": out.stat().st_size}


def run(*args: str) -> dict:
    command = [sys.executable, __file__, "--worker", *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def measure(n: int, tmp: Path) -> dict:
    source = tmp / f"n{n}" / "hrtc.sqlite3"
    source.parent.mkdir()
    built = run("build", str(source), str(n))
    results = {"build_seconds": built["seconds"]}
    for kind in ("stream", "baseline"):
        copy = tmp / f"n{n}-{kind}" / "hrtc.sqlite3"
        copy.parent.mkdir()
        shutil.copy(source, copy)
        results[kind] = run("export", str(copy), kind)
        assert results[kind]["count"] == n, results[kind]
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["build", "export"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--activities", type=int, default=50_000)
    args = parser.parse_args()
    if args.worker == "build":
        print(json.dumps(worker_build(Path(args.args[0]), int(args.args[1]))))
        return
    if args.worker == "export":
        print(json.dumps(worker_export(Path(args.args[0]), args.args[1])))
        return
    tmp = Path(tempfile.mkdtemp(prefix="hrtc-bench-iati-"))
    large_n, small_n = args.activities, args.activities // 5
    try:
        small, large = measure(small_n, tmp), measure(large_n, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    s, b = large["stream"], large["baseline"]
    print(f"IATI 2.03 export of {large_n:,} published activities (SQLite, {s['bytes'] / 1e6:.0f} MB of XML):")
    print(
        f"  lxml tree in memory, then write : {b['seconds']:7.1f} s  {large_n / b['seconds']:>8,.0f} activities/s  peak RSS {b['peak_mib']:6.0f} MiB"
    )
    print(
        f"  hrtc streaming (xmlfile)        : {s['seconds']:7.1f} s  {large_n / s['seconds']:>8,.0f} activities/s  peak RSS {s['peak_mib']:6.0f} MiB"
    )
    print(
        f"  ratio hrtc / baseline           : time x{s['seconds'] / b['seconds']:.2f}, "
        f"peak memory x{s['peak_mib'] / b['peak_mib']:.2f}"
    )
    ss, sb = small["stream"], small["baseline"]
    print(
        f"  peak RSS at {small_n:,} -> {large_n:,} activities (x{large_n // small_n}): hrtc {ss['peak_mib']:.0f} -> "
        f"{s['peak_mib']:.0f} MiB (x{s['peak_mib'] / ss['peak_mib']:.2f}); baseline {sb['peak_mib']:.0f} -> "
        f"{b['peak_mib']:.0f} MiB (x{b['peak_mib'] / sb['peak_mib']:.2f})"
    )


if __name__ == "__main__":
    main()
