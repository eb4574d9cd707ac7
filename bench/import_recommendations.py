"""Benchmark: recommendation import at scale against a raw sqlite3 executemany of the same rows.

python bench/import_recommendations.py            # the whole benchmark (what `make bench` runs)
python bench/import_recommendations.py --worker hrtc --rows 200000 --csv FILE
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "upr-info-sessions-1-17" / "recommendations_sessions_14-17.csv"


def scaled_csv(rows: int, target: Path) -> Path:
    """The real file replicated to `rows` distinct rows (a copy number is appended to each text)."""
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header, body = next(reader), list(reader)
    text = header.index("Text")
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            row = list(body[i % len(body)])
            copy = i // len(body)
            if copy:
                row[text] = f"{row[text].rstrip()} (copy {copy})"
            writer.writerow(row)
    return target


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_raw(path: Path) -> dict:
    db = Path(tempfile.mkdtemp()) / "raw.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute(
        'CREATE TABLE rec ("to" TEXT, to_rgrp TEXT, to_org TEXT, text TEXT, "from" TEXT, '
        "from_rgrp TEXT, from_org TEXT, response TEXT, action TEXT, issue TEXT, session TEXT)"
    )
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        connection.executemany("INSERT INTO rec VALUES (?,?,?,?,?,?,?,?,?,?,?)", reader)
    connection.commit()
    return {"seconds": time.perf_counter() - started, "peak_mib": peak_mib()}


def worker_hrtc(path: Path, cluster: bool) -> dict:
    os.environ["HRTC_DATA_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtc.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from hrtc.accounts.policy import SYSTEM
    from hrtc.core.signals import records_imported
    from hrtc.recommendations.clustering import recommendations_cluster
    from hrtc.recommendations.importing import recommendations_import
    from hrtc.recommendations.models import Recommendation
    from hrtc.search import engine

    call_command("migrate", verbosity=0)
    # The search index follows an import once it has committed; time the two apart.
    records_imported.disconnect(dispatch_uid="search.imported")
    started = time.perf_counter()
    report = recommendations_import(path=path, by=SYSTEM)
    result = {
        "seconds": time.perf_counter() - started,
        "peak_mib": peak_mib(),
        "created": report.created,
        "rows": report.rows_read,
    }
    started = time.perf_counter()
    ids = list(Recommendation.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        engine.index("recommendation", ids[start : start + 2000])
    result["index_seconds"] = time.perf_counter() - started
    if cluster:
        clustering = recommendations_cluster(by=SYSTEM)
        result.update(
            cluster_seconds=clustering.seconds, clusters=clustering.clusters, clustered=clustering.clustered
        )
    return result


def run(kind: str, path: Path, cluster: bool = False) -> dict:
    command = [sys.executable, __file__, "--worker", kind, "--csv", str(path)] + (
        ["--cluster"] if cluster else []
    )
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["raw", "hrtc"])
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--cluster", action="store_true")
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    if args.worker:
        result = worker_raw(args.csv) if args.worker == "raw" else worker_hrtc(args.csv, args.cluster)
        print(json.dumps(result))
        return
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: the benchmark needs ../shared/data beside the repository")
    tmp = Path(tempfile.mkdtemp())
    small = scaled_csv(args.rows // 4, tmp / "small.csv")
    large = scaled_csv(args.rows, tmp / "large.csv")
    raw = run("raw", large)
    ours = run("hrtc", large, cluster=True)
    ours_small = run("hrtc", small)
    print(f"Recommendation import, {args.rows:,} rows (UPR Info sessions 14-17 replicated), SQLite:")
    print(f"  raw sqlite3 executemany : {raw['seconds']:8.2f} s   {args.rows / raw['seconds']:>9,.0f} rows/s")
    print(
        f"  hrtc import             : {ours['seconds']:8.2f} s   {args.rows / ours['seconds']:>9,.0f} rows/s   "
        f"({ours['created']:,} recommendations)"
    )
    print(f"  ratio hrtc / raw        : {ours['seconds'] / raw['seconds']:8.2f} x   (goal <= 2)")
    print(
        f"  peak RSS                : {ours_small['peak_mib']:.0f} MiB at {args.rows // 4:,} rows, "
        f"{ours['peak_mib']:.0f} MiB at {args.rows:,} rows (x{ours['peak_mib'] / ours_small['peak_mib']:.2f} "
        f"for x4 rows); raw baseline {raw['peak_mib']:.0f} MiB"
    )
    print(
        f"  search indexing after it: {ours['index_seconds']:8.2f} s   "
        f"{ours['created'] / ours['index_seconds']:>9,.0f} documents/s (not in the ratio above)"
    )
    print(
        f"Clustering {ours['created']:,} recommendations: {ours['cluster_seconds']:.1f} s, "
        f"{ours['clusters']:,} clusters holding {ours['clustered']:,}"
    )


if __name__ == "__main__":
    main()
