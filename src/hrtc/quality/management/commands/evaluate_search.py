"""`hrtc evaluate-search`: recall@10 and nDCG@10 of the judged query set, per language and engine.

By default each engine is measured in a fresh, throw-away database (so your data is untouched): SQLite
always, PostgreSQL too when --postgres URL is given (or DATABASE_URL points at PostgreSQL); a temporary
database is created on that server and dropped afterwards. --here measures the current database instead
(--load first puts the evaluation corpus in it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from hrtc.quality import search_relevance as evaluation


class Command(BaseCommand):
    help = "Measure search relevance (recall@10, nDCG@10) on the judged multilingual query set."

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=Path, default=evaluation.QUERIES, help="judged queries (JSON)")
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--postgres", metavar="URL", help="also measure PostgreSQL on this server")
        parser.add_argument("--here", action="store_true", help="measure the current database")
        parser.add_argument(
            "--load", action="store_true", help="with --here: load the evaluation corpus first"
        )
        parser.add_argument("--shared", type=Path, help="the shared data folder (default ../shared/data)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument("--details", action="store_true", help="list the queries that missed documents")

    def handle(self, *args, **options):
        queries = evaluation.load_queries(options["queries"])
        if options["here"]:
            results = [self._here(queries, options)]
        else:
            results = [self._fresh("sqlite", None, options)]
            url = options["postgres"] or (
                os.environ.get("DATABASE_URL", "")
                if settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
                else ""
            )
            if url:
                results.append(self._fresh("postgres", url, options))
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
            return
        self._print(results, options)

    def _here(self, queries, options) -> dict:
        console = Console(file=self.stderr._out)
        if options["load"]:
            evaluation.load_corpus(options["shared"], say=lambda m: console.print(m, style="dim"))
        with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
            task = bar.add_task(f"Queries on {evaluation.engine_name()}", total=len(queries))
            result = evaluation.evaluate(queries, options["k"], lambda n: bar.update(task, completed=n))
        return result.as_dict()

    def _fresh(self, engine: str, postgres_url: str | None, options) -> dict:
        """Run this command with --here --load in a child process on a brand-new database."""
        env = {**os.environ, "HRTC_DATA_DIR": tempfile.mkdtemp(prefix="hrtc-eval-")}
        env.pop("DATABASE_URL", None)
        database = None
        if postgres_url:
            import psycopg

            parts = urlsplit(postgres_url)
            base = f"{parts.scheme}://{parts.netloc}"  # the server; the database part is ours to choose
            database = f"hrtc_eval_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            env["DATABASE_URL"] = f"{base}/{database}"
        try:
            self.stderr.write(f"Preparing a fresh {engine} database (migrate, corpus, index)…")
            migrate = [sys.executable, "-m", "hrtc", "migrate", "-v0"]
            subprocess.run(migrate, env=env, check=True)  # noqa: S603
            command = [
                sys.executable, "-m", "hrtc", "evaluate-search", "--here", "--load", "--json",
                "--queries", str(options["queries"]), "--k", str(options["k"]),
            ]  # fmt: skip
            if options["shared"]:
                command += ["--shared", str(options["shared"])]
            done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
            return json.loads(done.stdout)[0]
        except subprocess.CalledProcessError as error:
            raise CommandError(f"Evaluation on {engine} failed:\n{error.stderr or ''}") from error
        finally:
            if database:
                import psycopg

                with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _print(self, results: list[dict], options) -> None:
        console = Console(file=self.stdout._out, width=120)
        table = Table(title=f"Search relevance on the judged query set (k = {options['k']})")
        table.add_column("language")
        table.add_column("queries", justify="right")
        for result in results:
            table.add_column(f"recall@{options['k']}\n{result['engine']}", justify="right")
            table.add_column(f"nDCG@{options['k']}\n{result['engine']}", justify="right")
        for language in results[0]["summary"]:
            row = [language, str(results[0]["summary"][language]["queries"])]
            for result in results:
                figures = result["summary"].get(language, {"recall": 0.0, "ndcg": 0.0})
                row += [f"{figures['recall']:.3f}", f"{figures['ndcg']:.3f}"]
            table.add_row(*row, end_section=language == evaluation.LANGUAGES[-1])
        console.print(table)
        if options["details"]:
            for result in results:
                for row in result["per_query"]:
                    if row["missed"]:
                        console.print(
                            f"[{result['engine']}] {row['id']} {row['query']!r}: missed {row['missed']}"
                        )
