"""Benchmark: search over 200,000 recommendations through HTTP (the public search API), p50 and p95 latency on
SQLite and on PostgreSQL, against each engine's own raw full-text query (top 20 by rank) in the same run.
Goal: p95 <= 50 ms through HTTP.

python bench/search_latency.py [--rows 200000] [--postgres postgres://postgres@127.0.0.1:5432]
(PostgreSQL is measured when the server answers; a temporary database is created and dropped.)
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from import_recommendations import SOURCE, scaled_csv  # noqa: E402

#: What people type: single common words, rarer words, phrases, inflected forms, names of States.
QUERIES = [
    "women", "torture", "death penalty", "freedom of expression", "domestic violence", "children",
    "national human rights institution Paris Principles", "trafficking in persons", "Roma", "migrant workers",
    "optional protocol convention against torture", "female genital mutilation", "birth registration",
    "juvenile justice", "journalists", "corruption", "indigenous peoples land", "persons with disabilities",
    "sexual orientation", "prison conditions", "child labour", "education girls", "ratify", "discrimination",
    "human rights defenders", "universal periodic review follow-up", "refugees asylum", "poverty", "Kenya",
    "enforced disappearances", "independence of the judiciary", "hate speech", "minimum age of marriage",
    "rights of the child", "freedom of religion", "violence against women", "health care", "water sanitation",
    "racial discrimination", "statelessness",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prepare(env: dict, csv: Path) -> None:
    hrtc = [sys.executable, "-m", "hrtc"]
    subprocess.run([*hrtc, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [*hrtc, "import", "recommendations", str(csv)], env=env, check=True, capture_output=True
    )
    print(f"  prepared: import + index of {csv.name} in {time.perf_counter() - started:.0f} s", flush=True)


def serve(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        # gunicorn, the production WSGI server (one worker: the latency of one request at a time)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hrtc.config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
        ],
        env={
            **env,
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    status = None
    for _ in range(300):
        try:
            status = httpx.get(f"{base}/healthz", timeout=1).status_code
            if status == 200:
                return server, base
        except httpx.HTTPError as error:
            status = repr(error)
        time.sleep(0.1)
    server.kill()
    raise SystemExit(f"the server did not start (last answer: {status})")


def http_latencies(base: str, rounds: int) -> tuple[list[float], int]:
    times, hits = [], 0
    with httpx.Client(base_url=base, timeout=30) as client:
        for query in QUERIES:  # warm-up
            client.get("/api/v1/search/", params={"q": query})
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                response = client.get("/api/v1/search/", params={"q": query})
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                hits += response.json()["total"] > 0
    return times, hits


def raw_latencies(run_one, rounds: int) -> list[float]:
    from hrtc.search import text

    times = []
    for query in QUERIES:
        run_one(text.query_terms(query))
    for _ in range(rounds):
        for query in QUERIES:
            terms = text.query_terms(query)
            started = time.perf_counter()
            run_one(terms)
            times.append((time.perf_counter() - started) * 1000)
    return times


def sqlite_raw(db: Path):
    from hrtc.search.engine import _fts5_query

    connection = sqlite3.connect(db)

    def run_one(terms):
        return connection.execute(
            "SELECT d.id, d.title FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH ? ORDER BY bm25(search_fts) LIMIT 20",
            [_fts5_query(terms)],
        ).fetchall()

    return run_one


def postgres_raw(url: str):
    import psycopg

    from hrtc.search.engine import _tsquery

    connection = psycopg.connect(url, autocommit=True)

    def run_one(terms):
        query = _tsquery(terms)
        return connection.execute(
            "SELECT id, title FROM search_document WHERE tsv @@ to_tsquery('simple', %s) "
            "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC LIMIT 20",
            [query, query],
        ).fetchall()

    return run_one


def measure(engine: str, env: dict, raw, rounds: int) -> None:
    server, base = serve(env)
    try:
        http, hits = http_latencies(base, rounds)
    finally:
        server.terminate()
        server.wait()
    baseline = raw_latencies(raw, rounds)
    p50, p95 = percentile(http, 0.5), percentile(http, 0.95)
    r50, r95 = percentile(baseline, 0.5), percentile(baseline, 0.95)
    print(f"  {engine}: {len(http)} HTTP searches ({len(QUERIES)} queries x {rounds}), {hits} with results")
    print(f"    raw engine query (top 20)   : p50 {r50:7.1f} ms   p95 {r95:7.1f} ms")
    print(f"    hrtc search API over HTTP   : p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (goal p95 <= 50 ms)")
    print(
        f"    ratio HTTP / raw            : p50 {p50 / r50:7.1f} x   p95 {p95 / r95:7.1f} x   "
        f"(mean {statistics.mean(http):.1f} ms; adds permissions, facets, snippets, JSON, HTTP)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--postgres", default=os.environ.get("HRTC_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: the benchmark needs ../shared/data beside the repository")
    tmp = Path(tempfile.mkdtemp(prefix="hrtc-search-bench-"))
    # This process only needs hrtc's query builders; Django is set up on a scratch folder for them.
    os.environ.update(DJANGO_SETTINGS_MODULE="hrtc.config.settings", HRTC_DATA_DIR=str(tmp / "parent"))
    saved_url = os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if saved_url:
        os.environ["DATABASE_URL"] = saved_url
    csv = scaled_csv(args.rows, tmp / "recommendations.csv")
    print(
        f"Search latency over {args.rows:,} recommendations (UPR Info sessions 14-17 replicated):", flush=True
    )

    env = {**os.environ, "HRTC_DATA_DIR": str(tmp / "sqlite")}
    env.pop("DATABASE_URL", None)
    prepare(env, csv)
    measure("SQLite FTS5", env, sqlite_raw(tmp / "sqlite" / "hrtc.sqlite3"), args.rounds)

    import psycopg

    try:
        admin = psycopg.connect(f"{args.postgres}/postgres", autocommit=True)
    except psycopg.OperationalError:
        print(f"  PostgreSQL: not measured ({args.postgres} does not answer)")
        return
    database = f"hrtc_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{database}"')
    try:
        url = f"{args.postgres}/{database}"
        env = {**os.environ, "HRTC_DATA_DIR": str(tmp / "pg"), "DATABASE_URL": url}
        prepare(env, csv)
        measure("PostgreSQL full-text", env, postgres_raw(url), args.rounds)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
